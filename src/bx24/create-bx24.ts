// createBX24Core(): one complete, isolated BX24 object with the real library's whole surface, and nothing beyond it:
// the frame-only entry needs no more. createBX24 (full.ts) adds retries and BX24.shim.listAll on top; installBX24
// (install.ts) puts one on window; tests and ESM users build their own. Every member is a closure over this
// instance's state, never `this`, so detached calls work (`const {callMethod} = BX24`), as apps and wrappers such as
// bitrix24-library rely on.

import type { WithTypedBX24 } from '../types/bx24-api'
import type { ajaxResult } from './ajax-result'
import { createCallBatch } from './batch'
import { systemClock } from './clock'
import { createCore, emptyParams } from './core'
import { createDom } from './dom'
import { createLifecycle } from './lifecycle'
import { createLimiter, type LimiterOptions } from './limiter'
import { createRestClient } from './rest-client'
import type { BX24Transport, Clock, Logger } from './types'
import { createUi } from './ui'

export interface CreateBX24Options {
  /**
   * The app window (document, timers' `this`, DOM ready). Default: the global window when there is one; in Node
   * BX24 runs without a DOM (ready at once, no loadScript), which the rest and mock transports need nothing more than.
   */
  window?: Window
  /** Bound at once; without one, BX24 waits (calls queue) until `BX24.shim.useTransport(...)`. */
  transport?: BX24Transport | null
  clock?: Clock
  log?: Logger
  /** Reproduce the real library's silence on 5xx, unparseable answers and network errors (spec §4.7). */
  legacyQueryErrors?: boolean
  /** Tune the client limiter (spec §7.3); `false` turns it off. */
  limiter?: Omit<LimiterOptions, 'clock'> | false
  /** Milliseconds a token refresh may take before the calls waiting on it get an `expired_token` error (5000). */
  refreshTimeout?: number
  /**
   * Wrap every transport bound to this BX24 (the retrying wrapper of the full entry uses this seam, so the frame-only
   * entry does not carry retry code).
   */
  wrapTransport?: (transport: BX24Transport) => BX24Transport
}

/** Our own namespace on BX24, named so it cannot collide with Bitrix's members. Not enumerable. */
export interface ShimControl {
  /** Replace the transport: the old one is destroyed and init runs again on the new one. */
  useTransport(transport: BX24Transport): void
  /** The bound transport's kind ('parentFrame' | 'rest' | 'mock' | custom), or null while unbound. */
  transport(): string | null
  /** Detach listeners and forget the transport. */
  destroy(): void
}

/**
 * A fresh, isolated BX24 object without the extras of createBX24 (no retries, no BX24.shim.listAll).
 * @example
 * const BX24 = createBX24Core({ transport: parentFrameTransport() })
 * BX24.init(() => BX24.callMethod('user.current', {}, (res) => console.log(res.data())))
 */
