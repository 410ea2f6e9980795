// The connection life of BX.PullClient (B.4-B.8): one explicit state, one way out (leave()), a generation that every
// asynchronous continuation checks, and one timer registry that stop() and destroy() empty. What it receives goes
// through the inbound pipeline: transport -> takeFrame (decode, session) -> routeMessage -> deliverMessage.
//
// Why a generation: a config load, a socket's late `close`, a long poll's answer, a REST call can all come back after
// the client moved on (stopped, restarted, reconnected). Every one of them captured the generation it was started in
// and does nothing when it no longer matches, so a stopped client can never come back to life by itself.

import type { ProtobufCodec, PullMessageBody } from '../codecs/types'
import { longPollingTransport } from '../transports/long-polling'
import type { CloseInfo, IncomingFrame, Transport, TransportFactory } from '../transports/types'
import { webSocketTransport } from '../transports/websocket'
import { reconnectDelay, restartDelay } from './backoff'
import type { ChannelManager } from './channel-manager'
import { Timers } from './clock'
import { ConfigStore } from './config-store'
import { connectionPath, isJsonRpc, publicationPath, serverVersion, type ConnectionKind } from './connection-url'
import {
  BEFOREUNLOAD_RECONNECT_DELAY, CloseReasons, CONFIG_CHECK_INTERVAL_MS, PING_TIMEOUT, PullStatus, REVISION,
  SubscriptionType,
} from './constants'
import { deliverMessage, revisionOf, Route, routeMessage, type Outlets } from './deliver'
import { describeError } from './errors'
import { takeFrame } from './inbound'
import type { PullLogger } from './logger'
import type { ResolvedOptions } from './options'
import { listenToPage } from './page-events'
import { RestError } from './rest'
import { RpcCaller } from './rpc'
import { PullSession } from './session'
import { StatusTracker } from './status'
import { systemAction } from './system-messages'
import type { StorageManager } from './storage-manager'
import type { PullConfig } from './types'
import { WatchTags } from './watch'

/** Where the connection is. Changed only by the methods below; `leave()` is the one way out of a connection. */
export const ConnectionState = {
  /** Not started, stopped, or disabled by a revision mismatch: nothing runs, nothing listens. */
  Stopped: 'stopped',
  /** The config is being loaded (start or restart). */
  Loading: 'loading',
  /** A transport is opening. */
  Connecting: 'connecting',
  Connected: 'connected',
  /** Between connections: a reconnect or restart timer runs, or the page is offline or in the back-forward cache. */
  Waiting: 'waiting',
  /** destroy(): final. */
  Destroyed: 'destroyed',
} as const
export type ConnectionStateValue = (typeof ConnectionState)[keyof typeof ConnectionState]

/** What comes after leaving a connection. */
type Next =
  | { kind: 'stop' | 'destroy' }
  /** Reload the config now (restart()). */
  | { kind: 'reload' }
  /** Connect again after `delaySec`, or after the backoff step when it is 0. */
  | { kind: 'reconnect'; delaySec: number }
  /** Reload the config and connect after `delaySec` (close code 4010). */
  | { kind: 'restart'; delaySec: number }
  /** Wait for the page: `online`, `pageshow` or BXLinkOpened. */
  | { kind: 'page' }

type TimerName = 'reconnect' | 'restart' | 'checkConfig' | 'pingWait' | 'offlineStatus' | 'watch'

export interface PullStartError {
  ex: { error: string; error_description: string }
}

