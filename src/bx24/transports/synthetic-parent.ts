// A parent emulated in-process, shared by the rest and mock transports: getInitData and refreshAuth come from the
// transport's config, a few commands may be overridden (option persistence), everything else goes to the host
// adapter. Replies go through JSON and arrive asynchronously, exactly as they would over postMessage, so an app
// sees the same values (an undefined reply arrives as [], Dates as strings) whichever transport it runs on.

import type { BX24Transport, FrameCallback, HostAdapter, InitData, Logger, RefreshData, RestCall, RestExchange } from '../types'
import { silentHost } from './host-adapter'

export type CommandHandler = (params: unknown, reply: FrameCallback) => void

export interface SyntheticParentOptions {
  kind: string
  domain: string
  protocol: 0 | 1
  tokenless?: boolean
  initData(): InitData | Promise<InitData>
  /** New tokens, or null for "no token came back" (the real parent then never replies). */
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
        if (destroyed) return
        try {
          callback(payload)
        } catch (error) {
          log.error('BX24: an app callback threw', error)
        }
      })
    }
  }

  function answer(promise: Promise<unknown>, reply: FrameCallback, what: string): void {
    promise.then(
      (value) => {
        if (value !== null && value !== undefined) reply(value)
      },
      (error) => log.warn(`BX24: ${what} failed`, error),
    )
  }

  function send(command: string, params: unknown, callback?: FrameCallback): void {
    if (destroyed) return
    if (typeof command !== 'string' || command === '') throw new TypeError('BX24: a frame command must be a non-empty string')
    const reply = replier(callback)
    if (command === 'getInitData') return answer(Promise.resolve().then(() => options.initData()), reply, 'getInitData')
    if (command === 'refreshAuth') {
      if (options.refresh) answer(Promise.resolve().then(() => options.refresh!()), reply, 'refreshAuth')
      return
    }
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
