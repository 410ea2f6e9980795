// Spec A.3/A.4/A.5: BX.Event.BaseEvent, BX.Event.EventEmitter (statics and instances), BX.localStorage events.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BXBus } from '../../src/bx'
import { lsValue, makeBX, storageEvent } from './helpers'

let BX: BXBus
let errorSpy: ReturnType<typeof vi.spyOn>
let warnSpy: ReturnType<typeof vi.spyOn>
let groupSpy: ReturnType<typeof vi.spyOn>

const NO_NAMESPACE_WARNING =
  'The instance of BX.Event.EventEmitter is supposed to have an event namespace. ' +
  'Use emitter.setEventNamespace() to make events more unique.'
const leakMessage = (size: number, name: string) =>
  `Possible BX.Event.EventEmitter memory leak detected. ${size} "${name}" listeners added. Use emitter.setMaxListeners() to increase limit.`

beforeEach(() => {
  window.localStorage.clear()
  errorSpy = vi.spyOn(console, 'error').mockImplementation(() => {})
  warnSpy = vi.spyOn(console, 'warn').mockImplementation(() => {})
  groupSpy = vi.spyOn(console, 'groupCollapsed').mockImplementation(() => {})
  vi.spyOn(console, 'groupEnd').mockImplementation(() => {})
  vi.spyOn(console, 'dir').mockImplementation(() => {})
  BX = makeBX()
})

afterEach(() => {
  BX.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
  window.localStorage.clear()
})

describe('BaseEvent (A.4)', () => {
  it('defaults: data {}, compatData null, empty type, null target, nothing prevented or stopped, no errors', () => {
    const e = new BX.Event.BaseEvent()
    expect(e.getData()).toEqual({})
    expect(e.getCompatData()).toBeNull()
    expect(e.getType()).toBe('')
    expect(e.getTarget()).toBeNull()
    expect(e.isDefaultPrevented()).toBe(false)
    expect(e.isImmediatePropagationStopped()).toBe(false)
    expect(e.getErrors()).toEqual([])
  })

  it('constructor options, BaseEvent.create, setData ignores undefined, setCompatData accepts only array-likes', () => {
    const { BaseEvent } = BX.Event
    const e = new BaseEvent({ data: 5, compatData: [1, 2] })
    expect(e.getData()).toBe(5)
    expect(e.getCompatData()).toEqual([1, 2])
    expect(BaseEvent.create({ data: 'x' })).toBeInstanceOf(BaseEvent)
    expect(BaseEvent.create({ data: 'x' }).getData()).toBe('x')
    expect(e.setData(undefined)).toBe(e)
    expect(e.getData()).toBe(5)
    e.setData(null)
    expect(e.getData()).toBeNull()
    e.setCompatData({ not: 'array-like' } as any)
    expect(e.getCompatData()).toEqual([1, 2])
    e.setCompatData(undefined as any)
    expect(e.getCompatData()).toEqual([1, 2])
    const arrayLike = { length: 1, 0: 'a' }
    e.setCompatData(arrayLike)
    expect(e.getCompatData()).toBe(arrayLike)
    e.setType('')
    expect(e.getType()).toBe('')
    e.setType('t')
    expect(e.getType()).toBe('t')
    const target = {}
    expect(e.setTarget(target)).toBe(e)
    expect(e.getTarget()).toBe(target)
    expect(new BaseEvent({}).getData()).toBeNull() // options without data: data stays null, as in Bitrix
  })

  it('preventDefault, stopImmediatePropagation, setError/getErrors', () => {
    const e = new BX.Event.BaseEvent()
    e.preventDefault()
    expect(e.isDefaultPrevented()).toBe(true)
    e.stopImmediatePropagation()
    expect(e.isImmediatePropagationStopped()).toBe(true)
    const err = new Error('reason')
    e.setError(err)
    expect(e.getErrors()).toEqual([err])
  })

  it('a listener sees preventDefault from an earlier one and the emitter can read it afterwards', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    EventEmitter.subscribe('e', (event: any) => event.preventDefault())
    let seen = false
    EventEmitter.subscribe('e', (event: any) => {
      seen = event.isDefaultPrevented()
    })
    const event = new BaseEvent({ data: {} })
    EventEmitter.emit('e', event)
    expect(seen).toBe(true)
    expect(event.isDefaultPrevented()).toBe(true)
    expect(event.getType()).toBe('e')
    expect(event.getTarget()).toBe(EventEmitter.GLOBAL_TARGET)
  })
})

