// The rest of BX.PullClient's public surface (B.2, B.9): client-to-client publishing, v5 user status and RPC calls,
// debug getters and the legacy no-op stubs, plus the statics pages read from `BX.PullClient`.

import { encodePublishBatch, toReceiver, type PublicChannel, type RpcPublishParams } from '../codecs'
import { isJsonRpc, isProtobufSupported, isSharedMode, serverVersion } from './connection-url'
import { CloseReasons, PullStatus, REVISION, RPC_TIMEOUT, SubscriptionType } from './constants'
import { redactUrl } from './logger'
import { PullClientCore, describeError } from './pull-client'
import { callRest } from './rest'
import { StorageManager } from './storage-manager'
import type { PullConfig } from './types'

type StatusCallback = (data: { userId: number; isOnline: boolean }) => void

const WS_BLOCKED_KEY = 'bx-pull-websocket-blocked'

/** PULL-49: only `"publicId.signature"` or `{publicId, signature}`; the codec's toReceiver holds the rule. */
function checkPublicChannels(channels: unknown): PublicChannel[] {
  if (!Array.isArray(channels)) throw new TypeError('publicChannels must be an array')
  for (const channel of channels) toReceiver(channel as PublicChannel)
  return channels as PublicChannel[]
}

export class PullClient extends PullClientCore {
  static readonly PullStatus = PullStatus
  static readonly SubscriptionType = SubscriptionType
  static readonly CloseReasons = CloseReasons
  static readonly StorageManager = StorageManager

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

  private async publish(message: RpcPublishParams): Promise<unknown> {
    // The ES6 original skips this check on v5; the spec (PULL-48) asks for it on every version, and v5 servers
    // report publish_enabled too.
    if (!this.isPublishingEnabled()) {
      this.log.error('Client publishing is not supported or is disabled')
      throw new Error('Client publishing is not supported or is disabled')
    }
    if (message.expiry === undefined) delete message.expiry
    if (isJsonRpc(this.config)) return this.rpc.call('publish', message, RPC_TIMEOUT)
    const userIds = [...new Set(message.userList ?? [])]
    const publicIds = await this.channelManager.getPublicIds(userIds)
    const channels: PublicChannel[] = userIds.map((userId) => {
      const ref = publicIds.get(userId)
      if (!ref) throw new Error(`Could not determine public id for user ${userId}`)
      return { publicId: ref.publicId, signature: ref.signature }
    })
    channels.push(...(message.channelList ?? []))
    const bytes = encodePublishBatch([{ channels, body: message.body, expiry: message.expiry ?? 0 }])
    return this.transport?.send(bytes) ?? false
  }

  // ---------------------------------------------------------------- v5 user status and RPC

  /** v5: calls `callback({userId, isOnline})` on each status change of `userId`. */
  subscribeUserStatusChange(userId: number, callback: StatusCallback): Promise<void> {
    if (typeof userId !== 'number') return Promise.reject(new TypeError('userId must be a number'))
    return this.rpc.call('subscribeStatusChange', { userId }).then(() => {
      const list = this.userStatusCallbacks.get(userId) ?? []
      if (typeof callback === 'function') list.push(callback)
      this.userStatusCallbacks.set(userId, list)
    })
  }

  unsubscribeUserStatusChange(userId: number, callback: StatusCallback): Promise<unknown> {
    const list = this.userStatusCallbacks.get(userId)
    if (!list) return Promise.resolve()
    const rest = list.filter((item) => item !== callback)
    this.userStatusCallbacks.set(userId, rest)
    if (rest.length > 0) return Promise.resolve()
    return this.rpc.call('unsubscribeStatusChange', { userId })
  }

  /**
   * v5: seconds since each user was last seen (0 = online now). Users the push server does not know are asked for
   * through REST `pull.api.user.getLastSeen`.
   */
  async getUsersLastSeen(userList: number[]): Promise<Record<number, number>> {
    if (!Array.isArray(userList) || !userList.every((item) => typeof item === 'number')) {
      throw new TypeError('userList must be an array of numbers')
    }
    const response = await this.rpc.call('getUsersLastSeen', { userList })
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
    return this.rpc.call('ping', {}, timeout)
  }

  listChannels(): Promise<unknown> {
    return this.rpc.call('listChannels', {})
  }

  // ---------------------------------------------------------------- state setters

  setPublicIds(publicIds: unknown): void {
    this.channelManager.setPublicIds(publicIds)
  }

  setLastMessageId(lastMessageId: string | null): void {
    this.session.mid = lastMessageId
  }

  // ---------------------------------------------------------------- debug getters

  getRevision(): number {
    return REVISION
  }

  getServerVersion(): number {
    return serverVersion(this.config)
  }

  getServerMode(): string | undefined {
    return this.config?.server?.mode
  }

  getConfig(): PullConfig | null {
    return this.config
  }

  isWebSocketSupported(): boolean {
    return typeof this.o.WebSocket === 'function'
  }

  isWebSocketEnabled(): boolean {
    return this.isWebSocketSupported() && this.config?.server?.websocket_enabled === true
  }

  /** Enabled and not blocked by the 24 h flag another tab (or Bitrix's ES5 client) may have set. */
  override isWebSocketAllowed(): boolean {
    const blockedUntil = Number(this.storage?.get(WS_BLOCKED_KEY, 0))
    if (blockedUntil > this.o.clock.now()) return false
    return this.isWebSocketEnabled()
  }

  isPublishingSupported(): boolean {
    return serverVersion(this.config) > 3
  }

  isPublishingEnabled(): boolean {
    return this.isPublishingSupported() && this.config?.server?.publish_enabled === true
  }

  isProtobufSupported(): boolean {
    return isProtobufSupported(this.config)
  }

  isJsonRpc(): boolean {
    return isJsonRpc(this.config)
  }

  isSharedMode(): boolean {
    return isSharedMode(this.config)
  }

  /** Like Bitrix's, with channel ids and tokens masked. */
  getDebugInfo(): Record<string, unknown> {
    const config = this.config
    let path = '-'
    try {
      if (config) path = redactUrl(this.connectionUrlForDebug())
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
      'Connection type': this.transportFactory?.name ?? '-',
      'Try connect': this.timers.has('reconnect') ? 'Y' : 'N',
      Path: path,
      ChannelDie: config?.channels?.private?.end ?? 'n/a',
      ChannelDieShared: config?.channels?.shared?.end ?? 'n/a',
      'Last message': this.session.mid || '-',
      'Session history': this.session.history,
      'Watch tags': this.watchTagList(),
    }
  }

  /** Logs each received message to the console (B.3.2). */
  capturePullEvent(debugFlag = true): void {
    this.debug = debugFlag !== false
  }

  enableLogging(loggingFlag = true): void {
    this.log.enabled = loggingFlag !== false
  }

  // ---------------------------------------------------------------- legacy (kept so old page code does not throw)

  /** True when connected over a WebSocket (sic: Bitrix's spelling). */
  isWebSoketConnected(): boolean {
    return this.isConnected() && this.connectionKind() === 'webSocket'
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