/** The objects the connection delivers to and reads from; each has its own job. */
export interface ConnectionParts {
  options: ResolvedOptions
  log: PullLogger
  storage: StorageManager | null
  outlets: Outlets
  channelManager: ChannelManager
  /** The protobuf codec, looked up when a frame or a publish needs it (an add-on may plug it in after start). */
  protobuf(): ProtobufCodec | null
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype

export class PullConnection {
  state: ConnectionStateValue = ConnectionState.Stopped
  enabled: boolean
  readonly configs: ConfigStore
  readonly session = new PullSession()
  readonly timers: Timers<TimerName>
  readonly status: StatusTracker
  readonly rpc: RpcCaller
  readonly watch: WatchTags
  transportFactory: TransportFactory | null = null
  /** capturePullEvent(): log every message (B.3.2). */
  debug = false
  private transport: Transport | null = null
  private generation = 0
  private attempt = 0
  private detachPage: (() => void) | null = null
  /** start() promises waiting for the next open. */
  private waiters: { resolve(value: true): void; reject(error: unknown): void }[] = []
  private starting: Promise<true> | null = null
  /** The page went into the back-forward cache while connected or waiting: pageshow brings it back. */
  private hidden = false
  private readonly o: ResolvedOptions
  private readonly log: PullLogger

  constructor(private readonly parts: ConnectionParts) {
    this.o = parts.options
    this.log = parts.log
    this.enabled = this.o.enabled
    this.configs = new ConfigStore(this.o, parts.storage, parts.channelManager, parts.log)
    this.timers = new Timers<TimerName>(this.o.clock)
    this.status = new StatusTracker(this.timers, (status) => {
      // Status listeners run outside any message loop: one that throws must not break the connection handling.
      this.safely('onPullStatus', () => this.parts.outlets.events.raise('onPullStatus', [status], false))
      this.safely('status subscriber', () => this.parts.outlets.subscriptions.emitFlat(SubscriptionType.Status, () => ({ status })))
    })
    this.rpc = new RpcCaller((frame) => this.send(frame), this.o.clock, this.log)
    this.watch = new WatchTags(this.timers, () => this.o.restClient)
  }

  /** The config in hand (getConfig()). */
  get config(): PullConfig | null {
    return this.configs.config
  }

  // ---------------------------------------------------------------- lifecycle (public API behind PullClient)

  start(config?: PullConfig | null): Promise<true> {
    if (this.state === ConnectionState.Destroyed) return Promise.reject(new Error('Pull: the client was destroyed'))
    if (this.state === ConnectionState.Connected) return Promise.resolve(true)
    // The ES6 original returns its stored {resolve, reject} here by mistake; the pending promise is what it meant.
    if (this.starting) return this.starting
    let given: PullConfig | null = null
    let skipLastSession = false
    if (isPlainObject(config)) {
      if (config.skipReconnectToLastSession !== undefined) {
        skipLastSession = Boolean(config.skipReconnectToLastSession)
        delete config.skipReconnectToLastSession
      }
      given = config
    }
    if (!this.enabled) {
      const error: PullStartError = { ex: { error: 'PULL_DISABLED', error_description: 'Push & Pull server is disabled' } }
      return Promise.reject(error)
    }
    if (!skipLastSession) {
      const mid = this.configs.savedMid()
      if (mid !== null) this.session.mid = mid
    }
    // A config handed over while a connection runs or waits replaces it: leave that one first.
    if (given && this.state !== ConnectionState.Stopped) this.leave(CloseReasons.NORMAL_CLOSURE, 'new config', { kind: 'reload' })
    const starting = new Promise<true>((resolve, reject) => this.waiters.push({ resolve, reject }))
    this.starting = starting
    const clear = (): void => {
      if (this.starting === starting) this.starting = null
    }
    starting.then(clear, clear)
    this.listenToPage()
    if (given) {
      this.configs.adopt(given)
      this.load(false, true)
    } else if (this.state === ConnectionState.Stopped) {
      this.load(true, true)
    } else if (this.state === ConnectionState.Waiting) {
      this.resume()
    }
    return starting
  }

  /** Drops the connection and the cached config, reloads the config and connects again. */
  restart(code: number = CloseReasons.NORMAL_CLOSURE, reason = 'manual restart'): void {
    if (this.state === ConnectionState.Destroyed) return
    this.leave(code, reason, { kind: 'reload' })
    this.configs.forget()
    this.listenToPage()
    this.load(true, false)
  }

