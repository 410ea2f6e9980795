// Constructor parameters: Bitrix's (B.2) plus the injections that let one client run in browsers, Node and tests.
// resolveOptions() applies Bitrix's defaults and `restApplication` rules once, so the client reads plain fields.

import type { ProtobufCodec } from '../codecs/types'
import type { FetchLike } from '../transports/long-polling'
import type { TransportFactory } from '../transports/types'
import type { WebSocketConstructor } from '../transports/websocket'
import { systemClock } from './clock'
import type { BXEventsLike, Clock, LoggerLike, MobileAppLike, RestClientLike, StorageLike, WindowEventsLike } from './types'

export interface PullWindowLike extends WindowEventsLike {
  location?: { href: string }
  BX?: unknown
  BX24?: unknown
  BXMobileApp?: unknown
}

export interface PullClientParams {
  /** Bitrix: an app in an iframe. A string is also the site id. */
  restApplication?: string | boolean
  configGetMethod?: string
  getPublicListMethod?: string
  siteId?: string
  userId?: number | string
  guestMode?: boolean
  guestUserId?: number
  serverEnabled?: 'Y' | 'N' | boolean
  skipStorageInit?: boolean
  skipCheckRevision?: boolean
  configTimestamp?: number
  /** `BX24`, `BX.rest` or anything with `callMethod(method, params)` returning a promise of a result. */
  restClient?: RestClientLike

  // ---- injections (ours)
  /**
   * The BX the events go through. Default: the page's `window.BX`, an object (the shim's) or a function (Bitrix's
   * core defines `BX` as one). `null`: raise no BX events.
   */
  bx?: BXEventsLike | null
  /** online/offline/beforeunload source, `location.href` for https detection, BXMobileApp lookup. Default: window. */
  window?: PullWindowLike | null
  /** WebSocket constructor (browser WebSocket, `ws`, a fake). Default: global WebSocket. */
  WebSocket?: WebSocketConstructor
  /** fetch for long polling. Default: global fetch. */
  fetch?: FetchLike
  /** Use this connector instead of choosing WebSocket / long polling (e.g. pluggableTransport(source)). */
  transport?: TransportFactory
  /** localStorage stand-in. Default: window.localStorage; `null`: no cache, no session resume. */
  storage?: StorageLike | null
  clock?: Clock
  random?: () => number
  logger?: LoggerLike
  /** Force the `*_secure` URLs on or off; default: `location.href` starts with https. */
  secure?: boolean
  /** Mobile webview: also raise `onPull-<module>` / `onPull` and bridge to BXMobileApp (B.3.3). */
  mobile?: boolean
  /** The native bridge; default `window.BXMobileApp`, looked up at each message. */
  mobileApp?: MobileAppLike
  /** The v4 binary codec. Default: `PullClient.protobuf`, which the full bundles set and the protobuf add-on plugs in. */
  protobuf?: ProtobufCodec | null
}

export interface ResolvedOptions {
  configGetMethod: string
  getPublicListMethod: string
  siteId: string
  userId: number
  guestMode: boolean
  guestUserId: number
  enabled: boolean
  skipCheckRevision: boolean
  configTimestamp: number
  restClient: RestClientLike | undefined
  bx: BXEventsLike | null
  win: PullWindowLike | null
  storage: StorageLike | null
  skipStorageInit: boolean
  clock: Clock
  random: () => number
  logger: LoggerLike
  secure: boolean
  mobile: boolean
  mobileApp: () => MobileAppLike | undefined
  WebSocket: WebSocketConstructor | undefined
  fetch: FetchLike | undefined
  transport: TransportFactory | undefined
  protobuf: ProtobufCodec | null | undefined
}

/** Bitrix's core makes `BX` a function with properties, the shim an object: both carry methods. */
const isHolder = (value: unknown): value is Record<string, unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null

function hasFunction<K extends string>(value: unknown, key: K): value is Record<K, (...args: any[]) => any> {
  return isHolder(value) && typeof value[key] === 'function'
}

