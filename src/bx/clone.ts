// Deep clone with the semantics of Bitrix's `Runtime.clone` (what `secureParams === true` uses): plain objects keep
// their prototype, arrays/Map/Set/Date/RegExp/typed arrays are copied, DOM nodes are cloneNode(true)'d, cycles and
// shared references are preserved, and anything else (functions, class instances with other tags) is passed through.

const CLONEABLE = new Set([
  '[object Object]', '[object Array]', '[object RegExp]', '[object Arguments]', '[object Date]', '[object Error]',
  '[object Map]', '[object Set]', '[object ArrayBuffer]', '[object DataView]', '[object Float32Array]',
  '[object Float64Array]', '[object Int8Array]', '[object Int16Array]', '[object Int32Array]', '[object Uint8Array]',
  '[object Uint16Array]', '[object Uint32Array]', '[object Uint8ClampedArray]',
])

function isDomNode(value: object): value is Node {
  return typeof (value as Node).nodeType === 'number' && typeof (value as Node).cloneNode === 'function'
}

function copy(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return seen.get(value)
  if (isDomNode(value)) return value.cloneNode(true)
  const tag = Object.prototype.toString.call(value)
  if (!CLONEABLE.has(tag)) return value

  if (Array.isArray(value)) {
    const out: unknown[] = Array.from(value)
    seen.set(value, out)
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], seen)
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
  if (value instanceof Date) return new Date(value.getTime())
  if (value instanceof RegExp) {
    const out = new RegExp(value.source, value.flags)
    out.lastIndex = value.lastIndex
    return out
  }
  // Plain objects, arguments, errors, buffers: same prototype, own enumerable keys cloned. Assigning through the
  // result (not defineProperty) is what Bitrix does; a key named "__proto__" is copied as an own data property so a
  // hostile payload cannot swap the clone's prototype.
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>
  seen.set(value, out)
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key], seen)
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
    else out[key] = item
  }
  return out
}

/** A deep copy of `value`, as Bitrix's `BX.clone` / `Runtime.clone` makes it. */
export function clone<T>(value: T): T {
  return copy(value, new WeakMap()) as T
}