  /** Disconnects and stops every timer and listener; start() connects again. */
  stop(code: number = CloseReasons.NORMAL_CLOSURE, reason = 'manual stop'): void {
    if (this.state === ConnectionState.Destroyed) return
    this.leave(code, reason, { kind: 'stop' })
  }

  reconnect(code: number, reason: string, delaySec = 1): void {
    if (this.state === ConnectionState.Destroyed) return
    this.leave(code, reason, { kind: 'reconnect', delaySec })
  }

  /** Ours: stop() for good, and forget the cached config (it holds channel signatures and the JWT). */
  destroy(): void {
    if (this.state === ConnectionState.Destroyed) return
    this.leave(CloseReasons.NORMAL_CLOSURE, 'destroy', { kind: 'destroy' })
    this.configs.removeCache()
  }

  isConnected(): boolean {
    return this.state === ConnectionState.Connected
  }

  /** True while a reconnect is scheduled (getDebugInfo's "Try connect"). */
  isReconnecting(): boolean {
    return this.timers.has('reconnect')
  }

  connectionKind(): ConnectionKind {
    return this.transportFactory?.kind ?? 'webSocket'
  }

  connectionUrl(): string {
    if (!this.config) throw new Error('Pull: no config')
    return connectionPath(this.config, this.session, this.connectionKind(), this.o.secure, this.binary())
  }

  /** A frame to the server: false when no connection is open (B.5). */
  send(data: string | Uint8Array): boolean {
    if (this.state !== ConnectionState.Connected || !this.transport) return false
    return this.transport.send(data)
  }

  /** v4 and the protobuf codec at hand: the client asks for binary frames and publishes protobuf. */
  binary(): boolean {
    return serverVersion(this.config) === 4 && this.parts.protobuf() !== null
  }

  /** B.8: a server expecting another client revision disables this one; a page reload is needed. */
  checkRevision(serverRevision: number): boolean {
    if (this.o.skipCheckRevision) return true
    if (serverRevision > 0 && serverRevision !== REVISION) {
      this.enabled = false
      // Bitrix shows a PULL_OLD_REVISION popup here; the shim has no UI kit, so it says so on the console.
      this.log.warn(`Pull revision changed from ${REVISION} to ${serverRevision}. Reload required`)
      this.leave(CloseReasons.NORMAL_CLOSURE, 'check_revision', { kind: 'stop' })
      // Guarded one by one (Bitrix is not): this runs from timers too, where a throwing handler would escape.
      const { events, subscriptions } = this.parts.outlets
      this.safely('onPullRevisionUp', () => events.raise('onPullRevisionUp', [serverRevision, REVISION], false))
      this.safely('revision subscriber', () => subscriptions.emitFlat(SubscriptionType.Revision, () => ({ server: serverRevision, client: REVISION })))
      return false
    }
    return true
  }

  // ---------------------------------------------------------------- the one way out

  /**
   * Every disconnect goes through here: stop, restart, reconnect, destroy, a dropped or failed transport, a stuck
   * JSON-RPC connection, a revision mismatch, the page going offline or into the back-forward cache. It moves the
   * generation on (so nothing started before can act any more), closes the transport, rejects waiting start()
   * promises (with `cause` when there is one), and then arms exactly what `next` asks for.
   */
  private leave(code: number, reason: string, next: Next, cause?: unknown): void {
    this.generation++
    const transport = this.transport
    this.transport = null
    this.timers.clear('reconnect')
    this.timers.clear('restart')
    this.timers.clear('pingWait')
    if (transport) {
      this.log.log(`Pull: disconnecting, code ${code} ${reason}`)
      transport.disconnect(code, reason)
    }
    // Bitrix leaves a connect() that was still pending hanging forever (and start() with it); we settle it.
    this.rejectWaiters(cause ?? new Error(`Pull: disconnected (${code} ${reason})`))
    switch (next.kind) {
      case 'stop':
      case 'destroy':
        this.state = next.kind === 'stop' ? ConnectionState.Stopped : ConnectionState.Destroyed
        if (next.kind === 'destroy') this.enabled = false
        this.status.set(PullStatus.Offline, true)
        this.detachFromPage()
        this.watch.stop()
        this.timers.clearAll()
        this.rpc.rejectAll(new Error(`Pull: ${next.kind === 'stop' ? 'stopped' : 'destroyed'}`))
        this.parts.outlets.mobile?.destroy()
        break
      case 'reload':
        this.state = ConnectionState.Loading
        this.status.set(PullStatus.Offline)
        break
      case 'page':
        this.state = ConnectionState.Waiting
        this.status.set(PullStatus.Offline)
        break
      case 'reconnect':
        this.state = ConnectionState.Waiting
        this.status.set(PullStatus.Offline)
        this.scheduleReconnect(next.delaySec)
        break
      case 'restart': {
        this.state = ConnectionState.Waiting
        this.status.set(PullStatus.Offline)
        const delay = next.delaySec >= 1 ? next.delaySec : restartDelay(this.o.random)
        this.timers.set('restart', () => this.restart(code, reason), delay * 1000)
        break
      }
    }
  }

