// OAuth-style tokens of the app: short-lived access tokens, refresh tokens that mint a new pair. The frame host's
// refreshAuth and the REST engine's expired_token both go through here.

import type { Clock } from './clock'

export interface Grant {
  accessToken: string
  refreshToken: string
  userId: number
  /** Lifetime in seconds, as AUTH_EXPIRES reports it. */
  expiresIn: number
  /** Epoch ms. */
  expiresAt: number
}

export type TokenCheck = { status: 'ok'; userId: number } | { status: 'expired' } | { status: 'unknown' }

export interface TokenStore {
  issue(userId: number): Grant
  check(accessToken: string): TokenCheck
  /** A new pair for a live refresh token; the used refresh token dies (one use, like Bitrix's OAuth server). */
  refresh(refreshToken: string): Grant | null
  /** Test hook: make an access token expire now. */
  expire(accessToken: string): void
}

export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes)
  globalThis.crypto.getRandomValues(buf)
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Live grants kept at most; past it expired ones go first, then the oldest (a client asking that often is a loop). */
export const MAX_GRANTS = 10_000

/** Drops the oldest entries (a Map iterates in insertion order) until `map` has at most `max`. */
function trimOldest<K, V>(map: Map<K, V>, max: number, expired: (value: V) => boolean = () => false): void {
  if (map.size <= max) return
  for (const [key, value] of map) if (expired(value)) map.delete(key)
  for (const key of map.keys()) {
    if (map.size <= max) break
    map.delete(key)
  }
}

export function createTokenStore(clock: Clock, lifetimeSeconds: number): TokenStore {
  const access = new Map<string, Grant>()
  const refresh = new Map<string, number>()
  const issue = (userId: number): Grant => {
    trimOldest(access, MAX_GRANTS - 1, (grant) => grant.expiresAt <= clock.now())
    trimOldest(refresh, MAX_GRANTS - 1)
    const grant: Grant = {
      accessToken: randomHex(32),
      refreshToken: randomHex(32),
      userId,
      expiresIn: lifetimeSeconds,
      expiresAt: clock.now() + lifetimeSeconds * 1000,
    }
    access.set(grant.accessToken, grant)
    refresh.set(grant.refreshToken, userId)
    return grant
  }
  return {
    issue,
    check(token) {
      const grant = access.get(token)
      if (!grant) return { status: 'unknown' }
      if (grant.expiresAt <= clock.now()) return { status: 'expired' }
      return { status: 'ok', userId: grant.userId }
    },
    refresh(token) {
      const userId = refresh.get(token)
      if (userId === undefined) return null
      refresh.delete(token)
      return issue(userId)
    },
    expire(token) {
      const grant = access.get(token)
      if (grant) grant.expiresAt = clock.now()
    },
  }
}
