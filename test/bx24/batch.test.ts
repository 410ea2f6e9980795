// Checklist BX24-37..40: callBatch; plus transparent splitting beyond 50 commands and hostile batch answers.
import { describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { mockTransport } from '../../src/bx24/transports/mock'
import { fakePortal, fakeTimersAndCleanup, flush, frameApp, ok, type FetchCall } from './helpers'
import { fakeFetch } from './helpers'

const cleanup = fakeTimersAndCleanup()
/** Await a BX24 promise while fake time moves (init callbacks and retries run on timers). */
async function settle<T>(promise: Promise<T> | undefined): Promise<T> {
  await flush()
  return (await promise) as T
}

function app(answer: (call: FetchCall, i: number) => { status: number; body: string }) {
  const f = fakeFetch(answer)
  const h = frameApp({ fetch: f.fetch })
  cleanup.push(() => h.bx.shim.destroy())
  return { ...h, calls: f.calls }
}

function mockApp(portal = fakePortal()) {
  const bx = createBX24({ window, transport: mockTransport({ handler: portal.handler }), log: { warn: vi.fn(), error: vi.fn() } })
  cleanup.push(() => bx.shim.destroy())
  return { bx, portal }
}

const batchAnswer = (result: Record<string, unknown>) => ok(result)

describe('callBatch', () => {
  it('BX24-37 skips falsy and method-less entries; with none left it sends nothing and never calls back', async () => {
    const { bx, calls } = app(() => batchAnswer({ result: { 1: 'x' }, result_error: [] }))
    const cb = vi.fn()
    bx.callBatch([null, ['user.current'], { params: {} }, ['', {}], 0, { method: 'x' }], cb)
    await flush()
    expect(calls[0]!.body).toBe('auth=TOKEN1&halt=0&cmd[1]=user.current%3F&cmd[5]=x%3F')
    bx.callBatch([null, { params: {} }, ['']], cb)
    bx.callBatch({}, cb)
    bx.callBatch(null as never, cb)
    await flush()
    expect(calls).toHaveLength(1)
    expect(cb).toHaveBeenCalledOnce()
    await expect(bx.callBatch([])).resolves.toEqual([])
  })

  it('BX24-38 each cmd is method?query; batch carries halt 1|0 (default 0) and cmd as array or object', async () => {
    const { bx, calls } = app(() => batchAnswer({ result: [], result_error: [] }))
    bx.callBatch({ a: ['user.current'], b: { method: 'department.get', params: { ID: '$result[a][UF_DEPARTMENT]' } } }, () => {}, true)
    bx.callBatch([['crm.deal.get', { id: 5 }]], () => {})
    await flush()
    expect(calls[0]!.url).toBe('https://portal.example.test/rest/batch.json')
    expect(calls[0]!.body).toBe('auth=TOKEN1&halt=1&cmd[a]=user.current%3F&cmd[b]=department.get%3FID%3D%2524result%255Ba%255D%255BUF_DEPARTMENT%255D')
    expect(calls[1]!.body).toBe('auth=TOKEN1&halt=0&cmd[0]=crm.deal.get%3Fid%3D5')
  })

  it('BX24-39 the callback gets the same container and keys, only for keys in result or result_error, with per-item total/next/time/error', async () => {
    const { bx } = app(() => batchAnswer({
      result: { list: [{ ID: 1 }], me: { ID: 2 } },
      result_error: { bad: { error: 'insufficient_scope', error_description: 'no scope' } },
      result_total: { list: 120 }, result_next: { list: 50 }, result_time: { list: { duration: 0.1 } },
    }))
    const cb = vi.fn()
    bx.callBatch({ list: ['crm.deal.list', { select: ['ID'] }], me: ['user.current'], bad: ['crm.x'], skipped: ['y'] }, cb, false)
    await flush()
    const out = cb.mock.calls[0]![0] as Record<string, ajaxResult>
    expect(Array.isArray(out)).toBe(false)
    expect(Object.keys(out)).toEqual(['list', 'me', 'bad'])
    expect(out.list!.data()).toEqual([{ ID: 1 }])
    expect(out.list!.total()).toBe(120)
    expect(out.list!.more()).toBe(true)
    expect(out.list!.time()).toEqual({ duration: 0.1 })
    expect(out.me!.more()).toBe(false)
    expect(out.bad!.error()!.getStatus()).toBe(200)
    expect(out.bad!.error()!.getError()).toEqual({ error: 'insufficient_scope', error_description: 'no scope' })
    expect(String(out.bad!.error())).toBe('insufficient_scope: no scope (200)')
    // next() on an item re-issues that method with its params, through the batch callback (the real quirk).
    expect(out.list!.query).toMatchObject({ method: 'crm.deal.list', data: { select: ['ID'] } })
  })

  it('BX24-39 array calls give an array keyed by the original indices', async () => {
    const { bx } = app(() => batchAnswer({ result: { 0: 'a', 2: 'c' }, result_error: [] }))
    const out = (await settle(bx.callBatch([['m0'], null, ['m2']])))!
    expect(Array.isArray(out)).toBe(true)
    expect((out as ajaxResult[]).map((r) => r?.data())).toEqual(['a', undefined, 'c'])
  })

  it('BX24-40 falsy-but-defined item results (false, 0) are kept; a missing one becomes {}', async () => {
    const { bx } = app(() => batchAnswer({ result: { f: false, z: 0, n: null }, result_error: { e: { error: 'E', error_description: '' } } }))
    const out = (await settle(bx.callBatch({ f: ['a'], z: ['b'], n: ['c'], e: ['d'] }))) as Record<string, ajaxResult>
    expect(out.f!.data()).toBe(false)
    expect(out.z!.data()).toBe(0)
    expect(out.n!.data()).toBeNull()
    expect(out.e!.data()).toEqual({})
  })
})

describe('callBatch beyond the real library', () => {
  it('more than 50 commands are sent as several batch requests, in order, with one callback', async () => {
    const { bx, portal } = mockApp()
    const calls = Array.from({ length: 120 }, (_, i) => ['echo', { n: i }])
    const cb = vi.fn()
    bx.callBatch(calls, cb)
    await flush()
    const batches = portal.requests.filter((r) => r.method === 'batch')
    expect(batches).toHaveLength(3)
    expect(batches.map((r) => [...new URLSearchParams(r.body).keys()].filter((k) => k.startsWith('cmd')).length)).toEqual([50, 50, 20])
    expect(new URLSearchParams(batches[1]!.body).get('cmd[50]')).toBe('echo?n=50')
    expect(cb).toHaveBeenCalledOnce()
    const out = cb.mock.calls[0]![0] as ajaxResult[]
    expect(out).toHaveLength(120)
    expect(out.map((r) => (r.data() as { n: string }).n)).toEqual(calls.map((_, i) => String(i)))
  })

  it('with halt, an error in one request stops the later requests', async () => {
    const { bx, portal } = mockApp()
    const calls: Record<string, unknown> = {}
    for (let i = 0; i < 75; i++) calls[`k${i}`] = [i === 10 ? 'no.such' : 'echo', { n: i }]
    const out = (await settle(bx.callBatch(calls, undefined, true))) as Record<string, ajaxResult>
    expect(portal.requests.filter((r) => r.method === 'batch')).toHaveLength(1)
    expect(Object.keys(out)).toHaveLength(11)
    expect(out.k10!.error()!.getError().error).toBe('ERROR_METHOD_NOT_FOUND')
  })

  it('when the batch call itself fails every command carries that error (BX.RestClient behaviour)', async () => {
    const { bx } = app(() => ({ status: 401, body: JSON.stringify({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }) }))
    const out = (await settle(bx.callBatch({ a: ['x'], b: ['y'] }))) as Record<string, ajaxResult>
    expect(Object.keys(out)).toEqual(['a', 'b'])
    expect(String(out.a!.error())).toBe('NO_AUTH_FOUND: Wrong authorization data (401)')
  })
})

describe('hostile batch answers', () => {
  it('buckets of the wrong type, prototype-named keys and __proto__ keys are handled without pollution', async () => {
    const { bx } = app((_, i) => [
      batchAnswer({ result: 'nonsense', result_error: null }),
      batchAnswer({ result: { __proto__x: 1 }, result_error: [] }),
      { status: 200, body: '{"result":{"result":{"__proto__":{"polluted":1},"ok":1},"result_error":[]}}' },
      { status: 200, body: '{"result":"not an object"}' },
    ][i]!)
    const first = await settle(bx.callBatch({ a: ['x'] }))
    expect(Object.keys(first!)).toEqual([])
    const second = (await settle(bx.callBatch({ constructor: ['x'], toString: ['y'], hasOwnProperty: ['z'] }))) as Record<string, unknown>
    expect(Object.keys(second)).toEqual([])
    const calls = JSON.parse('{"__proto__": ["p"], "ok": ["q"]}')
    const third = (await settle(bx.callBatch(calls))) as Record<string, ajaxResult>
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(third)).toBe(Object.prototype)
    expect(Object.keys(third)).toEqual(['__proto__', 'ok'])
    expect(third.ok!.data()).toBe(1)
    const fourth = await settle(bx.callBatch({ a: ['x'] }))
    expect(Object.keys(fourth!)).toEqual([])
  })

  it('entries with non-string methods are skipped with a warning; cyclic params throw a clear TypeError', () => {
    const { bx, log, calls } = app(() => batchAnswer({ result: [] }))
    bx.callBatch([[{ evil: 1 }, {}]], () => {})
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('the method is not a string'))
    expect(calls).toHaveLength(0)
    const cyclic: Record<string, unknown> = {}
    cyclic.c = cyclic
    expect(() => bx.callBatch([['x', cyclic]], () => {})).toThrow(/circular reference/)
  })
})
