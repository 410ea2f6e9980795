// The rest and mock transports, transport selection (config object, data-* attributes, explicit call) and
// installBX24.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { chooseTransport, configFromScript, mergeConfig } from '../../src/bx24/config'
import { createBX24 } from '../../src/bx24/full'
import { installBX24 } from '../../src/bx24/install'
import { recordingHost } from '../../src/bx24/transports/host-adapter'
import { mockTransport, MOCK_DOMAIN } from '../../src/bx24/transports/mock'
import { restTransport } from '../../src/bx24/transports/rest'
import type { BX24Transport } from '../../src/bx24/types'
import type { BXBus } from '../../src/bx/create-bx'
import { PORTAL, SID, fakeFetch, fakePortal, ok } from './helpers'

type Win = Window & { BX24?: unknown; bx24ShimConfig?: unknown }
const win = window as Win
let cleanup: Array<() => void> = []
beforeEach(() => {
  vi.useFakeTimers()
  delete win.BX24
})
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
  vi.useRealTimers()
  window.name = ''
  delete win.BX24
  delete win.bx24ShimConfig
})
const flush = () => vi.advanceTimersByTimeAsync(20)
const quiet = () => ({ warn: vi.fn(), error: vi.fn() })

function make(transport: BX24Transport | null) {
  const bx = createBX24({ window, transport, log: quiet() })
  cleanup.push(() => bx.shim.destroy())
  return bx
}

describe('restTransport with an inbound webhook', () => {
  const WEBHOOK = 'https://hook.bitrix24.test/rest/1/s3cr3t/'

  it('posts to <webhook><method>.json without an auth param; init data is synthesised; getAuth() is false', async () => {
    const f = fakeFetch(() => ok({ ID: '1' }))
    const bx = make(restTransport({ webhook: WEBHOOK, fetch: f.fetch, lang: 'fr', persistOptions: false }))
    expect(bx.getDomain()).toBe('hook.bitrix24.test')
    const cb = vi.fn()
    bx.callMethod('crm.deal.add', { fields: { TITLE: 'x' } }, cb)
    bx.callMethod('user.current', undefined, cb)
    await flush()
    expect(f.calls.map((c) => [c.url, c.body])).toEqual([
      ['https://hook.bitrix24.test/rest/1/s3cr3t/crm.deal.add.json', '&fields[TITLE]=x'],
      ['https://hook.bitrix24.test/rest/1/s3cr3t/user.current.json', ''],
    ])
    expect(cb).toHaveBeenCalledTimes(2)
    expect(bx.getLang()).toBe('fr')
    expect(bx.isAdmin()).toBe(true)
    expect(bx.getAuth()).toBe(false)
    expect(bx.placement.info()).toEqual({ placement: 'DEFAULT', options: {} })
  })

  it('an expired_token answer is delivered as an error (there is nothing to refresh)', async () => {
    const f = fakeFetch(() => ({ status: 401, body: '{"error":"expired_token","error_description":"x"}' }))
    const bx = make(restTransport({ webhook: WEBHOOK, fetch: f.fetch, persistOptions: false }))
    const p = bx.callMethod('user.current')!.catch((r: ajaxResult) => String(r.error()))
    await flush()
    await expect(p).resolves.toBe('expired_token: x (401)')
    expect(f.calls).toHaveLength(1)
  })

  it('UI commands go to the host adapter; the default host never calls back', async () => {
    const host = recordingHost({ selectUser: () => ({ id: 7, name: 'Bob' }) })
    const bx = make(restTransport({ webhook: WEBHOOK, fetch: fakeFetch(() => ok(1)).fetch, host }))
    const title = vi.fn()
    const user = vi.fn()
    bx.setTitle('Hello', title)
    bx.selectUser(user)
    await flush()
    expect(host.calls).toEqual([{ command: 'setTitle', params: { title: 'Hello' } }, { command: 'selectUser', params: { title: '', mult: false } }])
    expect(title).not.toHaveBeenCalled()
    expect(user).toHaveBeenCalledWith({ id: 7, name: 'Bob' })
    const silent = make(restTransport({ webhook: WEBHOOK, fetch: fakeFetch(() => ok(1)).fetch }))
    const never = vi.fn()
    silent.selectUsers(never)
    silent.resizeWindow(10, 10, never)
    await vi.advanceTimersByTimeAsync(5000)
    expect(never).not.toHaveBeenCalled()
  })

  it('userOption/appOption persist through user.option.* / app.option.*: read at init, written on set', async () => {
    const f = fakeFetch((call) => {
      const method = call.url.split('/').pop()
      if (method === 'user.option.get.json') return ok({ theme: 'dark' })
      if (method === 'app.option.get.json') return ok({ __proto__: null, plan: 'pro' })
      if (method === 'app.option.set.json') return { status: 403, body: '{"error":"ACCESS_DENIED"}' }
      return ok(true)
    })
    const bx = make(restTransport({ webhook: WEBHOOK, fetch: f.fetch }))
    await flush()
    expect(bx.userOption.get('theme')).toBe('dark')
    expect(bx.appOption.get('plan')).toBe('pro')
    bx.userOption.set('theme', 'light')
    const answer = vi.fn()
    bx.appOption.set('plan', 'free', answer)
    await flush()
    expect(f.calls.slice(2).map((c) => [c.url.split('/').pop(), c.body])).toEqual([
      ['user.option.set.json', '&options[theme]=light'],
      ['app.option.set.json', '&options[plan]=free'],
    ])
    expect(bx.userOption.get('theme')).toBe('light')
    expect(answer).toHaveBeenCalledWith({ error: 'access_denied' })
  })

  it('rejects webhook URLs that are not https://<portal>/rest/<id>/<secret>/', () => {
    for (const webhook of ['not a url', 'ftp://h.test/rest/1/x/', 'https://h.test/rest/abc/', 'https://u:p@h.test/rest/1/x/', 'https://h.test/rest/1/x/?a=1', 'https://h.test/other/1/x/']) {
      expect(() => restTransport({ webhook }), webhook).toThrow(TypeError)
    }
    expect(() => restTransport({})).toThrow(/webhook URL or auth/)
  })
})

