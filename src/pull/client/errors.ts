// How the client writes an error to the console: without the payload it may carry (REST answers hold tokens).

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  if (isPlainObject(error) && isPlainObject(error.ex)) return String(error.ex.error)
  return typeof error === 'string' ? error : Object.prototype.toString.call(error)
}
