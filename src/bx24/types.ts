// Internal types shared by the BX24 core and its transports. Public names (init data keys, BX24 members) copy
// Bitrix's spelling; everything else is ours.

/** The `getInitData` reply (spec §2.5). Fields are optional because the reply is wire data we do not trust. */
export interface InitData {
  LANG?: string
  DOMAIN?: string
  PROTOCOL?: number | string | boolean
  PATH?: string
  AUTH_ID?: string
  AUTH_EXPIRES?: number | string
  REFRESH_ID?: string
  MEMBER_ID?: string
  FIRST_RUN?: boolean
  IS_ADMIN?: boolean
  INSTALL?: boolean
  USER_OPTIONS?: unknown
  APP_OPTIONS?: unknown
  PLACEMENT?: string
  PLACEMENT_OPTIONS?: unknown
}

/** The `refreshAuth` reply. AUTH_EXPIRES is a lifetime in seconds. */
export interface RefreshData {
  AUTH_ID?: string
  REFRESH_ID?: string
  AUTH_EXPIRES?: number | string
}

/** One REST exchange as the core hands it to a transport. */
export interface RestCall {
  /** Method name as the app passed it, e.g. 'crm.deal.list'. */
  method: string
  /** The current access token ('' for tokenless transports). The transport decides whether it goes in the body. */
  auth: string
  /** What follows `auth=<token>` in the real body: '&start=N' and '&' + encoded params, each only when present. */
  tail: string
  /** PATH from init data ('/rest' on a real portal). */
  path: string
}

/** The raw HTTP answer. `text === null` means a network failure (no answer at all). */
export interface RestExchange {
  status: number
  text: string | null
}

export type FrameCallback = (payload: unknown) => void

/**
 * What BX24 needs from the outside world. BX24 never knows which implementation it has.
 * Frame commands (`getInitData`, `setTitle`, …) go through `send`; REST through `rest`.
 */
export interface BX24Transport {
  /** 'parentFrame' | 'rest' | 'mock' or a custom name; for diagnostics only. */
  readonly kind: string
  /** host[:port] of the portal without scheme, known before init (BX24.getDomain()). */
  readonly domain: string
  /** 1 for https. */
  readonly protocol: 0 | 1
  /** True when there is no token to send or refresh (inbound webhooks): getAuth() is false, no refresh ever runs. */
  readonly tokenless?: boolean
  /** Send a frame command. `callback` may run never, once, or many times (placement events). */
  send(command: string, params: unknown, callback?: FrameCallback): void
  /** One REST request. Rejecting means a network failure. */
  rest(call: RestCall): Promise<RestExchange>
  /** Remove listeners; later replies are ignored. */
  destroy(): void
}

/** UI commands of the rest and mock transports land here (spec §10(2)). */
export interface HostAdapter {
  /**
   * Handle a frame command such as 'resizeWindow' or 'selectUser'. Call `reply` to answer (any number of times);
   * never calling it mirrors a parent that ignores the command.
   */
  command(command: string, params: unknown, reply: FrameCallback): void
}

/** Time and timers, injectable so tests need no real time. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  /** Cancel a timer, so a settled wait does not keep a Node process alive. Optional for custom clocks. */
  clearTimeout?(handle: unknown): void
}

export type Logger = Pick<Console, 'warn' | 'error'>