describe('restTransport with an OAuth token', () => {
  it('sends auth first to https://<domain>/rest/, reads IS_ADMIN from profile, refreshes through onRefresh', async () => {
    let valid = 'AT1'
    const f = fakeFetch((call) => {
      const auth = new URLSearchParams(call.body).get('auth')
      if (auth !== valid) return { status: 401, body: '{"error":"expired_token"}' }
      if (call.url.endsWith('/profile.json')) return ok({ ID: '1', ADMIN: true })
      return ok('done')
    })
    const onRefresh = vi.fn(async (current: { accessToken: string; refreshToken?: string }) => {
      expect(current).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1' })
      return { accessToken: 'AT2', refreshToken: 'RT2', expiresIn: 3600 }
    })
    const bx = make(restTransport({ auth: { domain: PORTAL, accessToken: 'AT1', refreshToken: 'RT1', onRefresh }, fetch: f.fetch, persistOptions: false }))
    await flush()
    expect(bx.isAdmin()).toBe(true)
    expect(bx.getAuth()).toMatchObject({ access_token: 'AT1', refresh_token: 'RT1', domain: PORTAL })
    valid = 'AT2'
    const cb = vi.fn()
    bx.callMethod('crm.deal.get', { id: 1 }, cb)
    await flush()
    expect(onRefresh).toHaveBeenCalledOnce()
    expect(f.calls.map((c) => [c.url, c.body])).toEqual([
      [`https://${PORTAL}/rest/profile.json`, 'auth=AT1'],
      [`https://${PORTAL}/rest/crm.deal.get.json`, 'auth=AT1&id=1'],
      [`https://${PORTAL}/rest/crm.deal.get.json`, 'auth=AT2&id=1'],
    ])
    expect((cb.mock.calls[0]![0] as ajaxResult).data()).toBe('done')
    expect(bx.getAuth()).toMatchObject({ access_token: 'AT2', refresh_token: 'RT2' })
    // The token only ever went to the configured portal.
    expect(f.calls.every((c) => new URL(c.url).origin === `https://${PORTAL}`)).toBe(true)
  })

  it('BX24-64 without onRefresh an expired token ends the call at once with a clear expired_token error (no hang)', async () => {
    const f = fakeFetch(() => ({ status: 401, body: '{"error":"expired_token"}' }))
    const bx = make(restTransport({ auth: { domain: PORTAL, accessToken: 'AT' }, isAdmin: false, fetch: f.fetch, persistOptions: false }))
    const cb = vi.fn()
    bx.callMethod('x', {}, cb)
    await flush()
    expect(cb).toHaveBeenCalledOnce()
    const error = (cb.mock.calls[0]![0] as ajaxResult).error()!
    expect(error.getStatus()).toBe(401)
    expect(String(error)).toBe('expired_token: The access token has expired and could not be refreshed: no auth.onRefresh is configured. (401)')
    expect(f.calls).toHaveLength(1)
    expect(bx.isAdmin()).toBe(false)
  })

  it('a bad domain or an empty token is a clear TypeError', () => {
    expect(() => restTransport({ auth: { domain: 'evil.test/x', accessToken: 'a' } })).toThrow(/bare host/)
    expect(() => restTransport({ auth: { domain: 'a@evil.test', accessToken: 'a' } })).toThrow(TypeError)
    expect(() => restTransport({ auth: { domain: PORTAL, accessToken: '' } })).toThrow(/accessToken is empty/)
  })
})

