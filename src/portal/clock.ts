// Time source for the portal: tokens expire, the leaky bucket drains and the `time` block is stamped from it, so
// tests can move time instead of waiting.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
}

export function createManualClock(startMs = Date.UTC(2026, 0, 15, 9, 0, 0)): ManualClock {
  let t = startMs
  return {
    now: () => t,
    advance(ms) {
      t += ms
    },
    set(ms) {
      t = ms
    },
  }
}
