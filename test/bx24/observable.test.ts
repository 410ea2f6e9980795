// What apps can observe, as with the real library (issue 11, point 1):
// BX24-60 ajaxResult / ajaxError keep their constructor names in every built bundle, minified included;
// BX24-61 an exception thrown by an app callback is reported as uncaught (window.onerror sees it), not logged by us;
// BX24-62 a call made without a callback whose result nobody reads never produces an unhandled rejection.
// e2e/bx24-observable.spec.ts checks the same in chromium.
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { runInNewContext } from 'node:vm'
import { Window } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { mockTransport } from '../../src/bx24/transports/mock'
import { fakePortal } from './helpers'

const DIST = resolve(__dirname, '../../dist')
type Exports = { createBX24?: typeof createBX24; mockTransport?: typeof mockTransport; ajaxResult?: unknown; ajaxError?: unknown }

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
  vi.useRealTimers()
})

/** Every top-level bundle in dist/ that carries BX24 (UMD files loaded as CommonJS, ES modules imported). */
async function bundlesWithBX24(): Promise<Array<[string, Exports]>> {
  const found: Array<[string, Exports]> = []
  for (const file of readdirSync(DIST).filter((f) => /\.(m?js)$/.test(f)).sort()) {
    let exports: Exports
    if (file.endsWith('.mjs')) exports = (await import(/* @vite-ignore */ resolve(DIST, file))) as Exports
    else {
      const module = { exports: {} as Exports }
      runInNewContext(readFileSync(resolve(DIST, file), 'utf8'), { module, exports: module.exports, setTimeout, clearTimeout, console })
      exports = module.exports
    }
    if (typeof exports.createBX24 === 'function') found.push([file, exports])
  }
  return found
}

describe('BX24-60 constructor names', () => {
  it('ajaxResult and ajaxError keep their names in every bundle, minified included', async () => {
    const bundles = await bundlesWithBX24()
    expect(bundles.map(([file]) => file)).toEqual(expect.arrayContaining(['bx24-shim.umd.min.js', 'bx24-shim.umd.js', 'bx24-shim.min.mjs', 'bx24-shim.mjs']))
    for (const [file, m] of bundles) {
      const BX24 = m.createBX24!({ window, transport: m.mockTransport!({ log: { warn() {}, error() {} } }) })
      const result = await (BX24.callMethod('no.such.method') as Promise<unknown>).catch((r: unknown) => r) as ajaxResult
      BX24.shim.destroy()
      expect([file, result.constructor.name, result.error()!.constructor.name]).toEqual([file, 'ajaxResult', 'ajaxError'])
      expect([file, (m.ajaxResult as { name: string }).name, (m.ajaxError as { name: string }).name]).toEqual([file, 'ajaxResult', 'ajaxError'])
    }
  }, 30_000) // loads every built bundle (about 100 KB each): seconds on a loaded machine
})

describe('BX24-61 app callback exceptions reach the page as uncaught errors', () => {
  function withReportError() {
    const reportError = vi.fn()
    Object.assign(window, { reportError })
    cleanup.push(() => delete (window as { reportError?: unknown }).reportError)
    return reportError
  }

  it('callMethod, callBatch and init callbacks: reportError gets the error, nothing is logged, later calls still work', async () => {
    const reportError = withReportError()
    const log = { warn: vi.fn(), error: vi.fn() }
    const portal = fakePortal()
    const bx = createBX24({ window, transport: mockTransport({ handler: portal.handler, log }), log })
    cleanup.push(() => bx.shim.destroy())
    const bugs = [new Error('in init'), new Error('in callMethod'), new Error('in callBatch')]
    bx.init(() => { throw bugs[0] })
    bx.callMethod('user.current', {}, () => { throw bugs[1] })
    bx.callBatch([['user.current', {}]], () => { throw bugs[2] })
    const after = await bx.callMethod('user.current')
    await vi.waitFor(() => expect(reportError).toHaveBeenCalledTimes(3))
    expect(reportError.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(bugs))
    expect(log.error).not.toHaveBeenCalled()
    expect(after!.data()).toEqual({ ID: '1', NAME: 'Ann' })
  })

  it('without reportError the error is rethrown in a task of the app window: that window gets an error event', async () => {
    const app = new Window({ url: 'https://app.example.test/' }) // a real happy-dom window, with its own timers
    cleanup.push(() => void app.happyDOM.close())
    expect((app as unknown as { reportError?: unknown }).reportError).toBeUndefined() // happy-dom has none
    const seen: unknown[] = []
    app.addEventListener('error', (event) => seen.push((event as unknown as ErrorEvent).error))
    vi.spyOn(app.console, 'error').mockImplementation(() => {}) // happy-dom prints what it dispatches
    const bx = createBX24({ window: app as unknown as globalThis.Window, transport: mockTransport({ handler: fakePortal().handler }) })
    cleanup.push(() => bx.shim.destroy())
    const bug = new Error('app bug')
    bx.callMethod('user.current', {}, () => { throw bug })
    await vi.waitFor(() => expect(seen).toEqual([bug]))
  })
})

describe('BX24-62 promises nobody reads', () => {
  it('a failing fire-and-forget call (tasks.task.add) reports no unhandled rejection', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    cleanup.push(() => process.off('unhandledRejection', unhandled))
    const onWindow = vi.fn()
    window.addEventListener('unhandledrejection', onWindow)
    cleanup.push(() => window.removeEventListener('unhandledrejection', onWindow))
    const portal = fakePortal() // answers 404 ERROR_METHOD_NOT_FOUND for tasks.task.add
    const bx = createBX24({ window, transport: mockTransport({ handler: portal.handler }) })
    cleanup.push(() => bx.shim.destroy())
    bx.callMethod('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 1 } })
    bx.callBind('ONTASKADD', 'https://app.test/h') // also a promise when no callback is given
    await vi.waitFor(() => expect(portal.requests.map((r) => r.method)).toEqual(['tasks.task.add', 'event.bind']))
    // Rejections are tracked at the end of a macrotask: give Node a few.
    await new Promise((done) => setTimeout(done, 50))
    expect(unhandled).not.toHaveBeenCalled()
    expect(onWindow).not.toHaveBeenCalled()
  })

  it('whoever reads the promise still sees the error: it rejects with the ajaxResult (the BX.PullClient contract)', async () => {
    const bx = createBX24({ window, transport: mockTransport({ handler: fakePortal().handler }) })
    cleanup.push(() => bx.shim.destroy())
    const code = await bx.callMethod('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 1 } })!.then(
      () => 'resolved',
      (r: ajaxResult) => r.error()!.getError().error,
    )
    expect(code).toBe('ERROR_METHOD_NOT_FOUND')
    await expect(bx.callMethod('user.current')!.then((r) => r.data())).resolves.toEqual({ ID: '1', NAME: 'Ann' })
  })
})
