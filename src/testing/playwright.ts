// Playwright fixtures that host an app in the dev portal: a portal on free ports for each test (its own state), the
// app's directory served on a second, cross-site origin, Bitrix's library URL answered with the bx24-shim bundle in the
// browser, and the portal page open with the app in its frame. Playwright is not imported here: the fixtures are
// plain objects for your `test.extend(...)`, typed structurally, so this module loads without it.

import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDevPortal, type DevPortal } from '../dev/server'
import { acceptLaunchPost } from '../dev/app-origin'
import { createStaticHandler } from '../dev/static-files'
import type { RecordedCall } from '../portal/portal'
import type { PortalSeed } from '../portal/seed'
import type { PushProtocol } from '../push-server/index'
import { PULL_ADD_ON_BODY, shimScriptKind } from './script-urls'
import { seedFromFile, type TestPullMessage } from './test-portal'

export interface DevPortalFixtureOptions {
  /** The app's directory, served on its own origin (`http://localhost:<free port>/`), cross-site to the portal. */
  appDir?: string
  /** The page under appDir the portal opens. Default `index.html`. */
  appPage?: string
  /** Or an app you serve yourself. */
  appUrl?: string
  /** The portal's contents (docs/portal.md): a seed object or a JSON file. Default: the built-in seed. */
  seed?: PortalSeed | string
  /** Push wire protocol: push-server 1.x text frames, 2.x protobuf, v5 JSON-RPC. Default 'text'. */
  protocol?: PushProtocol
  /** Answer Bitrix's library URL (`//api.bitrix24.com/api/v1/`) with the bx24-shim bundle. Default true. */
  replaceBitrixScript?: boolean
}

/** The parts of Playwright's Page these fixtures use. */
export interface PageLike {
  goto(url: string): Promise<unknown>
  route(url: (url: URL) => boolean, handler: (route: { fulfill(response: { status?: number; contentType?: string; body?: string; path?: string }): Promise<void> }) => unknown): Promise<unknown>
  locator(selector: string): { waitFor(options?: { timeout?: number }): Promise<void> }
}

export interface PortalPage<Page extends PageLike = PageLike> {
  page: Page
  devPortal: DevPortal
  /** `page.frameLocator('#app-frame')`: the app, inside the portal page. */
  readonly appFrameSelector: '#app-frame'
  /** Publishes a pull message as the app's backend would (`pull.application.event.add`, any module). */
  publish(message: TestPullMessage): Promise<void>
  /** REST calls the portal received, optionally of one method. */
  calls(method?: string): RecordedCall[]
}

type Use<T> = (value: T) => Promise<void>

/** Finds the package root (where demo/ and dist/ are) from this module, built (dist/testing.mjs) or not (src/testing/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'demo/portal.html')) && existsSync(join(dir, 'dist/bx24-shim.umd.js'))) return dir
    dir = dirname(dir)
  }
  throw new Error('bx24-shim/testing: the package root (demo/portal.html, dist/bx24-shim.umd.js) was not found; build it first')
}

/** The app's files on 127.0.0.1, addressed as localhost: another site than the portal, as in a real portal. */
async function serveApp(dir: string): Promise<{ origin: string; server: Server }> {
  // The app is the user's, not ours: no CSP of ours on it (it may use inline scripts).
  // The portal opens it by a form POST, as a real portal does: answered like a GET.
  const serve = acceptLaunchPost(createStaticHandler({ root: dir, prefixes: ['/'], csp: "default-src * 'unsafe-inline' 'unsafe-eval' data: blob:" }))
  const server = createServer(async (req, res) => {
    if (await serve(req, res)) return
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('not found')
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done())
  })
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server }
}

