// BX24-70 secrets stay secret: a token goes only to the portal origin it came from and never into a URL, and
// neither a token nor a webhook secret reaches a log or an error, even when a fetch implementation quotes the URL
// (or the body) in its errors.
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { redact } from '../../src/bx24/redact'
import { restTransport } from '../../src/bx24/transports/rest'
import type { FetchLike } from '../../src/bx24/transports/http'
import { fakeFetch, fakeTimersAndCleanup, ok } from './helpers'

const SECRET = 'k9x2m4q8w7e5r3t1'
const WEBHOOK = `https://hook.bitrix24.test/rest/7/${SECRET}/`
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'

const cleanup = fakeTimersAndCleanup()

/** Everything a logger was given, printed the way a console would (messages, errors with stack and cause). */
function printed(log: { warn: ReturnType<typeof vi.fn>; error: ReturnType<typeof vi.fn> }): string {
  const show = (value: unknown): string =>
    value instanceof Error ? `${value.stack ?? ''} ${value.message} ${show((value as { cause?: unknown }).cause)}` : typeof value === 'object' ? JSON.stringify(value) ?? '' : String(value)
  return [...log.warn.mock.calls, ...log.error.mock.calls].flat().map(show).join('\n')
}

/** A fetch that fails the way node-fetch and undici do: the URL in the message, more detail in the cause. */
const quotingFetch: FetchLike = async (url, init) => {
  const cause = new Error(`connect ECONNREFUSED while posting ${init.body} to ${url}`)
  throw Object.assign(new TypeError(`request to ${url} failed, reason: connect ECONNREFUSED`), { cause })
}

describe('BX24-70 redact()', () => {
  it('masks webhook path secrets, auth/token parameters, JSON token fields, given secrets, through causes', () => {
    const error = Object.assign(new Error(`POST https://x.test/rest/1/${SECRET}/crm.deal.list.json failed`), {
      cause: new Error(`body auth=${TOKEN}&id=1, answer {"access_token":"${TOKEN}","refresh_token":"R${TOKEN}"}`),
    })
    const text = redact(error)
    expect(text).toBe('Error: POST https://x.test/rest/1/***/crm.deal.list.json failed (cause: Error: body auth=***&id=1, answer {"access_token":"***","refresh_token":"***"})')
    expect(redact(`token ${TOKEN} leaked`, TOKEN)).toBe('token *** leaked')
    expect(redact('v3 https://x.test/rest/api/12/abc/tasks.task.list')).toBe('v3 https://x.test/rest/api/12/***/tasks.task.list')
    expect(redact({ toString() { throw new Error('no') } })).toBe('an unprintable error')
  })

  it('property: a secret placed anywhere in a URL-quoting message never survives', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,40}$/)
    const noise = fc.string({ maxLength: 30 }).filter((s) => !/[\s/?#"'<>&=]/.test(s))
    fc.assert(
      fc.property(secret, noise, fc.nat(99999), fc.constantFrom('webhook', 'param', 'json', 'given'), (s, text, user, where) => {
        const message = {
          webhook: `${text} https://p.test/rest/${user}/${s}/m.json ${text}`,
          param: `${text}?auth=${s}&x=1`,
          json: `{"refresh_token":"${s}","n":"${text}"}`,
          given: `${text}${s}${text}`,
        }[where]
        expect(redact(new Error(message), where === 'given' ? s : undefined)).not.toContain(s)
      }),
      { numRuns: 300 },
    )
  })
})

