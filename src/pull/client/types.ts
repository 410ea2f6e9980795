// The typed shapes the client works with: the config as `pull.config.get` returns it (B.4), and the small
// interfaces through which everything platform-specific is injected (BX bus, REST, storage, clock, window).

export interface PullChannel {
  id: string
  public_id?: string
  start?: string
  end?: string
  type?: string
}

export interface PullServerConfig {
  version?: number
  server_enabled?: boolean
  mode?: string
  long_polling?: string
  /** Misspelt on the wire and kept so (B.4). */
  long_pooling_secure?: string
  websocket_enabled?: boolean
  websocket?: string
  websocket_secure?: string
  publish_enabled?: boolean
  publish?: string
  publish_secure?: string
  config_timestamp?: number | string
  /** Seconds the client clock is ahead of the server's; the client adds it from `serverTime` (B.4). */
  timeShift?: number
  [key: string]: unknown
}

export interface PublicChannelEntry {
  user_id: number | string
  public_id: string
  signature: string
  start?: string
  end?: string
}

export interface PullConfig {
  server: PullServerConfig
  api?: { revision_web?: number; revision_mobile?: number }
  channels: { private?: PullChannel; shared?: PullChannel; [type: string]: PullChannel | undefined }
  publicChannels?: Record<string, PublicChannelEntry>
  clientId?: string | null
  jwt?: string | null
  exp?: number
  /** Read by start() and deleted (B.2). */
  skipReconnectToLastSession?: boolean
  [key: string]: unknown
}

/** The part of BX that the client uses, so it works over the shim's bus and over Bitrix's own `BX` alike. */
export interface BXEventsLike {
  onCustomEvent(target: object, eventName: string, params?: unknown, secureParams?: boolean): void
  addCustomEvent(target: object | string, eventName: unknown, handler?: unknown): void
  removeCustomEvent(target: object | string, eventName: unknown, handler?: unknown): void
}

/** What BX24.callMethod without a callback resolves with (bx24 spec §4.8), and what BX.rest gives too. */
export interface RestResultLike {
  data(): unknown
  error(): unknown
  answer?: unknown
  status?: number
}

export interface RestClientLike {
  callMethod(method: string, params?: Record<string, unknown>): PromiseLike<RestResultLike> | unknown
}

/** `localStorage`'s three methods; anything that throws is caught and logged. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export type TimerId = unknown

/** Time and timers, injected so tests run on a fake clock and Node and browsers share one client. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): TimerId
  clearTimeout(id: TimerId): void
  setInterval(fn: () => void, ms: number): TimerId
  clearInterval(id: TimerId): void
}

/** The window events the client follows (B.7). */
export interface WindowEventsLike {
  addEventListener(type: string, listener: (event: unknown) => void): void
  removeEventListener(type: string, listener: (event: unknown) => void): void
}

export interface LoggerLike {
  log(...args: unknown[]): void
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

/** `BXMobileApp` in a mobile webview (bx24 spec source M): only the event bridge is used. */
export interface MobileAppLike {
  onCustomEvent(eventName: string, params: unknown, sendToAll?: boolean): void
}