async function publishThrough(devPortal: DevPortal, message: TestPullMessage): Promise<void> {
  const { accessToken } = devPortal.portal.issueAuth(devPortal.portal.defaultUserId)
  const response = await devPortal.portal.handle({
    method: 'pull.application.event.add',
    contentType: 'application/json',
    body: JSON.stringify({ auth: accessToken, MODULE_ID: message.moduleId, COMMAND: message.command, PARAMS: message.params ?? {}, USER_ID: message.userId }),
  })
  const answer = JSON.parse(response.body) as { result?: unknown; error?: string; error_description?: string }
  if (answer.result !== true) throw new Error(`publish failed: ${answer.error ?? response.status} ${answer.error_description ?? ''}`.trim())
}

/**
 * Fixtures for `test.extend()`: `devPortalOptions` (set it with `test.use(...)`), `devPortal` (a running portal per
 * test), `portalPage` (the portal page open in `page`, the app loaded in its frame).
 * @example
 * import { test as base, expect } from '@playwright/test'
 * import { devPortalFixtures, type DevPortalFixtures } from 'bx24-shim/testing'
 *
 * const test = base.extend<DevPortalFixtures>(devPortalFixtures({ appDir: 'app' }))
 * test('shows the deals', async ({ page, portalPage }) => {
 *   await expect(page.frameLocator(portalPage.appFrameSelector).locator('#deal-count')).toHaveText('120')
 * })
 */
export function devPortalFixtures(defaults: DevPortalFixtureOptions = {}) {
  return {
    devPortalOptions: [defaults, { option: true }] as [DevPortalFixtureOptions, { option: true }],

    devPortal: async ({ devPortalOptions }: { devPortalOptions: DevPortalFixtureOptions }, use: Use<DevPortal>) => {
      const options = { ...defaults, ...devPortalOptions }
      const app = options.appDir ? await serveApp(resolve(options.appDir)) : null
      const appUrl = app ? `${app.origin}/${options.appPage ?? 'index.html'}` : options.appUrl
      const seed = typeof options.seed === 'string' ? seedFromFile(options.seed) : options.seed
      const portal = await startDevPortal({ port: 0, root: packageRoot(), seed, protocol: options.protocol, appUrl })
      try {
        await use(portal)
      } finally {
        await portal.close()
        if (app) {
          // The browser keeps connections alive; a plain close() would wait for them.
          app.server.closeAllConnections()
          await new Promise<void>((done) => app.server.close(() => done()))
        }
      }
    },

    portalPage: async (
      { page, devPortal, devPortalOptions }: { page: PageLike; devPortal: DevPortal; devPortalOptions: DevPortalFixtureOptions },
      use: Use<PortalPage>,
    ) => {
      if ({ ...defaults, ...devPortalOptions }.replaceBitrixScript !== false) {
        const bundle = join(packageRoot(), 'dist/bx24-shim.umd.js')
        // Only Bitrix's own host: an app that serves a bx24-shim bundle itself keeps its copy.
        const fromBitrix = (url: URL) => url.hostname === 'api.bitrix24.com'
        await page.route(
          (url) => fromBitrix(url) && shimScriptKind(url) === 'bundle',
          (route) => route.fulfill({ path: bundle, contentType: 'text/javascript; charset=utf-8' }),
        )
        await page.route(
          (url) => fromBitrix(url) && shimScriptKind(url) === 'pull-add-on',
          (route) => route.fulfill({ body: PULL_ADD_ON_BODY, contentType: 'text/javascript; charset=utf-8' }),
        )
      }
      await page.goto(`${devPortal.portalUrl}/demo/portal.html`)
      await page.locator('body[data-ready="true"]').waitFor()
      await use({
        page,
        devPortal,
        appFrameSelector: '#app-frame',
        publish: (message) => publishThrough(devPortal, message),
        calls: (method) => devPortal.portal.calls.filter((call) => method === undefined || call.method === method.toLowerCase()),
      })
    },
  }
}

/** The fixtures' types, for `base.extend<DevPortalFixtures>(devPortalFixtures(...))`. */
export interface DevPortalFixtures {
  devPortalOptions: DevPortalFixtureOptions
  devPortal: DevPortal
  portalPage: PortalPage
}
