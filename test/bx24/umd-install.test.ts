// The drop-in path end to end: src/umd.ts bundled in memory with build.mjs's production options (minified, internal
// props mangled, UMD wrapper) and loaded by a <script> tag, so installBX24 runs with document.currentScript and
// window.bx24ShimConfig exactly as on a real page.
import { build } from 'esbuild'
import { resolve } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

type Win = Window & Record<string, any>
const win = window as unknown as Win
let bundle = ''

beforeAll(async () => {
  const banner = '(function (root, factory) { root.__bx24_test_exports = factory(); })(globalThis, function () {'
  const out = await build({
    entryPoints: [resolve(__dirname, '../../src/umd.ts')], bundle: true, write: false, format: 'iife',
    globalName: '__umd_exports', target: 'es2017', logLevel: 'silent', minify: true, mangleProps: /_$/,
    legalComments: 'none', banner: { js: banner }, footer: { js: 'return __umd_exports; });' },
  })
  bundle = out.outputFiles[0]!.text
})

afterEach(() => {
  win.BX24?.shim?.destroy?.()
  win.BX?.destroy?.()
  for (const name of ['BX', 'BX24', 'bx24ShimConfig', '__bx24_test_exports']) delete win[name]
  window.name = ''
})

function load(attributes: Record<string, string> = {}): void {
  const script = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
  script.textContent = bundle
  document.head.appendChild(script)
}

describe('the UMD bundle installs window.BX24', () => {
  it('a data-bx24-transport="mock" tag gives a working mock BX24', async () => {
    load({ 'data-bx24-transport': 'mock' })
    expect(win.BX24.shim.transport()).toBe('mock')
    const result = await win.BX24.callMethod('anything').catch((r: { error(): { getStatus(): number } }) => r.error().getStatus())
    expect(result).toBe(404)
    expect(win.BX24.getDomain()).toBe('mock.bitrix24.test')
  })

  it('in a portal frame it binds the frame transport and sends getInitData to the parent', () => {
    window.name = 'portal.example.test|1|9c33468728e1d2c8c97562475edfd96a'
    const posted: unknown[][] = []
    // A top-level happy-dom window is its own parent; capture what would go to the portal.
    const spy = vi.spyOn(window, 'postMessage').mockImplementation(((...args: unknown[]) => void posted.push(args)) as never)
    try {
      load()
    } finally {
      spy.mockRestore()
    }
    expect(win.BX24.shim.transport()).toBe('parentFrame')
    expect(win.BX24.getDomain()).toBe('portal.example.test')
    expect(posted).toEqual([[expect.stringMatching(/^getInitData::[0-9a-z]{32}:9c33468728e1d2c8c97562475edfd96a$/), 'https://portal.example.test']])
  })

  it('window.bx24ShimConfig beside legacyEvents selects the transport', () => {
    win.bx24ShimConfig = { legacyEvents: true, transport: 'mock' }
    load()
    expect(win.BX24.shim.transport()).toBe('mock')
  })

  it('a broken portal frame name leaves BX24 null (the real library throws while loading)', () => {
    window.name = 'portal.example.test|1|'
    const errors: unknown[] = []
    const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message)
    window.addEventListener('error', onError)
    try {
      load()
    } catch (error) {
      errors.push(error)
    }
    window.removeEventListener('error', onError)
    expect(win.BX24).toBeNull()
    expect(errors.map(String).join()).toContain('Unable to initialize Bitrix24 JS library!')
  })

  it('without a frame name or config BX24 is an object waiting for BX24.shim.useTransport', () => {
    load()
    expect(typeof win.BX24).toBe('object')
    expect(win.BX24.shim.transport()).toBeNull()
    expect(typeof win.BX24.callMethod).toBe('function')
  })
})

describe('BX24-63 a page whose Bitrix core defined BX as a function', () => {
  it('keeps that function and adds only what is missing: BX.namespace still works, the bus and BX24 arrive', async () => {
    const namespace = vi.fn((name: string) => name)
    const pageBX = Object.assign(function BX(node: string) {
      return `node ${node}`
    }, { namespace, message: { LANGUAGE_ID: 'de' } })
    win.BX = pageBX
    load({ 'data-bx24-transport': 'mock' })
    expect(win.BX).toBe(pageBX)
    expect(win.BX('x')).toBe('node x')
    expect(win.BX.namespace('BX.App')).toBe('BX.App')
    expect(win.BX.namespace).toBe(namespace)
    expect(win.BX.message).toEqual({ LANGUAGE_ID: 'de' })
    const seen: unknown[] = []
    win.BX.addCustomEvent('onAppEvent', (value: unknown) => seen.push(value))
    win.BX.onCustomEvent('onAppEvent', ['hello'])
    expect(seen).toEqual(['hello'])
    expect(typeof win.BX.Event.EventEmitter).toBe('function')
    expect(typeof win.BX.PullClient).toBe('function')
    await expect(win.BX24.callMethod('x').catch((r: { status: number }) => r.status)).resolves.toBe(404)
  })

  it('a function BX that already has the bus is left exactly as it was (plus a missing BX.PullClient/BX.PULL)', () => {
    const addCustomEvent = () => {}
    const pageBX = Object.assign(function BX() {}, { addCustomEvent, onCustomEvent: () => {}, namespace: () => {} })
    win.BX = pageBX
    load()
    expect(win.BX).toBe(pageBX)
    expect(Object.keys(pageBX)).toEqual(['addCustomEvent', 'onCustomEvent', 'namespace', 'PullClient', 'PULL'])
    expect(pageBX.addCustomEvent).toBe(addCustomEvent)
  })
})
