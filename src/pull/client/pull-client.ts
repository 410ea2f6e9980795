// BX.PullClient (B.2-B.8): connection life, config, routing of received messages. Publishing, user status and the
// legacy stubs live in pull-client-api.ts, which extends this class, so each file stays about one concern.

import type { PullMessage } from '../codecs'
import { longPollingTransport } from '../transports/long-polling'
import type { CloseInfo, IncomingFrame, Transport, TransportFactory } from '../transports/types'
import { webSocketTransport } from '../transports/websocket'
import { reconnectDelay, restartDelay } from './backoff'
import { ChannelManager } from './channel-manager'
import { Timers } from './clock'
import { fetchConfig, isConfigActual } from './config'
import { connectionPath, isJsonRpc, isProtobufSupported, publicationPath, type ConnectionKind } from './connection-url'
import {
  BEFOREUNLOAD_RECONNECT_DELAY, CloseReasons, CONFIG_CHECK_INTERVAL_MS, LS_CONFIG, LS_SESSION, PING_TIMEOUT, PullStatus,
  REVISION, SERVER_RESTART_DELAY, SESSION_TTL, SubscriptionType,
  type PullStatusValue,
} from './constants'
import { ownRaiseOf, type OwnRaise } from '../../bx/own-raise'
import { dispatchMessage, type DispatchContext } from './dispatch'
import { PullLogger } from './logger'
import { MobileBridge } from './mobile'
import { resolveOptions, type PullClientParams, type ResolvedOptions } from './options'
import { RestError } from './rest'
import { RpcCaller } from './rpc'
import { PullSession } from './session'
import { listenToPage } from './page-events'
import { receiveFrame, type ReceiverHost } from './receiver'
import { StatusTracker } from './status'
import { StorageManager } from './storage-manager'
import { Subscriptions, type Unsubscribe } from './subscriptions'
import type { PullConfig } from './types'
import type {
  PullCommandHandler, PullCommandSubscription, PullModuleSubscription, PullOnlineSubscription, PullRevisionSubscription,
  PullStatusSubscription,
} from '../../types/pull-events'
import { WatchTags } from './watch'

type TimerName = 'reconnect' | 'restart' | 'checkConfig' | 'offlineStatus' | 'pingWait' | 'watch'

export interface PullStartError {
  ex: { error: string; error_description: string }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype

export class PullClientCore {
  protected readonly o: ResolvedOptions
  protected readonly log: PullLogger
  protected readonly timers: Timers<TimerName>
  protected readonly storage: StorageManager | null
  protected readonly subscriptions: Subscriptions
  protected readonly channelManager: ChannelManager
  protected readonly rpc: RpcCaller
  protected readonly session = new PullSession()
  protected config: PullConfig | null = null
  protected transport: Transport | null = null
  protected transportFactory: TransportFactory | null = null
  protected enabled: boolean
  protected debug = false
  protected userStatusCallbacks = new Map<number, ((data: { userId: number; isOnline: boolean }) => void)[]>()
  private readonly statusTracker: StatusTracker
  private readonly mobile: MobileBridge | null
  private readonly dispatchContext: DispatchContext
  private configTimestamp: number
  private connectionAttempt = 0
  private manualDisconnect = false
  private starting: Promise<true> | null = null
  private connectPromise: { resolve(): void; reject(error: unknown): void } | null = null
  private detachPage: (() => void) | null = null
  private readonly watch: WatchTags
  private readonly receiverHost: ReceiverHost
  /** The raise of our own BX (own-raise.ts), looked up once; null for a BX we did not make. */
  private ownRaise: OwnRaise | null | undefined

