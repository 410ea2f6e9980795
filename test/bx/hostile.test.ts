// Hostile input: bad names and arguments, prototype-ish names, frozen / cyclic / __proto__ params, 10,000 listeners,
// malformed cross-tab payloads.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BXBus } from '../../src/bx'
import { lsValue, makeBX, storageEvent } from './helpers'

let BX: BXBus
let errorSpy: ReturnType<typeof vi.spyOn>
let groupSpy: ReturnType<typeof vi.spyOn>

beforeEach(() => {
  window.localStorage.clear()
  errorSpy = vi.spyOn(console, 'error').mockImplementation(() => {})
  vi.spyOn(console, 'warn').mockImplementation(() => {})
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

const objectProtoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort()

describe('hostile input', () => {
  const badNames: Array<[string, unknown]> = [
    ['number', 42],
    ['NaN', NaN],
    ['object', { toString: () => 'e' }],
    ['array', ['e']],
    ['null', null],
    ['undefined', undefined],
    ['Symbol', Symbol('e')],
    ['function', () => 'e'],
  ]

  for (const [label, name] of badNames) {
    it(`non-string name (${label}) to every compat function: never throws, logs console.error, registers nothing`, () => {
      const fn = vi.fn()
      const o = {}
      const bx = BX as any
      expect(() => bx.addCustomEvent(o, name, fn)).not.toThrow()
      expect(() => bx.addCustomEvent(name, fn)).not.toThrow()
      expect(() => bx.removeCustomEvent(o, name, fn)).not.toThrow()
      expect(() => bx.removeCustomEvent(name, fn)).not.toThrow()
      expect(() => bx.removeAllCustomEvents(o, name)).not.toThrow()
      expect(() => bx.removeAllCustomEvents(name)).not.toThrow()
      expect(() => bx.onCustomEvent(o, name, [1])).not.toThrow()
      expect(() => bx.onCustomEvent(name, [1])).not.toThrow()
      expect(() => bx.onCustomEvent(o, name, [1], true)).not.toThrow()
      // every one of those calls was reported
      expect(errorSpy.mock.calls.length).toBeGreaterThanOrEqual(9)
      for (const call of errorSpy.mock.calls) expect(typeof call[0]).toBe('string')
      expect(fn).not.toHaveBeenCalled()
      // nothing was registered under a stringified name, and the bus still works
      const ok = vi.fn()
      BX.addCustomEvent(o, 'e', ok)
      BX.onCustomEvent(o, 'e', [1])
      BX.onCustomEvent(o, String(label))
      expect(ok).toHaveBeenCalledTimes(1)
      expect(fn).not.toHaveBeenCalled()
    })
  }

  it('non-string names to onGlobalCustomEvent and BX.localStorage do not throw', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const bx = BX as any
    for (const [, name] of badNames) {
      if (typeof name === 'symbol') continue // JSON cannot carry a Symbol key; covered by onCustomEvent above
      expect(() => bx.onGlobalCustomEvent(name, [1])).not.toThrow()
      expect(() => bx.onGlobalCustomEvent(name, [1], true)).not.toThrow()
    }
    expect(() => bx.localStorage.set(null, 1)).not.toThrow()
    expect(() => bx.localStorage.set('k', undefined)).not.toThrow()
    expect(window.localStorage.getItem('bx1-s1-k')).toBeNull()
  })

  it('EventEmitter statics reject bad names with TypeError (as Bitrix does)', () => {
    const { EventEmitter } = BX.Event
    const o = {}
    expect(() => EventEmitter.subscribe(o, 42 as any, () => {})).toThrow(TypeError)
    expect(() => EventEmitter.subscribe(o, '', () => {})).toThrow(TypeError)
    expect(() => EventEmitter.subscribe(o, 'e', 'x' as any)).toThrow(TypeError)
    expect(() => EventEmitter.subscribe(5 as any, 'e', () => {})).toThrow(TypeError)
    expect(() => EventEmitter.emit(o, null as any)).toThrow(TypeError)
    expect(() => EventEmitter.emit(null as any, 'e')).toThrow(TypeError)
    expect(() => EventEmitter.unsubscribe(o, Symbol('x') as any, () => {})).toThrow(TypeError)
  })

  it('non-object targets to remove/removeAll/on do not throw', () => {
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    const bx = BX as any
    for (const target of [null, undefined, 0, 1, true, NaN]) {
      expect(() => bx.removeCustomEvent(target, 'e', fn)).not.toThrow()
      expect(() => bx.removeAllCustomEvents(target, 'e')).not.toThrow()
      expect(() => bx.onCustomEvent(target, 'e', [1])).not.toThrow() // non-object target = global
    }
    expect(fn).toHaveBeenCalledTimes(6)
  })

  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']) {
    it(`"${name}" is an ordinary event name and does not pollute Object.prototype`, () => {
      const { EventEmitter } = BX.Event
      const before = objectProtoKeys()
      const o = {}
      const g = vi.fn()
      const h = vi.fn()
      const m = vi.fn()
      const other = vi.fn()
      BX.addCustomEvent(name, g)
      BX.addCustomEvent(o, name.toUpperCase(), h)
      EventEmitter.subscribe(name, m)
      BX.addCustomEvent('other', other)
      BX.onCustomEvent(o, name, ['x'])
      expect(g).toHaveBeenCalledWith('x')
      expect(h).toHaveBeenCalledWith('x')
      expect(m).toHaveBeenCalledTimes(1)
      expect(m.mock.calls[0][0].getType()).toBe(name.toLowerCase())
      expect(other).not.toHaveBeenCalled()
      expect(EventEmitter.getListeners(name).size).toBe(2)
      // an unrelated name is not affected
      BX.onCustomEvent('unrelated', [])
      expect(g).toHaveBeenCalledTimes(1)
      // duplicate detection works for these names
      BX.addCustomEvent(name, g)
      expect(errorSpy).toHaveBeenCalledWith(`You cannot subscribe the same "${name.toLowerCase()}" event listener twice.`)
      // remove / removeAll
      BX.removeCustomEvent(name, g)
      BX.removeAllCustomEvents(o, name)
      BX.onCustomEvent(o, name, ['y'])
      expect(g).toHaveBeenCalledTimes(1)
      expect(h).toHaveBeenCalledTimes(1)
      expect(m).toHaveBeenCalledTimes(2)
      // no pollution
      expect(objectProtoKeys()).toEqual(before)
      expect(typeof ({} as any).toString).toBe('function')
      expect(({} as any).hasOwnProperty('x')).toBe(false)
      expect(Object.getPrototypeOf({})).toBe(Object.prototype)
      expect(({} as any).constructor).toBe(Object)
    })
  }

  it('"__proto__" / "constructor" as alias names and through a BXGCE storage event', () => {
    const { EventEmitter } = BX.Event
    EventEmitter.registerAliases({ constructor: { namespace: 'Ns', eventName: 'ctor' } })
    const viaAlias = vi.fn()
    BX.addCustomEvent('constructor', viaAlias)
    expect(EventEmitter.getListeners('ns:ctor').size).toBe(1)
    BX.onCustomEvent('Constructor', [1])
    expect(viaAlias).toHaveBeenCalledWith(1)
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const proto = vi.fn()
    BX.addCustomEvent('__proto__', proto)
    window.dispatchEvent(storageEvent('bx1-s1-BXGCE', '1700000000:{"e":"__proto__","p":[{"__proto__":{"polluted":1}}]}'))
    expect(proto).toHaveBeenCalledTimes(1)
    expect(({} as any).polluted).toBeUndefined()
  })

  it('BX.message ignores hostile keys', () => {
    BX.message(JSON.parse('{"__proto__": {"polluted": 1}, "prototype": 2, "call": 3, "OK": "yes"}'))
    expect(BX.message('OK')).toBe('yes')
    expect(({} as any).polluted).toBeUndefined()
    expect(typeof BX.message.call).toBe('function')
  })

  it('frozen params without secureParams: the handler gets the frozen originals', () => {
    const inner = Object.freeze({ a: 1 })
    const params = Object.freeze([inner, 'x'])
    const got: unknown[][] = []
    BX.addCustomEvent('e', (...args: unknown[]) => void got.push(args))
    expect(() => BX.onCustomEvent('e', params)).not.toThrow()
    expect(got[0]).toEqual([inner, 'x'])
    expect(got[0][0]).toBe(inner)
    // a handler that writes to them throws in strict mode, and that reaches the caller
    BX.addCustomEvent('w', (p: any) => {
      p.a = 2
    })
    expect(() => BX.onCustomEvent('w', params)).toThrow(TypeError)
  })

  it('frozen params with secureParams: each handler gets an equal, writable copy', () => {
    const inner = Object.freeze({ a: 1, list: Object.freeze([1]) })
    const params = Object.freeze([inner])
    const got: any[] = []
    BX.addCustomEvent('e', (p: any) => {
      got.push(p)
      p.a = 2 // the copy is not frozen
      p.list.push(2)
    })
    BX.addCustomEvent('e', (p: any) => void got.push(p))
    expect(() => BX.onCustomEvent('e', params, true)).not.toThrow()
    expect(got[0]).not.toBe(inner)
    expect(got[1]).toEqual({ a: 1, list: [1] })
    expect(inner).toEqual({ a: 1, list: [1] })
  })

  it('cyclic params with secureParams: the clone keeps the cycle and shared references, the handler gets a copy', () => {
    const a: any = { name: 'a', list: [] }
    a.self = a
    a.list.push(a)
    const b: any = { peer: a }
    a.peer = b
    const got: any[][] = []
    BX.addCustomEvent('e', (...args: any[]) => void got.push(args))
    expect(() => BX.onCustomEvent('e', [a, b, a], true)).not.toThrow()
    const [ca, cb, ca2] = got[0]
    expect(ca).not.toBe(a)
    expect(cb).not.toBe(b)
    expect(ca.self).toBe(ca)
    expect(ca.list[0]).toBe(ca)
    expect(ca.peer).toBe(cb)
    expect(cb.peer).toBe(ca)
    expect(ca2).toBe(ca) // shared reference preserved within one clone
    expect(ca.name).toBe('a')
    // BX.clone directly
    const c = BX.clone(a)
    expect(c).not.toBe(a)
    expect(c.self).toBe(c)
  })

  it('a "__proto__" own key in params with secureParams does not change the clone\'s prototype', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true, "isAdmin": true}, "x": 1}')
    expect(Object.prototype.hasOwnProperty.call(payload, '__proto__')).toBe(true)
    const got: any[] = []
    BX.addCustomEvent('e', (p: any) => void got.push(p))
    BX.onCustomEvent('e', [payload], true)
    const copy = got[0]
    expect(copy).not.toBe(payload)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(copy.isAdmin).toBeUndefined()
    expect(copy.polluted).toBeUndefined()
    expect(copy.x).toBe(1)
    expect(({} as any).polluted).toBeUndefined()
    expect(({} as any).isAdmin).toBeUndefined()
    // the data itself is kept, as an own property
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true, isAdmin: true })
  })

  it('10,000 listeners on one event are all called once, in order; the leak warning is printed once', () => {
    vi.useFakeTimers()
    const o = {}
    const calls: number[] = []
    const N = 10_000
    for (let i = 0; i < N; i++) BX.addCustomEvent(o, 'many', () => void calls.push(i))
    expect(groupSpy).not.toHaveBeenCalled()
    BX.onCustomEvent(o, 'many', [])
    expect(calls).toHaveLength(N)
    expect(calls.every((v, i) => v === i)).toBe(true)
    vi.advanceTimersByTime(1000)
    expect(groupSpy).toHaveBeenCalledTimes(1)
    expect(groupSpy).toHaveBeenCalledWith(
      `Possible BX.Event.EventEmitter memory leak detected. ${N} "many" listeners added. Use emitter.setMaxListeners() to increase limit.`,
    )
    // with secureParams too (general loop)
    calls.length = 0
    BX.onCustomEvent(o, 'many', [{}], true)
    expect(calls).toHaveLength(N)
    expect(calls[N - 1]).toBe(N - 1)
    vi.advanceTimersByTime(1000)
    expect(groupSpy).toHaveBeenCalledTimes(1)
  })

  it('10,000 global listeners (GLOBAL_TARGET, limit 25) warn once as well', () => {
    vi.useFakeTimers()
    let count = 0
    for (let i = 0; i < 10_000; i++) BX.addCustomEvent('manyGlobal', () => void count++)
    BX.onCustomEvent({}, 'manyGlobal')
    expect(count).toBe(10_000)
    vi.advanceTimersByTime(1000)
    expect(groupSpy).toHaveBeenCalledTimes(1)
  })

  it('a malformed BXGCE storage value is ignored without throwing', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const any = vi.fn()
    for (const name of ['undefined', 'null', '5', 'x', 'onchange', 'onlocalstoragechange', 'onlocalstorageset']) {
      BX.addCustomEvent(name, any)
    }
    const values = [
      'garbage',
      '',
      ':',
      '1700000000:not json',
      '1700000000:{"p":[1]}', // no e
      '1700000000:{"e":5,"p":[1]}', // e not a string
      '1700000000:{"e":null,"p":[1]}',
      '1700000000:{"e":{"toLowerCase":1},"p":[1]}',
      '1700000000:{"e":["x"],"p":[1]}',
      '1700000000:null',
      '1700000000:"x"',
      '1700000000:[1,2]',
      '1700000000:5',
      '1700000000:{"e":"',
    ]
    for (const value of values) {
      expect(() => window.dispatchEvent(storageEvent('bx1-s1-BXGCE', value, null))).not.toThrow()
      expect(() => window.dispatchEvent(storageEvent('bx1-s1-BXGCE', value, value))).not.toThrow()
    }
    expect(any).not.toHaveBeenCalled()
    // a well-formed one still works afterwards
    window.dispatchEvent(storageEvent('bx1-s1-BXGCE', lsValue({ e: 'x', p: [1] })))
    expect(any).toHaveBeenCalledWith(1)
  })

  it('a malformed value under another bx key is delivered as text, without throwing', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const change = vi.fn()
    BX.addCustomEvent('onLocalStorageChange', change)
    expect(() => window.dispatchEvent(storageEvent('bx1-s1-k', 'short', '1700000000:{bad'))).not.toThrow()
    expect(change).toHaveBeenCalledTimes(1)
  })

  it('a handler that throws inside a storage-triggered event does not break later storage events', () => {
    BX.message({ USER_ID: '1', SITE_ID: 's1' })
    const fn = vi.fn()
    let first = true
    BX.addCustomEvent('x', () => {
      if (first) {
        first = false
        throw new Error('handler bug')
      }
    })
    BX.addCustomEvent('x', fn)
    try {
      window.dispatchEvent(storageEvent('bx1-s1-BXGCE', lsValue({ e: 'x', p: [] })))
    } catch {
      // happy-dom rethrows listener errors; a browser would report them
    }
    window.dispatchEvent(storageEvent('bx1-s1-BXGCE', lsValue({ e: 'x', p: [] })))
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('thousands of distinct names and a very long name resolve correctly (name cache bounds, aliases added later)', () => {
    const fns: Array<ReturnType<typeof vi.fn>> = []
    for (let i = 0; i < 3000; i++) {
      const fn = vi.fn()
      fns.push(fn)
      BX.addCustomEvent(`Name${i}`, fn)
    }
    for (let i = 0; i < 3000; i++) BX.onCustomEvent(`NAME${i}`, [i])
    for (let i = 0; i < 3000; i++) expect(fns[i]).toHaveBeenCalledTimes(1)
    expect(fns[2999]).toHaveBeenCalledWith(2999)
    BX.Event.EventEmitter.registerAliases({ name5: { namespace: 'A', eventName: 'b' } })
    BX.onCustomEvent('Name5', ['via alias'])
    BX.onCustomEvent('A:B', ['via full name'])
    expect(fns[5].mock.calls.slice(1)).toEqual([['via alias'], ['via full name']])
    BX.onCustomEvent('name6', [])
    expect(fns[6]).toHaveBeenCalledTimes(2)
    const long = 'x'.repeat(1_000_000)
    const fn = vi.fn()
    BX.addCustomEvent(long, fn)
    BX.onCustomEvent(long.toUpperCase(), [1])
    expect(fn).toHaveBeenCalledWith(1)
  })

  it('removeAllCustomEvents in the short form removes global handlers only, not object handlers', () => {
    const o = {}
    const onO = vi.fn()
    BX.addCustomEvent(o, 'e', onO)
    BX.addCustomEvent('e', () => {})
    BX.removeAllCustomEvents('e')
    BX.onCustomEvent(o, 'e')
    expect(onO).toHaveBeenCalledTimes(1)
  })

  it('subscribeFromOptions and registerAliases with prototype-ish keys', () => {
    const { EventEmitter } = BX.Event
    const emitter = new EventEmitter({}, 'Ns')
    const ctor = vi.fn()
    const ts = vi.fn()
    emitter.subscribeFromOptions({ constructor: ctor, toString: ts } as any, {})
    emitter.emit('constructor')
    emitter.emit('toString')
    expect(ctor).toHaveBeenCalledTimes(1)
    expect(ts).toHaveBeenCalledTimes(1)
    const before = objectProtoKeys()
    EventEmitter.registerAliases(JSON.parse('{"__proto__": {"namespace": "P", "eventName": "x"}}'))
    const viaProto = vi.fn()
    BX.addCustomEvent('__proto__', viaProto)
    expect(EventEmitter.getListeners('p:x').size).toBe(1)
    BX.onCustomEvent('p:x')
    expect(viaProto).toHaveBeenCalledTimes(1)
    expect(objectProtoKeys()).toEqual(before)
    expect(({} as any).namespace).toBeUndefined()
  })

  it('params with getters that throw reach the caller only if the handler touches them', () => {
    const params = [
      {
        get bad() {
          throw new Error('getter')
        },
      },
    ]
    const fn = vi.fn()
    BX.addCustomEvent('e', fn)
    expect(() => BX.onCustomEvent('e', params)).not.toThrow()
    expect(fn).toHaveBeenCalledTimes(1)
  })
})
