// runApp(): an app page (its HTML and scripts, unmodified) in a fresh happy-dom window, against a test portal.
// The page's <script> for Bitrix's library (`//api.bitrix24.com/api/v1/`) or for a bx24-shim bundle gets the shim's
// UMD bundle; as soon as it has run, BX24 and the pull clients are bound to the portal (attach-app.ts), so the page's
// own scripts find a working BX24, exactly as in a portal frame. Each run has its own window: no globals leak
// between tests, in the vitest `node` or `happy-dom` environment alike. happy-dom must be installed (a dev dependency
// of the app's project).

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RecordedCall } from '../portal/portal'
import type { PublishedPullMessage } from './pull-hub'
import { attachToPortal, type AttachOptions, type AttachedApp, type ShimWindow } from './attach-app'
import { isShimScriptUrl, PULL_ADD_ON_BODY, shimScriptKind } from './script-urls'
import { createTestPortal, type TestPortal, type TestPortalOptions, type TestPullMessage, type WaitOptions } from './test-portal'

export interface RunAppOptions extends AttachOptions {
  /** The app's files, served at `url`'s origin (so `<script src="app.js">` loads `<dir>/app.js`). */
  dir?: string
  /** The page's HTML. Default: `<dir>/<path of url>` (index.html). */
  html?: string
  /** The page's address. Default `https://app.example.test/index.html`. */
  url?: string
  /** The portal: a test portal, or options for a new one. Default: a new one with the built-in seed. */
  portal?: TestPortal | TestPortalOptions
  /** Which script URLs get the bundle. Default: Bitrix's library and any `bx24-shim.umd[.min].js`. */
  isShimScript?: (url: URL) => boolean
  /** The UMD bundle to serve. Default: the package's `dist/bx24-shim.umd.js`. */
  bundlePath?: string
  /** Where the page's console goes. Default: this process's console. */
  console?: Console
}

export interface RunningApp extends AttachedApp {
  /** The page's window, with its own globals (`window.BX24`, `window.BX`, the app's variables). */
  readonly window: Window & typeof globalThis & ShimWindow
  readonly document: Document
  readonly BX24: ShimWindow['BX24']
  readonly BX: ShimWindow['BX']
  readonly portal: TestPortal
  /** Errors thrown by the page's scripts and handlers that nothing caught. */
  readonly errors: unknown[]
  /** REST calls made so far, optionally of one method. */
  calls(method?: string): RecordedCall[]
  waitForCall(method: string, match?: (call: RecordedCall) => boolean, options?: WaitOptions): Promise<RecordedCall>
  /** A pull message to the app, as a portal module or the app's backend sends it. */
  publish(message: TestPullMessage): PublishedPullMessage
  /** Resolves once the page's pull client(s) are connected. */
  waitForPull(connections?: number): Promise<void>
  /** Resolves with the first truthy value of `check`, polled every 10 ms; rejects after the timeout (5 s). */
  until<T>(check: () => T, options?: WaitOptions): Promise<NonNullable<T>>
  close(): Promise<void>
}

const DEFAULT_URL = 'https://app.example.test/index.html'

function packageBundlePath(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  // Built: dist/testing.mjs next to dist/bx24-shim.umd.js. From source: src/testing/ in the repository.
  for (const candidate of [join(here, 'bx24-shim.umd.js'), join(here, '../../dist/bx24-shim.umd.js')]) {
    if (existsSync(candidate)) return candidate
  }
  throw new Error('bx24-shim/testing: the UMD bundle (dist/bx24-shim.umd.js) was not found; build it or pass bundlePath')
}

function pagePath(url: URL, dir: string): string {
  const path = decodeURIComponent(url.pathname)
  return resolve(dir, '.' + (path.endsWith('/') ? path + 'index.html' : path))
}

interface HappyDomResponseInit {
  status: number
  statusText: string
  ok: boolean
  url: string
  redirected: boolean
  headers: unknown
  body: Buffer
}

/**
 * @example
 * const app = await runApp({ dir: 'app', portal: { seed: 'test/portal.json' } })
 * await app.waitForCall('crm.deal.list')
 * app.publish({ command: 'dealChanged', params: { id: 1 } })
 * expect(app.document.querySelector('#status')?.textContent).toBe('Deal 1 changed')
 * await app.close()
 */
