// What happens to a frame between the transport and the dispatcher (B.6): decode, log what was skipped, move the
// session, drop duplicates, then hand each message on. JSON-RPC frames also carry pings, replies and answers.

import type { PullMessage, RpcResponse } from '../codecs'
import type { IncomingFrame } from '../transports/types'
import { decodeFrame } from './incoming'
import type { PullSession } from './session'
import type { LoggerLike } from './types'

export interface ReceiverHost {
  session: PullSession
  log: LoggerLike
  jsonRpc(): boolean
  /** `ownJson`: the message is a codec's freshly parsed JSON (not objects a pluggable source handed over). */
  dispatch(message: PullMessage['text'], ownJson: boolean): void
  /** A JSON-RPC `ping` arrived: re-arm the watchdog. */
  onPing(): void
  onRpcResponse(response: RpcResponse): void
  /** Text frames to send back (`pong`, `mack:<mid>`). */
  send(frame: string): void
}

export function receiveFrame(host: ReceiverHost, frame: IncomingFrame): void {
  let decoded
  try {
    decoded = decodeFrame(frame, host.jsonRpc())
  } catch (error) {
    // The codecs report instead of throwing; this only guards the loop against a bug in them.
    host.log.error('Pull: frame could not be decoded', error instanceof Error ? error.message : String(error))
    return
  }
  for (const issue of decoded.issues) {
    if (issue.kind === 'no-frames') host.log.warn('Pull: response without messages')
    else host.log.warn(`Pull: skipped ${issue.kind}: ${issue.message}`)
  }
  const rpc = decoded.rpc
  if (rpc) {
    if (rpc.ping) host.onPing()
    for (const response of rpc.responses) host.onRpcResponse(response)
    receiveRpcMessages(host, decoded.messages, decoded.ownJson)
    for (const reply of rpc.replies) host.send(reply)
    return
  }
  if (decoded.messages.length === 0) {
    // Bitrix: a response with no message resets the resume point; a readable envelope around a bad body moves it.
    const lastMid = [...decoded.issues].reverse().find((issue) => issue.mid)?.mid
    host.session.mid = lastMid ?? null
    return
  }
  receiveEvents(host, decoded.messages, decoded.ownJson)
}

/** Text and protobuf: the session follows every event, duplicates are dropped, the id list is trimmed per batch. */
function receiveEvents(host: ReceiverHost, events: PullMessage[], ownJson: boolean): void {
  const messages: PullMessage['text'][] = []
  for (const event of events) {
    host.session.moveTo(event)
    if (event.mid && host.session.isDuplicate(event.mid)) {
      host.log.warn(`Duplicate message ${event.mid} skipped`)
      continue
    }
    host.session.count(event.text.module_id, event.text.command)
    messages.push(event.text)
  }
  host.session.trim()
  for (const message of messages) host.dispatch(message, ownJson)
}

/** v5: the session follows every mid (duplicates too), then dedupe and broadcast, one message at a time. */
function receiveRpcMessages(host: ReceiverHost, events: PullMessage[], ownJson: boolean): void {
  for (const event of events) {
    host.session.mid = event.mid
    if (event.mid && host.session.isDuplicate(event.mid)) {
      host.log.warn(`Duplicate message ${event.mid} skipped`)
      continue
    }
    host.session.count(event.text.module_id, event.text.command)
    host.dispatch(event.text, ownJson)
  }
  host.session.trim()
}
