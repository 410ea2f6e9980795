// Helpers that keep wire data from reaching Object.prototype: options maps have no prototype, and keys taken from
// replies or user containers are defined, never assigned (an assigned '__proto__' would swap the prototype).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function hasOwn(target: unknown, key: PropertyKey): boolean {
  return typeof target === 'object' && target !== null && Object.prototype.hasOwnProperty.call(target, key)
}

export function defineValue(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

/**
 * A prototype-less copy of a PHP-encoded options map. PHP sends an empty map as `[]` (spec §2.5), so arrays are
 * copied by index like objects; anything else gives an empty map.
 */
export function optionsMap(source: unknown): Record<string, unknown> {
  const map = Object.create(null) as Record<string, unknown>
  if (typeof source === 'object' && source !== null) {
    for (const key of Object.keys(source)) defineValue(map, key, (source as Record<string, unknown>)[key])
  }
  return map
}
