import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/portal/clock'
import { createMockPortal } from '../../src/portal/portal'
import { form, json, setup, FORM, JSON_TYPE } from './helpers'

describe('envelope, errors and auth', () => {
  it('BX24-45 a success carries result and a time block with start, finish, duration, processing and ATOM dates', async () => {
    const clock = createManualClock(Date.UTC(2026, 4, 1, 12, 0, 0, 250))
    const { portal, token } = setup({ clock })
    const res = await portal.handle({ method: 'user.current', body: `auth=${token}`, contentType: FORM })
    expect(res.status).toBe(200)
    expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(res.body)
    expect(body.result.NAME).toBe('Anna')
    expect(body.time).toEqual({
      start: 1777636800.25, finish: 1777636800.25, duration: 0, processing: 0,
      date_start: '2026-05-01T12:00:00+00:00', date_finish: '2026-05-01T12:00:00+00:00',
    })
    expect(body).not.toHaveProperty('total')
    expect(body).not.toHaveProperty('next')
  })

  it('BX24-45 errors are {error, error_description} with the real status map', async () => {
    const { portal, token } = setup()
    const unknown = await form(portal, 'no.such.method', '', token)
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' })
    const noAuth = await form(portal, 'user.current', '')
    expect(noAuth.status).toBe(401)
    expect(noAuth.json.error).toBe('NO_AUTH_FOUND')
    const bogus = await form(portal, 'user.current', '', 'not-a-token')
    expect([bogus.status, bogus.json.error]).toEqual([401, 'NO_AUTH_FOUND'])
  })

  it('BX24-45 insufficient_scope is 403 when the app lacks the method scope', async () => {
    const { portal, token } = setup({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], app: { scope: ['user'] } } })
    const res = await form(portal, 'placement.get', '', token)
    expect([res.status, res.json.error]).toEqual([403, 'insufficient_scope'])
    expect((await form(portal, 'user.current', '', token)).status).toBe(200)
  })

  it('BX24-31 an expired token answers 401 expired_token; the refresh token mints a new working pair once', async () => {
    const clock = createManualClock()
    const portal = createMockPortal({ clock, tokenLifetime: 3600 })
    const grant = portal.issueAuth()
    expect(grant.expiresIn).toBe(3600)
    clock.advance(3600 * 1000)
    const res = await form(portal, 'user.current', '', grant.accessToken)
    expect([res.status, res.json.error]).toEqual([401, 'expired_token'])
    const fresh = portal.refreshAuth(grant.refreshToken)!
    expect(fresh.accessToken).not.toBe(grant.accessToken)
    expect((await form(portal, 'user.current', '', fresh.accessToken)).status).toBe(200)
    // Refresh tokens are single use.
    expect(portal.refreshAuth(grant.refreshToken)).toBeNull()
    expect(portal.refreshAuth('made-up')).toBeNull()
  })

  it('BX24-27 method names are case-insensitive and take an optional .json suffix', async () => {
    const { portal, token } = setup()
    expect((await form(portal, 'USER.Current.json', '', token)).json.result.ID).toBe('1')
  })

  it('BX24-29 a pre-built string body and query-string params are parsed like any other', async () => {
    const { portal, token } = setup()
    const res = await portal.handle({ method: 'crm.deal.get', body: `auth=${token}`, query: 'id=7', contentType: FORM })
    expect(JSON.parse(res.body).result.TITLE).toBe('Deal #7')
    // The body wins over the query, as in PHP's request array.
    const both = await portal.handle({ method: 'crm.deal.get', body: `auth=${token}&id=8`, query: 'id=7', contentType: FORM })
    expect(JSON.parse(both.body).result.TITLE).toBe('Deal #8')
  })

  it('BX24-33 DEV-12 4xx answers are JSON bodies; the legacy CRM not-found has an empty error code, as on Bitrix', async () => {
    const { portal, token } = setup()
    const res = await form(portal, 'crm.deal.get', 'id=99999', token)
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ error: '', error_description: 'Not found' })
  })

  it('webhook form <userId>/<secret>/<method> authenticates without auth, a wrong secret is NO_AUTH_FOUND', async () => {
    const portal = createMockPortal()
    const ok = await portal.handle({ method: `1/${portal.state.webhooks[0]!.secret}/user.current.json`, body: '', contentType: FORM })
    expect(JSON.parse(ok.body).result.ID).toBe('1')
    const bad = await portal.handle({ method: '1/wrong/user.current', body: '', contentType: FORM })
    expect([bad.status, JSON.parse(bad.body).error]).toEqual([401, 'NO_AUTH_FOUND'])
  })

  it('records calls with decoded params and outcome, and never records the auth token as a param', async () => {
    const { portal, token } = setup()
    await form(portal, 'crm.deal.get', 'id=3', token)
    await form(portal, 'nope', '', token)
    expect(portal.calls.map((c) => [c.method, c.status, c.error])).toEqual([['crm.deal.get', 200, undefined], ['nope', 404, 'ERROR_METHOD_NOT_FOUND']])
    expect(portal.calls[0]!.params.auth).toBeUndefined()
    expect(portal.calls[0]!.params.id).toBe('3')
  })
})