describe('EventEmitter instances and namespaces (A.3.10, A.4)', () => {
  it('emitter.emit("x") on namespace NS uses the name "ns:x"', () => {
    const { EventEmitter } = BX.Event
    class Popup extends EventEmitter {
      constructor() {
        super()
        this.setEventNamespace('BX.Main.Popup')
      }
    }
    const popup = new Popup()
    expect(popup.getEventNamespace()).toBe('BX.Main.Popup')
    expect(popup.getFullEventName('onClose')).toBe('bx.main.popup:onclose')
    const viaInstance = vi.fn()
    const viaStatic = vi.fn()
    const compatShort = vi.fn()
    const compatFull = vi.fn()
    const compatOnInstance = vi.fn()
    expect(popup.subscribe('onClose', viaInstance)).toBe(popup)
    EventEmitter.subscribe(popup, 'ONCLOSE', viaStatic)
    BX.addCustomEvent('onClose', compatShort) // global, plain name: not reached
    BX.addCustomEvent('BX.Main.Popup:onClose', compatFull) // global, full name: reached
    BX.addCustomEvent(popup, 'onClose', compatOnInstance) // useGlobalNaming: stored as "onclose" on popup
    expect(popup.emit('onClose', { a: 1 })).toBe(popup)
    expect(viaInstance).toHaveBeenCalledTimes(1)
    expect(viaStatic).toHaveBeenCalledTimes(1)
    const event = viaInstance.mock.calls[0][0]
    expect(event.getType()).toBe('bx.main.popup:onclose')
    expect(event.getTarget()).toBe(popup)
    expect(event.getData()).toEqual({ a: 1 })
    expect(compatShort).not.toHaveBeenCalled()
    expect(compatFull).toHaveBeenCalledTimes(1)
    expect(compatOnInstance).not.toHaveBeenCalled()
    // the compat handler on the instance fires for BX.onCustomEvent(popup, 'onClose')
    BX.onCustomEvent(popup, 'onClose', [1])
    expect(compatOnInstance).toHaveBeenCalledWith(1)
    expect(viaInstance).toHaveBeenCalledTimes(1)
    expect(warnSpy).not.toHaveBeenCalled()
  })

  it('new EventEmitter(target, namespace): events report the wrapped target', () => {
    const { EventEmitter } = BX.Event
    const target = { id: 1 }
    const emitter = new EventEmitter(target, 'My.Ns')
    const l = vi.fn()
    emitter.subscribe('x', l)
    emitter.emit('x', { v: 1 })
    expect(l).toHaveBeenCalledTimes(1)
    expect(l.mock.calls[0][0].getTarget()).toBe(target)
    expect(l.mock.calls[0][0].getType()).toBe('my.ns:x')
    expect(() => new EventEmitter(5 as any, 'x')).toThrow(TypeError)
  })

  it('emit and emitAsync on an instance without a namespace print a console warning', async () => {
    const { EventEmitter } = BX.Event
    const emitter = new EventEmitter()
    expect(emitter.getEventNamespace()).toBeNull()
    const l = vi.fn((_event: any) => 'r')
    emitter.subscribe('x', l)
    emitter.emit('x')
    expect(warnSpy).toHaveBeenCalledTimes(1)
    expect(warnSpy).toHaveBeenCalledWith(NO_NAMESPACE_WARNING)
    expect(l).toHaveBeenCalledTimes(1)
    expect(l.mock.calls[0][0].getType()).toBe('x')
    await expect(emitter.emitAsync('x')).resolves.toEqual(['r'])
    expect(warnSpy).toHaveBeenCalledTimes(2)
  })

  it('a dotted name on a namespaced emitter warns "Possible the wrong event name"', () => {
    const { EventEmitter } = BX.Event
    const emitter = new EventEmitter({}, 'Ns')
    emitter.subscribe('Other.Thing', () => {})
    expect(warnSpy).toHaveBeenCalledWith('Possible the wrong event name "other.thing".')
  })
})

describe('subscribeOnce', () => {
  it('is called once, then removed; receives the BaseEvent', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const o = {}
    const l = vi.fn()
    EventEmitter.subscribeOnce(o, 'e', l)
    EventEmitter.emit(o, 'e', { n: 1 })
    EventEmitter.emit(o, 'e', { n: 2 })
    BX.onCustomEvent(o, 'e', [3])
    expect(l).toHaveBeenCalledTimes(1)
    expect(l.mock.calls[0][0]).toBeInstanceOf(BaseEvent)
    expect(l.mock.calls[0][0].getData()).toEqual({ n: 1 })
    expect(EventEmitter.getListeners(o, 'e').size).toBe(0)
  })

  it('global short form, instance form, duplicate refused', () => {
    const { EventEmitter } = BX.Event
    const l = vi.fn()
    EventEmitter.subscribeOnce('E', l)
    EventEmitter.subscribeOnce('e', l)
    expect(errorSpy).toHaveBeenCalledWith('You cannot subscribe the same "e" event listener twice.')
    EventEmitter.subscribe('e', l) // also a duplicate of the once listener
    expect(errorSpy).toHaveBeenCalledTimes(2)
    BX.onCustomEvent('e', [])
    BX.onCustomEvent('e', [])
    expect(l).toHaveBeenCalledTimes(1)
    const emitter = new EventEmitter({}, 'Ns')
    const m = vi.fn()
    expect(emitter.subscribeOnce('x', m)).toBe(emitter)
    emitter.emit('x')
    emitter.emit('x')
    expect(m).toHaveBeenCalledTimes(1)
  })

  it('can be removed with the original function (unsubscribe and removeCustomEvent)', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    const l1 = vi.fn()
    const l2 = vi.fn()
    EventEmitter.subscribeOnce(o, 'e', l1)
    EventEmitter.subscribeOnce('e', l2)
    EventEmitter.unsubscribe(o, 'e', l1)
    BX.removeCustomEvent('e', l2)
    EventEmitter.emit(o, 'e')
    expect(l1).not.toHaveBeenCalled()
    expect(l2).not.toHaveBeenCalled()
  })

  it('the once wrapper returns nothing to emit (Bitrix calls listener(...args) without returning)', () => {
    // event-emitter.js subscribeOnce: `const once = (...args) => { this.unsubscribe(...); onceListeners.delete(listener); listener(...args); }`
    const { EventEmitter } = BX.Event
    EventEmitter.subscribeOnce('e', () => 5)
    expect(EventEmitter.emit('e')).toEqual([undefined])
  })
})

