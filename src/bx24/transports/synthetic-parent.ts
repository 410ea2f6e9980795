// A parent emulated in-process, shared by the rest and mock transports: getInitData and refreshAuth come from the
// transport's config, a few commands may be overridden (option persistence), everything else goes to the host
// adapter. Replies go through JSON and arrive asynchronously, exactly as they would over postMessage, so an app
// sees the same values (an undefined reply arrives as [], Dates as strings) whichever transport it runs on.

import type { BX24Transport, FrameCallback, HostAdapter, InitData, Logger, RefreshData, RestCall, RestExchange } from '../types'
import { callApp } from '../report-error'
import { redact } from '../redact'
import { silentHost } from './host-adapter'

export type CommandHandler = (params: unknown, reply: FrameCallback) => void

export interface SyntheticParentOptions {
  kind: string
  domain: string
  protocol: 0 | 1
  tokenless?: boolean
  initData(): InitData | Promise<InitData>
  /**
   * New tokens. Null, a rejection or no `refresh` at all is answered with `{error, error_description}` at once, so
   * the calls waiting on the refresh fail now (the real parent stays silent and BX24's refresh timeout fails them).
   */
  refresh?(): RefreshData | null | Promise<RefreshData | null>
  rest(call: RestCall): Promise<RestExchange>
  host?: HostAdapter
  commands?: Record<string, CommandHandler>
  log?: Logger
}

export function syntheticParent(options: SyntheticParentOptions): BX24Transport {
  const host = options.host ?? silentHost
  const log = options.log ?? console
  let destroyed = false

  function replier(callback?: FrameCallback): FrameCallback {
    return (value) => {
      if (destroyed || typeof callback !== 'function') return
      let payload: unknown = []
      try {
        if (value !== undefined) payload = JSON.parse(JSON.stringify(value))
      } catch (error) {
        log.warn('BX24: a host reply could not be serialised and was dropped', error)
        return
      }
      void Promise.resolve().then(() => {
        if (!destroyed) callApp(callback, undefined, [payload])
      })
    }
  }

  function answer(promise: Promise<unknown>, reply: FrameCallback, what: string): void {
    promise.then(
      (value) => {
        if (value !== null && value !== undefined) reply(value)
      },
      (error) => log.warn(`BX24: ${what} failed: ${redact(error)}`),
    )
  }

  function refreshAuth(reply: FrameCallback): void {
    const failed = (why: string): void => reply({ error: 'REFRESH_FAILED', error_description: why })
    const refresh = options.refresh
    if (!refresh) return failed('this transport cannot refresh the token')
    Promise.resolve().then(() => refresh()).then(
      (tokens) => (tokens ? reply(tokens) : failed('no new token came back')),
      (error) => failed(redact(error instanceof Error ? error.message : error)),
    )
  }

  function send(command: string, params: unknown, callback?: FrameCallback): void {
    if (destroyed) return
    if (typeof command !== 'string' || command === '') throw new TypeError('BX24: a frame command must be a non-empty string')
    const reply = replier(callback)
    if (command === 'getInitData') return answer(Promise.resolve().then(() => options.initData()), reply, 'getInitData')
    if (command === 'refreshAuth') return refreshAuth(reply)
    const handler = options.commands && Object.prototype.hasOwnProperty.call(options.commands, command) ? options.commands[command] : undefined
    try {
      if (handler) handler(params, reply)
      else host.command(command, params, reply)
    } catch (error) {
      log.error(`BX24: the host adapter failed on "${command}"`, error)
    }
  }

  return {
    kind: options.kind,
    domain: options.domain,
    protocol: options.protocol,
    tokenless: options.tokenless ?? false,
    send,
    rest: (call) => (destroyed ? Promise.reject(new Error('BX24: transport destroyed')) : options.rest(call)),
    destroy() {
      destroyed = true
    },
  }
}
