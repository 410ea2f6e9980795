// The value model every REST handler sees. Form bodies and JSON bodies both end up here, so handlers never care how
// the client encoded its request. Objects are null-prototype so hostile keys (`__proto__`, `constructor`) are plain
// data and can never reach Object.prototype.

export type Plain = string | number | boolean | null | Plain[] | PlainObject
export interface PlainObject {
  [key: string]: Plain
}

export function createObject(): PlainObject {
  return Object.create(null) as PlainObject
}

export function isObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Own-property read that ignores inherited members, whatever the object's prototype. */
export function own(obj: PlainObject, key: string): Plain | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined
}

/** Case-insensitive lookup: Bitrix methods mostly accept `FILTER`, `filter` and `Filter` alike. */
export function pick(obj: PlainObject, key: string): Plain | undefined {
  const exact = own(obj, key)
  if (exact !== undefined) return exact
  const lower = key.toLowerCase()
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k]
  return undefined
}

/** PHP's truthiness, which is what the server applies to flags such as `halt`: '' and '0' are false, 'false' is true. */
export function phpTruthy(value: Plain | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === '0' || value === 0) return false
  if (Array.isArray(value)) return value.length > 0
  if (isObject(value)) return Object.keys(value).length > 0
  return true
}

/** PHP string conversion of a scalar; arrays become the literal 'Array' as in PHP. */
export function phpString(value: Plain | undefined): string {
  if (value === undefined || value === null || value === false) return ''
  if (value === true) return '1'
  if (typeof value === 'object') return 'Array'
  return String(value)
}

/** Integer parse with PHP's intval leniency ('12abc' → 12, 'x' → 0). */
export function phpInt(value: Plain | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value !== 'string') return 0
  const m = /^\s*([+-]?\d+)/.exec(value)
  return m ? Number.parseInt(m[1]!, 10) : 0
}

/** Lists as PHP sees them: a JS array, or an object whose keys are 0..n-1 in order. */
export function asList(value: Plain | undefined): Plain[] | null {
  if (Array.isArray(value)) return value
  if (isObject(value)) return Object.values(value)
  return null
}

/** Deep copy into null-prototype objects (seed data and JSON bodies come from untrusted or shared sources). */
export function toPlain(value: unknown, depth = 0): Plain {
  if (depth > 512) throw new RangeError('nesting too deep')
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1))
  if (typeof value === 'object') {
    const out = createObject()
    for (const k of Object.keys(value)) out[k] = toPlain((value as Record<string, unknown>)[k], depth + 1)
    return out
  }
  return String(value)
}

/** PHP's array_change_key_case(CASE_UPPER): keys upper-cased, a later key wins over an earlier one that collides. */
export function upperKeys(params: PlainObject): PlainObject {
  const out = createObject()
  for (const k of Object.keys(params)) out[k.toUpperCase()] = params[k]!
  return out
}

/** array_change_key_case(CASE_LOWER). */
export function lowerKeys(params: PlainObject): PlainObject {
  const out = createObject()
  for (const k of Object.keys(params)) out[k.toLowerCase()] = params[k]!
  return out
}
