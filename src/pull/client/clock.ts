// The default clock over the host's timers, and a registry that lets the client cancel every timer it armed in one
// place (stop/destroy must leave nothing running: b24jssdk issue #141 is the bug this pins).

import type { Clock, TimerId } from './types'

export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
  }
}

/** Named one-shot timers and intervals: arming a name replaces its pending timer, as Bitrix's clear-then-set does. */
export class Timers<Name extends string> {
  private readonly timeouts = new Map<Name, TimerId>()
  private readonly intervals = new Map<Name, TimerId>()

  constructor(private readonly clock: Clock) {}

  set(name: Name, fn: () => void, ms: number): void {
    this.clear(name)
    this.timeouts.set(name, this.clock.setTimeout(() => {
      this.timeouts.delete(name)
      fn()
    }, ms))
  }

  every(name: Name, fn: () => void, ms: number): void {
    this.clear(name)
    this.intervals.set(name, this.clock.setInterval(fn, ms))
  }

  has(name: Name): boolean {
    return this.timeouts.has(name) || this.intervals.has(name)
  }

  clear(name: Name): void {
    if (this.timeouts.has(name)) this.clock.clearTimeout(this.timeouts.get(name))
    if (this.intervals.has(name)) this.clock.clearInterval(this.intervals.get(name))
    this.timeouts.delete(name)
    this.intervals.delete(name)
  }

  clearAll(): void {
    for (const name of [...this.timeouts.keys(), ...this.intervals.keys()]) this.clear(name)
  }
}
