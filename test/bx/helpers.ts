// Shared helpers for the BX bus tests: a fresh, isolated BX per test and a fake "other tab" storage event.
import { createBX, type BXBus, type CreateBXOptions } from '../../src/bx'

export type AnyFn = (...args: any[]) => any

export function makeBX(options?: CreateBXOptions): BXBus {
  return createBX(options)
}

/** A `storage` event as the browser delivers it to *other* tabs of the origin. */
export function storageEvent(key: string | null, newValue: string | null, oldValue: string | null = null): StorageEvent {
  return new StorageEvent('storage', { key, newValue, oldValue })
}

/** `<10-digit unix expiry>:<json>`, the BX.localStorage value format. */
export function lsValue(value: unknown, expiry = Math.round(Date.now() / 1000) + 60): string {
  return `${expiry}:${JSON.stringify(value)}`
}
