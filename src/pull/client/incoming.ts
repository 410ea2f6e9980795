// Turns whatever a transport delivered into pull messages, choosing the codec by frame type and server version,
// and re-checks messages a pluggable source handed over already decoded (they did not pass through a codec).

import {
  decodeResponseBatch, decodeRpcFrame, decodeTextFrames, isPlainObject, toMessageBody,
  type CodecIssue, type DecodeResult, type PullMessage, type RpcFrameResult,
} from '../codecs'
import type { IncomingFrame } from '../transports/types'

export interface DecodedFrame {
  messages: PullMessage[]
  issues: CodecIssue[]
  /** The messages are the codec's own freshly parsed JSON: false for objects a pluggable source handed over. */
  ownJson: boolean
  /** Set for JSON-RPC text frames: ping, replies to send, responses to match. */
  rpc?: RpcFrameResult
}

export function decodeFrame(frame: IncomingFrame, jsonRpc: boolean): DecodedFrame {
  if (typeof frame === 'string') {
    if (jsonRpc) {
      const rpc = decodeRpcFrame(frame)
      return { messages: rpc.messages, issues: rpc.issues, ownJson: true, rpc }
    }
    return ownJson(decodeTextFrames(frame))
  }
  if (frame instanceof ArrayBuffer) return ownJson(decodeResponseBatch(new Uint8Array(frame)))
  if (frame instanceof Uint8Array) return ownJson(decodeResponseBatch(frame))
  if (Array.isArray(frame)) return checkDecoded(frame)
  return { messages: [], issues: [{ kind: 'bad-shape', message: 'frame of an unknown type' }], ownJson: false }
}

const ownJson = (result: DecodeResult): DecodedFrame => ({ messages: result.messages, issues: result.issues, ownJson: true })

function checkDecoded(list: readonly unknown[]): DecodedFrame {
  const messages: PullMessage[] = []
  const issues: CodecIssue[] = []
  list.forEach((item, index) => {
    if (!isPlainObject(item)) {
      issues.push({ kind: 'bad-shape', message: `message ${index} is not an object`, index })
      return
    }
    // The caller's own objects: toMessageBody completes its argument in place, so it gets a copy.
    const text = toMessageBody(isPlainObject(item.text) ? { ...item.text } : item.text)
    if (typeof text === 'string') {
      issues.push({ kind: 'bad-shape', message: `message ${index}: ${text}`, index })
      return
    }
    const message: PullMessage = { mid: typeof item.mid === 'string' && item.mid !== '' ? item.mid : null, text }
    if (typeof item.tag === 'string') message.tag = item.tag
    if (typeof item.time === 'string') message.time = item.time
    messages.push(message)
  })
  return { messages, issues, ownJson: false }
}
