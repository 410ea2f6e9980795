// BX24-64: a token refresh is bounded. Whether the parent never answers refreshAuth, or an OAuth onRefresh rejects,
// returns nothing or never settles, every call waiting on it gets an expired_token error within the refresh timeout,
// and a later call refreshes again. Concurrent calls still share one refresh. (The real library waited for ever.)
import { describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { REFRESH_TIMEOUT } from '../../src/bx24/lifecycle'
import { mockTransport } from '../../src/bx24/transports/mock'
import { restTransport, type OAuthTokens } from '../../src/bx24/transports/rest'
import { fakeFetch, fakeTimersAndCleanup, flush, frameApp, ok, PORTAL, reply } from './helpers'

const cleanup = fakeTimersAndCleanup()
const errorOf = (cb: ReturnType<typeof vi.fn>, i = 0) => (cb.mock.calls[i]![0] as ajaxResult).error()

describe('BX24-64 refresh through the parent frame', () => {
  function expiredApp(timeout?: number) {
    const f = fakeFetch(() => ok('fine'))
    const h = frameApp({ fetch: f.fetch, autoInit: { AUTH_EXPIRES: 0 }, bx: timeout === undefined ? {} : { refreshTimeout: timeout } })
    cleanup.push(() => h.bx.shim.destroy())
    // Let init finish, so the refresh starts when a test's call is made.
    return flush().then(() => ({ ...h, calls: f.calls }))
  }

  it('a parent that never answers refreshAuth: every waiting call gets expired_token after the timeout (default 5 s)', async () => {
    const { bx, find, calls, log } = await expiredApp()
    const a = vi.fn()
    const b = vi.fn()
    bx.callMethod('user.current', {}, a)
    bx.callMethod('crm.deal.list', {}, b)
    const promised = bx.callMethod('profile')!
    await vi.advanceTimersByTimeAsync(0)
    expect(find('refreshAuth')).toHaveLength(1) // concurrent calls share one refresh
    await vi.advanceTimersByTimeAsync(REFRESH_TIMEOUT - 100)
    expect(a).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(100)
    expect(REFRESH_TIMEOUT).toBe(5000)
    for (const cb of [a, b]) {
      expect(cb).toHaveBeenCalledOnce()
      expect(String(errorOf(cb))).toBe('expired_token: The access token has expired and could not be refreshed: no new token within 5000 ms. (401)')
    }
    await expect(promised).rejects.toMatchObject({ status: 401 })
    expect(calls).toHaveLength(0) // nothing went out with the expired token
    expect(log.warn).toHaveBeenCalledWith('BX24: refreshAuth failed: no new token within 5000 ms')
  })

  it('a refreshTimeout that is not a positive number (page config) keeps the 5 s default', async () => {
    const { bx } = await expiredApp('soon' as never)
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await vi.advanceTimersByTimeAsync(4_900)
    expect(cb).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(200)
    expect(cb).toHaveBeenCalledOnce()
  })

  it('a later call refreshes again, and succeeds when the parent answers this time', async () => {
    const { bx, find, calls } = await expiredApp(1000)
    const first = vi.fn()
    bx.callMethod('user.current', {}, first)
    await vi.advanceTimersByTimeAsync(1000)
    expect(errorOf(first)!.getError().error).toBe('expired_token')
    const second = vi.fn()
    bx.callMethod('user.current', {}, second)
    await flush()
    const refreshes = find('refreshAuth')
    expect(refreshes).toHaveLength(2)
    reply(refreshes[1]!.callback, { AUTH_ID: 'TOKEN2', AUTH_EXPIRES: 3600 })
    await flush()
    expect((second.mock.calls[0]![0] as ajaxResult).data()).toBe('fine')
    expect(calls.map((c) => c.body)).toEqual(['auth=TOKEN2&'])
  })

  it('tokens that arrive after the timeout are kept: the next call uses them without asking again', async () => {
    const { bx, find, calls } = await expiredApp(1000)
    const first = vi.fn()
    bx.callMethod('a', {}, first)
    await vi.advanceTimersByTimeAsync(1000)
    expect(first).toHaveBeenCalledOnce()
    reply(find('refreshAuth')[0]!.callback, { AUTH_ID: 'LATE', AUTH_EXPIRES: 3600 })
    const second = vi.fn()
    bx.callMethod('b', {}, second)
    await flush()
    expect(find('refreshAuth')).toHaveLength(1)
    expect(calls.map((c) => c.body)).toEqual(['auth=LATE&'])
    expect(first).toHaveBeenCalledOnce() // the late answer does not call back a second time
  })

  it('refreshAuth(cb) is called back after a failed refresh too, with getAuth() === false for an expired token', async () => {
    const { bx } = await expiredApp(1000)
    const cb = vi.fn()
    bx.refreshAuth(cb)
    await vi.advanceTimersByTimeAsync(1000 + 20)
    expect(cb).toHaveBeenCalledWith(false)
  })

  it('replacing the transport ends a pending refresh with an error instead of leaving its calls waiting', async () => {
    const { bx } = await expiredApp(60_000)
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await flush()
    bx.shim.useTransport(mockTransport({ log: { warn: vi.fn(), error: vi.fn() } }))
    await flush()
    expect(String(errorOf(cb))).toMatch(/could not be refreshed: the transport was replaced/)
  })
})

describe('BX24-64 refresh through an OAuth onRefresh', () => {
  const expiredFirst = () =>
    fakeFetch((call) => (new URLSearchParams(call.body).get('auth') === 'AT1' ? { status: 401, body: '{"error":"expired_token"}' } : ok('fine')))

  function oauthApp(onRefresh: (current: OAuthTokens) => Promise<OAuthTokens | null> | OAuthTokens | null, refreshTimeout?: number) {
    const f = expiredFirst()
    const log = { warn: vi.fn(), error: vi.fn() }
    const bx = createBX24({
      window, log, refreshTimeout,
      transport: restTransport({ auth: { domain: PORTAL, accessToken: 'AT1', refreshToken: 'RT1', onRefresh }, fetch: f.fetch, persistOptions: false, isAdmin: true, log }),
    })
    cleanup.push(() => bx.shim.destroy())
    return { bx, calls: f.calls, log }
  }

  it('an onRefresh that rejects fails the waiting calls at once, with its reason (tokens masked)', async () => {
    const { bx, log } = oauthApp(async (current) => {
      throw new Error(`token endpoint said no to refresh_token=${current.refreshToken} (access ${current.accessToken}xxxxxxxx)`)
    })
    const cb = vi.fn()
    bx.callMethod('user.current', {}, cb)
    await flush()
    const text = String(errorOf(cb))
    expect(text).toMatch(/^expired_token: The access token has expired and could not be refreshed: auth.onRefresh failed: /)
    expect(text).not.toContain('RT1')
    expect(JSON.stringify(log.warn.mock.calls)).not.toContain('RT1')
  })

  it('an onRefresh that returns nothing fails the waiting calls at once', async () => {
    const { bx } = oauthApp(() => null)
    const cb = vi.fn()
    bx.callMethod('user.current', {}, cb)
    await flush()
    expect(String(errorOf(cb))).toMatch(/could not be refreshed: auth.onRefresh returned no tokens/)
  })

  it('an onRefresh that never settles fails the waiting calls after the timeout; one onRefresh for concurrent calls', async () => {
    const onRefresh = vi.fn(() => new Promise<OAuthTokens>(() => {}))
    const { bx } = oauthApp(onRefresh, 2000)
    const a = vi.fn()
    const b = vi.fn()
    bx.callMethod('a', {}, a)
    bx.callMethod('b', {}, b)
    await flush()
    expect(onRefresh).toHaveBeenCalledOnce()
    expect(a).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(2000)
    expect(String(errorOf(a))).toMatch(/no new token within 2000 ms/)
    expect(String(errorOf(b))).toMatch(/no new token within 2000 ms/)
  })

  it('after a failed refresh, a later call refreshes again and goes through', async () => {
    let attempt = 0
    const { bx, calls } = oauthApp(async () => (++attempt === 1 ? null : { accessToken: 'AT2', refreshToken: 'RT2' }))
    const first = vi.fn()
    bx.callMethod('a', {}, first)
    await flush()
    expect(errorOf(first)!.getError().error).toBe('expired_token')
    const second = vi.fn()
    bx.callMethod('a', {}, second)
    await flush()
    expect((second.mock.calls[0]![0] as ajaxResult).data()).toBe('fine')
    expect(attempt).toBe(2)
    expect(calls.map((c) => new URLSearchParams(c.body).get('auth'))).toEqual(['AT1', 'AT1', 'AT2'])
  })
})
