// The few predicates of Bitrix's main.core `Type` that the bus relies on, with the same meaning.

export type AnyFunction = (...args: any[]) => unknown

/** Bitrix's `Type.isObject`: any object or function, not null. */
export function isObject(value: unknown): value is object {
  return !!value && (typeof value === 'object' || typeof value === 'function')
}

export function isFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function'
}

export function isStringFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/** Bitrix's `Type.isArrayLike`: not nil, not a function, with a valid `length`. */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (value === null || value === undefined || typeof value === 'function') return false
  const length = (value as { length?: unknown }).length
  return typeof length === 'number' && length > -1 && length % 1 === 0 && length <= Number.MAX_SAFE_INTEGER
}

/** Bitrix's `Type.isPlainObject`: an object whose prototype is null or Object.prototype (of any realm). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || Object.prototype.toString.call(value) !== '[object Object]') return false
  const proto = Object.getPrototypeOf(value)
  if (proto === null) return true
  const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor
  return typeof ctor === 'function' && Function.prototype.toString.call(ctor) === Function.prototype.toString.call(Object)
}