describe('hostile requests never crash the engine', () => {
  it('wrong JSON, JSON that is not an object, and 10k-deep JSON get 400 INVALID_REQUEST', async () => {
    const { portal, token } = setup()
    for (const body of ['{"auth":', '[1,2]', '"x"', 'null', '['.repeat(10_000) + ']'.repeat(10_000), `{"auth":"${token}","a":${'['.repeat(600)}${']'.repeat(600)}}`]) {
      const res = await portal.handle({ method: 'user.current', body, contentType: JSON_TYPE })
      expect(res.status, body.slice(0, 20)).toBe(400)
      expect(JSON.parse(res.body).error).toBe('INVALID_REQUEST')
    }
  })

  it('__proto__ keys in JSON and form bodies are stored as data and do not pollute', async () => {
    const { portal, token } = setup()
    const res = await portal.handle({
      method: 'crm.deal.add',
      body: `{"auth":"${token}","fields":{"__proto__":{"polluted":1},"TITLE":"x","constructor":{"prototype":{"p":1}}}}`,
      contentType: JSON_TYPE,
    })
    expect(res.status).toBe(200)
    const id = JSON.parse(res.body).result
    const got = await form(portal, 'crm.deal.get', `id=${id}`, token)
    expect(got.json.result.TITLE).toBe('x')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const viaForm = await form(portal, 'app.option.set', 'options[__proto__][polluted]=1', token)
    expect(viaForm.status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a body over the size limit answers 413 without parsing it', async () => {
    const { portal, token } = setup({ maxBodyBytes: 1000 })
    const res = await portal.handle({ method: 'user.current', body: `auth=${token}&x=${'a'.repeat(2000)}`, contentType: FORM })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error).toBe('INVALID_REQUEST')
  })

  it('garbage method names, traversal and empty names are 404 ERROR_METHOD_NOT_FOUND', async () => {
    const { portal, token } = setup()
    for (const method of ['', '../../etc/passwd', 'user current', '__proto__', 'constructor', 'toString', 'x'.repeat(500), 'crm.deal.list/../../x']) {
      const res = await form(portal, method, '', token)
      expect(res.status, method).toBe(404)
      expect(res.json.error).toBe('ERROR_METHOD_NOT_FOUND')
    }
  })

  it('a malformed request object (non-string body) is a 400, not a throw', async () => {
    const { portal } = setup()
    const res = await portal.handle({ method: 'user.current', body: 42 as unknown as string, contentType: FORM })
    expect(res.status).toBe(400)
    const res2 = await portal.handle(null as never)
    expect(res2.status).toBe(400)
  })

  it('DEV-12 wrong parameter types get the legacy CRM texts (empty code, 400)', async () => {
    const { portal, token } = setup()
    expect((await form(portal, 'crm.deal.add', 'fields=abc', token)).json).toEqual({ error: '', error_description: "Parameter 'fields' must be array." })
    expect((await form(portal, 'crm.deal.get', 'id=abc', token)).json).toEqual({ error: '', error_description: 'ID is not defined or invalid.' })
    expect((await form(portal, 'crm.deal.list', 'filter=abc', token)).json).toEqual({ error: '', error_description: "Parameter 'filter' must be array." })
    expect((await form(portal, 'crm.deal.list', 'order=abc', token)).json).toEqual({ error: '', error_description: "Parameter 'order' must be array." })
    expect((await json(portal, 'crm.deal.update', { id: 1, fields: [1, 2] }, token)).status).toBe(200)
  })
})