/** `BX.message(key)` when the page's BX has it (Bitrix prints USER_ID, SITE_ID, pull_server_enabled there). */
function bxMessage(bx: unknown, key: string): unknown {
  if (!hasFunction(bx, 'message')) return undefined
  try {
    const value = bx.message.call(bx, key)
    return value === '' ? undefined : value
  } catch {
    return undefined
  }
}

function defaultWindow(): PullWindowLike | null {
  return typeof window !== 'undefined' ? (window as unknown as PullWindowLike) : null
}

function defaultStorage(win: PullWindowLike | null): StorageLike | null {
  try {
    const storage = (win as unknown as { localStorage?: StorageLike } | null)?.localStorage
    return storage ?? null
  } catch {
    return null
  }
}

export function resolveOptions(params: PullClientParams = {}): ResolvedOptions {
  const win = params.window === undefined ? defaultWindow() : params.window
  const pageBX = win?.BX
  const bx = params.bx === undefined ? (hasFunction(pageBX, 'onCustomEvent') ? (pageBX as BXEventsLike) : null) : params.bx
  const restApplication = params.restApplication
  let restClient = params.restClient
  if (!restClient) {
    const bxRest = isHolder(pageBX) ? pageBX.rest : undefined
    if (hasFunction(bxRest, 'callMethod')) restClient = bxRest as RestClientLike
    else if (hasFunction(win?.BX24, 'callMethod')) restClient = win?.BX24 as RestClientLike
  }
  let enabled: boolean
  if (restApplication) enabled = true
  else if (params.serverEnabled !== undefined) enabled = params.serverEnabled === 'Y' || params.serverEnabled === true
  else {
    // Bitrix reads BX.message('pull_server_enabled'); a page without it (no portal template printed it) is treated
    // as enabled, and the config load decides.
    const fromPage = bxMessage(pageBX, 'pull_server_enabled')
    enabled = fromPage === undefined ? true : fromPage === 'Y'
  }
  const siteId = typeof restApplication === 'string' && restApplication !== ''
    ? restApplication
    : params.siteId ?? String(bxMessage(pageBX, 'SITE_ID') ?? 'none')
  const userId = Number.parseInt(String(params.userId ?? bxMessage(pageBX, 'USER_ID') ?? 0), 10) || 0
  const skipStorageInit = params.skipStorageInit === true
  const href = win?.location?.href ?? ''
  return {
    configGetMethod: params.configGetMethod ?? (restApplication ? 'pull.application.config.get' : 'pull.config.get'),
    getPublicListMethod: params.getPublicListMethod ?? 'pull.channel.public.list',
    siteId,
    userId,
    guestMode: params.guestMode === true,
    guestUserId: Number(params.guestUserId) || 0,
    enabled,
    skipCheckRevision: params.skipCheckRevision ?? Boolean(restApplication),
    configTimestamp: Number(params.configTimestamp ?? bxMessage(pageBX, 'pull_config_timestamp') ?? 0) || 0,
    restClient,
    bx,
    win,
    storage: skipStorageInit ? null : params.storage === undefined ? defaultStorage(win) : params.storage,
    skipStorageInit,
    clock: params.clock ?? systemClock(),
    random: params.random ?? Math.random,
    logger: params.logger ?? console,
    secure: params.secure ?? href.startsWith('https'),
    mobile: params.mobile === true,
    mobileApp: () => {
      if (params.mobileApp) return params.mobileApp
      const app = win?.BXMobileApp
      return hasFunction(app, 'onCustomEvent') ? (app as MobileAppLike) : undefined
    },
    WebSocket: params.WebSocket ?? (typeof WebSocket === 'function' ? (WebSocket as unknown as WebSocketConstructor) : undefined),
    fetch: params.fetch ?? (typeof fetch === 'function' ? (fetch as unknown as FetchLike) : undefined),
    transport: params.transport,
    protobuf: params.protobuf,
  }
}