  constructor(params: PullClientParams = {}) {
    this.o = resolveOptions(isPlainObject(params) ? params : {})
    this.log = new PullLogger(this.o.logger)
    this.timers = new Timers<TimerName>(this.o.clock)
    this.enabled = this.o.enabled
    this.configTimestamp = this.o.configTimestamp
    this.storage = this.o.storage ? new StorageManager({ userId: this.o.userId, siteId: this.o.siteId, storage: this.o.storage }) : null
    this.subscriptions = new Subscriptions(this.log)
    this.channelManager = new ChannelManager(() => this.o.restClient, this.o.getPublicListMethod, () => this.o.clock.now())
    this.rpc = new RpcCaller((frame) => this.transport?.send(frame) ?? false, this.o.clock, this.log)
    this.statusTracker = new StatusTracker(this.timers, (status) => this.sendPullStatus(status))
    this.mobile = this.o.mobile ? new MobileBridge((name, args) => this.raise(name, args), this.o.mobileApp, this.o.clock) : null
    this.watch = new WatchTags(this.timers, () => this.o.restClient)
    this.receiverHost = {
      session: this.session,
      log: this.log,
      jsonRpc: () => isJsonRpc(this.config),
      dispatch: (message, ownJson) => this.dispatch(message, ownJson),
      onPing: () => this.armPingWatchdog(),
      onRpcResponse: (response) => this.rpc.handleResponse(response),
      send: (reply) => void this.transport?.send(reply),
    }
    this.dispatchContext = {
      raise: (name, args, copy) => this.raise(name, args, copy),
      subscriptions: this.subscriptions,
      now: () => this.o.clock.now(),
      timeShift: () => Number(this.config?.server?.timeShift) || 0,
      logger: this.log,
      debug: () => this.debug,
      mobile: this.mobile,
      onSystemMessage: (command, params) => this.handleSystemMessage(command, params),
      emitUserStatusChange: (userId, isOnline) => this.emitUserStatusChange(userId, isOnline),
      checkRevision: (revision) => void this.checkRevision(revision),
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Loads the config (cache, then REST) and connects; resolves `true` once connected.
   * @example BX.PULL.start().then(() => console.log('connected'))
   */
  start(config?: PullConfig | null): Promise<true> {
    if (this.isConnected()) return Promise.resolve(true)
    // The ES6 original returns its stored {resolve, reject} here by mistake; the pending promise is what it meant.
    if (this.starting) return this.starting
    let allowCaching = true
    let skipLastSession = false
    if (isPlainObject(config)) {
      if (config.skipReconnectToLastSession !== undefined) {
        skipLastSession = Boolean(config.skipReconnectToLastSession)
        delete config.skipReconnectToLastSession
      }
      this.config = config
      // "Used as is" (B.2): Bitrix would still reload it when its config_timestamp differs from the page's
      // BX.message('pull_config_timestamp'), which a shim page does not print; adopting the given timestamp keeps
      // a hand-made or server-supplied config from being replaced at once. Ended channels still force a reload.
      if (isPlainObject(config.server)) this.configTimestamp = Number(config.server.config_timestamp) || 0
      allowCaching = false
    }
    if (!this.enabled) {
      const error: PullStartError = { ex: { error: 'PULL_DISABLED', error_description: 'Push & Pull server is disabled' } }
      return Promise.reject(error)
    }
    if (!skipLastSession && this.storage) {
      const saved = this.storage.get(LS_SESSION, null)
      if (isPlainObject(saved) && typeof saved.ttl === 'number' && saved.ttl >= this.o.clock.now() && typeof saved.mid === 'string') {
        this.session.mid = saved.mid
      }
    }
    const starting = this.loadConfig().then(
      (loaded) => {
        this.setConfig(loaded, allowCaching)
        this.init()
        this.watch.schedule(true)
        this.startCheckConfig()
        return this.connect().then(() => true as const)
      },
      (error: unknown) => {
        this.statusTracker.set(PullStatus.Offline)
        this.stopCheckConfig()
        this.log.error('Pull: could not read push-server config', describeError(error))
        throw error
      },
    )
    this.starting = starting
    const clear = (): void => {
      if (this.starting === starting) this.starting = null
    }
    starting.then(clear, clear)
    return starting
  }

  /** Drops the connection and the cached config, reloads the config and connects again. */
  restart(disconnectCode: number = CloseReasons.NORMAL_CLOSURE, disconnectReason = 'manual restart'): void {
    this.timers.clear('restart')
    this.disconnect(disconnectCode, disconnectReason)
    this.storage?.remove(LS_CONFIG)
    this.config = null
    this.loadConfig().then(
      (loaded) => {
        this.setConfig(loaded, true)
        this.watch.schedule()
        this.startCheckConfig()
        this.connect().catch((error) => this.log.log('Pull: restart could not connect', describeError(error)))
      },
      (error: unknown) => {
        this.log.error('Pull: could not read push-server config', describeError(error))
        this.statusTracker.set(PullStatus.Offline)
        this.timers.clear('reconnect')
        const status = error instanceof RestError ? error.status : Number((error as { status?: unknown } | null)?.status)
        if (status === 401 || status === 403) {
          this.stopCheckConfig()
          this.safely('onPullError', () => this.raise('onPullError', ['AUTHORIZE_ERROR']))
        }
      },
    )
  }

  /** Disconnects without reconnecting; start() connects again. */
  stop(disconnectCode: number = CloseReasons.NORMAL_CLOSURE, disconnectReason = 'manual stop'): void {
    this.disconnect(disconnectCode, disconnectReason)
    this.stopCheckConfig()
    this.timers.clear('reconnect')
    this.timers.clear('restart')
    this.watch.stop()
  }

  reconnect(disconnectCode: number, disconnectReason: string, delay = 1): void {
    this.disconnect(disconnectCode, disconnectReason)
    this.scheduleReconnect(delay)
  }

  /** Stops, removes every listener and timer, and rejects pending calls. Ours: Bitrix has no teardown. */
  destroy(): void {
    this.stop(CloseReasons.NORMAL_CLOSURE, 'destroy')
    this.enabled = false
    this.timers.clearAll()
    this.mobile?.destroy()
    this.rpc.rejectAll(new Error('PullClient destroyed'))
    this.removeListeners()
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * The callback's arguments follow the subscription's shape (src/types/pull-events.ts).
   * @example const unsubscribe = BX.PULL.subscribe({moduleId: 'im', command: 'message', callback: (params) => {}})
   */
  subscribe<M extends string, C extends string>(params: PullCommandSubscription<M, C>): Unsubscribe
  subscribe<M extends string>(params: PullModuleSubscription<M>): Unsubscribe
  subscribe(params: PullOnlineSubscription | PullStatusSubscription | PullRevisionSubscription): Unsubscribe
  subscribe(handler: PullCommandHandler): Unsubscribe
  subscribe(params: unknown): Unsubscribe {
    return this.subscriptions.subscribe(params)
  }

  // ---------------------------------------------------------------- connection

  isConnected(): boolean {
    return this.transport?.connected === true
  }

  /** `'online' | 'offline' | 'connect'`, as Bitrix's `status` getter; changes are announced by onPullStatus. */
  get status(): PullStatusValue {
    return this.statusTracker.value
  }

  protected connect(): Promise<void> {
    if (!this.enabled) return Promise.reject(new Error('Push & Pull is disabled'))
    if (!this.config) return Promise.reject(new Error('Pull: not started'))
    if (this.transport?.connected) return Promise.resolve()
    this.timers.clear('reconnect')
    this.statusTracker.set(PullStatus.Connecting)
    this.connectionAttempt++
    return new Promise<void>((resolve, reject) => {
      this.connectPromise = { resolve, reject }
      this.ensureTransport().connect()
    })
  }

  protected disconnect(code: number, reason: string): void {
    if (!this.transport) return
    this.manualDisconnect = true
    this.transport.disconnect(code, reason)
    // Bitrix leaves a connect() that was still pending hanging forever (and start() with it); we settle it.
    if (this.connectPromise) {
      this.connectPromise.reject(new Error(`Pull: disconnected (${code} ${reason})`))
      this.connectPromise = null
    }
  }

  protected scheduleReconnect(delaySec = 0): void {
    if (!this.enabled) return
    const delay = delaySec > 0 ? delaySec : reconnectDelay(this.connectionAttempt, this.o.random)
    this.log.log(`Pull: reconnecting in ${delay} s, attempt ${this.connectionAttempt}`)
    this.timers.set('reconnect', () => {
      this.connect().catch((error) => this.log.log('Pull: reconnect failed', describeError(error)))
    }, delay * 1000)
  }

  protected scheduleRestart(code: number, reason: string, delaySec = 0): void {
    const delay = delaySec >= 1 ? delaySec : restartDelay(this.o.random)
    this.timers.set('restart', () => this.restart(code, reason), delay * 1000)
  }

  protected connectionUrlForDebug(): string {
    return connectionPath(this.requireConfig(), this.session, this.connectionKind(), this.o.secure)
  }

  protected watchTagList(): string[] {
    return this.watch.list()
  }

  protected connectionKind(): ConnectionKind {
    return this.transportFactory?.kind ?? 'webSocket'
  }

  private ensureTransport(): Transport {
    if (this.transport) return this.transport
    const factory = this.chooseTransport()
    this.transportFactory = factory
    this.transport = factory.create({
      url: () => connectionPath(this.requireConfig(), this.session, factory.kind, this.o.secure),
      publishUrl: () => (this.config ? publicationPath(this.config, this.o.secure) : ''),
      binary: () => isProtobufSupported(this.config) && !isJsonRpc(this.config),
      clock: this.o.clock,
      logger: this.log,
      callbacks: {
        onOpen: () => this.handleOpen(),
        onClose: (info) => this.handleClose(info),
        onError: (error) => this.handleError(error),
        onMessage: (frame) => this.handleFrame(frame),
        onLastMessageId: (mid) => {
          this.session.mid = mid
        },
      },
    })
    return this.transport
  }

  /** WebSocket when allowed (B.7: ES6 never falls back on its own), else long polling; or the injected connector. */
  private chooseTransport(): TransportFactory {
    if (this.o.transport) return this.o.transport
    const ws = webSocketTransport(this.o.WebSocket ?? null)
    if (this.isWebSocketAllowed() && ws.supported()) return ws
    return longPollingTransport(this.o.fetch ?? null)
  }

  /** Overridden by PullClient (it owns the WebSocket-blocked flag and the `websocket_enabled` gate). */
  isWebSocketAllowed(): boolean {
    return this.config?.server?.websocket_enabled === true
  }

  private requireConfig(): PullConfig {
    if (!this.config) throw new Error('Pull: no config')
    return this.config
  }

  private handleOpen(): void {
    this.statusTracker.unloading = false
    this.connectionAttempt = 0
    this.manualDisconnect = false
    this.statusTracker.set(PullStatus.Online)
    this.log.log('Pull: connection with push-server opened')
    this.connectPromise?.resolve()
    this.connectPromise = null
    this.restoreUserStatusSubscription()
  }

  private handleClose(info: CloseInfo): void {
    this.statusTracker.set(PullStatus.Offline)
    this.log.log(`Pull: connection closed, code ${info.code}`)
    if (!this.manualDisconnect) {
      if (info.code === CloseReasons.WRONG_CHANNEL_ID) this.scheduleRestart(CloseReasons.WRONG_CHANNEL_ID, 'wrong channel signature')
      else this.scheduleReconnect()
    }
    this.manualDisconnect = false
    this.timers.clear('pingWait')
  }

  private handleError(error: unknown): void {
    this.statusTracker.set(PullStatus.Offline)
    this.log.error('Pull: connection error', describeError(error))
    this.scheduleReconnect()
    this.connectPromise?.reject(error)
    this.connectPromise = null
    this.timers.clear('pingWait')
  }

  // ---------------------------------------------------------------- incoming

  private handleFrame(frame: IncomingFrame): void {
    receiveFrame(this.receiverHost, frame)
  }

  private dispatch(message: PullMessage['text'], ownJson: boolean): void {
    try {
      dispatchMessage(this.dispatchContext, message, ownJson)
    } catch (error) {
      // dispatchMessage guards the handlers; this guards the loop against our own bugs and the revision check.
      this.log.error('Pull: message dispatch failed', describeError(error))
    }
  }

  private handleSystemMessage(command: string, params: Record<string, unknown>): void {
    switch (command.toUpperCase()) {
      case 'CHANNEL_EXPIRE': {
        const channel = params.channel as { type?: unknown } | undefined
        const newChannel = params.new_channel
        if (params.action === 'reconnect' && this.config && typeof channel?.type === 'string' && isPlainObject(newChannel)) {
          this.config.channels[channel.type] = newChannel as unknown as PullConfig['channels'][string]
          this.log.log(`Pull: new config for the ${channel.type} channel set`)
          this.reconnect(CloseReasons.CONFIG_REPLACED, 'config was replaced')
        } else {
          this.restart(CloseReasons.CHANNEL_EXPIRED, 'channel expired received')
        }
        break
      }
      case 'CONFIG_EXPIRE':
        this.restart(CloseReasons.CONFIG_EXPIRED, 'config expired received')
        break
      case 'SERVER_RESTART':
        this.reconnect(CloseReasons.SERVER_RESTARTED, 'server was restarted', SERVER_RESTART_DELAY)
        break
      default:
        // pull/open, open_exists, reopen of v1/v2 servers: ignored by the modern client.
        break
    }
  }

  private armPingWatchdog(): void {
    this.timers.set('pingWait', () => {
      if (!this.enabled || !this.isConnected()) return
      this.log.warn(`Pull: no pings received in ${PING_TIMEOUT * 2} seconds, reconnecting`)
      this.disconnect(CloseReasons.STUCK, 'connection stuck')
      this.scheduleReconnect()
    }, PING_TIMEOUT * 2 * 1000)
  }

  protected emitUserStatusChange(userId: unknown, isOnline: unknown): void {
    const callbacks = this.userStatusCallbacks.get(Number(userId))
    if (!callbacks) return
    for (const callback of [...callbacks]) callback({ userId: userId as number, isOnline: isOnline as boolean })
  }

  protected restoreUserStatusSubscription(): void {
    if (!isJsonRpc(this.config)) return
    for (const [userId, callbacks] of this.userStatusCallbacks) {
      if (callbacks.length === 0) continue
      this.rpc.call('subscribeStatusChange', { userId }).catch((error) => this.log.log('Pull: status resubscribe failed', describeError(error)))
    }
  }

  // ---------------------------------------------------------------- config

  protected async loadConfig(): Promise<PullConfig> {
    const now = this.o.clock.now()
    if (!this.config) {
      const cached = this.storage?.get(LS_CONFIG, null)
      if (isConfigActual(cached, this.configTimestamp, now) && this.checkRevision(Number(cached.api?.revision_web) || 0)) {
        return cached
      }
      this.storage?.remove(LS_CONFIG)
    } else if (isConfigActual(this.config, this.configTimestamp, now) && this.checkRevision(Number(this.config.api?.revision_web) || 0)) {
      return this.config
    }
    const rest = this.o.restClient
    if (!rest) throw new Error('Pull: no REST client to load the config with')
    return fetchConfig(rest, this.o.configGetMethod, () => this.o.clock.now())
  }

  protected setConfig(config: PullConfig, allowCaching: boolean): void {
    this.config = config
    if (isPlainObject(config.publicChannels)) this.channelManager.setPublicIds(Object.values(config.publicChannels))
    this.configTimestamp = Number(config.server?.config_timestamp) || 0
    if (!this.storage || !allowCaching) return
    try {
      this.storage.set(LS_CONFIG, config)
    } catch (error) {
      // A full quota: Bitrix frees the key its other code fills most ('history') and goes on without a cache.
      try {
        this.o.storage?.removeItem('history')
      } catch {
        // nothing more to free
      }
      this.log.error('Pull: could not cache config in local storage', describeError(error))
    }
  }

  private startCheckConfig(): void {
    this.timers.every('checkConfig', () => this.checkConfig(), CONFIG_CHECK_INTERVAL_MS)
  }

  private stopCheckConfig(): void {
    this.timers.clear('checkConfig')
  }

  protected checkConfig(): boolean {
    if (isConfigActual(this.config, this.configTimestamp, this.o.clock.now())) {
      return this.checkRevision(Number(this.config.api?.revision_web) || 0)
    }
    this.log.log('Pull: stale config detected, restarting')
    this.restart(CloseReasons.CONFIG_EXPIRED, 'config expired')
    return true
  }

  /** B.8: a server expecting another client revision disables this one; a page reload is needed. */
  protected checkRevision(serverRevision: number): boolean {
    if (this.o.skipCheckRevision) return true
    if (serverRevision > 0 && serverRevision !== REVISION) {
      this.enabled = false
      // Bitrix shows a PULL_OLD_REVISION popup here; the shim has no UI kit, so it says so on the console.
      this.log.warn(`Pull revision changed from ${REVISION} to ${serverRevision}. Reload required`)
      this.disconnect(CloseReasons.NORMAL_CLOSURE, 'check_revision')
      // Guarded one by one (Bitrix is not): this runs from timers too, where a throwing handler would escape.
      this.safely('onPullRevisionUp', () => this.raise('onPullRevisionUp', [serverRevision, REVISION]))
      this.safely('revision subscriber', () => this.subscriptions.emitFlat(SubscriptionType.Revision, () => ({ server: serverRevision, client: REVISION })))
      return false
    }
    return true
  }

  // ---------------------------------------------------------------- watch tags

  /** Keeps `tag` subscribed server-side: `pull.watch.extend` every 29 min, or in 5 s when forced. */
  extendWatch(tag: string, force = false): void {
    this.watch.extend(tag, force)
  }

  clearWatch(tag: string): void {
    this.watch.clear(tag)
  }

  // ---------------------------------------------------------------- window and BX listeners

  private init(): void {
    if (this.detachPage) return
    this.detachPage = listenToPage(this.o.win, this.o.bx, {
      online: () => this.connect().catch((error) => this.log.log('Pull: connect after online failed', describeError(error))),
      offline: () => this.disconnect(CloseReasons.NORMAL_CLOSURE, 'offline'),
      beforeUnload: () => this.handleBeforeUnload(),
      linkOpened: () => this.connect().catch((error) => this.log.log('Pull: connect after BXLinkOpened failed', describeError(error))),
    }, this.log)
  }

  private removeListeners(): void {
    this.detachPage?.()
    this.detachPage = null
  }

  private handleBeforeUnload(): void {
    this.statusTracker.unloading = true
    if (this.storage) {
      const saved = { mid: this.session.mid, tag: this.session.tag, time: this.session.time, ttl: this.o.clock.now() + SESSION_TTL * 1000 }
      try {
        this.storage.set(LS_SESSION, saved)
      } catch (error) {
        this.log.error('Pull: could not save the session in local storage', describeError(error))
      }
    }
    this.scheduleReconnect(BEFOREUNLOAD_RECONNECT_DELAY)
  }

  // ---------------------------------------------------------------- output

  /**
   * BX.onCustomEvent(window, name, args, true): BX events of the pull client always clone their params (PULL-29).
   * On a BX made by createBX, `copy` (given for the client's own parsed JSON) makes the copies. True when `args` may
   * have reached a listener uncopied (see dispatch.ts); a BX we did not make is assumed to do that.
   */
  protected raise(name: string, args: unknown[], copy?: (data: any) => any): boolean {
    const bx = this.o.bx
    if (!bx) return false
    if (copy) {
      const own = (this.ownRaise ??= ownRaiseOf(bx) ?? null)
      if (own) return own(this.o.win, name, args, copy)
    }
    const target = this.o.win
    if (target) bx.onCustomEvent(target, name, args, true)
    else (bx.onCustomEvent as unknown as (n: string, a: unknown[], s: boolean) => void)(name, args, true)
    return true
  }

  private sendPullStatus(status: PullStatusValue): void {
    // Status listeners run outside any message loop: one that throws must not break the connection handling.
    this.safely('onPullStatus', () => this.raise('onPullStatus', [status]))
    this.safely('status subscriber', () => this.subscriptions.emitFlat(SubscriptionType.Status, () => ({ status })))
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.log.error(`Pull: ${what} handler failed`, describeError(error))
    }
  }
}

/** An error for the console without the payload it may carry (REST answers hold tokens). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  if (isPlainObject(error) && isPlainObject(error.ex)) return String(error.ex.error)
  return typeof error === 'string' ? error : Object.prototype.toString.call(error)
}
