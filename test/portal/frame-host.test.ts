import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFrameHost, type FrameHostOptions } from '../../src/portal/frame/frame-host'
import { createRecordingUi } from '../../src/portal/frame/ui'
import { createMockPortal } from '../../src/portal/portal'
import { defaultSeed, type PortalSeed } from '../../src/portal/seed'

const APP = 'https://app.example.test'
const tick = () => new Promise((r) => setTimeout(r, 0))
const hosts: { destroy(): void }[] = []
afterEach(() => hosts.splice(0).forEach((h) => h.destroy()))

function harness(options: Partial<FrameHostOptions> = {}, seed: PortalSeed = defaultSeed()) {
  const portal = createMockPortal({ seed })
  const ui = createRecordingUi({ portal })
  const replies: string[] = []
  const host = createFrameHost({
    appOrigin: APP, portal, ui, listen: false,
    post: (message, targetOrigin) => {
      expect(targetOrigin).toBe(APP)
      replies.push(message)
    },
    ...options,
  })
  hosts.push(host)
  const sid = host.appSid
  const send = (command: string, params?: unknown, cb = 'cb1') => host.handleMessage(`${command}:${params === undefined ? '' : JSON.stringify(params)}:${cb}:${sid}`, APP)
  const reply = (cb = 'cb1') => {
    const r = replies.find((m) => m.startsWith(cb + ':'))
    if (r === undefined) return undefined
    const payload = r.slice(cb.length + 1)
    return payload === '' ? '' : JSON.parse(payload)
  }
  return { portal, ui, host, replies, send, reply, sid }
}

describe('receive rules (spec §2.2)', () => {
  it('BX24-25 answers the 4-segment and the 3-segment string form and the object form', async () => {
    const h = harness({ placement: 'IM_TEXTAREA', placementInterface: { commands: { 'im:setTextareaContent': (p, reply) => reply({ got: p }) } } })
    expect(h.host.handleMessage(`getInitData::a:${h.sid}`, APP)).toBe(true)
    expect(h.host.handleMessage(`getInitData:b:${h.sid}`, APP)).toBe(true)
    expect(h.host.handleMessage({ method: 'im:setTextareaContent', params: { text: 'hi' }, callback: 'c', appSid: h.sid }, APP)).toBe(true)
    await tick()
    expect(h.reply('a').AUTH_ID).toMatch(/^[0-9a-f]{64}$/)
    expect(h.reply('b').DOMAIN).toBe('dev-portal.bitrix24.test')
    expect(h.reply('c')).toEqual({ got: { text: 'hi' } })
  })

  it('BX24-25 drops a message with the wrong APP_SID', async () => {
    const h = harness()
    expect(h.host.handleMessage('getInitData::cb1:0123456789abcdef0123456789abcdef', APP)).toBe(false)
    expect(h.host.handleMessage({ method: 'setTitle', params: { title: 'x' }, callback: 'cb1', appSid: 'other' }, APP)).toBe(false)
    await tick()
    expect(h.replies).toEqual([])
    expect(h.ui.calls).toEqual([])
  })

  it('drops messages from any origin but the exact app origin (scheme, host and port)', async () => {
    const h = harness({ appOrigin: 'https://app.example.test:443/some/path' })
    expect(h.host.appOrigin).toBe(APP)
    for (const origin of ['http://app.example.test', 'https://app.example.test:8443', 'https://evil.test', 'null', '', 'https://app.example.test.evil.test']) {
      expect(h.host.handleMessage(`setTitle:{"title":"x"}:cb:${h.sid}`, origin), origin).toBe(false)
    }
    await tick()
    expect(h.replies).toEqual([])
    expect(h.ui.title).toBe('')
  })

  it('BX24-24 ignores unknown commands and inherited names with no reply', async () => {
    const h = harness()
    for (const cmd of ['noSuchCommand', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'showAppForm']) {
      expect(h.send(cmd, {}), cmd).toBe(false)
    }
    await tick()
    expect(h.replies).toEqual([])
  })

  it('BX24-24 a non-DEFAULT placement denies setTitle, setScroll and reloadWindow (no reply, nothing happens)', async () => {
    const h = harness({ placement: 'crm_deal_detail_tab' })
    expect(h.send('setTitle', { title: 'x' })).toBe(false)
    expect(h.send('setScroll', { scroll: 10 })).toBe(false)
    expect(h.send('reloadWindow', {})).toBe(false)
    expect(h.send('resizeWindow', { width: 100, height: 50 }, 'r')).toBe(true)
    await tick()
    expect(h.ui.calls.map((c) => c.command)).toEqual(['resizeWindow'])
    expect(h.replies.map((m) => m.split(':')[0])).toEqual(['r'])
  })

  it('BX24-24 popup and slider layouts deny resizeWindow', async () => {
    for (const layout of ['popup', 'slider'] as const) {
      const h = harness({ layout })
      expect(h.send('resizeWindow', { width: 100, height: 50 })).toBe(false)
      expect(h.send('setTitle', { title: 't' }, 't')).toBe(true)
      await tick()
      expect(h.reply('cb1')).toBeUndefined()
      expect(h.reply('t')).toEqual({ title: 't' })
    }
  })

  it('hostile: junk data, bad JSON, throwing getters and a 1 MB string never throw and never reply', async () => {
    const h = harness()
    const evil = { get method(): string { throw new Error('boom') }, appSid: h.sid }
    for (const data of [null, 7, [], `setTitle:{x:cb1:${h.sid}`, 'x'.repeat(1_000_000), evil, `getInitData:${h.sid}`, new Date()]) {
      expect(() => h.host.handleMessage(data, APP)).not.toThrow()
    }
    await tick()
    expect(h.replies).toEqual([])
  })
})

