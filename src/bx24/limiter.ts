// The real library's client-side rate limiter (spec §7.3, `RestrictionManager`): a leaky counter that lets a call
// through while fewer than 90 are "un-drained", drains 2 per second, and makes a blocked call re-check every second.
// Pure apart from the injected clock, so tests drive it without real time.

import type { Clock } from './types'

export interface LimiterOptions {
  clock: Clock
  /** ALLOWED_AMOUNT: 90 in the real library. */
  amount?: number
  /** ALLOWED_SPEED: drain per millisecond, 0.002 (2/s). */
  speed?: number
  /** SLEEP: re-check interval of a blocked call, 1000 ms. */
  sleep?: number
}

export interface Limiter {
  /** Run `callback` now if the counter allows it, else re-check every `sleep` ms. */
  check(callback: () => void): void
  /** The current counter after draining (for tests and diagnostics). */
  level(): number
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : fallback
}

export function createLimiter(options: LimiterOptions): Limiter {
  const { clock } = options
  // Settings may come from page config (bx24ShimConfig.limiter): anything but a positive number keeps the default.
  const amount = positive(options.amount, 90)
  const speed = positive(options.speed, 0.002)
  const sleep = positive(options.sleep, 1000)
  let current = 0
  let lastDecrement = 0

  function drain(): void {
    const now = clock.now()
    if (lastDecrement > 0) current = Math.max(0, current - (now - lastDecrement) * speed)
    lastDecrement = now
  }

  function check(callback: () => void): void {
    drain()
    if (current >= amount) {
      clock.setTimeout(() => check(callback), sleep)
      return
    }
    current += 1
    callback()
  }

  return {
    check,
    level: () => {
      drain()
      return current
    },
  }
}
