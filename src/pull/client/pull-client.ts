// BX.PullClient (B.2): Bitrix's public surface, each member a few lines over the parts that do the work. The
// connection life is PullConnection's (connection.ts); this class holds the parts and hands page code its answers.

import type { RpcPublishParams } from '../codecs/json-rpc'
import type { ProtobufCodec } from '../codecs/types'
import { ChannelManager } from './channel-manager'
import { isJsonRpc, isSharedMode, serverVersion } from './connection-url'
import { PullConnection, type PullStartError } from './connection'
import { describeError } from './errors'
import { CloseReasons, PullStatus, REVISION, SubscriptionType, type PullStatusValue } from './constants'
import { pullEvents } from './events'
import { PullLogger, redactUrl } from './logger'
import { MobileBridge } from './mobile'
import { resolveOptions, type PullClientParams, type ResolvedOptions } from './options'
import { checkPublicChannels, publishMessage, type PublicChannel } from './publish'
import { callRest } from './rest'
import { StorageManager } from './storage-manager'
import { Subscriptions, type Unsubscribe } from './subscriptions'
import type { PullConfig } from './types'
import type {
  PullCommandHandler, PullCommandSubscription, PullModuleSubscription, PullOnlineSubscription, PullRevisionSubscription,
  PullStatusSubscription,
} from '../../types/pull-events'
import { UserStatusCallbacks, type UserStatusCallback } from './user-status'

export type { PullStartError }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype

export class PullClient {
  static readonly PullStatus = PullStatus
  static readonly SubscriptionType = SubscriptionType
  static readonly CloseReasons = CloseReasons
  static readonly StorageManager = StorageManager
  /**
   * The v4 protobuf codec every client without its own `protobuf` option uses: set by the full bundles, plugged in
   * by the protobuf add-on script, null in a build without protobuf (v4 servers then send text frames).
   */
  static protobuf: ProtobufCodec | null = null

  private readonly o: ResolvedOptions
  private readonly log: PullLogger
  private readonly subscriptions: Subscriptions
  private readonly userStatus = new UserStatusCallbacks()
  private readonly channelManager: ChannelManager
  private readonly connection: PullConnection