export async function runApp(options: RunAppOptions = {}): Promise<RunningApp> {
  const { Browser } = await import('happy-dom')
  const test = options.portal && 'portal' in options.portal && 'pull' in options.portal
    ? (options.portal as TestPortal)
    : createTestPortal(options.portal as TestPortalOptions | undefined)
  const url = new URL(options.url ?? DEFAULT_URL)
  const isShim = options.isShimScript ?? isShimScriptUrl
  const bundle = readFileSync(options.bundlePath ?? packageBundlePath(), 'utf8')
  // The bundle ends by calling back here, in the page's realm, before the next script of the page runs.
  const servedBundle = bundle + '\n;(function (w) { var f = w.__bx24ShimTestingAttach; if (typeof f === "function") f(w) })(window);\n'
  const errors: unknown[] = []
  let attached: AttachedApp | null = null

  function prepare(win: ShimWindow & { __bx24ShimTestingAttach?: unknown; addEventListener: Window['addEventListener'] }): void {
    if (attached || win.__bx24ShimTestingAttach) return
    win.addEventListener('error', (event: Event) => errors.push((event as ErrorEvent).error ?? (event as ErrorEvent).message))
    // A page may configure a real transport (a webhook, a token) before the bundle; the bundle must not start it
    // (that would reach a real portal) before attachToPortal binds the test portal's. Its other keys stay.
    const config = (win as { bx24ShimConfig?: unknown }).bx24ShimConfig
    const own = win.Object.assign(new win.Object(), typeof config === 'object' && config !== null ? config : {}, { transport: 'none' })
    ;(win as { bx24ShimConfig?: unknown }).bx24ShimConfig = own
    win.__bx24ShimTestingAttach = (w: ShimWindow) => {
      if (!attached) attached = attachToPortal(w, test, options)
    }
  }

  function scriptBody(requestUrl: string, win: unknown): Buffer | null {
    let target: URL
    try {
      target = new URL(requestUrl)
    } catch {
      return null
    }
    if (shimScriptKind(target) === 'pull-add-on') return Buffer.from(PULL_ADD_ON_BODY)
    if (!isShim(target)) return null
    prepare(win as ShimWindow & { addEventListener: Window['addEventListener'] })
    return Buffer.from(servedBundle)
  }

  const browser = new Browser({
    console: options.console ?? globalThis.console,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      fetch: {
        virtualServers: options.dir ? [{ url: url.origin + '/', directory: resolve(options.dir) }] : null,
        interceptor: {
          // Classic scripts of the document load synchronously, in order, as a browser runs parser-inserted scripts.
          beforeSyncRequest: ({ request, window }) => {
            const body = scriptBody(request.url, window)
            if (!body) return undefined
            const init: HappyDomResponseInit = {
              status: 200, statusText: 'OK', ok: true, url: request.url, redirected: false,
              headers: new window.Headers({ 'content-type': 'text/javascript; charset=utf-8' }), body,
            }
            return init as never
          },
          beforeAsyncRequest: async ({ request, window }) => {
            if (options.html !== undefined && request.url === url.href) {
              return new window.Response(options.html, { headers: { 'content-type': 'text/html; charset=utf-8' } })
            }
            const body = scriptBody(request.url, window)
            if (!body) return undefined
            return new window.Response(body.toString('utf8'), { headers: { 'content-type': 'text/javascript; charset=utf-8' } })
          },
        },
      },
    },
  })

  if (options.html === undefined && !options.dir) throw new Error('runApp: give the page as `html` or the app directory as `dir`')
  if (options.html === undefined && options.dir && !existsSync(pagePath(url, options.dir))) {
    await browser.close()
    throw new Error(`runApp: ${pagePath(url, options.dir)} does not exist`)
  }
  const page = browser.newPage()
  await page.goto(url.href)
  const win = page.mainFrame.window as unknown as RunningApp['window']
  // happy-dom 21 never fires DOMContentLoaded; pages that wait for it would never start. The document is parsed and
  // its scripts have run by now, which is when a browser fires it.
  win.document.dispatchEvent(new win.Event('DOMContentLoaded', { bubbles: true }))
  if (!attached) {
    await browser.close()
    throw new Error('runApp: the page loaded no BX24 script (Bitrix\'s //api.bitrix24.com/api/v1/ or bx24-shim.umd.js)')
  }
  const binding = attached as AttachedApp

  async function until<T>(check: () => T, wait: WaitOptions = {}): Promise<NonNullable<T>> {
    const deadline = Date.now() + (wait.timeout ?? 5000)
    for (;;) {
      const value = check()
      if (value) return value as NonNullable<T>
      if (Date.now() > deadline) throw new Error(`runApp: condition not met within ${wait.timeout ?? 5000} ms: ${String(check)}`)
      await new Promise((done) => setTimeout(done, 10))
    }
  }

  return {
    window: win,
    document: win.document,
    BX24: win.BX24,
    BX: win.BX,
    portal: test,
    ui: binding.ui,
    frameHost: binding.frameHost,
    errors,
    calls: (method) => test.calls(method),
    waitForCall: (method, match, wait) => test.waitForCall(method, match, wait),
    publish: (message) => test.publish(message),
    waitForPull: (connections) => test.pull.whenConnected(connections),
    until,
    async close() {
      binding.frameHost.destroy()
      await browser.close()
    },
  }
}
