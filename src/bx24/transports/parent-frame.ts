// parentFrameTransport: the real BX24 postMessage protocol (spec §2) plus REST straight to the portal (§4.1).
//
// Outgoing: "<cmd>:<json|>:<cbId|>:<APP_SID>" strings, or {method, params, callback, appSid} objects for command
// names containing ':' (L-C). Incoming: "<cbId>:<json|>" strings, accepted only from the exact portal origin.
// Replies carry no APP_SID on the wire; what ties a reply to this frame is the origin plus a 32-char random
// callback id that only this frame knows. Callbacks are kept after a reply, as in the real library, because the
// parent answers some ids repeatedly (placement events, the openApplication close).

import { callbackId } from '../callback-ids'
import type { BX24Transport, FrameCallback, Logger, RestCall, RestExchange } from '../types'
import { INIT_ERROR_MESSAGE, parseWindowName, portalOrigin } from '../window-name'
import { defaultFetch, postForm, safePath, type FetchLike } from './http'
import { escape } from '../encode-params'
import { callApp } from '../report-error'

/** The portal window as far as we use it. */
export interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void
}

export interface ParentFrameOptions {
  /** The app window (listens for replies). Default: the global window. */
  window?: Window
  /** The frame name to parse. Default: `window.name`. */
  name?: string
  /** Where commands go. Default: `window.parent`. */
  target?: MessageTarget
  fetch?: FetchLike
  log?: Logger
  /** Replies longer than this are dropped unparsed (default 16 MB): a hostile frame cannot make us parse gigabytes. */
  maxReplyLength?: number
}

/**
 * @example
 * createBX24({ transport: parentFrameTransport() })   // window.name = 'portal.bitrix24.com|1|<APP_SID>'
 */
export function parentFrameTransport(options: ParentFrameOptions = {}): BX24Transport {
  const win = options.window ?? window
  const frame = parseWindowName(options.name ?? win.name)
  if (!frame) throw new Error(INIT_ERROR_MESSAGE)
  const { appSid } = frame
  const origin = portalOrigin(frame.domain, frame.protocol)
  const target: MessageTarget = options.target ?? win.parent
  const fetchImpl = options.fetch ?? defaultFetch()
  const log = options.log ?? console
  const maxReplyLength = options.maxReplyLength ?? 16 * 1024 * 1024
  const callbacks = new Map<string, FrameCallback>()
  let rejectedOrigins = 0
  let destroyed = false

  function register(callback?: FrameCallback): string {
    if (typeof callback !== 'function') return ''
    const id = callbackId()
    callbacks.set(id, callback)
    return id
  }

  function send(command: string, params: unknown, callback?: FrameCallback): void {
    if (destroyed) return
    if (typeof command !== 'string' || command === '') throw new TypeError('BX24: a frame command must be a non-empty string')
    if (command.includes(':')) {
      target.postMessage({ method: command, params: params ? params : '', callback: register(callback), appSid }, origin)
      return
    }
    let json = ''
    if (params) {
      try {
        json = JSON.stringify(params)
      } catch (error) {
        throw new TypeError(`BX24: the params of "${command}" cannot be serialised: ${(error as Error).message}`)
      }
    }
    target.postMessage(command + ':' + json + ':' + register(callback) + ':' + appSid, origin)
  }

  function onMessage(event: MessageEvent): void {
    if (event.origin !== origin) {
      // Logged without the payload, and only the first few times: a hostile page may post in a loop.
      if (rejectedOrigins++ < 5) log.warn(`BX24: ignored a message from ${String(event.origin)}`)
      return
    }
    const data: unknown = event.data
    if (typeof data !== 'string' || data === '' || data.length > maxReplyLength) return
    const colon = data.indexOf(':')
    const id = colon < 0 ? data : data.slice(0, colon)
    const callback = callbacks.get(id)
    if (!callback) return
    const payload = colon < 0 ? '' : data.slice(colon + 1)
    let args: unknown = []
    if (payload) {
      try {
        args = JSON.parse(payload)
      } catch {
        log.warn('BX24: ignored a reply whose payload is not JSON')
        return
      }
    }
    callApp(callback, win, [args], win)
  }

  async function rest(call: RestCall): Promise<RestExchange> {
    const path = safePath(call.path)
    if (path === null) throw new Error('BX24: refusing a REST PATH that could leave the portal origin')
    const url = `${origin}${path}/${escape(call.method)}.json`
    // Belt and braces: the token goes only to the portal origin named by window.name.
    if (new URL(url).origin !== origin) throw new Error('BX24: refusing to send auth outside the portal origin')
    return postForm(fetchImpl, url, 'auth=' + escape(call.auth) + call.tail)
  }

  win.addEventListener('message', onMessage as EventListener)

  return {
    kind: 'parentFrame',
    domain: frame.domain,
    protocol: frame.protocol,
    send,
    rest,
    destroy() {
      destroyed = true
      callbacks.clear()
      win.removeEventListener('message', onMessage as EventListener)
    },
  }
}