  private scheduleReconnect(delaySec: number): void {
    if (!this.enabled) return
    const delay = delaySec > 0 ? delaySec : reconnectDelay(this.attempt, this.o.random)
    this.log.log(`Pull: reconnecting in ${delay} s, attempt ${this.attempt}`)
    this.timers.set('reconnect', () => this.connect(), delay * 1000)
  }

  private rejectWaiters(error: unknown): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter.reject(error)
  }

  // ---------------------------------------------------------------- config

  /** Loads the config (cache, then REST) and connects; a later leave() makes the answer irrelevant. */
  private load(allowCaching: boolean, starting: boolean): void {
    const generation = ++this.generation
    this.state = ConnectionState.Loading
    this.configs.load((revision) => this.checkRevision(revision)).then(
      (config) => {
        if (generation !== this.generation) return
        this.configs.set(config, allowCaching)
        this.watch.start(starting)
        this.timers.every('checkConfig', () => this.checkConfig(), CONFIG_CHECK_INTERVAL_MS)
        this.connect()
      },
      (error: unknown) => {
        if (generation !== this.generation) return
        this.log.error('Pull: could not read push-server config', describeError(error))
        const status = error instanceof RestError ? error.status : Number((error as { status?: unknown } | null)?.status)
        this.rejectWaiters(error)
        if (starting || status === 401 || status === 403) {
          // A failed start, or a reload the portal refused: nothing will retry. Bitrix also stops its config checks
          // after a refusal and raises onPullError (PULL-46).
          this.leave(CloseReasons.NORMAL_CLOSURE, 'config load failed', { kind: 'stop' })
          if (!starting) this.safely('onPullError', () => this.parts.outlets.events.raise('onPullError', ['AUTHORIZE_ERROR'], false))
        } else {
          // Any other failed reload waits for the next config check (60 s), which finds no config and reloads.
          this.state = ConnectionState.Waiting
          this.status.set(PullStatus.Offline)
        }
      },
    )
  }

  /** Every 60 s (PULL-41): a stale config restarts the client, an actual one is checked against the revision. */
  private checkConfig(): void {
    if (this.state === ConnectionState.Loading) return
    if (this.configs.isActual()) {
      this.checkRevision(Number(this.config?.api?.revision_web) || 0)
      return
    }
    this.log.log('Pull: stale config detected, restarting')
    this.restart(CloseReasons.CONFIG_EXPIRED, 'config expired')
  }

  // ---------------------------------------------------------------- connecting

