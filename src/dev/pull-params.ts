// The argument parsing of pull.application.event.add (Bitrix\Pull\Rest::applicationEventAdd): who receives the event
// (USER_ID) and its PARAMS, which may arrive as a JSON string (the documented `'{"param1":"value1"}'`).

export type PullTarget = { kind: 'shared' } | { kind: 'users'; ids: number[] } | { kind: 'forbidden' }

function json(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** PHP's intval of a scalar: leading digits, else 0. */
function intval(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0
  if (typeof value === 'boolean') return value ? 1 : 0
  const m = /^\s*([+-]?\d+)/.exec(typeof value === 'string' ? value : '')
  return m ? Number(m[1]) : 0
}

/**
 * An admin names any users: a list (or a JSON list in a string) gives their private channels, duplicates and
 * non-positive ids dropped (an empty list reaches nobody); a single id of 0, or none, is the shared channel.
 * A user may name only themself, and only as a string: Bitrix compares with `===` against the session's string id,
 * so the number 577 or the list ["577"] is USER_ID_ACCESS_ERROR.
 */
export function pullTarget(userId: unknown, self: number, isAdmin: boolean): PullTarget {
  if (!isAdmin) {
    if (userId === undefined || userId === null) return { kind: 'shared' }
    return userId === String(self) ? { kind: 'users', ids: [self] } : { kind: 'forbidden' }
  }
  let value = userId
  if (typeof value === 'string') {
    const parsed = json(value)
    if (parsed.ok) value = parsed.value
  }
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const ids = [...new Set(Object.values(value).map(intval).filter((id) => id > 0))]
    return { kind: 'users', ids }
  }
  const id = intval(value)
  return id > 0 ? { kind: 'users', ids: [id] } : { kind: 'shared' }
}

/**
 * PARAMS as the event's params: an array/object as is; a string is decoded as JSON and must give an array or object
 * (an empty string gives [], as CUtil::JsObjectToPhp does). Absent: []. Anything else is undefined (PARAMS_ERROR).
 */
export function parsePullParams(params: unknown): Record<string, unknown> | unknown[] | undefined {
  if (params === undefined || params === null) return []
  let value: unknown = params
  if (typeof value === 'string') {
    if (value.trim() === '') return []
    const parsed = json(value)
    if (!parsed.ok) return undefined
    value = parsed.value
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown> | unknown[]) : undefined
}
