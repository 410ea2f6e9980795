// createBX({ legacy: true }): gen-2 semantics (spec A.6) for the BX.*CustomEvent functions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BXBus } from '../../src/bx'
import { makeBX } from './helpers'

let BX: BXBus
let errorSpy: ReturnType<typeof vi.spyOn>

beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error').mockImplementation(() => {})
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  BX = makeBX({ legacy: true })
})

afterEach(() => {
  BX.destroy()
  vi.restoreAllMocks()
})

describe('legacy mode (legacy: true)', () => {
  it('`this` is window for global events (short form, explicit window, non-object target)', () => {
    const seen: unknown[] = []
    BX.addCustomEvent('e', function (this: unknown) {
      seen.push(this)
    })
    BX.onCustomEvent('e')
    BX.onCustomEvent(window, 'e')
    BX.onCustomEvent(null as any, 'e')
    expect(seen).toEqual([window, window, window])
    expect(seen[0]).toBe(window)
  })

  it('`this` is the object for object events, for object and global handlers', () => {
    const o = {}
    const seen: unknown[] = []
    const record = function (this: unknown) {
      seen.push(this)
    }
    BX.addCustomEvent(o, 'e', record)
    BX.addCustomEvent('e', function (this: unknown) {
      seen.push(this)
    })
    BX.onCustomEvent(o, 'e')
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(o)
    expect(seen[1]).toBe(o)
  })

  it('duplicate adds are allowed and run twice, without console.error', () => {
    const fn = vi.fn()
    const o = {}
    BX.addCustomEvent('e', fn)
    BX.addCustomEvent('E', fn)
    BX.addCustomEvent(o, 'e', fn)
    BX.addCustomEvent(o, 'e', fn)
    expect(errorSpy).not.toHaveBeenCalled()
    BX.onCustomEvent('e', [1])
    expect(fn).toHaveBeenCalledTimes(2)
    fn.mockClear()
    BX.onCustomEvent(o, 'e', [1])
    expect(fn).toHaveBeenCalledTimes(4)
  })

  it('remove removes every copy of the function', () => {
    const fn = vi.fn()
    const keep = vi.fn()
    BX.addCustomEvent('e', fn)
    BX.addCustomEvent('e', keep)
    BX.addCustomEvent('e', fn)
    BX.addCustomEvent('e', fn)
    BX.removeCustomEvent('e', fn)
    BX.onCustomEvent('e')
    expect(fn).not.toHaveBeenCalled()
    expect(keep).toHaveBeenCalledTimes(1)
  })

  it('a duplicate removed during dispatch is skipped (every copy)', () => {
    const fn = vi.fn()
    BX.addCustomEvent('e', () => BX.removeCustomEvent('e', fn))
    BX.addCustomEvent('e', fn)
    BX.addCustomEvent('e', fn)
    BX.onCustomEvent('e', [])
    expect(fn).not.toHaveBeenCalled()
  })

  it('non-array params: the handler gets no arguments (gen 3 would pass [BaseEvent])', () => {
    const calls: unknown[][] = []
    BX.addCustomEvent('e', (...args: unknown[]) => void calls.push(args))
    BX.onCustomEvent('e', { not: 'an array' })
    BX.onCustomEvent('e', 5)
    BX.onCustomEvent('e', true)
    BX.onCustomEvent('e', null)
    BX.onCustomEvent('e')
    expect(calls).toEqual([[], [], [], [], []])
    // EventEmitter.emit with plain data reaches compat handlers with no arguments too
    calls.length = 0
    BX.Event.EventEmitter.emit('e', { plain: 1 })
    expect(calls).toEqual([[]])
    // arrays are still spread
    calls.length = 0
    BX.onCustomEvent('e', [1, 2])
    expect(calls).toEqual([[1, 2]])
  })

  it('bad addCustomEvent arguments are ignored silently', () => {
    const fn = vi.fn()
    const bx = BX as any
    expect(() => bx.addCustomEvent(123, 'e', fn)).not.toThrow()
    expect(() => bx.addCustomEvent(null, 'e', fn)).not.toThrow()
    expect(() => bx.addCustomEvent('e', 'not a function')).not.toThrow()
    expect(() => bx.addCustomEvent({}, '', fn)).not.toThrow()
    expect(() => bx.addCustomEvent({}, 5, fn)).not.toThrow()
    expect(() => bx.addCustomEvent('', fn)).not.toThrow()
    expect(errorSpy).not.toHaveBeenCalled()
    BX.onCustomEvent('e')
    expect(fn).not.toHaveBeenCalled()
    expect(BX.Event.EventEmitter.getListeners('e').size).toBe(0)
  })

  it('the gen-3 basics still hold: case-insensitive names, spread params, secureParams clones, exceptions propagate', () => {
    const payload = { v: 1 }
    const got: unknown[] = []
    BX.addCustomEvent('MyEvent', (p: any) => {
      got.push(p)
      p.v = 2
    })
    BX.addCustomEvent('myevent', (p: any) => void got.push(p.v))
    BX.onCustomEvent('MYEVENT', [payload], true)
    expect(got[0]).not.toBe(payload)
    expect(got[1]).toBe(1)
    const boom = new Error('x')
    BX.addCustomEvent('t', () => {
      throw boom
    })
    expect(() => BX.onCustomEvent('t')).toThrow(boom)
  })

  it('modern EventEmitter duplicates are still refused in legacy mode', () => {
    const l = vi.fn()
    BX.Event.EventEmitter.subscribe('e', l)
    BX.Event.EventEmitter.subscribe('e', l)
    expect(errorSpy).toHaveBeenCalledWith('You cannot subscribe the same "e" event listener twice.')
    BX.Event.EventEmitter.emit('e')
    expect(l).toHaveBeenCalledTimes(1)
  })

  it('legacy and gen-3 instances are independent', () => {
    const modern = makeBX()
    try {
      const fn = vi.fn()
      BX.addCustomEvent('e', fn)
      modern.onCustomEvent('e')
      expect(fn).not.toHaveBeenCalled()
      expect(BX.Event.EventEmitter.GLOBAL_TARGET).not.toBe(modern.Event.EventEmitter.GLOBAL_TARGET)
    } finally {
      modern.destroy()
    }
  })
})
