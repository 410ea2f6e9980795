// createFrameHost: the parent side of the frame protocol (BX.rest.AppLayout's role) for one rendered app frame.
// It listens for the app's postMessage traffic, applies the parent's receive rules (spec §2.2: exact app origin,
// APP_SID, deny lists, silent ignore of anything unknown or malformed), runs the command and replies
// "<cbId>:<JSON>" to the app origin (§2.3).

import { encodeJson } from '../php-array'
import { BASE_COMMANDS, type CommandHandler, type FramePortal, type HostSession, type Reply } from './commands'
import { buildInitData } from './init-data'
import { createAppSid, frameName } from './launch'
import { parseAppMessage } from './parse-message'
import type { FrameUi } from './ui'

interface PostTarget {
  postMessage(message: string, targetOrigin: string): void
}

interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

export interface PlacementInterface {
  /** Placement-specific commands (reloadData, setValue, …); listed by getInterface. */
  commands?: Record<string, CommandHandler>
  /** Events the app may subscribe to with placementBindEvent. */
  events?: string[]
}

export interface FrameHostOptions {
  /** The app's frame; replies go to its contentWindow at send time (it changes when the frame navigates). */
  iframe?: HTMLIFrameElement
  /** Or any window-like target for replies (a popup, a test double). */
  appWindow?: PostTarget
  /** The app's origin, e.g. 'https://app.example.com:8443'. Messages from anywhere else are dropped. */
  appOrigin: string
  /** Default: a fresh 32-hex id, as every render of the real layout gets. */
  appSid?: string
  /** A MockPortal, or any FramePortal (e.g. a page-side proxy of the dev server's portal). */
  portal: FramePortal
  ui?: FrameUi
  /** The portal user the app runs as. Default: portal.defaultUserId. */
  userId?: number
  /** The portal host[:port] reported as DOMAIN. Default: the seed's domain. */
  portalHost?: string
  /** 1 when the portal page is HTTPS. Default 1. */
  protocol?: 0 | 1
  lang?: string
  /** Upper-cased; anything but DEFAULT denies setTitle, setScroll and reloadWindow. */
  placement?: string
  placementOptions?: unknown
  placementInterface?: PlacementInterface
  /** 'popup' and 'slider' deny resizeWindow, as the popup and slider layouts do. */
  layout?: 'page' | 'popup' | 'slider'
  /** Mobile portal: openPath answers METHOD_NOT_SUPPORTED_ON_DEVICE. */
  mobile?: boolean
  /** Extra commands to ignore. */
  deny?: string[]
  /** Where app messages come from. Default: the global window when there is one; false: call handleMessage yourself. */
  listen?: MessageSource | false
  /** How replies are delivered. Default: target.postMessage(message, appOrigin). Tests use it to set event.origin. */
  post?: (message: string, targetOrigin: string) => void
  /** A command handler threw (a buggy ui adapter): reported here, never thrown into the page. */
  onError?: (error: unknown, command: string) => void
}

export interface FrameHost {
  readonly appSid: string
  readonly appOrigin: string
  /** The iframe name for this layout: `host|protocol|APP_SID`. */
  readonly frameName: string
  /** Feed one message; true if it was accepted and dispatched. */
  handleMessage(data: unknown, origin: string): boolean
  /** Fire a placement event: every app callback bound to it with placementBindEvent gets `payload`. */
  firePlacementEvent(event: string, payload?: unknown): number
  /** Current tokens of the session (after any refreshAuth). */
  auth(): { accessToken: string; refreshToken: string; expiresIn: number }
  destroy(): void
}

const PLACEMENT_DENY = ['setTitle', 'setScroll', 'reloadWindow']
const POPUP_DENY = ['resizeWindow']

