// BX.PullClient.StorageManager: JSON values in localStorage under `bx-pull-<userId>-<siteId>-<name>`, the keys other
// tabs and Bitrix's own client share (B.4, B.7). Storage is injected; a storage that is missing or throws (Safari
// private mode, a full quota, a sandboxed iframe) degrades to "nothing cached" instead of breaking start().

import type { StorageLike } from './types'

export interface StorageManagerParams {
  userId?: number | string
  siteId?: string
  storage?: StorageLike | null
}

function defaultStorage(): StorageLike | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null
  } catch {
    // Reading window.localStorage itself throws in sandboxed iframes without allow-same-origin.
    return null
  }
}

export class StorageManager {
  readonly userId: number
  readonly siteId: string
  private readonly storage: StorageLike | null

  constructor(params: StorageManagerParams = {}) {
    this.userId = params.userId ? Number.parseInt(String(params.userId), 10) || 0 : 0
    this.siteId = params.siteId ?? 'none'
    this.storage = params.storage === undefined ? defaultStorage() : params.storage
  }

  /** Stores `value` as JSON (a string is stored as is, as Bitrix does). Throws what the storage throws. */
  set(name: string, value: unknown): void {
    if (!this.storage) return
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    this.storage.setItem(this.getKey(name), text)
  }

  /** The parsed value, or `defaultValue` when absent or not JSON (another tab or an extension may have written it). */
  get<T = unknown>(name: string, defaultValue: T | null = null): T | unknown {
    if (!this.storage) return defaultValue
    let text: string | null
    try {
      text = this.storage.getItem(this.getKey(name))
    } catch {
      return defaultValue
    }
    if (text === null) return defaultValue
    try {
      return JSON.parse(text) as unknown
    } catch {
      return defaultValue
    }
  }

  remove(name: string): void {
    if (!this.storage) return
    try {
      this.storage.removeItem(this.getKey(name))
    } catch {
      // Nothing to undo: a storage that cannot remove also could not have served the value.
    }
  }

  getKey(name: string): string {
    return `bx-pull-${this.userId}-${this.siteId}-${name}`
  }

  compareKey(eventKey: string, userKey: string): boolean {
    return eventKey === this.getKey(userKey)
  }
}