describe('registerAliases', () => {
  it('moves listeners already registered under the alias to the full name', () => {
    const { EventEmitter } = BX.Event
    const early = vi.fn()
    const earlyModern = vi.fn()
    const existingFull = vi.fn()
    BX.addCustomEvent('onPopupShow', early)
    EventEmitter.subscribe('onpopupshow', earlyModern)
    EventEmitter.subscribe('BX.Main.Popup:onShow', existingFull)
    EventEmitter.registerAliases({ onPopupShow: { namespace: 'BX.Main.Popup', eventName: 'onShow' } })
    expect(EventEmitter.getListeners('onpopupshow').size).toBe(3) // resolved through the alias now
    expect(new Set(EventEmitter.getListeners('bx.main.popup:onshow').keys())).toEqual(new Set([early, earlyModern, existingFull]))
    const popup = new EventEmitter({}, 'BX.Main.Popup')
    const order: string[] = []
    early.mockImplementation(() => order.push('early'))
    earlyModern.mockImplementation(() => order.push('earlyModern'))
    existingFull.mockImplementation(() => order.push('existingFull'))
    popup.emit('onShow')
    expect(order).toEqual(['early', 'earlyModern', 'existingFull']) // subscription order is kept
    // a duplicate through the alias is still a duplicate
    BX.addCustomEvent('onPopupShow', early)
    expect(errorSpy).toHaveBeenCalledWith('You cannot subscribe the same "bx.main.popup:onshow" event listener twice.')
  })

  it('rejects malformed aliases with TypeError', () => {
    const { EventEmitter } = BX.Event
    expect(() => EventEmitter.registerAliases(null as any)).toThrow(TypeError)
    expect(() => EventEmitter.registerAliases({ a: { namespace: '', eventName: 'x' } })).toThrow(TypeError)
    expect(() => EventEmitter.registerAliases({ a: { namespace: 'N' } as any })).toThrow(TypeError)
  })

  it('aliases belong to one BX: another createBX() is not affected', () => {
    BX.Event.EventEmitter.registerAliases({ onIsolated: { namespace: 'Ns', eventName: 'x' } })
    const other = makeBX()
    try {
      const fn = vi.fn()
      other.addCustomEvent('onIsolated', fn)
      expect(other.Event.EventEmitter.getListeners('onisolated').size).toBe(1)
      expect(other.Event.EventEmitter.getListeners('ns:x').size).toBe(0)
      BX.onCustomEvent('onIsolated')
      expect(fn).not.toHaveBeenCalled()
    } finally {
      other.destroy()
    }
  })
})

describe('makeObservable', () => {
  it('turns an object into an emitter with a namespace, keeping its own prototype', () => {
    const { EventEmitter } = BX.Event
    class Thing {
      hello() {
        return 'hi'
      }
    }
    const thing = new Thing() as Thing & InstanceType<typeof EventEmitter>
    EventEmitter.makeObservable(thing, 'My.Thing')
    expect(EventEmitter.isEventEmitter(thing)).toBe(true)
    expect(thing.hello()).toBe('hi')
    expect(thing).toBeInstanceOf(Thing)
    expect(thing.getEventNamespace()).toBe('My.Thing')
    const l = vi.fn()
    thing.subscribe('Changed', l)
    thing.emit('changed', { v: 1 })
    expect(l).toHaveBeenCalledTimes(1)
    expect(l.mock.calls[0][0].getType()).toBe('my.thing:changed')
    expect(l.mock.calls[0][0].getData()).toEqual({ v: 1 })
    expect(EventEmitter.getListeners(thing, 'changed').size).toBe(1)
    expect(warnSpy).not.toHaveBeenCalled()
    // compat handler on the full name
    const compat = vi.fn()
    BX.addCustomEvent('My.Thing:changed', compat)
    thing.emit('changed')
    expect(compat).toHaveBeenCalledTimes(1)
  })

  it('rejects non-objects, empty namespaces and existing emitters', () => {
    const { EventEmitter } = BX.Event
    expect(() => EventEmitter.makeObservable(1 as any, 'Ns')).toThrow(TypeError)
    expect(() => EventEmitter.makeObservable({}, '')).toThrow(TypeError)
    const o = {}
    EventEmitter.makeObservable(o, 'Ns')
    expect(() => EventEmitter.makeObservable(o, 'Ns')).toThrow(TypeError)
    expect(() => EventEmitter.makeObservable(new EventEmitter(), 'Ns')).toThrow(TypeError)
    expect(EventEmitter.isEventEmitter({})).toBe(false)
    expect(EventEmitter.isEventEmitter(null)).toBe(false)
  })
})