export function createFrameHost(options: FrameHostOptions): FrameHost {
  const { portal } = options
  const appOrigin = new URL(options.appOrigin).origin
  const appSid = options.appSid ?? createAppSid()
  const placement = (options.placement ?? 'DEFAULT').toUpperCase()
  const protocol = options.protocol ?? 1
  const portalHost = options.portalHost ?? portal.state.domain
  const userId = options.userId ?? portal.defaultUserId
  const placementApi = options.placementInterface ?? {}
  const placementCommands: Record<string, CommandHandler> = Object.assign(Object.create(null), placementApi.commands ?? {})
  const placementEvents = new Set(placementApi.events ?? [])
  const bound = new Map<string, Reply[]>()
  const deny = new Set([
    ...(placement !== 'DEFAULT' ? PLACEMENT_DENY : []),
    ...(options.layout === 'popup' || options.layout === 'slider' ? POPUP_DENY : []),
    ...(options.deny ?? []),
  ])
  let destroyed = false

  const session: HostSession = {
    portal,
    ui: options.ui ?? {},
    userId,
    grant: portal.issueAuth(userId),
    firstRun: portal.isFirstRun(userId),
    clientId: portal.state.app.clientId,
    mobile: !!options.mobile,
    initData: () =>
      buildInitData(portal, {
        userId, grant: session.grant, firstRun: session.firstRun, domain: portalHost, protocol,
        lang: options.lang ?? portal.state.lang, placement, placementOptions: options.placementOptions ?? {},
      }),
  }

  const post =
    options.post ??
    ((message: string, targetOrigin: string) => {
      const target = options.iframe?.contentWindow ?? options.appWindow
      target?.postMessage(message, targetOrigin)
    })

  const replyFor = (callback: string): Reply => {
    if (callback === '') return () => {}
    return (result?: unknown) => {
      if (destroyed) return
      post(callback + ':' + (result === undefined ? '' : encodeJson(result)), appOrigin)
    }
  }

  const extraCommands: Record<string, CommandHandler> = Object.assign(Object.create(null), {
    getInterface(_p: unknown, reply: Reply) {
      reply({ command: Object.keys(placementCommands), event: [...placementEvents] })
    },
    placementBindEvent(params: unknown, reply: Reply) {
      const event = typeof params === 'object' && params !== null ? (params as { event?: unknown }).event : undefined
      if (typeof event !== 'string' || !placementEvents.has(event)) return
      bound.set(event, [...(bound.get(event) ?? []), reply])
    },
  } satisfies Record<string, CommandHandler>)

  const lookup = (method: string): CommandHandler | undefined => {
    const own = (table: Record<string, CommandHandler>) => (Object.prototype.hasOwnProperty.call(table, method) ? table[method] : undefined)
    return own(BASE_COMMANDS) ?? own(extraCommands) ?? own(placementCommands)
  }

  const handleMessage = (data: unknown, origin: string): boolean => {
    if (destroyed || origin !== appOrigin) return false
    let msg: ReturnType<typeof parseAppMessage>
    try {
      msg = parseAppMessage(data)
    } catch {
      // Only reachable in-process (a getter that throws); structured-cloned data has no accessors.
      return false
    }
    if (!msg || msg.appSid !== appSid) return false
    const handler = lookup(msg.method)
    if (!handler || deny.has(msg.method)) return false
    try {
      const done = handler(msg.params, replyFor(msg.callback), session)
      if (done) done.catch((error: unknown) => options.onError?.(error, msg.method))
    } catch (error) {
      options.onError?.(error, msg.method)
    }
    return true
  }

  const listener = (event: MessageEvent) => void handleMessage(event.data, event.origin)
  const source: MessageSource | undefined =
    options.listen === false
      ? undefined
      : (options.listen ?? (typeof window !== 'undefined' ? (window as unknown as MessageSource) : undefined))
  source?.addEventListener('message', listener)

  return {
    appSid,
    appOrigin,
    frameName: frameName(portalHost, protocol === 1, appSid),
    handleMessage,
    firePlacementEvent(event, payload) {
      const replies = bound.get(event) ?? []
      for (const reply of replies) reply(payload)
      return replies.length
    },
    auth: () => ({ accessToken: session.grant.accessToken, refreshToken: session.grant.refreshToken, expiresIn: session.grant.expiresIn }),
    destroy() {
      destroyed = true
      bound.clear()
      source?.removeEventListener('message', listener)
    },
  }
}
