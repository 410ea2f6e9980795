// @vitest-environment node
// Spec §11 T1: @bitrix24/b24jssdk's B24Frame, an independent client, runs against our parent side (createFrameHost,
// driven through a fake `parent` that dispatches MessageEvents with an explicit origin) and our HTTP server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Window } from 'happy-dom'
import { B24Frame } from '@bitrix24/b24jssdk'
import { createMockPortal, type MockPortal } from '../../src/portal/portal'
import { startPortalServer, type PortalServer } from '../../src/portal/server'
import { createFrameHost, type FrameHost } from '../../src/portal/frame/frame-host'
import { createRecordingUi, type RecordingUi } from '../../src/portal/frame/ui'
import { defaultSeed } from '../../src/portal/seed'

const APP_ORIGIN = 'https://app.example.test'
const g = globalThis as Record<string, unknown>

let portal: MockPortal
let server: PortalServer
let win: Window
let host: FrameHost
let ui: RecordingUi
let b24: B24Frame
const toParent: { message: unknown; targetOrigin: string }[] = []
const saved: Record<string, unknown> = {}

beforeAll(async () => {
  const seed = defaultSeed()
  seed.installedFor = [] // FIRST_RUN true: B24Frame then waits for the setInstall echo (§11 T5)
  portal = createMockPortal({ seed })
  server = await startPortalServer({ portal })
  const portalOrigin = server.url
  win = new Window({ url: `${APP_ORIGIN}/app/index.html` })
  for (const k of ['window', 'document', 'parent']) saved[k] = g[k]
  g.window = win
  g.document = win.document
  ui = createRecordingUi({ portal })
  host = createFrameHost({
    appOrigin: APP_ORIGIN,
    portal,
    ui,
    portalHost: `127.0.0.1:${server.port}`,
    protocol: 0,
    listen: false,
    // Native postMessage would label the reply with the wrong origin (§11 T4): dispatch it ourselves.
    post: (data, targetOrigin) => {
      expect(targetOrigin).toBe(APP_ORIGIN)
      setTimeout(() => win.dispatchEvent(new win.MessageEvent('message', { data, origin: portalOrigin })), 0)
    },
  })
  g.parent = {
    postMessage(message: unknown, targetOrigin: string) {
      toParent.push({ message, targetOrigin })
      if (targetOrigin === portalOrigin) setTimeout(() => host.handleMessage(message, APP_ORIGIN), 0)
    },
  }
  b24 = new B24Frame({ DOMAIN: `127.0.0.1:${server.port}`, PROTOCOL: false, LANG: null, APP_SID: host.appSid } as never)
  await b24.init()
})

afterAll(async () => {
  b24?.destroy()
  host?.destroy()
  await server?.close()
  await win?.happyDOM.close()
  for (const k of Object.keys(saved)) g[k] = saved[k]
})

describe('b24jssdk B24Frame against the dev portal', () => {
  it('BX24-49 BX24-4 init: one getInitData, as a 3-segment string to the portal origin; setInstall is echoed', () => {
    expect(toParent.filter((m) => String(m.message).startsWith('getInitData:'))).toHaveLength(1)
    const first = toParent[0]!
    expect(first.targetOrigin).toBe(server.url)
    expect(String(first.message)).toMatch(new RegExp(`^getInitData:[0-9a-f-]{36}:${host.appSid}$`))
    expect(toParent.some((m) => String(m.message).startsWith('setInstall:{"install":true}:'))).toBe(true)
    expect(b24.auth.isAdmin).toBe(true)
    expect(b24.getLang()).toBe('en')
    expect(portal.isFirstRun(portal.defaultUserId)).toBe(false)
  })

  it('makes a REST call over HTTP with the token from getInitData', async () => {
    const res = await b24.actions.v2.call.make({ method: 'user.current' })
    expect(res.isSuccess).toBe(true)
    const data = res.getData() as { result: { ID: string; NAME: string } }
    expect(data.result.ID).toBe(String(portal.defaultUserId))
    expect(data.result.NAME).toBe('Anna')
    expect(portal.calls.at(-1)).toMatchObject({ method: 'user.current', status: 200 })
  })

  it('runs a batch with a $result reference (a whole-value array substitution)', async () => {
    const res = await b24.actions.v2.batch.make({
      calls: { me: ['user.current', {}], dep: ['department.get', { ID: '$result[me][UF_DEPARTMENT]' }] },
      options: { isHaltOnError: true },
    } as never)
    expect(res.isSuccess).toBe(true)
    // Without returnAjaxResult the SDK hands back each command's `result` under the same key.
    const data = res.getData() as { me: { ID: string }; dep: { ID: string; NAME: string }[] }
    expect(data.me.ID).toBe('1')
    expect(data.dep.map((d) => d.NAME)).toEqual(['Dev Portal Ltd'])
    const sub = portal.calls.filter((c) => c.inBatch && c.method === 'department.get').at(-1)!
    expect(sub.params.ID).toEqual([1])
  })

  it('recovers from expired_token: refreshAuth through the parent, then the same call is retried', async () => {
    const old = host.auth().accessToken
    portal.tokens.expire(old)
    const before = toParent.length
    const res = await b24.actions.v2.call.make({ method: 'crm.deal.list', params: { filter: { '>=ID': 118 }, select: ['ID'] } })
    expect(res.isSuccess).toBe(true)
    expect((res.getData() as { result: { ID: string }[] }).result.map((r) => r.ID)).toEqual(['118', '119', '120'])
    expect(toParent.slice(before).some((m) => String(m.message).startsWith('refreshAuth:'))).toBe(true)
    expect(host.auth().accessToken).not.toBe(old)
    const deals = portal.calls.filter((c) => c.method === 'crm.deal.list')
    expect(deals.map((c) => c.error ?? c.status)).toEqual(['expired_token', 200])
  })

  it('round-trips UI commands: setTitle echo, selectUsers array, selectCRM buckets', async () => {
    await b24.parent.setTitle('Conformance')
    expect(ui.title).toBe('Conformance')
    const users = await b24.dialog.selectUsers()
    expect(users.map((u: { id: string }) => u.id)).toEqual(['1', '2'])
    const crm = (await b24.dialog.selectCRM({ entityType: ['deal'], multiple: false, value: {} } as never)) as { deal: { id: string }[] }
    expect(crm.deal[0]!.id).toBe('D_1')
  })

  it('an unknown method is a 404 ERROR_METHOD_NOT_FOUND that the SDK throws', async () => {
    await expect(b24.actions.v2.call.make({ method: 'no.such.method' })).rejects.toMatchObject({ code: 'ERROR_METHOD_NOT_FOUND' })
  })
})