describe('replies and the command table (spec §2.3-2.4)', () => {
  it('BX24-26 replies cbId: plus JSON, or cbId: alone for undefined, to the app origin', async () => {
    const h = harness()
    h.send('setTitle', { title: 'Hello' }, 'k1')
    h.send('openApplication', { bx24_width: 600 }, 'k2')
    await tick()
    h.ui.closeSliders()
    await tick()
    expect(h.replies).toEqual(['k1:{"title":"Hello"}', 'k2:'])
  })

  it('BX24-26 echoes setInstall, setTitle, setScroll and setUserOption', async () => {
    const h = harness()
    h.send('setInstall', { install: true }, 'a')
    h.send('setTitle', { title: 42 }, 'b')
    h.send('setScroll', { scroll: 120 }, 'c')
    h.send('setUserOption', { name: 'view', value: 'grid' }, 'd')
    await tick()
    expect([h.reply('a'), h.reply('b'), h.reply('c'), h.reply('d')]).toEqual([{ install: true }, { title: 42 }, { scroll: 120 }, { name: 'view', value: 'grid' }])
    expect(h.ui.title).toBe('42')
    expect(h.ui.calls.find((c) => c.command === 'scrollParentWindow')?.args).toEqual([120])
    expect(h.portal.userOptions(1).view).toBe('grid')
  })

  it('BX24-26 never replies to setInstallFinish, reloadWindow or the im* commands, even with a callback id', async () => {
    const h = harness()
    h.send('reloadWindow', {}, 'r')
    h.send('imCallTo', { userId: 5, video: true }, 'i1')
    h.send('imPhoneTo', { phone: '+100' }, 'i2')
    h.send('imOpenMessenger', { dialogId: 'chat7' }, 'i3')
    h.send('imOpenHistory', { dialogId: '5' }, 'i4')
    h.send('setInstallFinish', {}, 's')
    await tick()
    expect(h.replies).toEqual([])
    expect(h.ui.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['reloadWindow'], ['imCallTo', 5, true], ['imPhoneTo', '+100'], ['imOpenMessenger', 'chat7'], ['imOpenHistory', '5'], ['installFinish', { installed: true }],
    ])
  })

  it('BX24-26 BX24-13 setAppOption answers admins with the full options map and non-admins not at all', async () => {
    const admin = harness()
    admin.send('setAppOption', { name: 'mode', value: 'pro' }, 'a')
    await tick()
    expect(admin.reply('a')).toEqual({ mode: 'pro' })
    const user = harness({ userId: 2 })
    user.send('setAppOption', { name: 'mode', value: 'free' }, 'b')
    await tick()
    expect(user.replies).toEqual([])
    expect(user.portal.state.appOptions.mode).toBeUndefined()
  })

  it('BX24-7 getInitData: AUTH_EXPIRES in seconds as a string, tokens that work on the REST side, options [] when empty', async () => {
    const h = harness({ portalHost: 'portal.test:8080', protocol: 0, lang: 'de' })
    h.send('getInitData')
    await tick()
    const data = h.reply()
    expect(data).toEqual({
      LANG: 'de', DOMAIN: 'portal.test:8080', PROTOCOL: 0, PATH: '/rest', AUTH_ID: data.AUTH_ID, AUTH_EXPIRES: '3600', REFRESH_ID: data.REFRESH_ID,
      MEMBER_ID: h.portal.state.memberId, FIRST_RUN: false, IS_ADMIN: true, INSTALL: false, USER_OPTIONS: [], APP_OPTIONS: [],
      PLACEMENT: 'DEFAULT', PLACEMENT_OPTIONS: {},
    })
    const rest = await h.portal.handle({ method: 'user.current', body: `auth=${data.AUTH_ID}`, contentType: 'application/x-www-form-urlencoded' })
    expect(JSON.parse(rest.body).result.ID).toBe('1')
  })

  it('getInitData reflects placement, options, a non-admin and install mode', async () => {
    const seed = defaultSeed()
    seed.app!.installed = false
    seed.userOptions = { 2: { a: 1 } }
    const user = harness({ userId: 2, placement: 'crm_deal_detail_tab', placementOptions: { ID: '7' } }, seed)
    user.send('getInitData')
    await tick()
    expect(user.reply()).toMatchObject({ IS_ADMIN: false, INSTALL: false, PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: { ID: '7' }, USER_OPTIONS: { a: 1 } })
    const admin = harness({}, seed)
    admin.send('getInitData')
    await tick()
    expect(admin.reply()).toMatchObject({ IS_ADMIN: true, INSTALL: true })
  })

  it('BX24-9 BX24-10 FIRST_RUN is true until setInstall, and false on the second getInitData of the same page', async () => {
    const seed = defaultSeed()
    seed.installedFor = []
    const h = harness({}, seed)
    h.send('getInitData', undefined, 'a')
    h.send('getInitData', undefined, 'b')
    await tick()
    expect([h.reply('a').FIRST_RUN, h.reply('b').FIRST_RUN]).toEqual([true, false])
    // A new page render asks the portal again: still a first run until setInstall is received.
    const again = createFrameHost({ appOrigin: APP, portal: h.portal, listen: false, post: (m) => h.replies.push(m), appSid: h.sid })
    hosts.push(again)
    again.handleMessage(`getInitData::c:${h.sid}`, APP)
    again.handleMessage(`setInstall:{"install":true}::${h.sid}`, APP)
    await tick()
    expect(h.reply('c').FIRST_RUN).toBe(true)
    expect(h.portal.isFirstRun(1)).toBe(false)
  })

  it('BX24-12 setInstallFinish marks the app installed for an admin, does nothing for others', async () => {
    const seed = defaultSeed()
    seed.app!.installed = false
    const user = harness({ userId: 2 }, seed)
    user.send('setInstallFinish', {})
    await tick()
    expect(user.portal.state.app.installed).toBe(false)
    expect(user.ui.calls).toEqual([])
    const admin = harness({}, seed)
    admin.send('setInstallFinish', { value: false })
    await tick()
    expect(admin.ui.calls).toEqual([{ command: 'installFinish', args: [{ installed: false }] }])
    admin.send('setInstallFinish', {})
    expect(admin.portal.state.app.installed).toBe(true)
  })

  it('BX24-30 refreshAuth issues new tokens from the REST engine; the old refresh token is spent', async () => {
    const h = harness()
    const before = h.host.auth()
    h.send('refreshAuth', {}, 'r1')
    await tick()
    const r = h.reply('r1')
    expect(r).toEqual({ AUTH_ID: expect.stringMatching(/^[0-9a-f]{64}$/), AUTH_EXPIRES: 3600, REFRESH_ID: expect.any(String) })
    expect(r.AUTH_ID).not.toBe(before.accessToken)
    expect(h.host.auth().accessToken).toBe(r.AUTH_ID)
    expect(h.portal.refreshAuth(before.refreshToken)).toBeNull()
    const rest = await h.portal.handle({ method: 'user.current', body: `auth=${r.AUTH_ID}`, contentType: 'application/x-www-form-urlencoded' })
    expect(rest.status).toBe(200)
  })

  it('refreshAuth without a new token alerts like the real parent and never replies', async () => {
    const h = harness()
    expect(h.portal.refreshAuth(h.host.auth().refreshToken)).not.toBeNull()
    h.send('refreshAuth', {}, 'r')
    await tick()
    expect(h.replies).toEqual([])
    expect(h.ui.calls).toEqual([{ command: 'alert', args: ['Unable to get new token! Reload page, please!'] }])
  })

  it('resizeWindow parses like the parent and replies with the measured size', async () => {
    const h = harness()
    h.send('resizeWindow', { width: '100%', height: '420px' }, 'a')
    h.send('resizeWindow', { width: 'junk', height: 'junk' }, 'b')
    await tick()
    expect(h.reply('a')).toEqual({ width: 800, height: 420 })
    expect(h.reply('b')).toEqual({ width: 100, height: 420 })
  })

  it('selectUser single and multiple answer seeded users; a cancelled picker never replies', async () => {
    const h = harness()
    h.send('selectUser', { title: 'Pick', mult: false }, 'one')
    h.send('selectUser', { mult: true }, 'many')
    await tick()
    expect(h.reply('one')).toEqual({ id: '1', name: 'Anna Ivanova', photo: '', position: 'Director', url: '/company/personal/user/1/', sub: false, sup: false })
    expect(h.reply('many').map((u: { id: string }) => u.id)).toEqual(['1', '2'])
    const cancel = harness({ ui: { selectUsers: () => null } })
    cancel.send('selectUser', { mult: false })
    await tick()
    expect(cancel.replies).toEqual([])
  })

  it('selectAccess skips blocked ids; selectCRM buckets are objects keyed 0, 1, …', async () => {
    const h = harness()
    h.send('selectAccess', { value: ['U1'] }, 'acc')
    h.send('selectCRM', { entityType: ['deal', 'contact'], multiple: true, value: {} }, 'crm')
    await tick()
    expect(h.reply('acc')).toEqual([{ id: 'U2', name: 'Boris Petrov', provider: 'user' }])
    const crm = h.reply('crm')
    expect(Object.keys(crm)).toEqual(['deal', 'contact'])
    expect(crm.deal).toEqual({
      0: { id: 'D_1', type: 'deal', place: 'deal', title: 'Deal #1', desc: '', url: '/crm/deal/details/1/' },
      1: { id: 'D_2', type: 'deal', place: 'deal', title: 'Deal #2', desc: '', url: '/crm/deal/details/2/' },
    })
    expect(Array.isArray(crm.deal)).toBe(false)
  })

  it('BX24-17 openApplication splits bx24_* settings and calls back once on close; closeApplication closes', async () => {
    const h = harness()
    h.send('openApplication', { page: 'x', bx24_width: 600, bx24_title: 'T' }, 'open')
    await tick()
    expect(h.ui.calls[0]).toEqual({ command: 'openApplication', args: [{ params: { page: 'x' }, settings: { width: 600, title: 'T' } }] })
    expect(h.replies).toEqual([])
    h.send('closeApplication', undefined, 'close')
    await tick()
    expect(h.replies.sort()).toEqual(['close:', 'open:'])
  })

  it('openPath: allowed paths open and call back on close; others and mobile answer errors', async () => {
    const h = harness()
    h.send('openPath', { path: '/crm/deal/details/5/' }, 'ok')
    h.send('openPath', { path: '/bitrix/admin/' }, 'no')
    await tick()
    expect(h.reply('no')).toEqual({ result: 'error', errorCode: 'PATH_NOT_AVAILABLE' })
    expect(h.ui.calls[0]!.args[0]).toBe('/crm/deal/details/5/?from=rest_placement&from_app=local.5f0e1d2c3b4a59.12345678')
    h.ui.closeSliders()
    await tick()
    expect(h.reply('ok')).toEqual({ result: 'close' })
    const mobile = harness({ mobile: true })
    mobile.send('openPath', { path: '/crm/deal/details/5/' })
    await tick()
    expect(mobile.reply()).toEqual({ result: 'error', errorCode: 'METHOD_NOT_SUPPORTED_ON_DEVICE' })
  })

  it('BX24-17 placementBindEvent: the same callback id is answered on every firing; getInterface lists the placement API', async () => {
    const h = harness({ placement: 'CALL_CARD', placementInterface: { commands: { getStatus: (_p, reply) => reply({ s: 1 }) }, events: ['CallCard::CallStateChanged'] } })
    h.send('getInterface', undefined, 'gi')
    h.send('placementBindEvent', { event: 'CallCard::CallStateChanged' }, 'ev')
    h.send('placementBindEvent', { event: 'NotAnEvent' }, 'nope')
    await tick()
    expect(h.reply('gi')).toEqual({ command: ['getStatus'], event: ['CallCard::CallStateChanged'] })
    expect(h.host.firePlacementEvent('CallCard::CallStateChanged', { state: 'ringing' })).toBe(1)
    expect(h.host.firePlacementEvent('CallCard::CallStateChanged', { state: 'connected' })).toBe(1)
    expect(h.host.firePlacementEvent('NotAnEvent')).toBe(0)
    expect(h.replies.filter((m) => m.startsWith('ev:'))).toEqual(['ev:{"state":"ringing"}', 'ev:{"state":"connected"}'])
    expect(h.replies.some((m) => m.startsWith('nope:'))).toBe(false)
  })

  it('a throwing ui adapter is reported to onError, never thrown into the page, and sends no reply', async () => {
    const onError = vi.fn()
    const h = harness({ ui: { setTitle: () => { throw new Error('ui bug') }, selectUsers: async () => { throw new Error('async bug') } }, onError })
    expect(() => h.send('setTitle', { title: 'x' })).not.toThrow()
    h.send('selectUser', { mult: true }, 'u')
    await tick()
    expect(onError.mock.calls.map((c) => [(c[0] as Error).message, c[1]])).toEqual([['ui bug', 'setTitle'], ['async bug', 'selectUser']])
    expect(h.replies).toEqual([])
  })
})

