// What the live log keeps of a request's params or a pull message's body: a small copy that is always safe to
// serialise. A log that kept the value itself would hold every 7 MB body it saw, and a 20,000-deep one would make
// the next JSON.stringify of the log (a new page's /dev/events) throw. Browser-safe: the static demo logs this way too.

const MAX_DEPTH = 6
const MAX_ITEMS = 40
const MAX_STRING = 300
/** Characters of strings and keys one preview may hold in all; what is left after that becomes '…'. */
const BUDGET = 4000

/**
 * A JSON-safe copy of `value`, cut at 6 levels, 40 items or keys per level, 300 characters per string and about
 * 4,000 characters in all (so a wide, nested value cannot multiply into megabytes).
 */
export function logPreview(value: unknown): unknown {
  const budget = { left: BUDGET }
  return copy(value, 0, budget)
}

function copy(value: unknown, depth: number, budget: { left: number }): unknown {
  if (budget.left <= 0) return '…'
  if (typeof value === 'string') {
    const text = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
    budget.left -= text.length
    return text
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
  if (typeof value !== 'object') return value === undefined ? null : String(value)
  if (depth >= MAX_DEPTH) return '…'
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => copy(item, depth + 1, budget))
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`)
    return items
  }
  // Null prototype: a `__proto__` key stays a plain key of the copy.
  const out: Record<string, unknown> = Object.create(null)
  const keys = Object.keys(value)
  for (const key of keys.slice(0, MAX_ITEMS)) {
    budget.left -= key.length
    out[key] = copy((value as Record<string, unknown>)[key], depth + 1, budget)
  }
  if (keys.length > MAX_ITEMS) out['…'] = `${keys.length - MAX_ITEMS} more keys`
  return out
}
