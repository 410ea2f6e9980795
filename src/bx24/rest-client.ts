// callMethod: the real library's `ajax` pipeline (spec §4): limiter → wait for init → refresh an expired token →
// send → refresh-and-resend on `expired_token` → ajaxResult to the callback. Without a callback it returns a Promise
// (the BX.PullClient contract, §4.8): resolved with the ajaxResult, rejected with it when error() is set. Nobody has
// to read that promise: a fire-and-forget call that fails reports no unhandled rejection (quiet-promise.ts).

import { ajaxResult, type Answer, type Query } from './ajax-result'
import type { Core } from './core'
import { buildTail, encodeParams } from './encode-params'
import type { Lifecycle } from './lifecycle'
import type { Limiter } from './limiter'
import { findFileInputs, readFileInputs } from './read-files'
import { quietPromise } from './quiet-promise'
import { readExchange } from './response'
import type { RestExchange } from './types'

/**
 * The real library re-sent for ever while the parent kept handing out expired tokens. We stop after this many
 * refreshes for one call and deliver the `expired_token` error instead.
 */
export const MAX_REFRESHES = 3

export type Deliver = (result: ajaxResult) => void

export interface RestClient {
  callMethod(method: string, params?: unknown, callback?: (result: ajaxResult) => void): Promise<ajaxResult> | undefined
  /** Issue a query; with `deliver` the result goes there instead of query.callback. */
  run(query: Query, deliver?: Deliver): Promise<ajaxResult> | undefined
}

export function createRestClient(core: Core, lifecycle: Lifecycle, limiter: Limiter): RestClient {
  function run(query: Query, deliver?: Deliver): Promise<ajaxResult> | undefined {
    if (deliver) {
      dispatch(query, deliver, 0)
      return undefined
    }
    const callback = query.callback
    if (typeof callback === 'function') {
      dispatch(query, (result) => core.invoke(callback, core.win, [result]), 0)
      return undefined
    }
    return quietPromise((resolve, reject) => {
      dispatch({ ...query, callback: undefined }, (result) => (result.error() ? reject(result) : resolve(result)), 0)
    })
  }

  function dispatch(query: Query, deliver: Deliver, refreshes: number): void {
    limiter.check(() => attempt(query, deliver, refreshes))
  }

  function attempt(query: Query, deliver: Deliver, refreshes: number): void {
    if (!core.isInit) {
      lifecycle.whenInit(() => attempt(query, deliver, refreshes))
      return
    }
    const tokenless = core.transport?.tokenless === true
    if (!tokenless && core.params.AUTH_EXPIRES < core.clock.now()) {
      refreshThen(query, deliver, refreshes)
      return
    }
    void transmit(query).then((exchange) => receive(query, deliver, refreshes, exchange))
  }

  function expired(query: Query, deliver: Deliver, why: string): void {
    const answer: Answer = { error: 'expired_token', error_description: why }
    deliver(new ajaxResult(answer, query, 401, run))
  }

  function refreshThen(query: Query, deliver: Deliver, refreshes: number): void {
    if (refreshes >= MAX_REFRESHES) {
      expired(query, deliver, `The access token stayed expired after ${MAX_REFRESHES} refreshes.`)
      return
    }
    lifecycle.refresh((failure) => {
      if (failure === undefined) dispatch(query, deliver, refreshes + 1)
      else expired(query, deliver, `The access token has expired and could not be refreshed: ${failure}.`)
    })
  }

  async function transmit(query: Query): Promise<RestExchange | null> {
    const transport = core.transport
    if (!transport) return null
    try {
      const inputs = findFileInputs(query.data)
      const files = inputs.length > 0 ? await readFileInputs(inputs) : undefined
      const tail = buildTail(query.data, query.start, { files })
      return await transport.rest({ method: query.method, auth: core.params.AUTH_ID, tail, path: core.params.PATH })
    } catch (error) {
      // Transports whose URLs carry a secret (webhooks) hand us their errors already redacted.
      core.log.warn(`BX24: ${query.method} failed before an answer arrived`, error)
      return null
    }
  }

  function receive(query: Query, deliver: Deliver, refreshes: number, exchange: RestExchange | null): void {
    const outcome = readExchange(exchange, core.legacyQueryErrors)
    if (outcome.kind === 'query-error') {
      core.log.error(`BX24: Query error! (${query.method}: ${outcome.reason})`)
      return
    }
    if (outcome.answer.error === 'expired_token' && core.transport?.tokenless !== true) {
      refreshThen(query, deliver, refreshes)
      return
    }
    deliver(new ajaxResult(outcome.answer, query, outcome.status, run))
  }

  function callMethod(method: string, params?: unknown, callback?: (result: ajaxResult) => void): Promise<ajaxResult> | undefined {
    if (typeof method !== 'string' || method === '') throw new TypeError('BX24.callMethod: the method must be a non-empty string')
    if (callback !== undefined && callback !== null && typeof callback !== 'function') {
      throw new TypeError('BX24.callMethod: the callback must be a function')
    }
    // Encode once now so circular or absurdly deep params fail here, in the caller's stack, with a clear message.
    encodeParams(params)
    return run({ method, data: params, callback: callback ?? undefined })
  }

  return { callMethod, run }
}