describe('subscribeFromOptions', () => {
  it('subscribes each listener; aliased names subscribe the real name in compat mode', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const emitter = new EventEmitter({}, 'Ui.Dialog')
    const onOpen = vi.fn()
    const onLegacyClose = vi.fn()
    emitter.subscribeFromOptions(
      { onOpen, onDialogClose: onLegacyClose },
      { onDialogClose: { namespace: 'Ui.Dialog', eventName: 'onClose' } },
    )
    emitter.emit('onOpen', { a: 1 })
    expect(onOpen).toHaveBeenCalledTimes(1)
    expect(onOpen.mock.calls[0]).toHaveLength(1)
    expect(onOpen.mock.calls[0][0]).toBeInstanceOf(BaseEvent) // not compat: gets the BaseEvent
    emitter.emit('onClose', new BaseEvent({ data: {}, compatData: [1, 2] }))
    expect(onLegacyClose).toHaveBeenCalledWith(1, 2) // compat mode: spread compatData
  })

  it('compatMode argument: true makes plain names compat, false makes aliased names modern', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const emitter = new EventEmitter({}, 'Ns')
    const plainCompat = vi.fn()
    emitter.subscribeFromOptions({ onA: plainCompat }, undefined, true)
    emitter.emit('onA', new BaseEvent({ compatData: ['x'] }))
    expect(plainCompat).toHaveBeenCalledWith('x')
    const aliasedModern = vi.fn()
    emitter.subscribeFromOptions({ onOld: aliasedModern }, { onOld: { namespace: 'Ns', eventName: 'onNew' } }, false)
    emitter.emit('onNew', new BaseEvent({ compatData: ['y'] }))
    expect(aliasedModern.mock.calls[0][0]).toBeInstanceOf(BaseEvent)
  })

  it('ignores non-plain options and throws for a non-function listener', () => {
    const { EventEmitter } = BX.Event
    const emitter = new EventEmitter({}, 'Ns')
    expect(() => emitter.subscribeFromOptions(null as any)).not.toThrow()
    expect(() => emitter.subscribeFromOptions([] as any)).not.toThrow()
    expect(() => emitter.subscribeFromOptions({ onX: 'nope' } as any)).toThrow(TypeError)
  })
})

describe('max listeners (A.3.9)', () => {
  it('defaults: 10 per target, 25 for GLOBAL_TARGET; set/get/increment/decrement', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    expect(EventEmitter.getMaxListeners()).toBe(25)
    expect(EventEmitter.getMaxListeners(o)).toBe(10)
    expect(EventEmitter.DEFAULT_MAX_LISTENERS).toBe(10)
    EventEmitter.setMaxListeners(o, 'e', 3)
    expect(EventEmitter.getMaxListeners(o, 'E')).toBe(3)
    expect(EventEmitter.getMaxListeners(o, 'other')).toBe(10)
    expect(EventEmitter.incrementMaxListeners(o, 'e', 2)).toBe(5)
    expect(EventEmitter.decrementMaxListeners(o, 'e')).toBe(4)
    expect(EventEmitter.incrementMaxListeners(o)).toBe(11)
    expect(EventEmitter.getMaxListeners(o, 'e')).toBe(4)
    expect(() => EventEmitter.setMaxListeners(o, -1)).toThrow(TypeError)
  })

  it('passing the limit adds the listener and prints one delayed console.groupCollapsed', () => {
    vi.useFakeTimers()
    const o = {}
    const fns = Array.from({ length: 11 }, () => vi.fn())
    for (const fn of fns) BX.addCustomEvent(o, 'e', fn)
    expect(groupSpy).not.toHaveBeenCalled() // delayed
    BX.onCustomEvent(o, 'e')
    for (const fn of fns) expect(fn).toHaveBeenCalledTimes(1) // the 11th was added
    vi.advanceTimersByTime(1000)
    expect(groupSpy).toHaveBeenCalledTimes(1)
    expect(groupSpy).toHaveBeenCalledWith(leakMessage(11, 'e'))
  })

  it('GLOBAL_TARGET allows 25 before warning; setMaxListeners raises the limit', () => {
    vi.useFakeTimers()
    for (let i = 0; i < 25; i++) BX.addCustomEvent('g', () => {})
    vi.advanceTimersByTime(1000)
    expect(groupSpy).not.toHaveBeenCalled()
    BX.addCustomEvent('g', () => {})
    vi.advanceTimersByTime(1000)
    expect(groupSpy).toHaveBeenCalledTimes(1)
    expect(groupSpy).toHaveBeenCalledWith(leakMessage(26, 'g'))
    groupSpy.mockClear()
    const o = {}
    BX.Event.EventEmitter.setMaxListeners(o, 'e', 20)
    for (let i = 0; i < 20; i++) BX.addCustomEvent(o, 'e', () => {})
    vi.advanceTimersByTime(1000)
    expect(groupSpy).not.toHaveBeenCalled()
  })
})

