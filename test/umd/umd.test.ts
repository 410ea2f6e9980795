import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { runInNewContext } from 'node:vm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The built bundles (npm test builds first; `node build.mjs` when running vitest alone).
const umdMin = readFileSync(resolve(__dirname, '../../dist/bx24-shim.umd.min.js'), 'utf8')
const umd = readFileSync(resolve(__dirname, '../../dist/bx24-shim.umd.js'), 'utf8')

type Win = Window & Record<string, any>
const win = window as unknown as Win

function loadByScriptTag(code = umdMin, attributes: Record<string, string> = {}): void {
  const script = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
  script.textContent = code
  document.head.appendChild(script)
}

beforeEach(() => {
  for (const name of ['BX', 'BX24', 'BX24Shim', 'bx24ShimConfig']) delete win[name]
})
afterEach(() => {
  win.BX?.destroy?.()
  vi.restoreAllMocks()
})

describe('UMD bundle', () => {
  it('a <script> tag defines window.BX and window.BX24, and BX works', () => {
    loadByScriptTag()
    expect(typeof win.BX.addCustomEvent).toBe('function')
    expect(typeof win.BX.Event.EventEmitter).toBe('function')
    expect(typeof win.BX24).toBe('object')
    expect(win.BX24Shim.BX).toBe(win.BX)
    const seen: unknown[] = []
    win.BX.addCustomEvent('onLoaded', (a: unknown) => seen.push(a))
    win.BX.onCustomEvent('ONLOADED', ['yes'])
    expect(seen).toEqual(['yes'])
  })

  it('the unminified bundle behaves the same', () => {
    loadByScriptTag(umd)
    expect(typeof win.BX.onCustomEvent).toBe('function')
    expect(typeof win.BX24).toBe('object')
  })

  it('Node require() (CommonJS) gets the exports and touches no global', () => {
    const module = { exports: {} as Record<string, unknown> }
    const sandbox: Record<string, unknown> = { module, exports: module.exports }
    runInNewContext(umdMin, sandbox)
    expect(typeof module.exports.createBX).toBe('function')
    expect(module.exports.BX).toBeUndefined() // no window there: nothing installed
    expect(sandbox.BX).toBeUndefined()
    const BX = (module.exports.createBX as (o: object) => any)({})
    const calls: number[] = []
    BX.addCustomEvent('x', (n: number) => calls.push(n))
    BX.onCustomEvent('x', [1])
    expect(calls).toEqual([1])
  })

  it('an AMD define() gets the exports', () => {
    let exported: Record<string, unknown> | undefined
    const define = Object.assign((deps: unknown[], factory: () => Record<string, unknown>) => {
      expect(deps).toEqual([])
      exported = factory()
    }, { amd: {} })
    runInNewContext(umdMin, { define })
    expect(typeof exported?.createBX).toBe('function')
    expect(typeof exported?.createCustomEventBus).toBe('function')
  })

  it('the bundle contains no eval and no Function constructor (strict CSP)', () => {
    for (const code of [umd, umdMin]) {
      expect(code).not.toMatch(/\beval\s*\(/)
      expect(code).not.toMatch(/new\s+Function\s*\(/)
      expect(code).not.toMatch(/\bFunction\s*\(\s*["'`]/)
    }
  })
})

describe('coexistence with a page that already has BX', () => {
  it('a real core BX (with addCustomEvent) keeps its bus; only a missing BX.PullClient/BX.PULL is added', () => {
    const addCustomEvent = () => {}
    const pageBX = { addCustomEvent, onCustomEvent: () => {}, message: { mine: true } }
    win.BX = pageBX
    loadByScriptTag()
    expect(win.BX).toBe(pageBX)
    expect(Object.keys(pageBX)).toEqual(['addCustomEvent', 'onCustomEvent', 'message', 'PullClient', 'PULL'])
    expect(pageBX.addCustomEvent).toBe(addCustomEvent)
    expect(pageBX.message).toEqual({ mine: true })
    expect(win.BX24Shim.BX).toBe(pageBX) // the shim's other parts raise their events on the page's bus
    expect(typeof win.BX24).toBe('object')
  })

  it('a BX without the bus gets the bus functions it lacks and keeps everything it had', () => {
    const message = () => 'page message'
    const pageBX: Record<string, unknown> = { message, namespace: () => {} }
    win.BX = pageBX
    loadByScriptTag()
    expect(win.BX).toBe(pageBX)
    expect(pageBX.message).toBe(message)
    expect(typeof pageBX.addCustomEvent).toBe('function')
    expect(typeof (pageBX.Event as any).EventEmitter).toBe('function')
  })

  it('a page that has its own BX.PullClient and BX.PULL keeps them', () => {
    const PullClient = function PullClient() {}
    const PULL = { start: () => {} }
    win.BX = { addCustomEvent: () => {}, onCustomEvent: () => {}, PullClient, PULL }
    loadByScriptTag()
    expect(win.BX.PullClient).toBe(PullClient)
    expect(win.BX.PULL).toBe(PULL)
  })

  it('the shim defines BX.PullClient and an unstarted BX.PULL (PULL-53)', () => {
    loadByScriptTag()
    expect(typeof win.BX.PullClient).toBe('function')
    expect(win.BX.PULL).toBeInstanceOf(win.BX.PullClient)
    expect(win.BX.PULL.isConnected()).toBe(false)
  })

  it('an existing window.BX24 is not replaced', () => {
    const pageBX24 = { callMethod: () => {} }
    win.BX24 = pageBX24
    loadByScriptTag()
    expect(win.BX24).toBe(pageBX24)
  })
})

describe('BXE-7 legacy option at load', () => {
  it('window.bx24ShimConfig.legacyEvents gives this === window and duplicate adds that run twice', () => {
    win.bx24ShimConfig = { legacyEvents: true }
    loadByScriptTag()
    const seen: unknown[] = []
    const handler = function (this: unknown) {
      seen.push(this)
    }
    win.BX.addCustomEvent('onLegacy', handler)
    win.BX.addCustomEvent('onLegacy', handler)
    win.BX.onCustomEvent('onLegacy', [])
    expect(seen).toEqual([window, window])
  })

  it('data-bx-events="legacy" on the script tag does the same', () => {
    loadByScriptTag(umdMin, { 'data-bx-events': 'legacy' })
    let self: unknown
    win.BX.addCustomEvent('onLegacy', function (this: unknown) {
      self = this
    })
    win.BX.onCustomEvent('onLegacy', [])
    expect(self).toBe(window)
  })

  it('without the option, global handlers get the GLOBAL_TARGET sentinel (gen 3)', () => {
    loadByScriptTag()
    let self: unknown
    win.BX.addCustomEvent('onCurrent', function (this: unknown) {
      self = this
    })
    win.BX.onCustomEvent('onCurrent', [])
    expect(self).toBe(win.BX.Event.EventEmitter.GLOBAL_TARGET)
    expect(self).toEqual({ GLOBAL_TARGET: 'GLOBAL_TARGET' })
  })
})
