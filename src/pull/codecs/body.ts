// Checks a parsed message body and gives it the PullMessageBody shape. Shared by all three codecs so that a body
// is accepted or refused the same way whatever the wire.

import { isPlainObject, type PullMessageBody } from './types'

/**
 * The body as a PullMessageBody, or a reason why it is not one.
 *
 * Bitrix's client would call `module_id.toLowerCase()` on anything and lose the message inside its per-message
 * try/catch; we refuse such a body up front with the same outcome (skipped, later messages unaffected).
 * `params`/`extra` may be missing, `null` or `[]`: PHP's `json_encode` writes an empty array as `[]`, and the
 * client defaults a missing `extra` to `{}` (B.3). We default `params` the same way so handlers always get an object.
 * `value` must be JSON the codec parsed itself: it is completed in place.
 */
export function toMessageBody(value: unknown): PullMessageBody | string {
  if (!isPlainObject(value)) return 'body is not an object'
  if (typeof value.module_id !== 'string' || value.module_id === '') return 'body has no module_id'
  if (typeof value.command !== 'string') return 'body has no command'
  const params = emptyToObject(value.params)
  if (params === undefined) return 'body params is not an object'
  const extra = emptyToObject(value.extra)
  if (extra === undefined) return 'body extra is not an object'
  // The value is the codec's own freshly parsed JSON, never the caller's: completing it in place saves a copy of
  // every message on the hot path.
  value.params = params
  value.extra = extra
  return value as PullMessageBody
}

function emptyToObject(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return {}
  if (Array.isArray(value)) return value.length === 0 ? {} : undefined
  return isPlainObject(value) ? value : undefined
}
