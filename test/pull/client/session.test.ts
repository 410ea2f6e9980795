// The resume position and the duplicate filter on their own (session.ts): PULL-32's window, PULL-60's order.
import { describe, expect, it } from 'vitest'
import { PullSession } from '../../../src/pull/client/session'

const run = (n: number, prefix = '1795424610') => prefix + String(n).padStart(16, '0')

describe('PullSession', () => {
  it('PULL-32 the window keeps the last 10 mids of any shape, trimmed once per batch', () => {
    const session = new PullSession()
    for (let i = 0; i < 12; i++) expect(session.admit({ mid: `h${i}` }, false)).toBe(true)
    // Not trimmed yet: the whole batch is still in the window.
    expect(session.admit({ mid: 'h0' }, false)).toBe(false)
    session.trim()
    expect(session.admit({ mid: 'h0' }, false)).toBe(true)
    expect(session.admit({ mid: 'h11' }, false)).toBe(false)
  })

  it('PULL-60 a duplicate moves nothing; only text-frame mids of 26 digits are ordered, per server run', () => {
    const session = new PullSession()
    expect(session.admit({ mid: run(5), tag: '1', time: 't' }, true)).toBe(true)
    for (let i = 6; i < 30; i++) session.admit({ mid: run(i) }, true)
    session.trim()
    expect(session.admit({ mid: run(5), tag: 'old' }, true)).toBe(false)
    expect(session.mid).toBe(run(29))
    // The same digits from a protobuf or JSON-RPC server carry no known order: only the window applies.
    expect(session.admit({ mid: run(5) }, false)).toBe(true)
    // Another server run starts its own count; the older run's mids are no longer compared.
    expect(session.admit({ mid: run(1, '1795424999') }, true)).toBe(true)
    expect(session.admit({ mid: run(3) }, true)).toBe(true)
    // Not digits: not ordered.
    expect(session.admit({ mid: '179542461000000000000000x1' }, true)).toBe(true)
  })

  it('PULL-60 the long-polling 304 position never moves back within a run, and is taken otherwise', () => {
    const session = new PullSession()
    session.resumeFrom(run(10))
    session.resumeFrom(run(4))
    expect(session.mid).toBe(run(10))
    session.resumeFrom(run(12))
    expect(session.mid).toBe(run(12))
    session.resumeFrom(run(1, '1795424999'))
    expect(session.mid).toBe(run(1, '1795424999'))
    session.resumeFrom('abc')
    expect(session.mid).toBe('abc')
  })

  it('PULL-64 debug counters keep wire names as plain data', () => {
    const session = new PullSession()
    session.count('__proto__', 'constructor')
    session.count('im', ['x', { toString: 1 }])
    const history = session.historySnapshot()
    expect(Object.getPrototypeOf(history)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(history, '__proto__')?.value).toEqual({ constructor: 1 })
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
    expect(session.messageCount).toBe(2)
  })
})
