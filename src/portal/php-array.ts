// PHP's ordered array, used where key order and the list-vs-object JSON shape matter: form decoding and the batch
// result buckets. PHP encodes an array as a JSON list only when its keys are exactly 0..n-1 in insertion order; an
// empty array is `[]`. JS objects cannot keep integer keys in insertion order, hence this small Map wrapper.

import { createObject, type Plain } from './values'

export type PhpValue = Plain | PhpArray

export class PhpArray {
  readonly entries = new Map<string, PhpValue>()
  private nextIndex = 0

  /** `$a[] = v`: PHP appends at one past the largest integer key seen so far. */
  push(value: PhpValue): void {
    this.entries.set(String(this.nextIndex), value)
    this.nextIndex++
  }

  set(key: string, value: PhpValue): void {
    const k = canonicalKey(key)
    if (typeof k === 'number' && k >= this.nextIndex) this.nextIndex = k + 1
    this.entries.set(String(k), value)
  }

  get(key: string): PhpValue | undefined {
    return this.entries.get(String(canonicalKey(key)))
  }

  get size(): number {
    return this.entries.size
  }

  isList(): boolean {
    let i = 0
    for (const k of this.entries.keys()) if (k !== String(i++)) return false
    return true
  }
}

/** PHP turns decimal-integer strings ('5', '-3', not '05' or '5.0') into integer keys. */
export function canonicalKey(key: string): string | number {
  if (/^(0|-?[1-9]\d{0,15})$/.test(key)) {
    const n = Number(key)
    if (Number.isSafeInteger(n)) return n
  }
  return key
}

/** Convert to the handler-facing model: lists become arrays, anything else a null-prototype object. */
export function phpToPlain(value: PhpValue): Plain {
  if (!(value instanceof PhpArray)) return value
  if (value.isList()) return [...value.entries.values()].map(phpToPlain)
  const out = createObject()
  for (const [k, v] of value.entries) out[k] = phpToPlain(v)
  return out
}

/** JSON text with PHP's array shape rules and key order. Other values go through JSON.stringify as usual. */
export function encodeJson(value: unknown): string {
  if (value instanceof PhpArray) {
    if (value.isList()) return '[' + [...value.entries.values()].map(encodeJson).join(',') + ']'
    const parts: string[] = []
    for (const [k, v] of value.entries) parts.push(JSON.stringify(k) + ':' + encodeJson(v))
    return '{' + parts.join(',') + '}'
  }
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : encodeJson(v))).join(',') + ']'
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const parts: string[] = []
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined && typeof v !== 'function') parts.push(JSON.stringify(k) + ':' + encodeJson(v))
    }
    return '{' + parts.join(',') + '}'
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
  return JSON.stringify(value) ?? 'null'
}