describe('BX24-70 transports', () => {
  it('a webhook fetch error that quotes the URL: the log and the app see no secret', async () => {
    const log = { warn: vi.fn(), error: vi.fn() }
    const bx = createBX24({ transport: restTransport({ webhook: WEBHOOK, fetch: quotingFetch, persistOptions: false, log }), log, retry: false })
    cleanup.push(() => bx.shim.destroy())
    const cb = vi.fn()
    bx.callMethod('crm.deal.list', { select: ['ID'] }, cb)
    await vi.advanceTimersByTimeAsync(50)
    const result = cb.mock.calls[0]![0] as ajaxResult
    expect(result.error()!.getError().error).toBe('ERROR_NETWORK')
    expect(`${String(result.answer.error)} ${String(result.error_description())} ${String(result.error())}`).not.toContain(SECRET)
    const text = printed(log)
    expect(text).toContain('crm.deal.list failed before an answer arrived')
    expect(text).toContain('/rest/7/***/')
    expect(text).not.toContain(SECRET)
  })

  it('an OAuth fetch error that quotes the body: the log sees no token', async () => {
    const log = { warn: vi.fn(), error: vi.fn() }
    const bx = createBX24({ transport: restTransport({ auth: { domain: 'portal.test', accessToken: TOKEN }, isAdmin: true, fetch: quotingFetch, persistOptions: false, log }), log, retry: false })
    cleanup.push(() => bx.shim.destroy())
    bx.callMethod('user.current', {}, () => {})
    await vi.advanceTimersByTimeAsync(50)
    expect(log.warn).toHaveBeenCalled()
    expect(printed(log)).not.toContain(TOKEN)
  })

  it('OAuth tokens, the first and every refreshed one, go in the body to the configured origin only, never in a URL', async () => {
    let valid = TOKEN
    const f = fakeFetch((call) => (new URLSearchParams(call.body).get('auth') === valid ? ok('fine') : { status: 401, body: '{"error":"expired_token"}' }))
    const bx = createBX24({
      transport: restTransport({
        auth: { clientEndpoint: 'http://127.0.0.1:8123/rest/', accessToken: TOKEN, refreshToken: 'REFRESH-1234567', onRefresh: () => ({ accessToken: (valid = 'NEWTOKEN-abcdefgh'), refreshToken: 'REFRESH-2' }) },
        isAdmin: true, fetch: f.fetch, persistOptions: false,
      }),
    })
    cleanup.push(() => bx.shim.destroy())
    const first = bx.callMethod('user.current')!
    await vi.advanceTimersByTimeAsync(50)
    await first
    valid = 'moved-on' // the portal rejects the token: refresh
    const done = bx.callMethod('crm.deal.get', { id: 1 })!
    await vi.advanceTimersByTimeAsync(50)
    await expect(done.then((r) => r.data())).resolves.toBe('fine')
    expect(f.calls.length).toBeGreaterThanOrEqual(3)
    for (const call of f.calls) {
      expect(new URL(call.url).origin).toBe('http://127.0.0.1:8123')
      expect(call.url).not.toMatch(/NEWTOKEN|a1b2c3d4|REFRESH/)
      expect(call.credentials).toBe('omit')
      expect(call.redirect).toBe('error')
    }
  })

  it('clientEndpoint must be a plain http(s) REST base; bad ones are TypeErrors that do not quote the token', () => {
    const bad = ['javascript:alert(1)', 'https://user:pw@p.test/rest/', 'https://p.test/rest/?x=1', 'https://p.test/other/', 'https://p.test/rest/#f', 'ftp://p.test/rest/', 'not a url']
    for (const clientEndpoint of bad) {
      let thrown: unknown
      try {
        restTransport({ auth: { clientEndpoint, accessToken: TOKEN } })
      } catch (error) {
        thrown = error
      }
      expect(thrown, clientEndpoint).toBeInstanceOf(TypeError)
      expect(String(thrown)).not.toContain(TOKEN)
    }
    expect(() => restTransport({ auth: { domain: 'a.test', clientEndpoint: 'https://b.test/rest/', accessToken: TOKEN } })).toThrow(/different hosts/)
    expect(() => restTransport({ webhook: `https://p.test/rest/7/${SECRET}/?x=1` })).toThrow(TypeError)
    try {
      restTransport({ webhook: `https://p.test/rest/7/${SECRET}/extra/path` })
    } catch (error) {
      expect(String(error)).not.toContain(SECRET)
    }
  })
})
