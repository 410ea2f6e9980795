// The first step of the inbound pipeline: whatever a transport delivered becomes pull messages. The codec is chosen
// by frame type and server version; messages a pluggable source handed over already decoded are checked again,
// since they passed through no codec. Pure: nothing here logs, moves the session or raises anything.

import { toMessageBody } from '../codecs/body'
import { decodeRpcFrame, type RpcFrameResult } from '../codecs/json-rpc'
import { decodeTextFrames } from '../codecs/text-frames'
import { isPlainObject, type CodecIssue, type DecodeResult, type ProtobufCodec, type PullMessage } from '../codecs/types'
import type { IncomingFrame } from '../transports/types'
import { MAX_FRAME_LENGTH } from './constants'

export interface DecodedFrame {
  messages: PullMessage[]
  issues: CodecIssue[]
  /** The messages are the codec's own freshly parsed JSON: false for objects a pluggable source handed over. */
  ownJson: boolean
  /** Set for JSON-RPC text frames: ping, replies to send, responses to match. */
  rpc?: RpcFrameResult
}

export interface FrameCodecs {
  /** v5: text frames are JSON-RPC. */
  jsonRpc: boolean
  /** v4 binary frames; null when the client was built without protobuf. */
  protobuf: ProtobufCodec | null
}

export function decodeFrame(frame: IncomingFrame, codecs: FrameCodecs): DecodedFrame {
  if (typeof frame === 'string') {
    if (frame.length > MAX_FRAME_LENGTH) return tooLarge(frame.length)
    if (codecs.jsonRpc) {
      const rpc = decodeRpcFrame(frame)
      return { messages: rpc.messages, issues: rpc.issues, ownJson: true, rpc }
    }
    return own(decodeTextFrames(frame))
  }
  if (frame instanceof ArrayBuffer || frame instanceof Uint8Array) {
    if (frame.byteLength > MAX_FRAME_LENGTH) return tooLarge(frame.byteLength)
    if (!codecs.protobuf) return refused('a binary frame, and no protobuf codec is plugged in')
    return own(codecs.protobuf.decode(frame instanceof Uint8Array ? frame : new Uint8Array(frame)))
  }
  if (Array.isArray(frame)) return checkDecoded(frame)
  return refused('frame of an unknown type')
}

const own = (result: DecodeResult): DecodedFrame => ({ messages: result.messages, issues: result.issues, ownJson: true })

const refused = (message: string): DecodedFrame => ({ messages: [], issues: [{ kind: 'bad-shape', message }], ownJson: false })

const tooLarge = (length: number): DecodedFrame =>
  ({ messages: [], issues: [{ kind: 'too-large', message: `frame of ${length} over the ${MAX_FRAME_LENGTH} cap skipped` }], ownJson: false })

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