describe('in the DOM', () => {
  it('listens on window by default, reads event.origin, and replies to the iframe contentWindow', async () => {
    const portal = createMockPortal()
    const posted: [string, string][] = []
    const iframe = { contentWindow: { postMessage: (m: string, o: string) => posted.push([m, o]) } } as unknown as HTMLIFrameElement
    const host = createFrameHost({ iframe, appOrigin: APP, portal })
    hosts.push(host)
    window.dispatchEvent(new MessageEvent('message', { data: `setTitle:{"title":"T"}:c1:${host.appSid}`, origin: APP }))
    window.dispatchEvent(new MessageEvent('message', { data: `setTitle:{"title":"X"}:c2:${host.appSid}`, origin: 'https://evil.test' }))
    await tick()
    expect(posted).toEqual([['c1:{"title":"T"}', APP]])
    expect(host.frameName).toBe(`dev-portal.bitrix24.test|1|${host.appSid}`)
    host.destroy()
    window.dispatchEvent(new MessageEvent('message', { data: `setTitle:{"title":"T"}:c3:${host.appSid}`, origin: APP }))
    await tick()
    expect(posted).toHaveLength(1)
  })

  it('a reply that becomes due after destroy() is dropped', async () => {
    const h = harness()
    h.send('openApplication', {}, 'o')
    await tick()
    h.host.destroy()
    h.ui.closeSliders()
    await tick()
    expect(h.replies).toEqual([])
  })
})
