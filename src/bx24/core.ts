// The state every BX24 module shares: the PARAMS the real library keeps, the transport (or the commands waiting for
// one), the clock and the 10 ms deferral the real library uses for every app callback.

import { callApp } from './report-error'
import type { BX24Transport, Clock, FrameCallback, Logger } from './types'

/** The real library's PARAMS, with its names. */
export interface Params {
  DOMAIN: string
  PROTOCOL: 0 | 1
  APP_SID: string
  PATH: string
  LANG: string
  AUTH_ID: string
  REFRESH_ID: string | null
  MEMBER_ID: string | null
  PLACEMENT: string | null
  IS_ADMIN: boolean
  /** Expiry as a millisecond timestamp (the reply's seconds are converted on arrival). */
  AUTH_EXPIRES: number
  USER_OPTIONS: Record<string, unknown> | null
  APP_OPTIONS: Record<string, unknown> | null
  PLACEMENT_OPTIONS: unknown
}

export function emptyParams(domain = '', protocol: 0 | 1 = 1, appSid = ''): Params {
  return {
    DOMAIN: domain.replace(/:(80|443)$/, ''), PROTOCOL: protocol, APP_SID: appSid, PATH: '', LANG: '', AUTH_ID: '',
    REFRESH_ID: null, MEMBER_ID: null, PLACEMENT: null, IS_ADMIN: false, AUTH_EXPIRES: 0,
    USER_OPTIONS: null, APP_OPTIONS: null, PLACEMENT_OPTIONS: null,
  }
}

export interface Core {
  /** The app window; undefined outside a browser (Node), where BX24 runs without a DOM. */
  readonly win: Window | undefined
  /** Its document: `this` of deferred app callbacks, DOM ready, loadScript. Undefined without a DOM. */
  readonly doc: Document | undefined
  readonly clock: Clock
  readonly log: Logger
  /** Deliver 5xx/unparseable/network failures as silence, as the real library did (spec §4.7). */
  readonly legacyQueryErrors: boolean
  params: Params
  transport: BX24Transport | null
  /** getInitData has been answered (REST calls may go out; installers may still be running). */
  isInit: boolean
  /** doInit has run: init callbacks now run deferred instead of being queued. */
  initDone: boolean
  /** Send a frame command, or hold it until a transport is bound. */
  send(command: string, params?: unknown, callback?: FrameCallback): void
  /** Run `fn` after `ms` (10 by default) with `this === document`, as util.defer does. */
  defer(fn: (...args: never[]) => unknown, ms?: number): void
  /** Call an app callback; its exception is reported as uncaught (window.onerror sees it) and our dispatch goes on. */
  invoke(fn: (...args: never[]) => unknown, self: unknown, args: unknown[]): void
}

export interface CoreOptions {
  win: Window | undefined
  clock: Clock
  log: Logger
  legacyQueryErrors: boolean
}

export function createCore(options: CoreOptions): Core & { flushPending(): void } {
  const pending: Array<[string, unknown, FrameCallback | undefined]> = []
  const core: Core & { flushPending(): void } = {
    win: options.win,
    doc: options.win?.document,
    clock: options.clock,
    log: options.log,
    legacyQueryErrors: options.legacyQueryErrors,
    params: emptyParams(),
    transport: null,
    isInit: false,
    initDone: false,
    send(command, params, callback) {
      if (core.transport) core.transport.send(command, params, callback)
      else pending.push([command, params, callback])
    },
    flushPending() {
      for (const [command, params, callback] of pending.splice(0)) core.send(command, params, callback)
    },
    defer(fn, ms = 10) {
      core.clock.setTimeout(() => core.invoke(fn, core.doc, []), ms)
    },
    invoke(fn, self, args) {
      callApp(fn, self, args, core.win)
    },
  }
  return core
}