  constructor(params: PullClientParams = {}) {
    this.o = resolveOptions(isPlainObject(params) ? params : {})
    this.log = new PullLogger(this.o.logger)
    this.subscriptions = new Subscriptions(this.log)
    this.channelManager = new ChannelManager(() => this.o.restClient, this.o.getPublicListMethod, () => this.o.clock.now())
    const events = pullEvents(this.o.bx, this.o.win)
    const mobile = this.o.mobile ? new MobileBridge((name, args) => void events.raise(name, args, false), this.o.mobileApp, this.o.clock) : null
    const storage = this.o.storage ? new StorageManager({ userId: this.o.userId, siteId: this.o.siteId, storage: this.o.storage }) : null
    this.connection = new PullConnection({
      options: this.o,
      log: this.log,
      storage,
      outlets: { events, subscriptions: this.subscriptions, userStatus: this.userStatus, mobile, log: this.log },
      channelManager: this.channelManager,
      protobuf: () => this.protobufCodec(),
    })
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Loads the config (cache, then REST) and connects; resolves `true` once connected.
   * @example BX.PULL.start().then(() => console.log('connected'))
   */
  start(config?: PullConfig | null): Promise<true> {
    return this.connection.start(config)
  }

  /** Drops the connection and the cached config, reloads the config and connects again. */
  restart(disconnectCode: number = CloseReasons.NORMAL_CLOSURE, disconnectReason = 'manual restart'): void {
    this.connection.restart(disconnectCode, disconnectReason)
  }

  /** Disconnects; nothing connects again until start(). */
  stop(disconnectCode: number = CloseReasons.NORMAL_CLOSURE, disconnectReason = 'manual stop'): void {
    this.connection.stop(disconnectCode, disconnectReason)
  }

  reconnect(disconnectCode: number, disconnectReason: string, delay = 1): void {
    this.connection.reconnect(disconnectCode, disconnectReason, delay)
  }

  /**
   * Ours (Bitrix has no teardown): stops for good, removes every listener and timer, rejects pending calls and
   * removes the cached config, which holds the channel signatures and the JWT.
   */
  destroy(): void {
    this.connection.destroy()
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

  isConnected(): boolean {
    return this.connection.isConnected()
  }

  /** `'online' | 'offline' | 'connect'`, as Bitrix's `status` getter; changes are announced by onPullStatus. */
  get status(): PullStatusValue {
    return this.connection.status.value
  }

  // ---------------------------------------------------------------- publishing (B.9)

  /**
   * Publishes to users (client-to-client); they receive it as `onPullClientEvent-<moduleId>`.
   * @example BX.PULL.sendMessage([5], 'myapp', 'typing', {chatId: 1})
   */
  sendMessage(users: number[], moduleId: string, command: string, params: Record<string, unknown>, expiry?: number): Promise<unknown> {
    if (!Array.isArray(users)) return Promise.reject(new TypeError('users must be an array'))
    return this.publish({ userList: users.map(Number), body: { module_id: moduleId, command, params }, expiry })
  }

  /**
   * Publishes to public channels (`"publicId.signature"` or `{publicId, signature}`); anything else throws.
   * @example BX.PULL.sendMessageToChannels(['abc….sig'], 'myapp', 'ping', {})
   */
  sendMessageToChannels(
    publicChannels: PublicChannel[], moduleId: string, command: string, params: Record<string, unknown>, expiry?: number,
  ): Promise<unknown> {
    const channelList = checkPublicChannels(publicChannels)
    return this.publish({ channelList, body: { module_id: moduleId, command, params }, expiry })
  }

  private publish(message: RpcPublishParams): Promise<unknown> {
    // The ES6 original skips this check on v5; the spec (PULL-48) asks for it on every version, and v5 servers
    // report publish_enabled too.
    if (!this.isPublishingEnabled()) {
      this.log.error('Client publishing is not supported or is disabled')
      return Promise.reject(new Error('Client publishing is not supported or is disabled'))
    }
    const connection = this.connection
    return publishMessage(message, {
      jsonRpc: this.isJsonRpc(),
      rpc: connection.rpc,
      channelManager: this.channelManager,
      protobuf: connection.binary() ? this.protobufCodec() : null,
      send: (bytes) => connection.send(bytes),
    })
  }

  private protobufCodec(): ProtobufCodec | null {
    return this.o.protobuf === undefined ? PullClient.protobuf : this.o.protobuf
  }

  // ---------------------------------------------------------------- v5 user status and RPC

  /** v5: calls `callback({userId, isOnline})` on each status change of `userId`. */
  subscribeUserStatusChange(userId: number, callback: UserStatusCallback): Promise<void> {
    if (typeof userId !== 'number') return Promise.reject(new TypeError('userId must be a number'))
    return this.connection.rpc.call('subscribeStatusChange', { userId }).then(() => this.userStatus.add(userId, callback))
  }

  unsubscribeUserStatusChange(userId: number, callback: UserStatusCallback): Promise<unknown> {
    if (!this.userStatus.remove(userId, callback)) return Promise.resolve()
    return this.connection.rpc.call('unsubscribeStatusChange', { userId })
  }

  /**
   * v5: seconds since each user was last seen (0 = online now). Users the push server does not know are asked for
   * through REST `pull.api.user.getLastSeen`.
   */
  async getUsersLastSeen(userList: number[]): Promise<Record<number, number>> {
    if (!Array.isArray(userList) || !userList.every((item) => typeof item === 'number')) {
      throw new TypeError('userList must be an array of numbers')
    }
    const response = await this.connection.rpc.call('getUsersLastSeen', { userList })
    const result: Record<number, number> = {}
    const known = response !== null && typeof response === 'object' ? (response as Record<string, unknown>) : {}
    for (const [userId, seconds] of Object.entries(known)) result[Number(userId)] = Number(seconds)
    const unresolved = userList.filter((userId) => !Object.prototype.hasOwnProperty.call(known, userId))
    const rest = this.o.restClient
    if (unresolved.length === 0 || !rest) return result
    // `sendToQueueSever` (sic) is the parameter name Bitrix's client sends.
    const data = await callRest(rest, 'pull.api.user.getLastSeen', { userIds: unresolved, sendToQueueSever: true })
    if (data !== null && typeof data === 'object') {
      for (const [userId, seconds] of Object.entries(data)) result[Number(userId)] = Number(seconds)
    }
    return result
  }

  /** v5: round trip to the push server; rejects with ErrorTimeout after `timeout` seconds. */
  ping(timeout = 5): Promise<unknown> {
    return this.connection.rpc.call('ping', {}, timeout)
  }

  listChannels(): Promise<unknown> {
    return this.connection.rpc.call('listChannels', {})
  }

  // ---------------------------------------------------------------- state setters, watch tags

  setPublicIds(publicIds: unknown): void {
    this.channelManager.setPublicIds(publicIds)
  }

  setLastMessageId(lastMessageId: string | null): void {
    this.connection.session.mid = lastMessageId
  }

  /** Keeps `tag` subscribed server-side: `pull.watch.extend` every 29 min, or in 5 s when forced. */
  extendWatch(tag: string, force = false): void {
    this.connection.watch.extend(tag, force)
  }

  clearWatch(tag: string): void {
    this.connection.watch.clear(tag)
  }

  // ---------------------------------------------------------------- debug getters

  getRevision(): number {
    return REVISION
  }

  getServerVersion(): number {
    return serverVersion(this.connection.config)
  }

  getServerMode(): string | undefined {
    return this.connection.config?.server?.mode
  }

  getConfig(): PullConfig | null {
    return this.connection.config
  }

  isWebSocketSupported(): boolean {
    return typeof this.o.WebSocket === 'function'
  }

  isWebSocketEnabled(): boolean {
    return this.isWebSocketSupported() && this.connection.config?.server?.websocket_enabled === true
  }

  /** Enabled and not blocked by the 24 h flag another tab (or Bitrix's ES5 client) may have set. */
  isWebSocketAllowed(): boolean {
    return this.connection.isWebSocketAllowed()
  }

  isPublishingSupported(): boolean {
    return serverVersion(this.connection.config) > 3
  }

  isPublishingEnabled(): boolean {
    return this.isPublishingSupported() && this.connection.config?.server?.publish_enabled === true
  }

  /** v4 with the protobuf codec plugged in (Bitrix: v4 and not IE). */
  isProtobufSupported(): boolean {
    return this.connection.binary()
  }

  isJsonRpc(): boolean {
    return isJsonRpc(this.connection.config)
  }

  isSharedMode(): boolean {
    return isSharedMode(this.connection.config)
  }

  /** Like Bitrix's, with channel ids and tokens masked. */
  getDebugInfo(): Record<string, unknown> {
    const connection = this.connection
    const config = connection.config
    let path = '-'
    try {
      if (config) path = redactUrl(connection.connectionUrl())
    } catch (error) {
      path = `- (${describeError(error)})`
    }
    return {
      UserId: this.o.userId + (this.o.userId > 0 ? '' : '(guest)'),
      'Guest userId': this.o.guestMode && this.o.guestUserId !== 0 ? this.o.guestUserId : '-',
      Connect: this.isConnected() ? 'Y' : 'N',
      'Server type': this.isSharedMode() ? 'cloud' : 'local',
      'WebSocket supported': this.isWebSocketSupported() ? 'Y' : 'N',
      'WebSocket connected': this.isWebSoketConnected() ? 'Y' : 'N',
      'WebSocket mode': this.isJsonRpc() ? 'json-rpc' : this.isProtobufSupported() ? 'protobuf' : 'text',
      'Connection type': connection.transportFactory?.name ?? '-',
      'Try connect': connection.isReconnecting() ? 'Y' : 'N',
      Path: path,
      ChannelDie: config?.channels?.private?.end ?? 'n/a',
      ChannelDieShared: config?.channels?.shared?.end ?? 'n/a',
      'Last message': connection.session.mid || '-',
      'Session history': connection.session.historySnapshot(),
      'Watch tags': connection.watch.list(),
    }
  }

  /** Logs each received message to the console (B.3.2). */
  capturePullEvent(debugFlag = true): void {
    this.connection.debug = debugFlag !== false
  }

  enableLogging(loggingFlag = true): void {
    this.log.enabled = loggingFlag !== false
  }

  // ---------------------------------------------------------------- legacy (kept so old page code does not throw)

  /** True when connected over a WebSocket (sic: Bitrix's spelling). */
  isWebSoketConnected(): boolean {
    return this.isConnected() && this.connection.connectionKind() === 'webSocket'
  }

  supportWebSocket(): boolean {
    return this.isWebSocketSupported()
  }

  getPullServerStatus(): boolean {
    return this.isConnected()
  }

  setPrivateVar(): void {}
  returnPrivateVar(): void {}
  expireConfig(): void {}
  updateChannelID(): void {}
  tryConnect(): void {}
  tryConnectDelay(): void {}
  tryConnectSet(): void {}
  updateState(): void {}
  setUpdateStateStepCount(): void {}
  closeConfirm(): void {}
}
