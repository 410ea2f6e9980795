// Wire data meets String() in a few places (a command as a subscription key, a revision, a channel's end date). JSON
// can carry an object whose own "toString" and "valueOf" are data, not functions; String() of that throws, and so
// does String() of an array holding one. A value from the wire is turned into text here, or into nothing.

/** `String(value)`, or undefined where String() would throw. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  try {
    return String(value)
  } catch {
    return undefined
  }
}
