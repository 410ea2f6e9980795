// BX.localStorage and BX.onGlobalCustomEvent (spec A.5), wire-compatible with Bitrix's core_ls.js and main.core's
// LocalStorage: keys `bx<USER_ID>-<SITE_ID|admin>-<key>`, values `<10-digit unix expiry>:<json>`, and a `storage`
// listener that turns other tabs' writes into BX events. A tab with the shim and a tab with Bitrix's core therefore
// hear each other's global events.

import type { CustomEvents } from './custom-events'
import type { MessageFunction } from './message'

export interface BXLocalStorage {
  set(key: string, value: unknown, ttlSeconds?: number): void
  get(key: string): unknown
  remove(key: string): void
}

export interface GlobalEvents {
  localStorage: BXLocalStorage
  /**
   * Raises `eventName` in every other tab of this origin (through localStorage, 1 s TTL) and, unless `skipSelf`,
   * in this one.
   * @example BX.onGlobalCustomEvent('onChatRead', [{ chatId: 7 }])
   */
  onGlobalCustomEvent(eventName: string, eventParams?: unknown, skipSelf?: boolean): void
  /** Stops listening to `storage` events. */
  detach(): void
}

function decode(value: string | null): unknown {
  // "<10-digit expiry>:" comes first; anything shorter has no value at all (core_ls.js decodes '' to null).
  const text = value ? value.substring(11) : ''
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function createGlobalEvents(win: Window | undefined, events: CustomEvents, message: MessageFunction): GlobalEvents {
  const storage = (() => {
    try {
      return win?.localStorage ?? null
    } catch {
      return null // a sandboxed frame throws on access
    }
  })()
  // Computed at each use, not cached: the page may set USER_ID/SITE_ID with BX.message after the shim loads.
  const prefix = () => `bx${message('USER_ID')}-${message('SITE_ID') || 'admin'}-`

  const localStorage: BXLocalStorage = {
    set(key, value, ttl) {
      if (!storage || key === undefined || key === null || value === undefined || value === null) return
      const seconds = !ttl || ttl <= 0 ? 60 : ttl
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
      try {
        storage.setItem(prefix() + key, `${Math.round(Date.now() / 1000) + seconds}:${text}`)
      } catch (error) {
        events.onCustomEvent(localStorage, 'onLocalStorageError', [error, { key, value, ttl: seconds }])
      }
    },
    get(key) {
      const stored = storage?.getItem(prefix() + key)
      // A value without a numeric expiry (NaN) is never fresh, as in Bitrix.
      if (!stored || !(Date.now() <= Number(stored.split(':', 1)[0]) * 1000)) return null
      return decode(stored)
    },
    remove(key) {
      storage?.removeItem(prefix() + key)
    },
  }

  function onStorage(event: StorageEvent): void {
    const own = prefix()
    if (typeof event.key !== 'string' || !event.key.startsWith(own)) return
    const data = { key: event.key.substring(own.length), value: decode(event.newValue), oldValue: decode(event.oldValue) }
    if (data.key === 'BXGCE') {
      const value = data.value as { e?: unknown; p?: unknown } | null
      // Another tab's payload: a malformed one is dropped, it must not throw inside the storage listener.
      if (value && typeof value === 'object' && typeof value.e === 'string') events.onCustomEvent(value.e, value.p)
      return
    }
    if (event.newValue) events.onCustomEvent(win as object, 'onLocalStorageSet', [data])
    if (event.oldValue && !event.newValue) events.onCustomEvent(win as object, 'onLocalStorageRemove', [data])
    events.onCustomEvent(win as object, 'onLocalStorageChange', [data])
  }

  win?.addEventListener?.('storage', onStorage)

  return {
    localStorage,
    onGlobalCustomEvent(eventName, eventParams, skipSelf) {
      if (storage) localStorage.set('BXGCE', { e: eventName, p: eventParams }, 1)
      if (!skipSelf) events.onCustomEvent(eventName, eventParams)
    },
    detach() {
      win?.removeEventListener?.('storage', onStorage)
    },
  }
}
