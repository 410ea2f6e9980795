// The few predicates of Bitrix's main.core `Type` that the bus relies on, with the same meaning.

export type AnyFunction = (...args: any[]) => unknown

/** Bitrix's `Type.isObject`: any object or function, not null. */
export const isObject = (value: unknown): value is object =>
  !!value && (typeof value === 'object' || typeof value === 'function')

export const isFunction = (value: unknown): value is AnyFunction => typeof value === 'function'

export const isStringFilled = (value: unknown): value is string => typeof value === 'string' && value !== ''

/** Bitrix's `Type.isArrayLike`: not nil, not a function, with a valid `length`. */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  const length = value == null || typeof value === 'function' ? -1 : (value as { length?: unknown }).length
  return typeof length === 'number' && length > -1 && length % 1 === 0 && length <= Number.MAX_SAFE_INTEGER
}

const objectSource = Function.prototype.toString.call(Object)

/** Bitrix's `Type.isPlainObject`: an object whose prototype is null or Object.prototype (of any realm). */
export function isPlainObject(value: unknown): value is Record<string, any> {
  if (Object.prototype.toString.call(value) !== '[object Object]') return false
  const proto = Object.getPrototypeOf(value)
  return proto === null || (Object.prototype.hasOwnProperty.call(proto, 'constructor') && Function.prototype.toString.call(proto.constructor) === objectSource)
}