  private connect(): void {
    if (!this.enabled || !this.config || this.state === ConnectionState.Connected) return
    const generation = ++this.generation
    // An attempt still opening (a reconnect timer fired meanwhile) is dropped quietly, as Bitrix's connector does.
    this.transport?.disconnect(CloseReasons.NORMAL_CLOSURE, 'reconnect')
    this.transport = null
    this.timers.clear('reconnect')
    this.state = ConnectionState.Connecting
    this.status.set(PullStatus.Connecting)
    this.attempt++
    const factory = this.chooseTransport()
    this.transportFactory = factory
    const live = (): boolean => generation === this.generation
    const config = this.config
    this.transport = factory.create({
      url: () => connectionPath(config, this.session, factory.kind, this.o.secure, this.binary()),
      publishUrl: () => publicationPath(config, this.o.secure),
      binary: () => this.binary(),
      clock: this.o.clock,
      logger: this.log,
      callbacks: {
        onOpen: () => {
          if (live()) this.opened()
        },
        onClose: (info) => {
          if (live()) this.dropped(info)
        },
        onError: (error) => {
          if (!live()) return
          this.log.error('Pull: connection error', describeError(error))
          this.leave(CloseReasons.NORMAL_CLOSURE, 'connection error', { kind: 'reconnect', delaySec: 0 }, error)
        },
        onMessage: (frame) => live() && this.receive(frame, generation),
        onLastMessageId: (mid) => {
          if (live()) this.session.resumeFrom(mid)
        },
      },
    })
    this.transport.connect()
  }

  /** WebSocket when allowed (B.7: ES6 never falls back on its own), else long polling; or the injected connector. */
  private chooseTransport(): TransportFactory {
    if (this.o.transport) return this.o.transport
    const ws = webSocketTransport(this.o.WebSocket ?? null)
    if (this.isWebSocketAllowed() && ws.supported()) return ws
    return longPollingTransport(this.o.fetch ?? null)
  }

  /** Enabled in the config and not blocked by the 24 h flag another tab (or Bitrix's ES5 client) may have set. */
  isWebSocketAllowed(): boolean {
    const blockedUntil = Number(this.parts.storage?.get(WS_BLOCKED_KEY, 0))
    if (blockedUntil > this.o.clock.now()) return false
    return typeof this.o.WebSocket === 'function' && this.config?.server?.websocket_enabled === true
  }

  private opened(): void {
    this.state = ConnectionState.Connected
    this.status.quiet = this.hidden
    this.attempt = 0
    this.status.set(PullStatus.Online)
    this.log.log('Pull: connection with push-server opened')
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter.resolve(true)
    if (isJsonRpc(this.config)) {
      for (const userId of this.parts.outlets.userStatus.users()) {
        this.rpc.call('subscribeStatusChange', { userId }).catch((error) => this.log.log('Pull: status resubscribe failed', describeError(error)))
      }
    }
  }

  private dropped(info: CloseInfo): void {
    this.log.log(`Pull: connection closed, code ${info.code}`)
    if (info.code === CloseReasons.WRONG_CHANNEL_ID) this.leave(info.code, 'wrong channel signature', { kind: 'restart', delaySec: 0 })
    else this.leave(info.code, info.reason, { kind: 'reconnect', delaySec: 0 })
  }

  /** Back from waiting: load the config if the client has none (a restart was interrupted), else connect. */
  private resume(): void {
    if (this.config) this.connect()
    else this.load(true, false)
  }

  // ---------------------------------------------------------------- inbound pipeline

  /**
   * One frame through the pipeline: takeFrame (decode, session), then delivery of each new message, then the
   * JSON-RPC replies. A message whose delivery stops the client is still followed by the rest of its frame, as in
   * Bitrix. True when at least one new message arrived (long polling backs off from a server that answers at once
   * with nothing new).
   */
  private receive(frame: IncomingFrame, generation: number): boolean {
    const inbound = takeFrame(frame, { jsonRpc: isJsonRpc(this.config), protobuf: this.parts.protobuf() }, this.session, this.log)
    const rpc = inbound.rpc
    if (rpc?.ping) this.armPingWatchdog()
    if (rpc) for (const response of rpc.responses) this.rpc.handleResponse(response)
    const fresh = inbound.fresh
    for (let i = 0; i < fresh.length; i++) this.deliver(fresh[i]!, inbound.ownJson)
    if (rpc && generation === this.generation) for (const reply of rpc.replies) this.send(reply)
    return fresh.length > 0
  }

