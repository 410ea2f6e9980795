// Checklist BX24-36: the client limiter (90 un-drained calls, 2/s drain, 1 s re-check), with an injected clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLimiter } from '../../src/bx24/limiter'
import type { Clock } from '../../src/bx24/types'
import { fakeFetch, frameApp, ok } from './helpers'

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000
  let timers: Array<{ at: number; fn: () => void }> = []
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.push({ at: now + ms, fn })
      return timers.length
    },
    advance(ms) {
      const end = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.fn()
      }
      now = end
    },
  }
}

describe('limiter', () => {
  it('BX24-36 lets 90 calls through at once, then re-checks every second while draining 2 per second', () => {
    const clock = manualClock()
    const limiter = createLimiter({ clock })
    const ran: number[] = []
    for (let i = 0; i < 95; i++) limiter.check(() => ran.push(i))
    expect(ran).toHaveLength(90)
    clock.advance(999)
    expect(ran).toHaveLength(90)
    clock.advance(1)
    // One second drained 2 units: two of the waiting calls get through.
    expect(ran).toHaveLength(92)
    clock.advance(1000)
    expect(ran).toHaveLength(94)
    clock.advance(1000)
    expect(ran).toEqual(Array.from({ length: 95 }, (_, i) => i))
    expect(limiter.level()).toBeGreaterThan(85)
  })

  it('BX24-36 drains to zero over time, never below', () => {
    const clock = manualClock()
    const limiter = createLimiter({ clock })
    for (let i = 0; i < 10; i++) limiter.check(() => {})
    clock.advance(2500)
    expect(limiter.level()).toBe(5)
    clock.advance(60_000)
    expect(limiter.level()).toBe(0)
  })
})

describe('limiter inside BX24', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    window.name = ''
  })

  it('BX24-36 callMethod, next() and callBatch all pass the limiter', async () => {
    const f = fakeFetch(() => ok([1], { next: 1 }))
    const { bx } = frameApp({ fetch: f.fetch })
    await vi.advanceTimersByTimeAsync(20)
    const results: Array<{ next(cb?: unknown): unknown }> = []
    bx.callMethod('first', {}, (r) => results.push(r))
    await vi.advanceTimersByTimeAsync(20)
    // All in one tick, so nothing drains in between: 1 (minus 0.04 drained) + 88 + batch + next() reach 90.
    for (let i = 0; i < 88; i++) bx.callMethod('m', {}, () => {})
    bx.callBatch([['a']], () => {})
    results[0]!.next()
    bx.callMethod('late', {}, () => {})
    await vi.advanceTimersByTimeAsync(1)
    expect(f.calls).toHaveLength(91)
    expect(f.calls[89]!.url).toMatch(/batch\.json$/)
    expect(f.calls[90]!.body).toBe('auth=TOKEN1&start=1&') // next() took the last slot
    await vi.advanceTimersByTimeAsync(998)
    expect(f.calls).toHaveLength(91)
    await vi.advanceTimersByTimeAsync(2)
    expect(f.calls).toHaveLength(92)
    expect(f.calls[91]!.url).toMatch(/late\.json$/)
    bx.shim.destroy()
  })
})
