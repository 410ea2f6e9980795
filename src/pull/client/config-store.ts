// The client's config and where it comes from (B.4, PULL-41/42): the one in hand, the cached one, or REST; its
// timestamp; and the session saved for a reload (PULL-44). State with one owner: the connection asks, this answers.

import { cacheConfig, fetchConfig, isConfigActual } from './config'
import { LS_CONFIG, LS_SESSION, SESSION_TTL } from './constants'
import type { ChannelManager } from './channel-manager'
import type { ResolvedOptions } from './options'
import type { SessionPosition } from './connection-url'
import type { StorageManager } from './storage-manager'
import type { LoggerLike, PullConfig } from './types'

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype

export class ConfigStore {
  config: PullConfig | null = null
  private timestamp: number

  constructor(
    private readonly o: ResolvedOptions,
    private readonly storage: StorageManager | null,
    private readonly channelManager: ChannelManager,
    private readonly log: LoggerLike,
  ) {
    this.timestamp = o.configTimestamp
  }

  /**
   * A config handed to start(), "used as is" (B.2) and not cached. Bitrix would still reload it when its
   * config_timestamp differs from the page's BX.message('pull_config_timestamp'), which a shim page does not print;
   * adopting the given timestamp keeps a hand-made or server-supplied config from being replaced at once. Ended
   * channels still force a reload.
   */
  adopt(config: PullConfig): void {
    this.config = config
    if (isPlainObject(config.server)) this.timestamp = Number(config.server.config_timestamp) || 0
  }

  /** restart(): the config in hand and the cached one are done with. */
  forget(): void {
    this.storage?.remove(LS_CONFIG)
    this.config = null
  }

  /** The cached config (its signatures and JWT) goes; the one in hand stays for getConfig(). */
  removeCache(): void {
    this.storage?.remove(LS_CONFIG)
  }

  isActual(): boolean {
    return isConfigActual(this.config, this.timestamp, this.o.clock.now())
  }

  /**
   * The config in hand when it is still actual, else the cached one, else REST; `acceptRevision` sees the revision of
   * a config from memory or cache first (Bitrix checks those; a refusal disables the client).
   */
  async load(acceptRevision: (revision: number) => boolean): Promise<PullConfig> {
    const now = this.o.clock.now()
    if (!this.config) {
      const cached = this.storage?.get(LS_CONFIG, null)
      if (isConfigActual(cached, this.timestamp, now) && acceptRevision(Number(cached.api?.revision_web) || 0)) return cached
      this.storage?.remove(LS_CONFIG)
    } else if (isConfigActual(this.config, this.timestamp, now) && acceptRevision(Number(this.config.api?.revision_web) || 0)) {
      return this.config
    }
    const rest = this.o.restClient
    if (!rest) throw new Error('Pull: no REST client to load the config with')
    return fetchConfig(rest, this.o.configGetMethod, () => this.o.clock.now())
  }

  set(config: PullConfig, allowCaching: boolean): void {
    this.config = config
    if (isPlainObject(config.publicChannels)) this.channelManager.setPublicIds(Object.values(config.publicChannels))
    this.timestamp = Number(config.server?.config_timestamp) || 0
    if (allowCaching && this.storage) cacheConfig(this.storage, this.o.storage, config, this.log)
  }

  /** The mid saved at beforeunload, while its 20 s last (PULL-44). */
  savedMid(): string | null {
    const saved = this.storage?.get(LS_SESSION, null)
    if (isPlainObject(saved) && typeof saved.ttl === 'number' && saved.ttl >= this.o.clock.now() && typeof saved.mid === 'string') return saved.mid
    return null
  }

  saveSession(position: SessionPosition): void {
    if (!this.storage) return
    const saved = { mid: position.mid, tag: position.tag, time: position.time, ttl: this.o.clock.now() + SESSION_TTL * 1000 }
    this.storage.set(LS_SESSION, saved)
  }
}
