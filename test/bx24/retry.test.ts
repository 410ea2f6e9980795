// BX24-69 retries are safe: a call is sent again, after a backoff, only when the portal said it did not run it
// (503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT) or no answer came (a network error), and only when every method
// in it only reads. A write is never repeated blindly. The client limiter keeps the real library's defaults.
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { batchMethods, isReadOnlyMethod } from '../../src/bx24/retry'
import { mockTransport } from '../../src/bx24/transports/mock'
import { restTransport } from '../../src/bx24/transports/rest'
import { createMockPortal, portalSession } from '../../src/portal/index'
import { fakeFetch, fakeTimersAndCleanup, ok } from './helpers'

const WEBHOOK = 'https://hook.bitrix24.test/rest/1/s3cr3tvalue42/'
const LIMIT = { status: 503, body: '{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}' }
const OPERATION = { status: 429, body: '{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit."}' }

const cleanup = fakeTimersAndCleanup()

type Answer = { status: number; body: string } | 'network-error'
function webhookApp(answers: (method: string, i: number) => Answer, retry?: Parameters<typeof createBX24>[0] extends infer O ? O extends { retry?: infer R } ? R : never : never) {
  const f = fakeFetch((call, i) => answers(call.url.slice(WEBHOOK.length).replace(/\.json$/, ''), i))
  const log = { warn: vi.fn(), error: vi.fn() }
  // random() = 0.5: each backoff is half its ceiling, so the waits are known.
  const bx = createBX24({ transport: restTransport({ webhook: WEBHOOK, fetch: f.fetch, persistOptions: false, log }), log, limiter: false, retry: retry ?? { random: () => 0.5 } })
  cleanup.push(() => bx.shim.destroy())
  return { bx, calls: f.calls, log }
}
const result = (cb: ReturnType<typeof vi.fn>) => cb.mock.calls[0]![0] as ajaxResult

describe('BX24-69 which methods only read', () => {
  it('judges by the name: get*, list, fields, current, search, count, and a few named ones; event.offline.get is a write', () => {
    const reads = ['crm.deal.list', 'crm.deal.get', 'CRM.Deal.Fields', 'user.current', 'user.get', 'profile', 'tasks.task.list', 'tasks.task.getaccess', 'user.search', 'server.time', 'entity.item.get', 'batch.get']
    const writes = ['crm.deal.add', 'crm.deal.update', 'crm.deal.delete', 'tasks.task.add', 'event.bind', 'event.offline.get', 'im.notify.read', 'user.option.set', 'batch', 'get', 'list', 'crm.deal.list.add', 'imbot.message.add']
    expect(reads.filter((m) => !isReadOnlyMethod(m))).toEqual([])
    expect(writes.filter((m) => isReadOnlyMethod(m))).toEqual([])
  })

  it('a batch is read-only only when all its commands are', () => {
    expect(batchMethods('&halt=0&cmd[0]=crm.deal.list%3Fstart%3D0&cmd[a]=user.current%3F')).toEqual(['crm.deal.list', 'user.current'])
    expect(batchMethods('&halt=0')).toEqual([])
  })
})