describe('mockTransport', () => {
  it('sends wire-form requests to the RestHandler; paging with next() walks all pages', async () => {
    const portal = fakePortal({ rows: 120 })
    const bx = make(mockTransport({ handler: portal.handler }))
    expect(bx.getDomain()).toBe(MOCK_DOMAIN)
    const pages: unknown[][] = []
    const onPage = (r: ajaxResult): void => {
      pages.push(r.data() as unknown[])
      if (r.more()) r.next()
    }
    bx.callMethod('crm.deal.list', { select: ['ID'] }, onPage)
    await flush()
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20])
    expect(portal.requests[0]).toEqual({ method: 'crm.deal.list', body: 'auth=mock-access-token&&select[0]=ID', contentType: 'application/x-www-form-urlencoded' })
    expect(portal.requests[2]!.body).toBe('auth=mock-access-token&start=100&&select[0]=ID')
  })

  it('refreshes on expired_token with fresh mock tokens', async () => {
    const portal = fakePortal({ tokens: ['mock-access-token-1'] })
    const bx = make(mockTransport({ handler: portal.handler }))
    const p = bx.callMethod('user.current')!
    await flush()
    await expect(p.then((r) => r.data())).resolves.toEqual({ ID: '1', NAME: 'Ann' })
    expect(portal.requests.map((r) => new URLSearchParams(r.body).get('auth'))).toEqual(['mock-access-token', 'mock-access-token-1'])
  })

  it('init data overrides reach BX24 (placement, admin, options, install chain)', async () => {
    const host = recordingHost()
    const bx = make(mockTransport({
      initData: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: { ID: '5' }, IS_ADMIN: false, APP_OPTIONS: { a: 1 }, FIRST_RUN: true, LANG: 'ru' },
      host,
    }))
    const installer = vi.fn(() => bx.installFinish())
    bx.install(installer)
    const ready = vi.fn()
    bx.init(ready)
    await flush()
    expect(installer).toHaveBeenCalledOnce()
    expect(ready).toHaveBeenCalledOnce()
    expect(host.calls).toEqual([{ command: 'setInstall', params: { install: true } }])
    expect(bx.placement.info()).toEqual({ placement: 'CRM_DEAL_DETAIL_TAB', options: { ID: '5' } })
    expect(bx.appOption.get('a')).toBe(1)
    expect(bx.isAdmin()).toBe(false)
    expect(bx.getLang()).toBe('ru')
  })

  it('the default handler answers every method with 404 ERROR_METHOD_NOT_FOUND', async () => {
    const bx = make(mockTransport())
    const p = bx.callMethod('anything')!.catch((r: ajaxResult) => r.error()!.getStatus())
    await flush()
    await expect(p).resolves.toBe(404)
  })

  it('host replies go through JSON like postMessage: undefined arrives as [], a throwing host is logged', async () => {
    const log = quiet()
    const host = { command: (c: string, _p: unknown, reply: (v: unknown) => void) => (c === 'boom' ? (() => { throw new Error('x') })() : reply(c === 'date' ? new Date(0) : undefined)) }
    const bx = createBX24({ window, transport: mockTransport({ host, log }), log })
    cleanup.push(() => bx.shim.destroy())
    const cb = vi.fn()
    bx.placement.call('empty', cb)
    bx.placement.call('date', cb)
    bx.placement.call('boom', cb)
    await flush()
    expect(cb.mock.calls).toEqual([[[]], ['1970-01-01T00:00:00.000Z']])
    expect(log.error).toHaveBeenCalled()
  })
})

