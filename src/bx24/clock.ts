import type { Clock } from './types'

// Reads the globals at call time, so vitest's fake timers (installed after import) still take effect.
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
