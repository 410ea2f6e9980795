// Deep clone with the semantics of Bitrix's `Runtime.clone` (what `secureParams === true` uses): plain objects keep
// their prototype, arrays/Map/Set/Date/RegExp are copied, DOM nodes are cloneNode(true)'d, cycles and shared
// references are preserved, and anything else (functions, class instances with other tags) is passed through.
// The clone runs once per handler for every secureParams event (the Pull client's), so plain arrays and objects
// take a short path and the seen-map is a Map (a WeakMap per call costs more than the clone of a small payload).

const CLONEABLE = /^\[object (Object|Array|RegExp|Arguments|Date|Error|Map|Set|ArrayBuffer|DataView|\w+Array)\]$/
const objectProto = Object.prototype

function copyKeys(value: any, out: any, seen: Map<object, unknown>): any {
  seen.set(value, out)
  for (const key of Object.keys(value)) {
    const item = copy(value[key], seen)
    // A key named "__proto__" becomes an own data property, so a hostile payload cannot swap the clone's
    // prototype (Bitrix's Object.assign would).
    if (key !== '__proto__') out[key] = item
    else Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
  }
  return out
}

function copy(value: any, seen: Map<object, unknown>): any {
  if (value === null || typeof value !== 'object') return value
  const known = seen.get(value)
  if (known !== undefined) return known
  if (Array.isArray(value)) return copyKeys(value, new Array(value.length), seen)
  const proto = Object.getPrototypeOf(value)
  if (proto === objectProto && !(Symbol.toStringTag in value)) return copyKeys(value, {}, seen)

  if (typeof value.nodeType === 'number' && typeof value.cloneNode === 'function') return value.cloneNode(true)
  if (!CLONEABLE.test(objectProto.toString.call(value))) return value
  if (value instanceof Date) return new Date(value.getTime())
  if (value instanceof RegExp) {
    const out = new RegExp(value.source, value.flags)
    out.lastIndex = value.lastIndex
    return out
  }
  if (value instanceof Map) {
    const out = new Map()
    seen.set(value, out)
    value.forEach((item, key) => out.set(copy(key, seen), copy(item, seen)))
    return out
  }
  if (value instanceof Set) {
    const out = new Set()
    seen.set(value, out)
    value.forEach((item) => out.add(copy(item, seen)))
    return out
  }
  // Arguments, errors, buffers, objects of other realms: same prototype, own enumerable keys.
  return copyKeys(value, Object.create(proto), seen)
}

/** A deep copy of `value`, as Bitrix's `BX.clone` / `Runtime.clone` makes it. */
export function clone<T>(value: T): T {
  return value === null || typeof value !== 'object' ? value : copy(value, new Map())
}