describe('hostile host and fetch behaviour', () => {
  it('a host reply that cannot be serialised is dropped with a warning; repeated host replies all arrive', async () => {
    const log = quiet()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    let replyLater: ((v: unknown) => void) | undefined
    const host = { command: (c: string, _p: unknown, reply: (v: unknown) => void) => (c === 'cyclic' ? reply(cyclic) : (replyLater = reply)) }
    const bx = createBX24({ window, transport: mockTransport({ host, log }), log })
    cleanup.push(() => bx.shim.destroy())
    const cb = vi.fn()
    bx.placement.call('cyclic', cb)
    bx.placement.bindEvent('Event', cb)
    await flush()
    expect(cb).not.toHaveBeenCalled()
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('could not be serialised'), expect.anything())
    replyLater!(1)
    replyLater!(2)
    await flush()
    expect(cb.mock.calls).toEqual([[1], [2]])
    bx.shim.destroy()
    replyLater!(3)
    await flush()
    expect(cb).toHaveBeenCalledTimes(2)
  })

  it('a fetch whose body cannot be read, or that throws synchronously, becomes ERROR_NETWORK', async () => {
    const broken = vi.fn()
      .mockImplementationOnce(async () => ({ status: 200, text: () => Promise.reject(new Error('stream reset')) }))
      .mockImplementationOnce(() => { throw new Error('sync boom') })
    const bx = make(restTransport({ webhook: 'https://h.test/rest/1/x/', fetch: broken }))
    const results: string[] = []
    bx.callMethod('a', {}, (r) => results.push(String(r.error()!.getError().error)))
    bx.callMethod('b', {}, (r) => results.push(String(r.error()!.getError().error)))
    await flush()
    expect(results).toEqual(['ERROR_NETWORK', 'ERROR_NETWORK'])
  })
})

