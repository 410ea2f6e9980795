import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/portal/clock'
import { createFrameHost } from '../../src/portal/frame/frame-host'
import type { FramePortal } from '../../src/portal/frame/commands'
import { createMockPortal } from '../../src/portal/portal'
import { decodeForm } from '../../src/portal/form-decode'
import { form, json, setup } from './helpers'

describe('extraMethods', () => {
  it('adds methods with their own scope, sees the caller, and may override a built-in; batch stays built in', async () => {
    const portal = createMockPortal({
      extraMethods: {
        'Pull.Application.Config.Get': { scope: ['pull'], run: (ctx) => ({ result: { user: ctx.userId, member: ctx.state.memberId, cache: ctx.params.CACHE } }) },
        'server.time': { scope: [], run: () => ({ result: 'overridden' }) },
        batch: { scope: [], run: () => ({ result: 'never' }) },
        'needs.scope': { scope: ['telephony'], run: () => ({ result: 1 }) },
      },
    })
    const token = portal.issueAuth().accessToken
    expect((await form(portal, 'pull.application.config.get', 'CACHE=N', token)).json.result).toEqual({ user: 1, member: portal.state.memberId, cache: 'N' })
    expect((await form(portal, 'server.time', '', token)).json.result).toBe('overridden')
    expect((await json(portal, 'batch', { cmd: ['server.time'] }, token)).json.result.result).toEqual(['overridden'])
    expect((await form(portal, 'needs.scope', '', token)).json.error).toBe('insufficient_scope')
  })

  it('a method that throws something other than a RestError answers 500 INTERNAL_SERVER_ERROR, not a crash', async () => {
    const portal = createMockPortal({
      extraMethods: {
        'bad.method': { scope: [], run: () => { throw new TypeError('oops') } },
        'empty.method': { scope: [], run: () => undefined as never },
      },
    })
    const token = portal.issueAuth().accessToken
    for (const method of ['bad.method', 'empty.method']) {
      const res = await form(portal, method, '', token)
      expect([res.status, res.json]).toEqual([500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }])
    }
    expect(portal.calls.map((c) => c.status)).toEqual([500, 500])
  })
})

describe('event delivery to bound handlers', () => {
  it('crm add/update/delete build a form POST per online handler with data[FIELDS][ID] and an auth block', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1))
    const seen: string[] = []
    const { portal, token } = setup({ clock, onEvent: (d) => seen.push(`${d.event} ${d.handler}`) })
    await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fadd', token)
    await form(portal, 'event.bind', 'event=ONCRMDEALDELETE&handler=https%3A%2F%2Fapp.test%2Fdel&auth_type=2', token)
    await form(portal, 'event.bind', 'event=ONCRMDEALUPDATE&event_type=offline', token)
    const id = (await json(portal, 'crm.deal.add', { fields: { TITLE: 'New' } }, token)).json.result
    await json(portal, 'crm.deal.update', { id, fields: { TITLE: 'Newer' } }, token)
    await json(portal, 'crm.deal.delete', { id }, token)
    expect(seen).toEqual(['ONCRMDEALADD https://app.test/add', 'ONCRMDEALDELETE https://app.test/del'])
    const body = decodeForm(portal.deliveries[0]!.body) as Record<string, any>
    expect(body.event).toBe('ONCRMDEALADD')
    expect(body.data).toEqual({ FIELDS: { ID: String(id) } })
    expect(body.ts).toBe(String(Date.UTC(2026, 0, 1) / 1000))
    expect(body.auth).toMatchObject({ domain: 'dev-portal.bitrix24.test', member_id: portal.state.memberId, application_token: portal.state.app.applicationToken, expires_in: '3600', status: 'L' })
    // The access token in the delivery works, for the triggering user (auth_type 0) or the bound user.
    expect((await form(portal, 'user.current', '', body.auth.access_token)).json.result.ID).toBe('1')
    const del = decodeForm(portal.deliveries[1]!.body) as Record<string, any>
    expect((await form(portal, 'user.current', '', del.auth.access_token)).json.result.ID).toBe('2')
  })

  it('nothing is delivered before the app is installed, and a throwing listener does not fail the call', async () => {
    const { portal, token } = setup({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], crm: { deal: [] }, app: { installed: false } }, onEvent: () => { throw new Error('x') } })
    await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', token)
    expect((await json(portal, 'crm.deal.add', { fields: {} }, token)).status).toBe(200)
    expect(portal.deliveries).toEqual([])
    portal.markInstalled(true)
    expect((await json(portal, 'crm.deal.add', { fields: {} }, token)).status).toBe(200)
    expect(portal.deliveries).toHaveLength(1)
  })
})

describe('FramePortal: a portal proxy with an asynchronous refresh', () => {
  it('the frame host answers refreshAuth once the proxy resolves, and stays silent when it resolves null', async () => {
    const real = createMockPortal()
    let refuse = false
    const proxy: FramePortal = {
      state: real.state, defaultUserId: 1, issueAuth: (id) => real.issueAuth(id), isFirstRun: () => false, markRun: () => {},
      isAdmin: () => true, user: (id) => real.user(id), userOptions: () => ({}), setUserOption: () => {}, setAppOption: () => {},
      markInstalled: () => {},
      refreshAuth: (token) => new Promise((resolve) => setTimeout(() => resolve(refuse ? null : real.refreshAuth(token)), 5)),
    }
    const replies: string[] = []
    const host = createFrameHost({ appOrigin: 'https://a.test', portal: proxy, listen: false, post: (m) => replies.push(m) })
    host.handleMessage(`refreshAuth:{}:r1:${host.appSid}`, 'https://a.test')
    await new Promise((r) => setTimeout(r, 20))
    expect(JSON.parse(replies[0]!.slice(3)).AUTH_ID).toBe(host.auth().accessToken)
    refuse = true
    host.handleMessage(`refreshAuth:{}:r2:${host.appSid}`, 'https://a.test')
    await new Promise((r) => setTimeout(r, 20))
    expect(replies).toHaveLength(1)
    host.destroy()
  })
})