describe('emit / emitAsync / unsubscribeAll / getListeners', () => {
  it('emitAsync resolves to the handler results, awaiting promises', async () => {
    const { EventEmitter } = BX.Event
    const o = {}
    EventEmitter.subscribe(o, 'e', () => new Promise((r) => setTimeout(() => r('late'), 5)))
    BX.addCustomEvent(o, 'e', () => 'compat')
    await expect(EventEmitter.emitAsync(o, 'e', {})).resolves.toEqual(['late', 'compat'])
  })

  it('unsubscribeAll(GLOBAL_TARGET) with no name is refused with console.error', () => {
    const { EventEmitter } = BX.Event
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    EventEmitter.unsubscribeAll(EventEmitter.GLOBAL_TARGET)
    expect(errorSpy).toHaveBeenCalledWith('You cannot unsubscribe all global listeners.')
    BX.onCustomEvent('e')
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('unsubscribeAll(target) with no name removes every listener of that target only', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    const a = vi.fn()
    const b = vi.fn()
    const g = vi.fn()
    BX.addCustomEvent(o, 'a', a)
    EventEmitter.subscribe(o, 'b', b)
    BX.addCustomEvent('a', g)
    EventEmitter.unsubscribeAll(o)
    BX.onCustomEvent(o, 'a')
    EventEmitter.emit(o, 'b')
    expect(a).not.toHaveBeenCalled()
    expect(b).not.toHaveBeenCalled()
    expect(g).toHaveBeenCalledTimes(1)
    expect(errorSpy).not.toHaveBeenCalled()
  })

  it('getListeners returns a copy Map of listener -> {listener, options, sort}', () => {
    const { EventEmitter } = BX.Event
    const fn = () => {}
    const fn2 = () => {}
    BX.addCustomEvent('e', fn)
    EventEmitter.subscribe('e', fn2)
    const map = EventEmitter.getListeners('e')
    expect(map).toBeInstanceOf(Map)
    expect([...map.keys()]).toEqual([fn, fn2])
    const info = map.get(fn)!
    expect(info.listener).toBe(fn)
    expect(info.options).toMatchObject({ compatMode: true, useGlobalNaming: true })
    expect(map.get(fn2)!.sort).toBeGreaterThan(info.sort)
    map.delete(fn)
    map.clear()
    expect(EventEmitter.getListeners('e').size).toBe(2) // a copy
  })
})

describe('listener this/arguments, thisArg and cloneData options (A.3.4)', () => {
  it('a modern listener gets exactly the BaseEvent and no `this`', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const o = {}
    let self: unknown = 'unset'
    let args: unknown[] = []
    EventEmitter.subscribe(o, 'e', function (this: unknown, ...a: unknown[]) {
      self = this
      args = a
    })
    EventEmitter.emit(o, 'e', { x: 1 })
    expect(self).toBeUndefined()
    expect(args).toHaveLength(1)
    expect(args[0]).toBeInstanceOf(BaseEvent)
  })

  it('thisArg option sets `this` for modern and compat listeners', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    const ctx = { ctx: true }
    const seen: unknown[] = []
    EventEmitter.subscribe(o, 'e', function (this: unknown) {
      seen.push(this)
    })
    BX.addCustomEvent(o, 'e', function (this: unknown) {
      seen.push(this)
    })
    BX.addCustomEvent('e', function (this: unknown) {
      seen.push(this)
    })
    EventEmitter.emit(o, 'e', {}, { thisArg: ctx })
    expect(seen).toEqual([ctx, ctx, ctx])
    expect(seen[0]).toBe(ctx)
    expect(seen[2]).toBe(ctx)
    seen.length = 0
    EventEmitter.emit(o, 'e', {}) // without thisArg: compat gets the target, modern undefined
    expect(seen[0]).toBeUndefined()
    expect(seen[1]).toBe(o)
    expect(seen[2]).toBe(o)
  })

  it('cloneData option clones compatData for each compat listener', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const item = { v: 1 }
    const got: unknown[] = []
    BX.addCustomEvent('e', (p: any) => {
      got.push(p)
      p.v = 2
    })
    BX.addCustomEvent('e', (p: any) => got.push(p))
    EventEmitter.emit('e', new BaseEvent({ data: {}, compatData: [item] }), { cloneData: true })
    expect(got[0]).not.toBe(item)
    expect(got[1]).toEqual({ v: 1 })
    expect(item.v).toBe(1)
    got.length = 0
    EventEmitter.emit('e', new BaseEvent({ data: {}, compatData: [item] }))
    expect(got[0]).toBe(item)
  })

  it('a compat handler removed during dispatch (by a modern listener) is skipped', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    const victim = vi.fn()
    const survivor = vi.fn()
    EventEmitter.subscribe(o, 'e', () => EventEmitter.unsubscribe(o, 'e', victim))
    BX.addCustomEvent(o, 'e', victim)
    BX.addCustomEvent('e', survivor)
    BX.onCustomEvent(o, 'e', [1])
    expect(victim).not.toHaveBeenCalled()
    expect(survivor).toHaveBeenCalledWith(1)
  })

  it('a once listener removed by an earlier listener in the same dispatch is skipped', () => {
    const { EventEmitter } = BX.Event
    const once = vi.fn()
    EventEmitter.subscribe('e', () => EventEmitter.unsubscribe('e', once))
    EventEmitter.subscribeOnce('e', once)
    EventEmitter.emit('e')
    expect(once).not.toHaveBeenCalled()
  })
})

