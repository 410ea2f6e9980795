// The first steps of the inbound pipeline, as one pure-ish function (it moves the session and logs what it skips):
// a frame → its messages (decodeFrame) → the new ones, through the session's resume position and duplicate filter.
// Routing and delivery come after (deliver.ts); what the frame asks of the connection (ping, replies, answers to
// calls) is handed back as data.

import type { RpcFrameResult } from '../codecs/json-rpc'
import type { PullMessageBody } from '../codecs/types'
import type { IncomingFrame } from '../transports/types'
import { describeError } from './errors'
import { decodeFrame, type FrameCodecs } from './incoming'
import type { PullSession } from './session'
import type { LoggerLike } from './types'

export interface Inbound {
  /** The new messages, in order; duplicates are gone. */
  fresh: PullMessageBody[]
  /** They are the codec's own freshly parsed JSON (not objects a pluggable source handed over). */
  ownJson: boolean
  /** JSON-RPC frames: ping, replies to send after delivery, answers to the client's calls. */
  rpc?: RpcFrameResult
}

const NOTHING: Inbound = { fresh: [], ownJson: false }

/**
 * Decodes `frame` and admits its messages through `session`: the whole batch first (moving the resume position and
 * trimming the duplicate window once, as Bitrix does per batch), delivery after.
 */
export function takeFrame(frame: IncomingFrame, codecs: FrameCodecs, session: PullSession, log: LoggerLike): Inbound {
  let decoded
  try {
    decoded = decodeFrame(frame, codecs)
  } catch (error) {
    // The codecs report instead of throwing; this only guards the loop against a bug in them.
    log.error('Pull: frame could not be decoded', describeError(error))
    return NOTHING
  }
  for (const issue of decoded.issues) {
    if (issue.kind === 'no-frames') log.warn('Pull: response without messages')
    else log.warn(`Pull: skipped ${issue.kind}: ${issue.message}`)
  }
  // Only 1.x text frames carry mids ordered within a server run (session.ts).
  const textFrame = typeof frame === 'string' && decoded.rpc === undefined
  const fresh: PullMessageBody[] = []
  const messages = decoded.messages
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!
    if (!session.admit(message, textFrame)) {
      log.warn(`Duplicate message ${message.mid} skipped`)
      continue
    }
    session.count(message.text.module_id, message.text.command)
    fresh.push(message.text)
  }
  session.trim()
  return { fresh, ownJson: decoded.ownJson, rpc: decoded.rpc }
}