describe('choosing the transport', () => {
  it('config.transport wins, then webhook/auth → rest, mock → mock, a portal frame name → parentFrame, else none', () => {
    expect(chooseTransport({ transport: 'mock', webhook: 'x' }, `${PORTAL}|1|${SID}`)).toBe('mock')
    expect(chooseTransport({ webhook: 'https://h/rest/1/x/' }, `${PORTAL}|1|${SID}`)).toBe('rest')
    expect(chooseTransport({ auth: { domain: 'h', accessToken: 't' } }, '')).toBe('rest')
    expect(chooseTransport({ mock: {} }, '')).toBe('mock')
    expect(chooseTransport({}, `${PORTAL}|1|${SID}`)).toBe('parentFrame')
    expect(chooseTransport({}, '')).toBe('none')
    expect(chooseTransport({}, 'some-other-frame')).toBe('none')
  })

  it('data-* attributes of the script tag are read; window.bx24ShimConfig wins key by key; bad values are refused', () => {
    const script = document.createElement('script')
    script.setAttribute('data-bx24-transport', 'rest')
    script.setAttribute('data-bx24-webhook', 'https://h.test/rest/1/x/')
    script.setAttribute('data-bx24-lang', 'de')
    expect(configFromScript(script)).toEqual({ transport: 'rest', webhook: 'https://h.test/rest/1/x/', lang: 'de' })
    const mock = document.createElement('script')
    mock.setAttribute('data-bx24-mock', '')
    expect(configFromScript(mock)).toEqual({ transport: 'mock' })
    const evil = document.createElement('script')
    evil.setAttribute('data-bx24-transport', '__proto__')
    expect(configFromScript(evil)).toEqual({})
    expect(mergeConfig({ lang: 'en' }, configFromScript(script))).toMatchObject({ transport: 'rest', lang: 'en' })
    expect(mergeConfig('nonsense', {})).toEqual({})
    expect(() => mergeConfig({ transport: 'carrier-pigeon' }, {})).toThrow(/must be one of/)
  })

  it('installBX24 reads window.bx24ShimConfig and the current script tag', async () => {
    const f = fakeFetch(() => ok('hooked'))
    win.bx24ShimConfig = { legacyEvents: true, webhook: 'https://h.test/rest/1/x/', fetch: f.fetch }
    const api = installBX24(win, {} as BXBus)
    cleanup.push(() => api.shim.destroy())
    expect(win.BX24).toBe(api)
    expect(api.shim.transport()).toBe('rest')
    delete win.BX24
    delete win.bx24ShimConfig
    const script = document.createElement('script')
    script.setAttribute('data-bx24-transport', 'mock')
    Object.defineProperty(document, 'currentScript', { value: script, configurable: true })
    cleanup.push(() => delete (document as { currentScript?: unknown }).currentScript)
    const fromTag = installBX24(win, {} as BXBus)
    cleanup.push(() => fromTag.shim.destroy())
    expect(fromTag.shim.transport()).toBe('mock')
  })

  it('BX24-69 installBX24 passes limiter, retry and refreshTimeout from window.bx24ShimConfig', async () => {
    let sent = 0
    const f = fakeFetch(() => {
      sent++
      return { status: 503, body: '{"error":"QUERY_LIMIT_EXCEEDED"}' }
    })
    win.bx24ShimConfig = { webhook: 'https://h.test/rest/1/x/', fetch: f.fetch, persistOptions: false, limiter: { amount: 2 }, retry: false, refreshTimeout: 1000 }
    const api = installBX24(win, {} as BXBus)
    cleanup.push(() => api.shim.destroy())
    for (let i = 0; i < 4; i++) api.callMethod('crm.deal.list', {}, () => {})
    await vi.advanceTimersByTimeAsync(100)
    expect(sent).toBe(2) // the limiter's amount, and no retry of the refused reads
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sent).toBe(4)
  })

  it('installBX24 never replaces an existing window.BX24', () => {
    const existing = { callMethod() {} }
    win.BX24 = existing
    expect(installBX24(win, {} as BXBus)).toBe(existing)
    expect(win.BX24).toBe(existing)
  })

  it('with no frame name and no config BX24 exists, queues calls, and BX24.shim.useTransport binds them', async () => {
    const api = installBX24(win, {} as BXBus)
    cleanup.push(() => api.shim.destroy())
    expect(api.shim.transport()).toBeNull()
    expect(Object.keys(api)).not.toContain('shim')
    const cb = vi.fn()
    api.setTitle('early')
    api.callMethod('user.current', {}, cb)
    await flush()
    expect(cb).not.toHaveBeenCalled()
    const host = recordingHost()
    const portal = fakePortal()
    api.shim.useTransport(mockTransport({ handler: portal.handler, host }))
    await flush()
    expect(host.calls).toEqual([{ command: 'setTitle', params: { title: 'early' } }])
    expect(cb).toHaveBeenCalledOnce()
    expect(api.shim.transport()).toBe('mock')
  })

  it('useTransport replaces a bound transport: the old one is destroyed and init runs again', async () => {
    const first = mockTransport({ initData: { LANG: 'en' } })
    const destroy = vi.spyOn(first, 'destroy')
    const bx = make(first)
    await flush()
    expect(bx.getLang()).toBe('en')
    const second = mockTransport({ initData: { LANG: 'it', DOMAIN: 'other.test' } })
    bx.shim.useTransport(second)
    expect(destroy).toHaveBeenCalledOnce()
    expect(bx.getLang()).toBe('')
    const cb = vi.fn()
    bx.init(cb)
    await flush()
    expect(bx.getLang()).toBe('it')
    expect(bx.getDomain()).toBe('other.test')
    expect(cb).toHaveBeenCalledOnce()
    expect(() => bx.shim.useTransport({} as BX24Transport)).toThrow(/not a transport/)
  })

  it('two createBX24 instances are isolated from each other', async () => {
    const a = make(mockTransport({ initData: { LANG: 'en', AUTH_ID: 'A' } }))
    const b = make(mockTransport({ initData: { LANG: 'de', AUTH_ID: 'B' } }))
    await flush()
    expect([a.getLang(), b.getLang()]).toEqual(['en', 'de'])
    expect([(a.getAuth() as { access_token: string }).access_token, (b.getAuth() as { access_token: string }).access_token]).toEqual(['A', 'B'])
  })
})
