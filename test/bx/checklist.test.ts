// Spec bx-events-and-pull.md, section D "BX events", checklist items 1-22 (ids BXE-1 ... BXE-22).
// Gen-3 (main.core) semantics; legacy mode is covered in legacy.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BXBus } from '../../src/bx'
import { makeBX, storageEvent, type AnyFn } from './helpers'

let BX: BXBus
let errorSpy: ReturnType<typeof vi.spyOn>
let warnSpy: ReturnType<typeof vi.spyOn>

beforeEach(() => {
  window.localStorage.clear()
  errorSpy = vi.spyOn(console, 'error').mockImplementation(() => {})
  warnSpy = vi.spyOn(console, 'warn').mockImplementation(() => {})
  BX = makeBX()
})

afterEach(() => {
  BX.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
  window.localStorage.clear()
})

const dupMessage = (name: string) => `You cannot subscribe the same "${name}" event listener twice.`

describe('BX events checklist (spec D, items 1-22)', () => {
  it('BXE-1 short form and explicit window register the same global handler; names are case-insensitive', () => {
    const fn = vi.fn()
    BX.addCustomEvent('OnMyEvent', fn)
    BX.addCustomEvent(window, 'onMyEvent', fn) // same target (GLOBAL_TARGET), same name -> duplicate
    expect(errorSpy).toHaveBeenCalledWith(dupMessage('onmyevent'))
    BX.onCustomEvent('onmyevent', [1, 2])
    expect(fn).toHaveBeenCalledTimes(1)
    expect(fn).toHaveBeenLastCalledWith(1, 2)
    BX.onCustomEvent('ONMYEVENT', [3])
    BX.onCustomEvent(window, 'OnMyEvent', [4])
    expect(fn).toHaveBeenCalledTimes(3)
    expect(fn.mock.calls).toEqual([[1, 2], [3], [4]])
    // Both forms land under GLOBAL_TARGET and the lower-cased name.
    const listeners = BX.Event.EventEmitter.getListeners(BX.Event.EventEmitter.GLOBAL_TARGET, 'onmyevent')
    expect([...listeners.keys()]).toEqual([fn])
  })

  it('BXE-2 string first argument shifts the arguments: addCustomEvent', () => {
    const fn = vi.fn()
    const o = {}
    BX.addCustomEvent('e', fn)
    // global: fires without a target and on any object
    BX.onCustomEvent(o, 'e', ['x'])
    BX.onCustomEvent('e', ['y'])
    expect(fn.mock.calls).toEqual([['x'], ['y']])
  })

  it('BXE-2 string first argument shifts the arguments: removeCustomEvent', () => {
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    BX.removeCustomEvent('E', fn)
    BX.onCustomEvent('e')
    BX.onCustomEvent({}, 'e')
    expect(fn).not.toHaveBeenCalled()
    expect(errorSpy).not.toHaveBeenCalled()
  })

  it('BXE-2 string first argument shifts the arguments: removeAllCustomEvents', () => {
    const a = vi.fn()
    const b = vi.fn()
    const keep = vi.fn()
    BX.addCustomEvent('e', a)
    BX.addCustomEvent(window, 'e', b)
    BX.addCustomEvent('other', keep)
    BX.removeAllCustomEvents('E')
    BX.onCustomEvent('e')
    BX.onCustomEvent('other')
    expect(a).not.toHaveBeenCalled()
    expect(b).not.toHaveBeenCalled()
    expect(keep).toHaveBeenCalledTimes(1)
  })

  it('BXE-2 string first argument shifts the arguments: onCustomEvent (params 2nd, secureParams 3rd)', () => {
    const payload = { n: 1 }
    const seen: unknown[] = []
    BX.addCustomEvent('e', (p: { n: number }) => {
      seen.push(p)
      p.n = 99
    })
    BX.addCustomEvent('e', (p: { n: number }) => seen.push(p.n))
    BX.onCustomEvent('e', [payload], true) // secureParams in 3rd position
    expect(seen[0]).not.toBe(payload)
    expect(seen[1]).toBe(1)
    expect(payload.n).toBe(1)
    seen.length = 0
    BX.onCustomEvent('e', [payload]) // no secureParams: same object, mutation visible
    expect(seen[0]).toBe(payload)
    expect(seen[1]).toBe(99)
  })

  it('BXE-3 an object handler fires only for events raised on that object', () => {
    const o = {}
    const other = {}
    const fn = vi.fn()
    BX.addCustomEvent(o, 'e', fn)
    BX.onCustomEvent('e')
    BX.onCustomEvent(other, 'e')
    BX.onCustomEvent(window, 'e')
    expect(fn).not.toHaveBeenCalled()
    BX.onCustomEvent(o, 'E', [1])
    expect(fn).toHaveBeenCalledTimes(1)
    expect(fn).toHaveBeenCalledWith(1)
  })

  it('BXE-4 a global handler fires for the event raised on any object', () => {
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    const objs = [{}, [], () => {}, document.createElement('div')]
    for (const o of objs) BX.onCustomEvent(o, 'e', [o])
    expect(fn.mock.calls).toEqual(objs.map((o) => [o]))
  })

  it('BXE-5 eventParams is spread; a missing or falsy value calls fn() with no arguments', () => {
    const calls: unknown[][] = []
    BX.addCustomEvent('e', function (...args: unknown[]) {
      calls.push(args)
    })
    BX.onCustomEvent('e', [1, 2])
    BX.onCustomEvent('e', [1, 2, 3, 4, 5, 6]) // longer than any fast path
    BX.onCustomEvent('e')
    BX.onCustomEvent('e', null)
    BX.onCustomEvent('e', undefined)
    BX.onCustomEvent('e', 0)
    BX.onCustomEvent('e', '')
    BX.onCustomEvent('e', false)
    expect(calls).toEqual([[1, 2], [1, 2, 3, 4, 5, 6], [], [], [], [], [], []])
    // array-like params are spread too
    calls.length = 0
    BX.onCustomEvent('e', { length: 2, 0: 'a', 1: 'b' })
    expect(calls).toEqual([['a', 'b']])
  })

  it('BXE-6 global and object handlers run interleaved in subscription order', () => {
    const o = {}
    const order: string[] = []
    BX.addCustomEvent('e', () => order.push('g1'))
    BX.addCustomEvent(o, 'e', () => order.push('o1'))
    BX.addCustomEvent('e', () => order.push('g2'))
    BX.addCustomEvent(o, 'e', () => order.push('o2'))
    BX.Event.EventEmitter.subscribe('e', () => void order.push('m3'))
    BX.addCustomEvent(o, 'e', () => order.push('o3'))
    BX.onCustomEvent(o, 'e', [])
    expect(order).toEqual(['g1', 'o1', 'g2', 'o2', 'm3', 'o3'])
    order.length = 0
    BX.onCustomEvent(o, 'e', [], true) // the clone path keeps the same order
    expect(order).toEqual(['g1', 'o1', 'g2', 'o2', 'm3', 'o3'])
  })

  it('BXE-7 `this` is the target object for object events and GLOBAL_TARGET (not window) for global events (gen 3)', () => {
    const o = { name: 'o' }
    const thisValues: unknown[] = []
    BX.addCustomEvent(o, 'e', function (this: unknown) {
      thisValues.push(this)
    })
    BX.addCustomEvent('e', function (this: unknown) {
      thisValues.push(this)
    })
    BX.onCustomEvent(o, 'e') // object handler, then global handler, both with this === o
    BX.onCustomEvent('e') // global handler: GLOBAL_TARGET sentinel
    BX.onCustomEvent(window, 'e')
    const G = BX.Event.EventEmitter.GLOBAL_TARGET
    expect(thisValues[0]).toBe(o)
    expect(thisValues[1]).toBe(o)
    expect(thisValues[2]).toBe(G)
    expect(thisValues[3]).toBe(G)
    expect(G).toEqual({ GLOBAL_TARGET: 'GLOBAL_TARGET' })
    expect(thisValues[2]).not.toBe(window)
  })

  it('BXE-7 legacy mode: `this` is window for global events, the object for object events', () => {
    const legacy = makeBX({ legacy: true })
    try {
      const o = {}
      const thisValues: unknown[] = []
      legacy.addCustomEvent('e', function (this: unknown) {
        thisValues.push(this)
      })
      legacy.addCustomEvent(o, 'e', function (this: unknown) {
        thisValues.push(this)
      })
      legacy.onCustomEvent('e')
      legacy.onCustomEvent(window, 'e')
      legacy.onCustomEvent(o, 'e')
      expect(thisValues).toHaveLength(4)
      expect(thisValues[0]).toBe(window)
      expect(thisValues[1]).toBe(window)
      expect(thisValues[2]).toBe(o)
      expect(thisValues[3]).toBe(o)
    } finally {
      legacy.destroy()
    }
  })

  it('BXE-8 adding the same function twice for the same target and name is refused with console.error; it runs once', () => {
    const o = {}
    const g = vi.fn()
    const h = vi.fn()
    BX.addCustomEvent('MyEvent', g)
    BX.addCustomEvent('myevent', g)
    expect(errorSpy).toHaveBeenCalledTimes(1)
    expect(errorSpy).toHaveBeenCalledWith(dupMessage('myevent'))
    BX.addCustomEvent(o, 'Other', h)
    BX.addCustomEvent(o, 'OTHER', h)
    expect(errorSpy).toHaveBeenCalledTimes(2)
    expect(errorSpy).toHaveBeenLastCalledWith(dupMessage('other'))
    BX.onCustomEvent('myevent')
    BX.onCustomEvent(o, 'other')
    expect(g).toHaveBeenCalledTimes(1)
    expect(h).toHaveBeenCalledTimes(1)
  })

  it('BXE-9 the same function on the global target and on o runs twice for an event on o', () => {
    const o = {}
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    BX.addCustomEvent(o, 'e', fn)
    expect(errorSpy).not.toHaveBeenCalled()
    BX.onCustomEvent(o, 'e', [1])
    expect(fn).toHaveBeenCalledTimes(2)
    fn.mockClear()
    BX.onCustomEvent('e', [1])
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('BXE-10 a handler removed by an earlier handler during the same dispatch is not called', () => {
    const o = {}
    const calls: string[] = []
    const second = () => calls.push('second')
    const third = () => calls.push('third')
    BX.addCustomEvent('e', () => {
      calls.push('first')
      BX.removeCustomEvent('e', second)
    })
    BX.addCustomEvent('e', second)
    BX.addCustomEvent('e', third)
    BX.onCustomEvent('e', [])
    expect(calls).toEqual(['first', 'third'])

    // object target, clone path, removal of an object handler by a global one
    calls.length = 0
    const objSecond = () => calls.push('objSecond')
    BX.addCustomEvent(o, 'f', () => {
      calls.push('objFirst')
      BX.removeCustomEvent(o, 'f', objSecond)
    })
    BX.addCustomEvent(o, 'f', objSecond)
    BX.addCustomEvent('f', () => calls.push('globalLast'))
    BX.onCustomEvent(o, 'f', [{}], true)
    expect(calls).toEqual(['objFirst', 'globalLast'])
  })

  it('BXE-11 a handler added during a dispatch is not called in that dispatch', () => {
    const late = vi.fn()
    let added = false
    BX.addCustomEvent('e', () => {
      if (!added) {
        added = true
        BX.addCustomEvent('e', late)
      }
    })
    BX.onCustomEvent('e', [1])
    expect(late).not.toHaveBeenCalled()
    BX.onCustomEvent('e', [2])
    expect(late).toHaveBeenCalledTimes(1)
    expect(late).toHaveBeenCalledWith(2)
  })

  it('BXE-12 a throwing handler stops the dispatch and the error reaches the caller', () => {
    const boom = new Error('boom')
    const before = vi.fn()
    const after = vi.fn()
    BX.addCustomEvent('e', before)
    BX.addCustomEvent('e', () => {
      throw boom
    })
    BX.addCustomEvent('e', after)
    let caught: unknown
    try {
      BX.onCustomEvent('e', [1])
    } catch (e) {
      caught = e
    }
    expect(caught).toBe(boom)
    expect(before).toHaveBeenCalledTimes(1)
    expect(after).not.toHaveBeenCalled()
    // same on the clone path and for object events
    const o = {}
    BX.addCustomEvent(o, 'e', after)
    expect(() => BX.onCustomEvent(o, 'e', [{}], true)).toThrow(boom)
    expect(after).not.toHaveBeenCalled()
    // the bus is still usable
    BX.removeAllCustomEvents('e')
    BX.onCustomEvent(o, 'e', [])
    expect(after).toHaveBeenCalledTimes(1)
  })

  it('BXE-13 secureParams === true gives each handler its own deep clone', () => {
    const params = [{ list: [1, 2], nested: { v: 'orig' } }, 'str']
    const received: any[] = []
    BX.addCustomEvent('e', (p: any, s: string) => {
      received.push(p)
      p.list.push(3)
      p.nested.v = 'changed by 1'
      expect(s).toBe('str')
    })
    BX.addCustomEvent('e', (p: any) => {
      received.push(p)
      expect(p.list).toEqual([1, 2])
      expect(p.nested.v).toBe('orig')
    })
    BX.onCustomEvent('e', params, true)
    expect(received).toHaveLength(2)
    expect(received[0]).not.toBe(params[0])
    expect(received[1]).not.toBe(params[0])
    expect(received[0]).not.toBe(received[1])
    expect(received[1]).toEqual({ list: [1, 2], nested: { v: 'orig' } })
    expect(params[0]).toEqual({ list: [1, 2], nested: { v: 'orig' } }) // the caller's data is untouched
  })

  it('BXE-13 non-true secureParams (1, "true", {}) do not clone', () => {
    const payload = { v: 1 }
    for (const secure of [1, 'true', {}, 'Y']) {
      const received: unknown[] = []
      const fn = (p: unknown) => received.push(p)
      BX.addCustomEvent('e', fn)
      BX.onCustomEvent('e', [payload], secure as any)
      BX.onCustomEvent({}, 'e', [payload], secure as any)
      expect(received).toEqual([payload, payload])
      expect(received[0]).toBe(payload)
      expect(received[1]).toBe(payload)
      BX.removeCustomEvent('e', fn)
    }
  })

  it('BXE-14 BX.onCustomEvent returns undefined', () => {
    BX.addCustomEvent('e', () => 42)
    expect(BX.onCustomEvent('e', [])).toBeUndefined()
    expect(BX.addCustomEvent('x', () => 1)).toBeUndefined()
    expect(BX.removeCustomEvent('x', () => 1)).toBeUndefined()
    expect(BX.removeAllCustomEvents('x')).toBeUndefined()
  })

  it('BXE-14 EventEmitter.emit returns the array of handler return values', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    EventEmitter.subscribe('e', () => 1)
    BX.addCustomEvent(o, 'e', () => 'compat')
    EventEmitter.subscribe(o, 'e', () => undefined)
    expect(EventEmitter.emit(o, 'e', { a: 1 })).toEqual([1, 'compat', undefined])
    expect(EventEmitter.emit('nobody-listens', {})).toEqual([])
  })

  it('BXE-14 emitAsync returns Promise.all of the handler results', async () => {
    const { EventEmitter } = BX.Event
    EventEmitter.subscribe('e', () => Promise.resolve('a'))
    EventEmitter.subscribe('e', () => 'b')
    const p = EventEmitter.emitAsync('e', {})
    expect(p).toBeInstanceOf(Promise)
    await expect(p).resolves.toEqual(['a', 'b'])
    const bad = new Error('rejected')
    EventEmitter.subscribe('e', () => Promise.reject(bad))
    await expect(EventEmitter.emitAsync('e', {})).rejects.toBe(bad)
  })

  it('BXE-15 removeCustomEvent for an unknown handler is a no-op; removal matches function identity and target', () => {
    const o = {}
    const other = {}
    const fn = vi.fn()
    const lookalike = vi.fn()
    BX.addCustomEvent(o, 'e', fn)
    BX.addCustomEvent('e', lookalike)
    expect(() => BX.removeCustomEvent(o, 'e', () => {})).not.toThrow()
    expect(() => BX.removeCustomEvent(o, 'never-added', fn)).not.toThrow()
    expect(() => BX.removeCustomEvent({}, 'e', fn)).not.toThrow()
    BX.removeCustomEvent(other, 'e', fn) // other target
    BX.removeCustomEvent('e', fn) // global target: fn is only on o
    BX.removeCustomEvent(o, 'e', lookalike) // lookalike is only global
    expect(errorSpy).not.toHaveBeenCalled()
    BX.onCustomEvent(o, 'e')
    expect(fn).toHaveBeenCalledTimes(1)
    expect(lookalike).toHaveBeenCalledTimes(1)
    BX.removeCustomEvent(o, 'E', fn)
    BX.onCustomEvent(o, 'e')
    expect(fn).toHaveBeenCalledTimes(1)
    expect(lookalike).toHaveBeenCalledTimes(2)
  })

  it('BXE-16 removeAllCustomEvents(o, "e") removes only the "e" handlers on o', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    const p = {}
    const oE1 = vi.fn()
    const oE2 = vi.fn()
    const oOnce = vi.fn()
    const oF = vi.fn()
    const gE = vi.fn()
    const pE = vi.fn()
    BX.addCustomEvent(o, 'e', oE1)
    BX.addCustomEvent(o, 'E', oE2)
    EventEmitter.subscribeOnce(o, 'e', oOnce)
    BX.addCustomEvent(o, 'f', oF)
    BX.addCustomEvent('e', gE)
    BX.addCustomEvent(p, 'e', pE)
    BX.removeAllCustomEvents(o, 'E')
    BX.onCustomEvent(o, 'e')
    BX.onCustomEvent(o, 'f')
    BX.onCustomEvent(p, 'e')
    expect(oE1).not.toHaveBeenCalled()
    expect(oE2).not.toHaveBeenCalled()
    expect(oOnce).not.toHaveBeenCalled()
    expect(oF).toHaveBeenCalledTimes(1)
    expect(gE).toHaveBeenCalledTimes(2) // for o and for p
    expect(pE).toHaveBeenCalledTimes(1)
    // the once listener is really gone: subscribing it again is not a duplicate
    EventEmitter.subscribeOnce(o, 'e', oOnce)
    expect(errorSpy).not.toHaveBeenCalled()
  })

  it('BXE-17 addCustomEvent with a non-object target, a non-function handler or an empty name logs console.error and registers nothing', () => {
    const fn = vi.fn()
    expect(() => BX.addCustomEvent(123 as any, 'e', fn)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventObject" argument must be an object. Received type number.')
    expect(() => BX.addCustomEvent(null as any, 'e', fn)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventObject" argument must be an object. Received type object.')
    expect(() => BX.addCustomEvent(undefined as any, 'e', fn)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventObject" argument must be an object. Received type undefined.')
    expect(() => BX.addCustomEvent('e', 'not a function' as any)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventHandler" argument must be a function. Received type string.')
    expect(() => BX.addCustomEvent({}, 'e', undefined as any)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventHandler" argument must be a function. Received type undefined.')
    expect(() => BX.addCustomEvent({}, '', fn)).not.toThrow()
    expect(errorSpy).toHaveBeenLastCalledWith('The "eventName" argument must be a string.')
    expect(() => BX.addCustomEvent('', fn)).not.toThrow()
    expect(errorSpy).toHaveBeenCalledTimes(7)
    BX.onCustomEvent('e')
    BX.onCustomEvent('')
    expect(fn).not.toHaveBeenCalled()
    expect(BX.Event.EventEmitter.getListeners('e').size).toBe(0)
  })

  it('BXE-18 a compat handler receiving EventEmitter.emit(target, name, {plain data}) gets exactly one argument, the BaseEvent', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const o = {}
    const calls: unknown[][] = []
    BX.addCustomEvent(o, 'e', (...args: unknown[]) => void calls.push(args))
    BX.addCustomEvent('e', (...args: unknown[]) => void calls.push(args))
    const data = { id: 7 }
    EventEmitter.emit(o, 'E', data)
    expect(calls).toHaveLength(2)
    for (const args of calls) {
      expect(args).toHaveLength(1)
      const event = args[0] as InstanceType<typeof BaseEvent>
      expect(event).toBeInstanceOf(BaseEvent)
      expect(event.getData()).toBe(data)
      expect(event.getType()).toBe('e')
      expect(event.getTarget()).toBe(o)
    }
    // also for BX.onCustomEvent with a non-array-like params value
    calls.length = 0
    BX.onCustomEvent('e', { notAnArray: true })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toHaveLength(1)
    expect((calls[0][0] as InstanceType<typeof BaseEvent>).getData()).toEqual({ notAnArray: true })
  })

  it('BXE-19 a modern subscribe listener receiving BX.onCustomEvent(..., [a, b]) gets a BaseEvent whose getData() and getCompatData() equal [a, b]', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const o = {}
    const a = { a: 1 }
    const b = 'b'
    const calls: unknown[][] = []
    EventEmitter.subscribe(o, 'E', (...args: unknown[]) => void calls.push(args))
    BX.onCustomEvent(o, 'e', [a, b])
    expect(calls).toHaveLength(1)
    expect(calls[0]).toHaveLength(1)
    const event = calls[0][0] as InstanceType<typeof BaseEvent>
    expect(event).toBeInstanceOf(BaseEvent)
    expect(event.getData()).toEqual([a, b])
    expect(event.getCompatData()).toEqual([a, b])
    expect((event.getData() as unknown[])[0]).toBe(a)
    expect(event.getType()).toBe('e')
    expect(event.getTarget()).toBe(o)
  })

  it('BXE-20 event.stopImmediatePropagation() inside a handler prevents later handlers from running', () => {
    const { EventEmitter } = BX.Event
    const later = vi.fn()
    const laterCompat = vi.fn()
    const first = vi.fn((event: any) => event.stopImmediatePropagation())
    EventEmitter.subscribe('e', first)
    EventEmitter.subscribe('e', later)
    BX.addCustomEvent('e', laterCompat)
    EventEmitter.emit('e', {})
    expect(first).toHaveBeenCalledTimes(1)
    expect(later).not.toHaveBeenCalled()
    expect(laterCompat).not.toHaveBeenCalled()
    // the same when the event is raised with BX.onCustomEvent
    BX.onCustomEvent('e', [1])
    expect(first).toHaveBeenCalledTimes(2)
    expect(later).not.toHaveBeenCalled()
    expect(laterCompat).not.toHaveBeenCalled()
    // a compat handler that receives the BaseEvent can stop it too
    const o = {}
    const afterCompat = vi.fn()
    BX.addCustomEvent(o, 'g', (event: any) => event.stopImmediatePropagation())
    BX.addCustomEvent(o, 'g', afterCompat)
    EventEmitter.emit(o, 'g', { plain: true })
    expect(afterCompat).not.toHaveBeenCalled()
  })

  it('BXE-21 registerAliases routes compat subscriptions and emits to the namespaced name, case-insensitively', () => {
    const { EventEmitter } = BX.Event
    EventEmitter.registerAliases({ onPopupClose: { namespace: 'BX.Main.Popup', eventName: 'onClose' } })
    class Popup extends EventEmitter {
      constructor() {
        super()
        this.setEventNamespace('BX.Main.Popup')
      }
    }
    const popup = new Popup()
    const compat = vi.fn()
    const modern = vi.fn()
    BX.addCustomEvent('ONPOPUPCLOSE', compat)
    EventEmitter.subscribe('BX.Main.Popup:onClose', modern)
    // stored under the full name
    expect([...EventEmitter.getListeners('bx.main.popup:onclose').keys()]).toEqual([compat, modern])
    popup.emit('onClose', { reason: 'x' })
    expect(compat).toHaveBeenCalledTimes(1)
    expect(compat.mock.calls[0][0].getType()).toBe('bx.main.popup:onclose')
    expect(modern).toHaveBeenCalledTimes(1)
    // a compat emit under the alias reaches both
    BX.onCustomEvent('onpopupclose', [1, 2])
    expect(compat).toHaveBeenLastCalledWith(1, 2)
    expect(modern).toHaveBeenCalledTimes(2)
    expect(modern.mock.calls[1][0].getCompatData()).toEqual([1, 2])
    // removal through the alias works too
    BX.removeCustomEvent('OnPopupClose', compat)
    popup.emit('onClose')
    expect(compat).toHaveBeenCalledTimes(2)
    expect(modern).toHaveBeenCalledTimes(3)
  })

  describe('BXE-22 BX.onGlobalCustomEvent and the BXGCE storage key', () => {
    it('BXE-22 fires locally, once, with the params spread', () => {
      BX.message({ USER_ID: '1', SITE_ID: 's1' })
      const fn = vi.fn()
      BX.addCustomEvent('onChatRead', fn)
      BX.onGlobalCustomEvent('onChatRead', [{ chatId: 7 }, 'x'])
      expect(fn).toHaveBeenCalledTimes(1)
      expect(fn).toHaveBeenCalledWith({ chatId: 7 }, 'x')
    })

    it('BXE-22 skipSelf: not fired locally, but still written', () => {
      BX.message({ USER_ID: '1', SITE_ID: 's1' })
      const fn = vi.fn()
      BX.addCustomEvent('onChatRead', fn)
      BX.onGlobalCustomEvent('onChatRead', [1], true)
      expect(fn).not.toHaveBeenCalled()
      expect(window.localStorage.getItem('bx1-s1-BXGCE')).not.toBeNull()
    })

    it('BXE-22 writes <prefix>BXGCE = "<10-digit unix expiry>:<json>" with a 1 s TTL', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date(1_700_000_000_400))
      BX.message({ USER_ID: '1', SITE_ID: 's1' })
      BX.onGlobalCustomEvent('onChatRead', [{ chatId: 7 }])
      const raw = window.localStorage.getItem('bx1-s1-BXGCE')
      expect(raw).not.toBeNull()
      expect(raw).toMatch(/^\d{10}:/)
      const expiry = Number(raw!.slice(0, 10))
      expect(expiry).toBe(Math.round(1_700_000_000_400 / 1000) + 1)
      expect(raw!.slice(10, 11)).toBe(':')
      expect(JSON.parse(raw!.slice(11))).toEqual({ e: 'onChatRead', p: [{ chatId: 7 }] })
      // BX.localStorage reads it back while it is fresh, and not after the TTL
      expect(BX.localStorage.get('BXGCE')).toEqual({ e: 'onChatRead', p: [{ chatId: 7 }] })
      vi.setSystemTime(new Date(1_700_000_003_000))
      expect(BX.localStorage.get('BXGCE')).toBeNull()
    })

    it('BXE-22 prefix is bx<USER_ID>-<SITE_ID>-, or bx<USER_ID>-admin- without SITE_ID', () => {
      BX.message({ USER_ID: '42' })
      BX.onGlobalCustomEvent('x', [])
      expect(window.localStorage.getItem('bx42-admin-BXGCE')).toMatch(/^\d{10}:\{"e":"x","p":\[\]\}$/)
      BX.message({ SITE_ID: 's2' }) // set later: the prefix follows
      BX.onGlobalCustomEvent('y', [])
      expect(window.localStorage.getItem('bx42-s2-BXGCE')).toMatch(/^\d{10}:\{"e":"y","p":\[\]\}$/)
    })

    it('BXE-22 a storage event for <prefix>BXGCE from another tab fires BX.onCustomEvent(name, params) here', () => {
      BX.message({ USER_ID: '1', SITE_ID: 's1' })
      const fn = vi.fn()
      const o = {}
      const objFn = vi.fn()
      BX.addCustomEvent('onchatread', fn)
      BX.addCustomEvent(o, 'onChatRead', objFn)
      const value = `${Math.round(Date.now() / 1000) + 1}:${JSON.stringify({ e: 'onChatRead', p: [{ chatId: 7 }, 2] })}`
      window.dispatchEvent(storageEvent('bx1-s1-BXGCE', value, null))
      expect(fn).toHaveBeenCalledTimes(1)
      expect(fn).toHaveBeenCalledWith({ chatId: 7 }, 2)
      expect(objFn).not.toHaveBeenCalled() // a global event
      // another user's / site's key is not ours
      window.dispatchEvent(storageEvent('bx2-s1-BXGCE', value, null))
      window.dispatchEvent(storageEvent('BXGCE', value, null))
      expect(fn).toHaveBeenCalledTimes(1)
      // after destroy() the storage listener is gone
      BX.destroy()
      window.dispatchEvent(storageEvent('bx1-s1-BXGCE', value, null))
      expect(fn).toHaveBeenCalledTimes(1)
    })

    it('BXE-22 the BXGCE removal (newValue null) fires nothing', () => {
      BX.message({ USER_ID: '1', SITE_ID: 's1' })
      const any = vi.fn()
      BX.addCustomEvent('onChatRead', any)
      BX.addCustomEvent('onLocalStorageRemove', any)
      BX.addCustomEvent('onLocalStorageChange', any)
      const old = `1700000001:${JSON.stringify({ e: 'onChatRead', p: [] })}`
      window.dispatchEvent(storageEvent('bx1-s1-BXGCE', null, old))
      expect(any).not.toHaveBeenCalled()
    })
  })
})