describe('BX.localStorage events for other bx keys (A.5)', () => {
  beforeEach(() => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
  })

  it('a new value fires onLocalStorageSet and onLocalStorageChange with [{key, value, oldValue}]', () => {
    const set = vi.fn()
    const remove = vi.fn()
    const change = vi.fn()
    BX.addCustomEvent('onLocalStorageSet', set)
    BX.addCustomEvent(window, 'onLocalStorageRemove', remove)
    BX.addCustomEvent('onLocalStorageChange', change)
    window.dispatchEvent(storageEvent('bx1-s1-foo', lsValue({ a: 1 }), lsValue('old')))
    const data = { key: 'foo', value: { a: 1 }, oldValue: 'old' }
    expect(set).toHaveBeenCalledTimes(1)
    expect(set).toHaveBeenCalledWith(data)
    expect(remove).not.toHaveBeenCalled()
    expect(change).toHaveBeenCalledWith(data)
    // order: Set before Change
    expect(set.mock.invocationCallOrder[0]).toBeLessThan(change.mock.invocationCallOrder[0])
  })

  it('a removed value fires onLocalStorageRemove and onLocalStorageChange, not Set', () => {
    const set = vi.fn()
    const remove = vi.fn()
    const change = vi.fn()
    BX.addCustomEvent('onLocalStorageSet', set)
    BX.addCustomEvent('onLocalStorageRemove', remove)
    BX.addCustomEvent('onLocalStorageChange', change)
    window.dispatchEvent(storageEvent('bx1-s1-foo', null, lsValue([1, 2])))
    const data = { key: 'foo', value: null, oldValue: [1, 2] }
    expect(set).not.toHaveBeenCalled()
    expect(remove).toHaveBeenCalledWith(data)
    expect(change).toHaveBeenCalledWith(data)
  })

  it('a non-JSON value is passed as text; keys of other prefixes and null keys are ignored', () => {
    const change = vi.fn()
    BX.addCustomEvent('onLocalStorageChange', change)
    window.dispatchEvent(storageEvent('bx1-s1-txt', '1700000000:plain text', null))
    expect(change).toHaveBeenCalledWith({ key: 'txt', value: 'plain text', oldValue: null })
    window.dispatchEvent(storageEvent('bx2-s1-foo', lsValue(1), null))
    window.dispatchEvent(storageEvent('other', lsValue(1), null))
    window.dispatchEvent(storageEvent(null, null, null)) // localStorage.clear() in another tab
    expect(change).toHaveBeenCalledTimes(1)
  })

  it('BX.localStorage set/get/remove use the prefix and the "<expiry>:<json>" format', () => {
    BX.localStorage.set('k', { a: [1] }, 30)
    const raw = window.localStorage.getItem('bx1-s1-k')!
    expect(raw).toMatch(/^\d{10}:\{"a":\[1\]\}$/)
    expect(Number(raw.slice(0, 10))).toBe(Math.round(Date.now() / 1000) + 30)
    expect(BX.localStorage.get('k')).toEqual({ a: [1] })
    BX.localStorage.set('s', 'text')
    expect(BX.localStorage.get('s')).toBe('text')
    BX.localStorage.remove('k')
    expect(window.localStorage.getItem('bx1-s1-k')).toBeNull()
    expect(BX.localStorage.get('k')).toBeNull()
  })
})

