// @vitest-environment node
// bx24-shim/testing devPortalFixtures without a browser: the fixture functions run with a recording stand-in for
// Playwright's page, so the plumbing (app served cross-site, portal started and stopped, Bitrix's script URL routed,
// publish through REST) is checked here; e2e/testing-fixture.spec.ts runs the same fixtures in chromium.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { devPortalFixtures, type DevPortal, type PageLike, type PortalPage } from '../../src/testing/index'

const appDir = resolve(__dirname, 'app')

type Fulfilled = { status?: number; contentType?: string; body?: string; path?: string }

function recordingPage() {
  const routes: Array<{ match: (url: URL) => boolean; handler: (route: { fulfill(r: Fulfilled): Promise<void> }) => unknown }> = []
  const visited: string[] = []
  const page: PageLike = {
    async goto(url) {
      visited.push(url)
    },
    async route(match, handler) {
      routes.push({ match, handler })
    },
    locator: () => ({ waitFor: async () => {} }),
  }
  /** What the page would get for a request: as in Playwright, the route registered last among the matching ones. */
  async function request(url: string): Promise<Fulfilled | null> {
    const route = [...routes].reverse().find((r) => r.match(new URL(url)))
    if (!route) return null
    let answer: Fulfilled | null = null
    await route.handler({ fulfill: async (response) => void (answer = response) })
    return answer
  }
  return { page, visited, request }
}

/** Runs the devPortal fixture, then `body` inside it; returns after the fixture's teardown. */
async function withDevPortal(options: Parameters<typeof devPortalFixtures>[0], body: (portal: DevPortal) => Promise<void>): Promise<DevPortal> {
  const fixtures = devPortalFixtures(options)
  let seen: DevPortal | undefined
  await fixtures.devPortal({ devPortalOptions: {} }, async (portal) => {
    seen = portal
    await body(portal)
  })
  return seen!
}

describe('devPortalFixtures', () => {
  it('devPortal serves the app on a cross-site origin, opens it in the portal, and stops both afterwards', async () => {
    const portal = await withDevPortal({ appDir }, async (devPortal) => {
      const appUrl = new URL(devPortal.appUrl)
      expect(appUrl.hostname).toBe('localhost')
      expect(appUrl.pathname).toBe('/index.html')
      expect(new URL(devPortal.portalUrl).hostname).toBe('127.0.0.1')
      const page = await fetch(devPortal.appUrl.replace('localhost', '127.0.0.1'))
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<script src="//api.bitrix24.com/api/v1/"></script>')
      expect((await fetch(new URL('/../../package.json', devPortal.appUrl.replace('localhost', '127.0.0.1')))).status).toBe(404)
      const session = await (await fetch(`${devPortal.webhookUrl}user.current.json`)).json()
      expect(session.result.ID).toBe('1')
    })
    await expect(fetch(`${portal.portalUrl}/rest/user.current.json`)).rejects.toThrow()
    await expect(fetch(portal.appUrl.replace('localhost', '127.0.0.1'))).rejects.toThrow()
  })

  it('a seed file from the options is the portal\'s content', async () => {
    await withDevPortal({ appUrl: 'http://localhost:1/app/', seed: { users: [{ ID: 5, NAME: 'Five', ADMIN: true, ACTIVE: true }] } }, async (devPortal) => {
      expect(devPortal.appUrl).toBe('http://localhost:1/app/')
      expect(devPortal.portal.state.users.map((u) => u.NAME)).toEqual(['Five'])
    })
  })

  it('portalPage routes only Bitrix\'s library URLs to the bundle, opens the portal page, and publishes through REST', async () => {
    const fixtures = devPortalFixtures({ appDir })
    const { page, visited, request } = recordingPage()
    await withDevPortal({ appDir }, async (devPortal) => {
      let portalPage: PortalPage | undefined
      await fixtures.portalPage({ page, devPortal, devPortalOptions: {} }, async (value) => void (portalPage = value))
      expect(visited).toEqual([`${devPortal.portalUrl}/demo/portal.html`])
      expect((await request('https://api.bitrix24.com/api/v1/'))?.path).toMatch(/dist[/\\]bx24-shim\.umd\.js$/)
      expect((await request('https://api.bitrix24.com/api/v1/pull/'))?.body).toContain('BX.PullClient is part of the main bundle')
      for (const url of ['https://api.bitrix24.com.evil.test/api/v1/', 'https://cdn.example.test/bx24-shim.umd.js', 'https://api.bitrix24.com/other/']) {
        expect(await request(url)).toBeNull()
      }
      await portalPage!.publish({ command: 'fromTest', params: { n: 1 } })
      await portalPage!.publish({ moduleId: 'crm', command: 'dealUpdate', userId: 1 })
      expect(portalPage!.calls('pull.application.event.add').map((call) => call.params.COMMAND)).toEqual(['fromTest', 'dealUpdate'])
      await expect(portalPage!.publish({ command: 'bad command!' })).rejects.toThrow(/publish failed: .*COMMAND/)
      await expect(portalPage!.publish({ moduleId: 'Bad Module', command: 'x' })).rejects.toThrow(/MODULE_ID/)
    })
  })

  it('replaceBitrixScript: false leaves Bitrix\'s URLs alone', async () => {
    const fixtures = devPortalFixtures({ appDir, replaceBitrixScript: false })
    const { page, request } = recordingPage()
    await withDevPortal({ appDir }, async (devPortal) => {
      await fixtures.portalPage({ page, devPortal, devPortalOptions: {} }, async () => {})
      expect(await request('https://api.bitrix24.com/api/v1/')).toBeNull()
    })
  })
})
