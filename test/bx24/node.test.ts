// @vitest-environment node
// BX24-65 outside a browser: plain Node, no window, no document, no happy-dom. createBX24 with the webhook or the
// OAuth transport runs callMethod, callBatch, next() and listAll against the dev portal's HTTP REST, and importing
// the package touches no DOM. (Before issue 11 createBX24 read `window` and threw here.)
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBX24, restTransport, type ajaxResult } from '../../src/index'
import { createManualClock, createMockPortal, startPortalServer, type PortalServer } from '../../src/portal/node'
import { bigSeed } from './list-fixtures'

// The default seed's inbound webhook has a random secret per portal (SEC-4): read it from the portal.
const SECRET = () => portal.state.webhooks[0].secret
const clock = createManualClock(Date.now())
const portal = createMockPortal({ seed: bigSeed({ deals: 10_000 }), clock })
let server: PortalServer
let fetches: string[] = []
const countingFetch: typeof fetch = (url, init) => {
  fetches.push(String(url))
  return fetch(url, init)
}

beforeAll(async () => {
  server = await startPortalServer({ portal })
})
afterAll(async () => {
  await server.close()
})

function webhookBX24() {
  return createBX24({ transport: restTransport({ webhook: `${server.url}/rest/1/${SECRET()}/`, fetch: countingFetch as never, persistOptions: false }) })
}

const ready = (bx: ReturnType<typeof createBX24>) => new Promise<void>((done) => bx.init(() => done()))

describe('BX24-65 plain Node', () => {
  it('has no DOM here, and importing the package entries (source and built) touched none', async () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    const built = (await import(/* @vite-ignore */ resolve(__dirname, '../../dist/bx24-shim.mjs'))) as { createBX24: unknown }
    expect(typeof built.createBX24).toBe('function')
    expect(typeof window).toBe('undefined')
  })

  it('webhook: init, callMethod with a callback and as a promise, next() paging', async () => {
    const bx = webhookBX24()
    await ready(bx)
    expect(bx.isAdmin()).toBe(true)
    expect(bx.getDomain()).toBe(new URL(server.url).host)
    const user = await new Promise<ajaxResult>((done) => bx.callMethod('user.current', {}, done))
    expect(user.data()).toMatchObject({ ID: '1' })
    const first = await bx.callMethod('crm.deal.list', { filter: { '<=ID': 120 }, select: ['ID'] })!
    expect(first.total()).toBe(120)
    const pages = [first.data() as unknown[]]
    let page = first
    while (page.more()) {
      page = await (page.next() as Promise<typeof first>)
      pages.push(page.data() as unknown[])
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20])
    bx.shim.destroy()
  })

  it('webhook: callBatch with a $result reference', async () => {
    const bx = webhookBX24()
    const results = (await bx.callBatch({
      list: ['crm.deal.list', { order: { ID: 'DESC' }, select: ['ID'], start: -1 }],
      one: ['crm.deal.get', { id: '$result[list][0][ID]' }],
    })) as Record<string, ajaxResult>
    expect(results.one!.data()).toMatchObject({ ID: '10000' })
    bx.shim.destroy()
  })

  it('webhook: listAll brings 10,000 deals in at most 5 HTTP requests', async () => {
    const bx = webhookBX24()
    await ready(bx)
    fetches = []
    const rows = await bx.shim.listAll('crm.deal.list', { select: ['ID', 'TITLE'] })
    expect(rows.length).toBe(10_000)
    expect(new Set(rows.map((r) => r.ID)).size).toBe(10_000)
    expect(fetches.length).toBeLessThanOrEqual(5)
    expect(fetches.every((url) => url.startsWith(`${server.url}/rest/1/${SECRET()}/`))).toBe(true)
    bx.shim.destroy()
  }, 30_000) // 200 list calls over 10,000 rows in the portal: seconds on a loaded machine

  it('OAuth (clientEndpoint): the token goes in the body to that origin only; an expired token is refreshed through onRefresh', async () => {
    let grant = portal.issueAuth(1)
    const bodies: Array<{ url: string; body: string }> = []
    const bx = createBX24({
      transport: restTransport({
        auth: {
          clientEndpoint: `${server.url}/rest/`, accessToken: grant.accessToken, refreshToken: grant.refreshToken,
          onRefresh: (current) => {
            const next = portal.refreshAuth(current.refreshToken!)
            if (!next) return null
            grant = next
            return { accessToken: next.accessToken, refreshToken: next.refreshToken, expiresIn: next.expiresIn }
          },
        },
        fetch: ((url: string, init: { body: string }) => {
          bodies.push({ url, body: init.body })
          return fetch(url, init as RequestInit)
        }) as never,
        persistOptions: false,
      }),
    })
    await ready(bx)
    expect(bx.isAdmin()).toBe(true) // from `profile`
    const before = grant.accessToken
    clock.advance(3_700_000) // the portal's token has expired; BX24 does not know yet
    const deal = await bx.callMethod('crm.deal.get', { id: 7 })!
    expect(deal.data()).toMatchObject({ ID: '7' })
    expect(grant.accessToken).not.toBe(before)
    expect(bodies.map((b) => new URLSearchParams(b.body).get('auth'))).toEqual([before, before, grant.accessToken])
    for (const { url } of bodies) {
      expect(new URL(url).origin).toBe(server.url)
      expect(url).not.toContain(before)
      expect(url).not.toContain(grant.accessToken)
    }
    expect(bx.getAuth()).toMatchObject({ access_token: grant.accessToken })
    const rows = await bx.shim.listAll('crm.deal.list', { filter: { '<=ID': 300 } })
    expect(rows.length).toBe(300)
    bx.shim.destroy()
  })

  it('BX24.ready and BX24.init run without a document; loadScript says why it cannot load', async () => {
    const warn: unknown[] = []
    const bx = createBX24({ transport: restTransport({ webhook: `${server.url}/rest/1/${SECRET()}/`, persistOptions: false }), log: { warn: (m: unknown) => warn.push(m), error() {} } })
    await new Promise<void>((done) => bx.ready(() => done()))
    expect(bx.isReady()).toBe(true)
    await ready(bx)
    expect(bx.getScrollSize()).toEqual({ scrollWidth: 0, scrollHeight: 0 })
    bx.loadScript('https://example.test/x.js', () => {})
    expect(warn).toEqual(['BX24.loadScript: there is no document to load a script into'])
    bx.shim.destroy()
  })
})
