// The server's leaky bucket (spec §7.1): each request adds one, the level drains continuously, and a request that
// would push it over the burst size gets 503 QUERY_LIMIT_EXCEEDED. A batch is one request.

import type { Clock } from './clock'

export interface LeakyBucketOptions {
  /** X: requests allowed in a burst. 50 (250 on Enterprise). */
  burst?: number
  /** Y: requests drained per second. 2 (5 on Enterprise). */
  drainPerSecond?: number
}

export interface LeakyBucket {
  /** Counts one request; false means "reject with QUERY_LIMIT_EXCEEDED". */
  take(key: string): boolean
  level(key: string): number
}

export function createLeakyBucket(clock: Clock, options: LeakyBucketOptions = {}): LeakyBucket {
  const burst = options.burst ?? 50
  const drain = options.drainPerSecond ?? 2
  const state = new Map<string, { level: number; at: number }>()
  const current = (key: string) => {
    const now = clock.now()
    const s = state.get(key) ?? { level: 0, at: now }
    s.level = Math.max(0, s.level - ((now - s.at) / 1000) * drain)
    s.at = now
    state.set(key, s)
    return s
  }
  return {
    take(key) {
      const s = current(key)
      // A rejected request is not counted, so a client that backs off recovers at the drain rate.
      if (s.level + 1 > burst) return false
      s.level += 1
      return true
    },
    level: (key) => current(key).level,
  }
}
