// Checklist BX24-27, 30-35, 43: callMethod, ajaxResult/ajaxError, refresh, promise form, detached calls, callBind;
// plus hostile REST responses.
import { describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { MAX_REFRESHES } from '../../src/bx24/rest-client'
import { fakeFetch, fakeTimersAndCleanup, flush, frameApp, initData, ok, ORIGIN, reply, SID, type FetchCall } from './helpers'

const cleanup = fakeTimersAndCleanup()

type Answer = { status: number; body: string } | 'network-error'
function app(answer: (call: FetchCall, i: number) => Answer, options: Parameters<typeof frameApp>[0] = {}) {
  const f = fakeFetch(answer)
  const h = frameApp({ fetch: f.fetch, ...options })
  cleanup.push(() => h.bx.shim.destroy())
  return { ...h, calls: f.calls }
}

describe('callMethod', () => {
  it('BX24-27 POSTs to <scheme>://DOMAIN/PATH/<encoded method>.json with auth first, then params', async () => {
    const { bx, calls } = app(() => ok({ ID: 1 }))
    const cb = vi.fn()
    bx.callMethod('crm.deal.get', { id: 5, select: ['ID'] }, cb)
    bx.callMethod('odd name/x', null, cb)
    await flush()
    expect(calls[0]).toEqual({
      url: `${ORIGIN}/rest/crm.deal.get.json`, body: 'auth=TOKEN1&id=5&select[0]=ID',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'error', credentials: 'omit',
    })
    expect(calls[1]!.url).toBe(`${ORIGIN}/rest/odd%20name%2Fx.json`)
    expect(calls[1]!.body).toBe('auth=TOKEN1')
    expect(cb).toHaveBeenCalledTimes(2)
  })

  it('BX24-30 a call made before init is sent after init; an expired token is refreshed before sending', async () => {
    const { bx, calls, find } = app(() => ok(true), { autoInit: false })
    const cb = vi.fn()
    bx.callMethod('user.current', {}, cb)
    await flush()
    expect(calls).toHaveLength(0)
    reply(find('getInitData')[0]!.callback, initData({ AUTH_EXPIRES: 5 }))
    await flush()
    expect(calls.map((c) => c.body)).toEqual(['auth=TOKEN1&'])
    await vi.advanceTimersByTimeAsync(6000)
    bx.callMethod('user.current', {}, cb)
    await flush()
    expect(calls).toHaveLength(1)
    const refresh = find('refreshAuth')
    expect(refresh.map((m) => m.raw)).toEqual([expect.stringMatching(new RegExp(`^refreshAuth:\\{\\}:[0-9a-z]{32}:${SID}$`))])
    reply(refresh[0]!.callback, { AUTH_ID: 'TOKEN2', REFRESH_ID: 'REFRESH2', AUTH_EXPIRES: 3600 })
    await flush()
    expect(calls.map((c) => c.body)).toEqual(['auth=TOKEN1&', 'auth=TOKEN2&'])
    expect(cb).toHaveBeenCalledTimes(2)
    expect(bx.getAuth()).toMatchObject({ access_token: 'TOKEN2', refresh_token: 'REFRESH2' })
  })

  it('BX24-31 an expired_token answer (any status) skips the callback, refreshes, and re-sends the identical request', async () => {
    let expired = 2
    const { bx, calls, find } = app(() =>
      expired-- > 0 ? { status: expired === 1 ? 401 : 200, body: JSON.stringify({ error: 'expired_token', error_description: 'expired' }) } : ok('fine'))
    await flush()
    const cb = vi.fn()
    bx.callMethod('crm.deal.list', { filter: { '>ID': 3 } }, cb)
    await flush()
    expect(cb).not.toHaveBeenCalled()
    reply(find('refreshAuth')[0]!.callback, { AUTH_ID: 'TOKEN2', AUTH_EXPIRES: 3600 })
    await flush()
    expect(cb).not.toHaveBeenCalled()
    reply(find('refreshAuth')[1]!.callback, { AUTH_ID: 'TOKEN3', AUTH_EXPIRES: 3600 })
    await flush()
    expect(calls.map((c) => c.body)).toEqual([
      'auth=TOKEN1&&filter[%3EID]=3', 'auth=TOKEN2&&filter[%3EID]=3', 'auth=TOKEN3&&filter[%3EID]=3',
    ])
    expect(cb).toHaveBeenCalledOnce()
    expect((cb.mock.calls[0]![0] as ajaxResult).data()).toBe('fine')
  })

  it('BX24-31 a parent that keeps handing out expired tokens ends in an expired_token error after MAX_REFRESHES', async () => {
    const { bx, calls, find } = app(() => ({ status: 401, body: JSON.stringify({ error: 'expired_token' }) }))
    await flush()
    const cb = vi.fn()
    bx.callMethod('user.current', undefined, cb)
    for (let i = 0; i < MAX_REFRESHES; i++) {
      await flush()
      reply(find('refreshAuth')[i]!.callback, { AUTH_ID: `T${i}`, AUTH_EXPIRES: 3600 })
    }
    await flush()
    expect(calls).toHaveLength(MAX_REFRESHES + 1)
    expect(String((cb.mock.calls[0]![0] as ajaxResult).error())).toMatch(/^expired_token: .* \(401\)$/)
  })

  it('BX24-32 ajaxResult: data, error, error_description, more, total, time, next, query, answer, status', async () => {
    const pages = [
      { status: 200, body: JSON.stringify({ result: [1, 2], next: '50', total: '120', time: { start: 1 } }) },
      { status: 200, body: JSON.stringify({ result: [3] }) },
      { status: 400, body: JSON.stringify({ error: 'ERROR_ARGUMENT', error_description: 'bad id' }) },
      { status: 403, body: JSON.stringify({ error: 'ACCESS_DENIED', error_description: '' }) },
    ]
    const { bx, calls } = app((_, i) => pages[i]!)
    const results: ajaxResult[] = []
    bx.callMethod('crm.deal.list', { select: ['ID'] }, (r) => results.push(r))
    await flush()
    const first = results[0]!
    expect(first.data()).toEqual([1, 2])
    expect(first.error()).toBeUndefined()
    expect(first.more()).toBe(true)
    expect(first.total()).toBe(120)
    expect(first.time()).toEqual({ start: 1 })
    expect(first.answer.next).toBe(50)
    expect(first.status).toBe(200)
    expect(first.query).toMatchObject({ method: 'crm.deal.list', data: { select: ['ID'] } })
    const other = vi.fn()
    expect(first.next(other)).toBeUndefined()
    await flush()
    expect(calls[1]!.body).toBe('auth=TOKEN1&start=50&&select[0]=ID')
    const second = other.mock.calls[0]![0] as ajaxResult
    expect(second.more()).toBe(false)
    expect(second.total()).toBeNaN()
    expect(second.next()).toBe(false)
    bx.callMethod('crm.deal.get', { id: 'x' }, (r) => results.push(r))
    bx.callMethod('crm.deal.get', { id: 'y' }, (r) => results.push(r))
    await flush()
    const error = results[1]!.error()!
    expect(error.status).toBe(400)
    // For a string error the real library makes the whole answer the `ex` (so it also holds `ex` itself).
    expect(error.ex).toBe(results[1]!.answer)
    expect(error.ex).toMatchObject({ error: 'ERROR_ARGUMENT', error_description: 'bad id' })
    expect(error.getError()).toBe(error.ex)
    expect(error.getStatus()).toBe(400)
    expect(String(error)).toBe('ERROR_ARGUMENT: bad id (400)')
    expect(results[1]!.error_description()).toBe('bad id')
    expect(results[2]!.error()!.toString()).toBe('ACCESS_DENIED (403)')
  })

  it('BX24-33 4xx JSON bodies reach the callback as error results, not exceptions', async () => {
    const { bx } = app(() => ({ status: 404, body: JSON.stringify({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' }) }))
    const cb = vi.fn()
    bx.callMethod('no.such.method', {}, cb)
    await flush()
    expect(String((cb.mock.calls[0]![0] as ajaxResult).error())).toBe('ERROR_METHOD_NOT_FOUND: Method not found! (404)')
  })

  it('BX24-34 without a callback callMethod returns a promise (resolve with the result, reject with it on error); with one, undefined', async () => {
    const { bx } = app((call) => (call.url.includes('bad') ? { status: 400, body: '{"error":"E","error_description":"d"}' } : ok({ n: 1 })))
    expect(bx.callMethod('good', {}, () => {})).toBeUndefined()
    const good = bx.callMethod('good')!
    // The BX.PullClient idiom: .catch(r => r.error().getError())
    const bad = bx.callMethod('bad')!.catch((r: ajaxResult) => r.error()!.getError())
    expect(typeof good.then).toBe('function')
    await flush()
    await expect(good.then((r) => r.data())).resolves.toEqual({ n: 1 })
    await expect(bad).resolves.toMatchObject({ error: 'E', error_description: 'd' })
  })

  it('BX24-35 every public function works detached from BX24', async () => {
    const { bx, find, calls } = app(() => ok({ result: 'x' }))
    const { callMethod, callBatch, getAuth, getDomain, setTitle, init, isAdmin, getLang } = bx
    const { call } = bx.placement
    const { set } = bx.userOption
    const { callTo } = bx.im
    const ran = vi.fn()
    init(ran)
    await flush()
    expect(ran).toHaveBeenCalled()
    expect(getDomain()).toBe('portal.example.test')
    expect(getLang()).toBe('de')
    expect(isAdmin()).toBe(true)
    expect(getAuth()).toMatchObject({ access_token: 'TOKEN1' })
    setTitle('t')
    call('reloadData')
    set('k', 'v')
    callTo(1)
    const cb = vi.fn()
    callMethod('user.current', {}, cb)
    callBatch([['user.current', {}]], cb)
    await flush()
    expect(find('setTitle')).toHaveLength(1)
    expect(find('reloadData')).toHaveLength(1)
    expect(find('setUserOption')).toHaveLength(1)
    expect(find('imCallTo')).toHaveLength(1)
    expect(calls.map((c) => c.url.split('/').pop())).toEqual(['user.current.json', 'batch.json'])
    expect(cb).toHaveBeenCalledTimes(2)
  })

  it('BX24-43 callBind/callUnbind: false and no callback for non-admins; auth_type 0 by default for bind, only when given for unbind', async () => {
    const admin = app(() => ok(true))
    await flush()
    const cb = vi.fn()
    admin.bx.callBind('ONCRMDEALADD', 'https://app.test/h', undefined, cb)
    admin.bx.callUnbind('ONCRMDEALADD', 'https://app.test/h', undefined, cb)
    admin.bx.callUnBind('ONCRMDEALADD', 'https://app.test/h', 7, cb)
    await flush()
    expect(admin.calls.map((c) => [c.url.split('/').pop(), c.body])).toEqual([
      ['event.bind.json', 'auth=TOKEN1&event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fh&auth_type=0'],
      ['event.unbind.json', 'auth=TOKEN1&event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fh'],
      ['event.unbind.json', 'auth=TOKEN1&event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fh&auth_type=7'],
    ])
    expect(cb).toHaveBeenCalledTimes(3)
    admin.bx.shim.destroy()

    const user = app(() => ok(true), { autoInit: { IS_ADMIN: false } })
    await flush()
    const cb2 = vi.fn()
    expect(user.bx.callBind('ONCRMDEALADD', 'h', 0, cb2)).toBe(false)
    expect(user.bx.callUnbind('ONCRMDEALADD', 'h', 0, cb2)).toBe(false)
    await flush()
    expect(user.calls).toHaveLength(0)
    expect(cb2).not.toHaveBeenCalled()
  })

  it('bad arguments give clear TypeErrors', () => {
    const { bx } = app(() => ok(true), { autoInit: false })
    expect(() => bx.callMethod('' as string)).toThrow(/non-empty string/)
    expect(() => bx.callMethod(5 as unknown as string)).toThrow(TypeError)
    expect(() => bx.callMethod('x', {}, 'nope' as never)).toThrow(/callback must be a function/)
    const cyclic: Record<string, unknown> = {}
    cyclic.me = cyclic
    expect(() => bx.callMethod('x', cyclic)).toThrow(/circular reference/)
  })
})

describe('hostile REST responses', () => {
  const cases: Array<[string, Answer, string, number]> = [
    ['broken JSON', { status: 200, body: '{"result":' }, 'ERROR_UNEXPECTED_ANSWER', 200],
    ['HTML error page', { status: 502, body: '<html>Bad gateway</html>' }, 'ERROR_UNEXPECTED_ANSWER', 502],
    ['JSON null', { status: 200, body: 'null' }, 'ERROR_UNEXPECTED_ANSWER', 200],
    ['JSON array', { status: 200, body: '[1,2]' }, 'ERROR_UNEXPECTED_ANSWER', 200],
    ['JSON number', { status: 200, body: '42' }, 'ERROR_UNEXPECTED_ANSWER', 200],
    ['empty 200', { status: 200, body: '' }, 'BLANK_ANSWER', 200],
    ['empty 500', { status: 500, body: '' }, 'BLANK_ANSWER_WITH_ERROR_CODE', 500],
    ['503 limit', { status: 503, body: '{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}' }, 'QUERY_LIMIT_EXCEEDED', 503],
    ['network failure', 'network-error', 'ERROR_NETWORK', 0],
  ]
  for (const [name, answer, error, status] of cases) {
    it(`${name} becomes a ${error} result with status ${status}, never a crash`, async () => {
      // Retries are off: this is what reaches the app once they are spent (retry.test.ts has the retries).
      const { bx } = app(() => answer, { bx: { retry: false } })
      const cb = vi.fn()
      bx.callMethod('user.current', {}, cb)
      await flush()
      const result = cb.mock.calls[0]![0] as ajaxResult
      expect(result.error()!.getError().error).toBe(error)
      expect(result.status).toBe(status)
    })
  }

  it('legacyQueryErrors restores the real silence: no callback, a logged "Query error!"', async () => {
    const { bx, log } = app(() => ({ status: 500, body: 'oops' }), { bx: { legacyQueryErrors: true } })
    const cb = vi.fn()
    bx.callMethod('user.current', {}, cb)
    await flush()
    expect(cb).not.toHaveBeenCalled()
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('Query error!'))
  })

  it('a __proto__ key in an answer pollutes nothing', async () => {
    const { bx } = app(() => ({ status: 200, body: '{"__proto__":{"polluted":1},"result":{"__proto__":{"polluted":2}},"next":"5"}' }))
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await flush()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((cb.mock.calls[0]![0] as ajaxResult).more()).toBe(true)
  })

  it('a huge answer (8 MB) is delivered intact', async () => {
    const big = 'y'.repeat(8 * 1024 * 1024)
    const { bx } = app(() => ok(big))
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await flush()
    expect(((cb.mock.calls[0]![0] as ajaxResult).data() as string).length).toBe(big.length)
  })

  it('a PATH from init data that could leave the portal origin is refused: the token is never sent elsewhere', async () => {
    for (const PATH of ['@evil.test/rest', '//evil.test/rest', '/rest?x=', '/re\\st', 'rest']) {
      const { bx, calls } = app(() => ok(true), { autoInit: { PATH }, bx: { retry: false } })
      const cb = vi.fn()
      bx.callMethod('user.current', {}, cb)
      await flush()
      expect(calls).toHaveLength(0)
      expect((cb.mock.calls[0]![0] as ajaxResult).error()!.getError().error).toBe('ERROR_NETWORK')
      bx.shim.destroy()
    }
  })

  it('a malformed refreshAuth reply is ignored; a later good one completes the call', async () => {
    const { bx, calls, find, log } = app(() => ok(true), { autoInit: { AUTH_EXPIRES: 0 } })
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await flush()
    const id = find('refreshAuth')[0]!.callback
    reply(id, 'nonsense')
    reply(id, { AUTH_ID: '' })
    await flush()
    expect(calls).toHaveLength(0)
    expect(log.warn).toHaveBeenCalledWith('BX24: a malformed refreshAuth reply was ignored')
    reply(id, { AUTH_ID: 'NEW', AUTH_EXPIRES: 3600 })
    await flush()
    expect(calls.map((c) => c.body)).toEqual(['auth=NEW&'])
  })

  it('concurrent calls on an expired token share one refreshAuth message', async () => {
    const { bx, find, calls } = app(() => ok(true), { autoInit: { AUTH_EXPIRES: 0 } })
    bx.callMethod('a', {}, () => {})
    bx.callMethod('b', {}, () => {})
    await flush()
    expect(find('refreshAuth')).toHaveLength(1)
    reply(find('refreshAuth')[0]!.callback, { AUTH_ID: 'NEW', AUTH_EXPIRES: 3600 })
    await flush()
    expect(calls).toHaveLength(2)
  })
})
