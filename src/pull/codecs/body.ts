// Checks a parsed message body and gives it the PullMessageBody shape. Shared by all three codecs so that a body
// is accepted or refused the same way whatever the wire.

import { isPlainObject, type PullMessageBody, type PullSender } from './types'

/**
 * The body as a PullMessageBody, or a reason why it is not one.
 *
 * Bitrix's client passes `params` on exactly as published (an object, a string, a number, a PHP list, `null`, or
 * nothing) and turns only a falsy `extra` into `{}` (B.3); so do we. Only a body Bitrix cannot route at all is
 * refused: one that is not an object, or whose `module_id` is not a string (Bitrix throws on `toLowerCase()` there and
 * loses the rest of the frame; we lose that message alone).
 * `value` must be JSON the codec parsed itself: it is completed in place.
 */
export function toMessageBody(value: unknown): PullMessageBody | string {
  if (!isPlainObject(value)) return 'body is not an object'
  if (typeof value.module_id !== 'string') return 'body has no module_id'
  if (!value.extra) value.extra = {}
  return value as PullMessageBody
}

/**
 * `extra.sender = sender`, as the protobuf and JSON-RPC paths of Bitrix's client do. Bitrix's assignment throws in
 * strict code when `extra` is a string or a number (and loses the message, or on protobuf the whole frame); such an
 * `extra` is replaced by `{}` here so the message is still delivered.
 */
export function setSender(body: PullMessageBody, sender: PullSender | unknown): void {
  if (typeof body.extra !== 'object' || body.extra === null) body.extra = {}
  body.extra.sender = sender as PullSender
}