  private deliver(message: PullMessageBody, ownJson: boolean): void {
    let revision: number
    try {
      const route = routeMessage(message, this.o.clock.now(), Number(this.config?.server?.timeShift) || 0)
      if (route === Route.System) {
        revision = revisionOf(message.extra.revision_web)
        this.onSystemMessage(message.command, message.params)
      } else {
        revision = deliverMessage(message, route, this.parts.outlets, ownJson, this.debug)
      }
    } catch (error) {
      // deliverMessage guards the handlers; this guards the loop against our own bugs.
      this.log.error('Pull: message dispatch failed', describeError(error))
      return
    }
    if (revision) this.checkRevision(revision)
  }

  /** B.6: system messages are the connection's own business; systemAction() says what each one asks for. */
  private onSystemMessage(command: unknown, params: unknown): void {
    const action = systemAction(command, params)
    if (!action) return
    if (action.kind === 'replaceChannel') {
      if (!this.config) return
      this.config.channels[action.type] = action.channel
      this.log.log(`Pull: new config for the ${action.type} channel set`)
      this.reconnect(action.code, action.reason)
    } else if (action.kind === 'restart') {
      this.restart(action.code, action.reason)
    } else {
      this.reconnect(action.code, action.reason, action.delaySec)
    }
  }

  private armPingWatchdog(): void {
    this.timers.set('pingWait', () => {
      this.log.warn(`Pull: no pings received in ${PING_TIMEOUT * 2} seconds, reconnecting`)
      this.leave(CloseReasons.STUCK, 'connection stuck', { kind: 'reconnect', delaySec: 0 })
    }, PING_TIMEOUT * 2 * 1000)
  }

  // ---------------------------------------------------------------- the page

  /** Attached once per run (start or restart), detached by stop() and destroy(). */
  private listenToPage(): void {
    if (this.detachPage) return
    this.detachPage = listenToPage(this.o.win, this.o.bx, {
      online: () => this.onPageBack(),
      linkOpened: () => this.onPageBack(),
      offline: () => {
        if (this.state === ConnectionState.Connected || this.state === ConnectionState.Connecting || this.state === ConnectionState.Waiting) {
          this.leave(CloseReasons.NORMAL_CLOSURE, 'offline', { kind: 'page' })
        }
      },
      beforeUnload: () => this.onBeforeUnload(),
      pageHide: (persisted) => {
        // Into the back-forward cache (Phoenix and centrifuge-js do the same): a frozen page must not hold a socket.
        if (!persisted || this.state === ConnectionState.Stopped || this.state === ConnectionState.Destroyed) return
        this.hidden = true
        this.status.quiet = true
        this.leave(CloseReasons.NORMAL_CLOSURE, 'page hidden', { kind: 'page' })
      },
      pageShow: (persisted) => {
        if (!persisted || !this.hidden) return
        this.hidden = false
        this.status.quiet = false
        this.onPageBack()
      },
    }, this.log)
  }

  private detachFromPage(): void {
    this.detachPage?.()
    this.detachPage = null
    this.hidden = false
  }

  /** `online`, BXLinkOpened, `pageshow`: Bitrix calls connect(); only a client that waits has anything to do. */
  private onPageBack(): void {
    if (this.state === ConnectionState.Waiting && this.enabled) this.resume()
  }

  private onBeforeUnload(): void {
    this.status.quiet = true
    try {
      this.configs.saveSession(this.session)
    } catch (error) {
      this.log.error('Pull: could not save the session in local storage', describeError(error))
    }
    // Bitrix: if the page stays after all (the unload was cancelled), be back in 15 s.
    if (this.state !== ConnectionState.Loading) this.scheduleReconnect(BEFOREUNLOAD_RECONNECT_DELAY)
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.log.error(`Pull: ${what} handler failed`, describeError(error))
    }
  }
}

const WS_BLOCKED_KEY = 'bx-pull-websocket-blocked'