describe('BX24-69 retries', () => {
  it('a read refused with QUERY_LIMIT_EXCEEDED is sent again with a doubling backoff, then succeeds', async () => {
    const { bx, calls, log } = webhookApp((_, i) => (i < 2 ? LIMIT : ok('fine')))
    const cb = vi.fn()
    bx.callMethod('crm.deal.list', {}, cb)
    await vi.advanceTimersByTimeAsync(10)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2) // 0.5 x 1000 ms
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(3) // 0.5 x 2000 ms
    await vi.advanceTimersByTimeAsync(10)
    expect(result(cb).data()).toBe('fine')
    expect(log.warn.mock.calls.map((c) => c[0])).toEqual([
      'BX24: crm.deal.list was not run (QUERY_LIMIT_EXCEEDED); sending it again in 500 ms (retry 1 of 3)',
      'BX24: crm.deal.list was not run (QUERY_LIMIT_EXCEEDED); sending it again in 1000 ms (retry 2 of 3)',
    ])
  })

  it('OPERATION_TIME_LIMIT waits at least 10 s; a network error is retried like a refusal', async () => {
    const { bx, calls } = webhookApp((_, i) => (i === 0 ? OPERATION : i === 1 ? 'network-error' : ok(1)))
    const cb = vi.fn()
    bx.callMethod('crm.deal.get', { id: 1 }, cb)
    await vi.advanceTimersByTimeAsync(10)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(9_980)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(20)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(3)
    expect(result(cb).data()).toBe(1)
  })

  it('when the retries are spent the app gets the portal\'s error', async () => {
    const { bx, calls } = webhookApp(() => LIMIT)
    const cb = vi.fn()
    bx.callMethod('user.current', {}, cb)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(4)
    expect(String(result(cb).error())).toBe('QUERY_LIMIT_EXCEEDED: Too many requests (503)')
  })

  it('a write is never sent twice: not after a refusal, not after a network error', async () => {
    const { bx, calls } = webhookApp((_, i) => (i === 0 ? LIMIT : 'network-error'))
    const a = vi.fn()
    const b = vi.fn()
    bx.callMethod('crm.deal.add', { fields: { TITLE: 'x' } }, a)
    await vi.advanceTimersByTimeAsync(60_000)
    bx.callMethod('tasks.task.add', { fields: { TITLE: 'y', RESPONSIBLE_ID: 1 } }, b)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls.map((c) => c.url)).toEqual([`${WEBHOOK}crm.deal.add.json`, `${WEBHOOK}tasks.task.add.json`])
    expect(result(a).error()!.getError().error).toBe('QUERY_LIMIT_EXCEEDED')
    expect(result(b).error()!.getError().error).toBe('ERROR_NETWORK')
  })

  it('a batch is retried only when every command reads', async () => {
    const { bx, calls } = webhookApp((_, i) => (i === 0 || i === 2 ? LIMIT : ok({ result: [], result_error: [] })))
    const reads = bx.callBatch([['crm.deal.list', {}], ['user.current', {}]])!
    await vi.advanceTimersByTimeAsync(5000)
    await reads
    const mixed = bx.callBatch([['crm.deal.list', {}], ['crm.deal.add', { fields: {} }]])!
    await vi.advanceTimersByTimeAsync(5000)
    const items = (await mixed) as ajaxResult[]
    expect(calls).toHaveLength(3)
    expect(items[0]!.error()!.getError().error).toBe('QUERY_LIMIT_EXCEEDED')
  })

  it('other errors (500, 503 without QUERY_LIMIT_EXCEEDED, 4xx) reach the app at once', async () => {
    const answers: Answer[] = [{ status: 500, body: '{"error":"INTERNAL_SERVER_ERROR"}' }, { status: 503, body: '<html>down</html>' }, { status: 403, body: '{"error":"ACCESS_DENIED"}' }]
    const { bx, calls } = webhookApp((_, i) => answers[i]!)
    for (let i = 0; i < answers.length; i++) bx.callMethod('crm.deal.list', {}, () => {})
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(3)
  })

  it('settings of the wrong type (from page config) keep the defaults: never "retry for ever"', async () => {
    const { bx, calls } = webhookApp(() => LIMIT, { retries: 'forever', baseDelay: -5, maxDelay: Number.NaN, random: 'x', isReadOnly: 1 } as never)
    bx.callMethod('crm.deal.list', {}, () => {})
    await vi.advanceTimersByTimeAsync(120_000)
    expect(calls).toHaveLength(4)
  })

  it('retry: false turns retries off', async () => {
    const { bx, calls } = webhookApp(() => LIMIT, false)
    const cb = vi.fn()
    bx.callMethod('crm.deal.list', {}, cb)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
    expect(cb).toHaveBeenCalledOnce()
  })

  it('property: a write goes out once; a read goes out until an answer that is not a refusal, at most 1 + retries times', async () => {
    const answer = fc.constantFrom<Answer>(LIMIT, OPERATION, 'network-error', ok(1), { status: 500, body: '{"error":"X"}' }, { status: 400, body: '{"error":"ERROR_ARGUMENT"}' })
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 5, maxLength: 5 }), fc.constantFrom('crm.deal.list', 'crm.deal.add', 'user.current', 'tasks.task.update'), fc.integer({ min: 0, max: 3 }), async (answers, method, retries) => {
        const { bx, calls } = webhookApp((_, i) => answers[i]!, { retries, random: () => 0.5 })
        const cb = vi.fn()
        bx.callMethod(method, {}, cb)
        await vi.advanceTimersByTimeAsync(200_000)
        const refusal = (a: Answer) => a === 'network-error' || a === LIMIT || a === OPERATION
        const firstAnswer = answers.findIndex((a) => !refusal(a))
        const expected = isReadOnlyMethod(method) ? Math.min(firstAnswer < 0 ? Infinity : firstAnswer + 1, retries + 1) : 1
        expect(calls).toHaveLength(expected)
        expect(cb).toHaveBeenCalledOnce()
        bx.shim.destroy()
      }),
      { numRuns: 60 },
    )
  })
})

describe('BX24-69 against the dev portal\'s leaky bucket', () => {
  it('reads over the burst are retried until they pass; writes over the burst get QUERY_LIMIT_EXCEEDED once', async () => {
    const portal = createMockPortal({ rateLimit: { burst: 3, drainPerSecond: 2 } })
    const bx = createBX24({ transport: mockTransport(portalSession(portal)), limiter: false, log: { warn: vi.fn(), error: vi.fn() }, retry: { retries: 5, random: () => 0.5 } })
    cleanup.push(() => bx.shim.destroy())
    await vi.advanceTimersByTimeAsync(2000)
    const reads = Array.from({ length: 6 }, () => bx.callMethod('user.current')!.then((r) => r.data(), (r: ajaxResult) => r.error()))
    await vi.advanceTimersByTimeAsync(60_000)
    expect((await Promise.all(reads)).every((v) => (v as { ID?: string }).ID === '1')).toBe(true)
    await vi.advanceTimersByTimeAsync(10_000) // the bucket drains
    const before = portal.calls.length
    const writes = Array.from({ length: 6 }, (_, i) => bx.callMethod('crm.deal.add', { fields: { TITLE: `w${i}` } })!.then(() => 'ok', (r: ajaxResult) => r.error()!.getError().error))
    await vi.advanceTimersByTimeAsync(60_000)
    expect((await Promise.all(writes)).sort()).toEqual(['QUERY_LIMIT_EXCEEDED', 'QUERY_LIMIT_EXCEEDED', 'QUERY_LIMIT_EXCEEDED', 'ok', 'ok', 'ok'])
    expect(portal.calls.length - before).toBe(6)
  })

  it('the client limiter keeps the real library\'s defaults (90 calls, 2/s, re-check every second)', async () => {
    const portal = createMockPortal()
    const bx = createBX24({ transport: mockTransport(portalSession(portal)) })
    cleanup.push(() => bx.shim.destroy())
    await vi.advanceTimersByTimeAsync(100)
    const before = portal.calls.length
    for (let i = 0; i < 100; i++) bx.callMethod('user.current', {}, () => {})
    await vi.advanceTimersByTimeAsync(100)
    expect(portal.calls.length - before).toBe(90)
    await vi.advanceTimersByTimeAsync(1000)
    expect(portal.calls.length - before).toBe(92)
  })
})
