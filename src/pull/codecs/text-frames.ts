// Text frames of push-server 1.x (and nginx push-stream before it): one payload holds one or more
// `#!NGINXNMS!#<json>#!NGINXNME!#` messages, back to back.

import { toMessageBody } from './body'
import { isPlainObject, type CodecIssue, type DecodeResult, type PullMessage } from './types'

export const FRAME_START = '#!NGINXNMS!#'
export const FRAME_END = '#!NGINXNME!#'

/**
 * Decodes every frame of a text payload (a WebSocket text message or a long-polling 200 body).
 *
 * A frame that is not JSON, or whose envelope or body has the wrong shape, is reported and skipped; the frames
 * after it are still decoded. A payload without any frame yields the issue `no-frames` (Bitrix then clears the
 * resume position, PULL-33; our client keeps it, see session.ts). An empty frame (`#!NGINXNMS!##!NGINXNME!#`) is
 * skipped without an issue, as Bitrix does.
 *
 * Frames are found as Bitrix's lazy regex /#!NGINXNMS!#(.*?)#!NGINXNME!#/gm finds them, with two differences.
 * Bitrix's `.` stops at a line break, so a frame whose spliced body holds a raw newline (a pretty-printed body sent
 * to /bitrix/pub/) is silently lost there; we keep it, JSON.parse accepts the whitespace. And a scan with indexOf
 * stays linear on hostile input: a payload of many start markers without an end marker makes the regex rescan the
 * rest of the payload from every start marker.
 *
 * @example
 * decodeTextFrames('#!NGINXNMS!#{"mid":"1…","text":{"module_id":"im","command":"x","params":{}}}#!NGINXNME!#')
 * // → {messages: [{mid: '1…', text: {module_id: 'im', command: 'x', params: {}, extra: {}}}], issues: []}
 */
export function decodeTextFrames(payload: string): DecodeResult {
  const messages: PullMessage[] = []
  const issues: CodecIssue[] = []
  let index = 0
  for (let from = 0; ; ) {
    const start = payload.indexOf(FRAME_START, from)
    if (start < 0) break
    const end = payload.indexOf(FRAME_END, start + FRAME_START.length)
    // No end marker after this start means none after any later start either.
    if (end < 0) break
    from = end + FRAME_END.length
    const frameIndex = index++
    if (end === start + FRAME_START.length) continue
    const json = payload.slice(start + FRAME_START.length, end)
    let envelope: unknown
    try {
      envelope = JSON.parse(json)
    } catch {
      issues.push({ kind: 'bad-json', message: `frame ${frameIndex} is not JSON (${json.length} chars)`, index: frameIndex })
      continue
    }
    const decoded = toPullMessage(envelope)
    if (typeof decoded === 'string') {
      const mid = isPlainObject(envelope) && typeof envelope.mid === 'string' ? envelope.mid : undefined
      issues.push({ kind: 'bad-shape', message: `frame ${frameIndex}: ${decoded}`, index: frameIndex, ...(mid ? { mid } : {}) })
      continue
    }
    messages.push(decoded)
  }
  if (index === 0) issues.push({ kind: 'no-frames', message: `payload of ${payload.length} chars holds no frame` })
  return { messages, issues }
}

function toPullMessage(envelope: unknown): PullMessage | string {
  if (!isPlainObject(envelope)) return 'envelope is not an object'
  const { mid, id, channel, tag, time } = envelope
  const text = toMessageBody(envelope.text)
  if (typeof text === 'string') return text
  // Bitrix takes `event.mid || null` whatever its type; a number (no real server sends one) is kept as its digits so
  // the duplicate filter can compare it, anything else delivers the message without a mid, as a falsy mid does.
  const message: PullMessage = { mid: typeof mid === 'string' && mid !== '' ? mid : typeof mid === 'number' ? String(mid) : null, text }
  if (typeof id === 'number') message.id = id
  if (typeof channel === 'string') message.channel = channel
  // 1.x sends tag as a string; nginx push-stream sent a number. Either way it goes back as a query parameter.
  if (typeof tag === 'string' || typeof tag === 'number') message.tag = String(tag)
  if (typeof time === 'string') message.time = time
  return message
}

/** What push-server 1.x puts around a published body. `text` is the body exactly as it was published. */
export interface TextFrameFields {
  id: number
  mid: string
  channel: string
  tag: string
  time: string
  /** Spliced in verbatim, unvalidated: a body that is not JSON gives a frame that does not parse, as in 1.x. */
  text: string
}

/**
 * One frame as push-server 1.x (`Connection.stringifyMessage`) writes it: keys in the order id, mid, channel, tag,
 * time, text, no whitespace, `text` spliced without escaping.
 *
 * @example
 * encodeTextFrame({id: 1, mid: '17954246100000000000000001', channel: 'ec36…', tag: '643',
 *   time: 'Mon, 23 Nov 2026 09:03:30 GMT', text: '{"module_id":"test","command":"ping","params":{}}'})
 */
export function encodeTextFrame(fields: TextFrameFields): string {
  // Plain concatenation, never String#replace: a body containing `$&` or `$1` must come out unchanged.
  const head = JSON.stringify({ id: fields.id, mid: fields.mid, channel: fields.channel, tag: fields.tag, time: fields.time })
  return FRAME_START + head.slice(0, -1) + ',"text":' + fields.text + '}' + FRAME_END
}