export function createBX24Core(options: CreateBX24Options = {}) {
  const win = options.window ?? (typeof window !== 'undefined' ? window : undefined)
  const clock = options.clock ?? systemClock
  const core = createCore({ win, clock, log: options.log ?? console, legacyQueryErrors: options.legacyQueryErrors === true })
  const dom = createDom(core)
  const lifecycle = createLifecycle(core, (url, done) => dom.loadScript(url, done), options.refreshTimeout)
  const limiter = options.limiter === false
    ? { check: (fn: () => void) => fn(), level: () => 0 }
    : createLimiter({ ...(typeof options.limiter === 'object' ? options.limiter : {}), clock })
  const client = createRestClient(core, lifecycle, limiter)
  const callBatch = createCallBatch(core, client)
  const ui = createUi(core, () => api)

  function callBind(event: unknown, handler: unknown, auth_type?: unknown, callback?: (result: ajaxResult) => void): false | undefined | Promise<ajaxResult> {
    if (!core.isInit) {
      lifecycle.whenInit(() => void callBind(event, handler, auth_type, callback))
      return false
    }
    if (!core.params.IS_ADMIN) return false
    const params = { event: event || '', handler: handler || '', auth_type: auth_type === undefined ? 0 : auth_type }
    return client.callMethod('event.bind', params, callback)
  }

  function callUnbind(event: unknown, handler: unknown, auth_type?: unknown, callback?: (result: ajaxResult) => void): false | undefined | Promise<ajaxResult> {
    if (!core.isInit) {
      lifecycle.whenInit(() => void callUnbind(event, handler, auth_type, callback))
      return false
    }
    if (!core.params.IS_ADMIN) return false
    const params: Record<string, unknown> = { event: event || '', handler: handler || '' }
    if (auth_type !== undefined && auth_type !== null) params.auth_type = auth_type
    return client.callMethod('event.unbind', params, callback)
  }

  const api = {
    init: lifecycle.init,
    install: lifecycle.install,
    installFinish: lifecycle.installFinish,
    ready: dom.ready,
    isReady: dom.isReady,
    callMethod: client.callMethod,
    callBatch,
    callBind,
    callUnbind,
    callUnBind: callUnbind,
    canUse: dom.canUse,
    isAdmin: (): boolean => !!core.params.IS_ADMIN,
    getAuth: lifecycle.getAuth,
    refreshAuth(cb?: (auth: ReturnType<typeof lifecycle.getAuth>) => void): void {
      if (!core.isInit) return
      // Called after a failed refresh too (the real library then never called back): getAuth() tells which.
      lifecycle.refresh(() => {
        if (typeof cb === 'function') core.invoke(cb, core.win, [lifecycle.getAuth()])
      })
    },
    getLang: (): string => core.params.LANG,
    getDomain: (): string => core.params.DOMAIN,
    resizeWindow: ui.resizeWindow,
    fitWindow: ui.fitWindow,
    reloadWindow: ui.reloadWindow,
    setTitle: ui.setTitle,
    scrollParentWindow: ui.scrollParentWindow,
    getScrollSize: ui.getScrollSize,
    selectAccess: ui.selectAccess,
    selectUser: ui.selectUser,
    selectUsers: ui.selectUsers,
    selectCRM: ui.selectCRM,
    openApplication: ui.openApplication,
    openPath: ui.openPath,
    closeApplication: ui.closeApplication,
    im: ui.im,
    placement: ui.placement,
    userOption: ui.userOption,
    appOption: ui.appOption,
    loadScript: dom.loadScript,
    bind: dom.bind,
    unbind: dom.unbind,
    proxy: dom.proxy,
    proxyContext: dom.proxyContext,
  }

  function useTransport(given: BX24Transport): void {
    if (!given || typeof given.send !== 'function' || typeof given.rest !== 'function') {
      throw new TypeError('BX24.shim.useTransport: not a transport (send, rest and destroy are required)')
    }
    const transport = options.wrapTransport ? options.wrapTransport(given) : given
    if (core.transport) {
      core.transport.destroy()
      lifecycle.reset()
    }
    core.params = emptyParams(transport.domain, transport.protocol)
    core.transport = transport
    dom.watchReady()
    transport.send('getInitData', undefined, lifecycle.onInitData)
    core.flushPending()
  }

  const shim: ShimControl = {
    useTransport,
    transport: () => core.transport?.kind ?? null,
    destroy() {
      core.transport?.destroy()
      core.transport = null
    },
  }
  Object.defineProperty(api, 'shim', { value: shim, enumerable: false, writable: true, configurable: true })

  if (options.transport) useTransport(options.transport)
  else dom.watchReady()
  // The members with argument shuffles and callbacks get their public types (src/types/bx24-api.ts).
  return api as unknown as WithTypedBX24<typeof api> & { shim: ShimControl }
}

export type BX24CoreApi = ReturnType<typeof createBX24Core>
