// Config loading and freshness (B.4): the REST call, `serverTime` → `server.timeShift`, and isConfigActual.

import { textOf } from '../codecs/text-of'
import { isPlainObject } from '../codecs/types'
import { LS_CONFIG } from './constants'
import { describeError } from './errors'
import { callRest } from './rest'
import type { StorageManager } from './storage-manager'
import type { LoggerLike, PullConfig, RestClientLike, StorageLike } from './types'

/**
 * Whether a (cached or current) config may still be used: a plain object whose `config_timestamp` equals the
 * client's, whose `exp` (v5 JWT) is not past, with at least one channel, none of them ended. A channel without a
 * readable `end` counts as live, because Bitrix compares an Invalid Date and that comparison is false.
 */
export function isConfigActual(config: unknown, clientConfigTimestamp: number, nowMs: number): config is PullConfig {
  if (!isPlainObject(config) || !isPlainObject(config.server)) return false
  if (Number(config.server.config_timestamp) !== clientConfigTimestamp) return false
  if (typeof config.exp === 'number' && config.exp > 0 && config.exp < nowMs / 1000) return false
  if (!isPlainObject(config.channels)) return false
  const channels = Object.values(config.channels)
  if (channels.length === 0) return false
  for (const channel of channels) {
    if (!isPlainObject(channel)) return false
    if (new Date(textOf(channel.end) ?? '').getTime() < nowMs) return false
  }
  return true
}

/**
 * A config from the REST answer: checks the shape the client depends on, turns `serverTime` into
 * `server.timeShift = floor((clientNow - serverTime) / 1000)` and drops `serverTime`. Missing optional parts get
 * empty defaults; an answer without a `server` object is refused (every later step reads it).
 */
export function configFromRest(data: unknown, nowMs: number): PullConfig {
  if (!isPlainObject(data) || !isPlainObject(data.server)) throw new Error('Pull: the config has no server section')
  const { serverTime, ...rest } = data
  const serverMs = typeof serverTime === 'string' || typeof serverTime === 'number' ? new Date(serverTime).getTime() : NaN
  // A config without serverTime (ES5-era servers, a hand-written config) means "no known skew" rather than NaN.
  const timeShift = Number.isFinite(serverMs) ? Math.floor((nowMs - serverMs) / 1000) : 0
  return {
    ...rest,
    server: { ...data.server, timeShift },
    api: isPlainObject(rest.api) ? rest.api : {},
    channels: isPlainObject(rest.channels) ? (rest.channels as PullConfig['channels']) : {},
  } as PullConfig
}

/** Loads the config through `configGetMethod` with `CACHE: 'N'`, as Bitrix's ES6 client does. */
export async function fetchConfig(rest: RestClientLike, method: string, now: () => number): Promise<PullConfig> {
  const data = await callRest(rest, method, { CACHE: 'N' })
  return configFromRest(data, now())
}

/**
 * Writes the config to the cache (B.4). A storage that refuses (a full quota): Bitrix frees the key its other code
 * fills most (`history`, in the raw storage) and goes on without a cache.
 */
export function cacheConfig(storage: StorageManager, raw: StorageLike | null, config: PullConfig, log: LoggerLike): void {
  try {
    storage.set(LS_CONFIG, config)
  } catch (error) {
    try {
      raw?.removeItem('history')
    } catch {
      // nothing more to free
    }
    log.error('Pull: could not cache config in local storage', describeError(error))
  }
}