describe('more dispatch details (A.3)', () => {
  it('EventEmitter.emit with array data (not a BaseEvent) gives compat handlers [BaseEvent], not the spread array', () => {
    const { EventEmitter, BaseEvent } = BX.Event
    const calls: unknown[][] = []
    BX.addCustomEvent('e', (...args: unknown[]) => void calls.push(args))
    EventEmitter.emit('e', [1, 2])
    expect(calls).toHaveLength(1)
    expect(calls[0]).toHaveLength(1)
    expect(calls[0][0]).toBeInstanceOf(BaseEvent)
    expect((calls[0][0] as any).getData()).toEqual([1, 2])
    expect((calls[0][0] as any).getCompatData()).toBeNull()
  })

  it('with secureParams, a modern listener gets the original params as data (only compat args are cloned)', () => {
    const { EventEmitter } = BX.Event
    const params = [{ v: 1 }]
    let data: unknown
    EventEmitter.subscribe('e', (event: any) => {
      data = event.getData()
    })
    BX.onCustomEvent('e', params, true)
    expect(data).toBe(params)
  })

  it('BX.onCustomEvent with falsy params gives modern listeners data [] ', () => {
    const { EventEmitter } = BX.Event
    let event: any
    EventEmitter.subscribe('e', (e: any) => {
      event = e
    })
    BX.onCustomEvent('e')
    expect(event.getData()).toEqual([])
    expect(event.getCompatData()).toEqual([])
    expect(event.getTarget()).toBe(EventEmitter.GLOBAL_TARGET)
  })

  it('an aliased BX.onCustomEvent reaches modern listeners with the full type', () => {
    const { EventEmitter } = BX.Event
    EventEmitter.registerAliases({ onOldName: { namespace: 'New.Ns', eventName: 'Fired' } })
    let type = ''
    EventEmitter.subscribe('New.Ns:Fired', (e: any) => {
      type = e.getType()
    })
    BX.onCustomEvent('ONOLDNAME', [])
    expect(type).toBe('new.ns:fired')
  })

  it('registerAliases also moves once listeners and per-event max listeners', () => {
    const { EventEmitter } = BX.Event
    const once = vi.fn()
    EventEmitter.subscribeOnce('onLateAlias', once)
    EventEmitter.setMaxListeners('onLateAlias', 40)
    EventEmitter.registerAliases({ onLateAlias: { namespace: 'Late', eventName: 'x' } })
    expect(EventEmitter.getMaxListeners('late:x')).toBe(40)
    EventEmitter.emit('Late:x')
    EventEmitter.emit('Late:x')
    expect(once).toHaveBeenCalledTimes(1)
    expect(EventEmitter.getListeners('late:x').size).toBe(0)
    // Note: Bitrix's once wrapper deletes from the once Map it captured, which mergeEventAliases replaced by a new
    // Map, so a re-subscribeOnce here is refused as a duplicate in Bitrix too. Not asserted either way.
  })
})

describe('BX.clone (Runtime.clone semantics used by secureParams)', () => {
  it('copies Date, RegExp, Map, Set; keeps class prototypes; passes functions through; clones DOM nodes', () => {
    class Point {
      constructor(public x: number) {}
      norm() {
        return Math.abs(this.x)
      }
    }
    const fn = () => 1
    const re = /a+/gi
    re.lastIndex = 2
    const div = document.createElement('div')
    div.innerHTML = '<span>hi</span>'
    const src = {
      d: new Date(5),
      re,
      m: new Map([[{ k: 1 }, { v: 1 }]]),
      s: new Set([{ z: 1 }]),
      p: new Point(-3),
      fn,
      div,
    }
    const c = BX.clone(src)
    expect(c).not.toBe(src)
    expect(c.d).not.toBe(src.d)
    expect(c.d.getTime()).toBe(5)
    expect(c.re).not.toBe(re)
    expect(c.re.source).toBe('a+')
    expect(c.re.flags).toBe('gi')
    expect(c.re.lastIndex).toBe(2)
    expect(c.m).toBeInstanceOf(Map)
    expect(c.m).not.toBe(src.m)
    expect([...c.m.values()][0]).toEqual({ v: 1 })
    expect([...c.m.values()][0]).not.toBe([...src.m.values()][0])
    expect(c.s).not.toBe(src.s)
    expect([...c.s][0]).toEqual({ z: 1 })
    expect(c.p).not.toBe(src.p)
    expect(c.p).toBeInstanceOf(Point)
    expect(c.p.norm()).toBe(3)
    expect(c.fn).toBe(fn)
    expect(c.div).not.toBe(div)
    expect((c.div as HTMLElement).outerHTML).toBe(div.outerHTML)
    expect(BX.clone(5)).toBe(5)
    expect(BX.clone(null)).toBeNull()
  })
})

