// Deep clone with the semantics of Bitrix's `Runtime.clone` (what `secureParams === true` uses): plain objects keep
// their prototype, arrays/Map/Set/Date/RegExp are copied, DOM nodes are cloneNode(true)'d, cycles and shared
// references are preserved, and anything else (functions, class instances with other tags) is passed through.

const CLONEABLE = /^\[object (Object|Array|RegExp|Arguments|Date|Error|Map|Set|ArrayBuffer|DataView|\w+Array)\]$/

function copy(value: any, seen: WeakMap<object, unknown>): any {
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return seen.get(value)
  if (typeof value.nodeType === 'number' && typeof value.cloneNode === 'function') return value.cloneNode(true)
  if (!CLONEABLE.test(Object.prototype.toString.call(value))) return value
  if (value instanceof Date) return new Date(value.getTime())
  if (value instanceof RegExp) {
    const out = new RegExp(value.source, value.flags)
    out.lastIndex = value.lastIndex
    return out
  }
  const isMap = value instanceof Map
  const out = Array.isArray(value) ? new Array(value.length) : isMap ? new Map() : value instanceof Set ? new Set() : Object.create(Object.getPrototypeOf(value))
  seen.set(value, out)
  if (isMap) value.forEach((item: unknown, key: unknown) => out.set(copy(key, seen), copy(item, seen)))
  else if (out instanceof Set) value.forEach((item: unknown) => out.add(copy(item, seen)))
  else {
    // Plain objects, arrays, arguments, errors, buffers: own enumerable keys. A key named "__proto__" becomes an own
    // data property, so a hostile payload cannot swap the clone's prototype (Bitrix's Object.assign would).
    for (const key of Object.keys(value)) {
      const item = copy(value[key], seen)
      if (key !== '__proto__') out[key] = item
      else Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
    }
  }
  return out
}

/** A deep copy of `value`, as Bitrix's `BX.clone` / `Runtime.clone` makes it. */
export function clone<T>(value: T): T {
  return copy(value, new WeakMap())
}