describe('BX.localStorage value decoding (core_ls.js _onchange)', () => {
  it('a value shorter than the 11-character "<expiry>:" header decodes to null, as in Bitrix', () => {
    // core_ls.js: value = e.newValue ? _decode(e.newValue.substring(11)) : null; _decode('') returns null.
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const change = vi.fn()
    BX.addCustomEvent('onLocalStorageChange', change)
    window.dispatchEvent(storageEvent('bx1-s1-k', 'short', '1700000000:{bad'))
    expect(change).toHaveBeenCalledWith({ key: 'k', value: null, oldValue: '{bad' })
  })
})

describe('BX.localStorage edge cases and a custom window', () => {
  function fakeWindow(storage: Partial<Storage> | (() => never)) {
    const target = new EventTarget() as EventTarget & { localStorage: Storage }
    if (typeof storage === 'function') Object.defineProperty(target, 'localStorage', { get: storage })
    else target.localStorage = storage as Storage
    return target
  }
  function memoryStorage(): Storage & { data: Map<string, string> } {
    const data = new Map<string, string>()
    return {
      data,
      get length() {
        return data.size
      },
      clear: () => data.clear(),
      getItem: (k: string) => (data.has(k) ? data.get(k)! : null),
      key: (i: number) => [...data.keys()][i] ?? null,
      removeItem: (k: string) => void data.delete(k),
      setItem: (k: string, v: string) => void data.set(k, String(v)),
    }
  }

  it('set(key, null) stores nothing (core_ls.js: value == undefined returns)', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    BX.localStorage.set('n', null)
    expect(window.localStorage.getItem('bx1-s1-n')).toBeNull()
  })

  it('createBX({window}) uses that window: its storage, its storage events, and it stands for the global target', () => {
    const storage = memoryStorage()
    const win = fakeWindow(storage)
    const bx = makeBX({ window: win as unknown as Window })
    try {
      bx.message({ USER_ID: '3', SITE_ID: 'x1' })
      const fn = vi.fn()
      bx.addCustomEvent(win as object, 'e', fn) // the custom window means GLOBAL_TARGET
      bx.onCustomEvent('e', [1])
      expect(fn).toHaveBeenCalledWith(1)
      bx.onGlobalCustomEvent('e', [2], true)
      expect(storage.data.get('bx3-x1-BXGCE')).toMatch(/^\d{10}:\{"e":"e","p":\[2\]\}$/)
      expect(window.localStorage.getItem('bx3-x1-BXGCE')).toBeNull()
      win.dispatchEvent(storageEvent('bx3-x1-BXGCE', lsValue({ e: 'e', p: [3] })))
      expect(fn).toHaveBeenLastCalledWith(3)
      // the page's real window is not listened to by this BX
      window.dispatchEvent(storageEvent('bx3-x1-BXGCE', lsValue({ e: 'e', p: [4] })))
      expect(fn).toHaveBeenCalledTimes(2)
    } finally {
      bx.destroy()
    }
  })

  it('a window whose localStorage throws on access (sandboxed frame): onGlobalCustomEvent still fires locally', () => {
    const win = fakeWindow(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    const bx = makeBX({ window: win as unknown as Window })
    try {
      const fn = vi.fn()
      bx.addCustomEvent('e', fn)
      expect(() => bx.onGlobalCustomEvent('e', [1])).not.toThrow()
      expect(fn).toHaveBeenCalledWith(1)
      expect(() => bx.localStorage.set('k', 1)).not.toThrow()
      expect(bx.localStorage.get('k')).toBeNull()
    } finally {
      bx.destroy()
    }
  })

  it('a failing setItem (quota) fires onLocalStorageError on BX.localStorage with [error, {key, value, ttl}]', () => {
    const storage = memoryStorage()
    const quota = new DOMException('full', 'QuotaExceededError')
    storage.setItem = () => {
      throw quota
    }
    const bx = makeBX({ window: fakeWindow(storage) as unknown as Window })
    try {
      const onError = vi.fn()
      bx.addCustomEvent(bx.localStorage, 'onLocalStorageError', onError)
      expect(() => bx.localStorage.set('k', { a: 1 })).not.toThrow()
      expect(onError).toHaveBeenCalledWith(quota, { key: 'k', value: { a: 1 }, ttl: 60 })
      const fn = vi.fn()
      bx.addCustomEvent('g', fn)
      expect(() => bx.onGlobalCustomEvent('g', [1])).not.toThrow()
      expect(fn).toHaveBeenCalledWith(1)
      expect(onError).toHaveBeenLastCalledWith(quota, { key: 'BXGCE', value: { e: 'g', p: [1] }, ttl: 1 })
    } finally {
      bx.destroy()
    }
  })
})

describe('BX.localStorage.get of a malformed stored value', () => {
  it('returns null for a value without the "<10-digit expiry>:" header (core_ls.js: NaN ttl -> null; main.core: invalid -> null)', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    window.localStorage.setItem('bx1-s1-g', 'garbage')
    expect(BX.localStorage.get('g')).toBeNull()
    window.localStorage.setItem('bx1-s1-h', '')
    expect(BX.localStorage.get('h')).toBeNull()
  })
})
