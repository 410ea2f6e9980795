// The smaller public members: refreshAuth, loadScript, bind/unbind, proxy/proxyContext, canUse, getScrollSize,
// and the public export list.
import { describe, expect, it, vi } from 'vitest'
import * as bx24Index from '../../src/bx24/index'
import * as bxIndex from '../../src/bx/index'
import { createBX24 } from '../../src/bx24/full'
import { mockTransport } from '../../src/bx24/transports/mock'
import { fakeTimersAndCleanup, flush, frameApp, reply, SID } from './helpers'

const cleanup = fakeTimersAndCleanup()

describe('refreshAuth', () => {
  it('is ignored before init; after init it sends refreshAuth:{} and calls back with the new getAuth()', async () => {
    const { bx, find } = frameApp({ autoInit: false })
    cleanup.push(() => bx.shim.destroy())
    const cb = vi.fn()
    bx.refreshAuth(cb)
    expect(find('refreshAuth')).toHaveLength(0)
    reply(find('getInitData')[0]!.callback, { AUTH_ID: 'A', AUTH_EXPIRES: 10, DOMAIN: 'x' })
    bx.refreshAuth(cb)
    const m = find('refreshAuth')[0]!
    expect(m.raw).toMatch(new RegExp(`^refreshAuth:\\{\\}:[0-9a-z]{32}:${SID}$`))
    reply(m.callback, { AUTH_ID: 'B', REFRESH_ID: 'R', AUTH_EXPIRES: '60' })
    expect(cb).toHaveBeenCalledOnce()
    expect(cb.mock.calls[0]![0]).toMatchObject({ access_token: 'B', refresh_token: 'R', expires_in: Date.now() + 60_000 })
  })
})

describe('DOM helpers', () => {
  function app() {
    const bx = createBX24({ window, transport: mockTransport(), log: { warn: vi.fn(), error: vi.fn() } })
    cleanup.push(() => bx.shim.destroy())
    return bx
  }

  it('loadScript loads URLs one after another at the head start, removes each after load, then calls back', async () => {
    const inserted: HTMLScriptElement[] = []
    vi.spyOn(document.head, 'insertBefore').mockImplementation(((node: Node) => {
      inserted.push(node as HTMLScriptElement)
      return node
    }) as never)
    const bx = app()
    const done = vi.fn()
    bx.loadScript(['https://cdn.test/a.js', '', 'https://cdn.test/b.js'], done)
    await flush()
    expect(inserted.map((s) => s.src)).toEqual(['https://cdn.test/a.js'])
    expect(inserted[0]!.getAttribute('charset')).toBe('UTF-8')
    inserted[0]!.onload!(new Event('load'))
    await vi.advanceTimersByTimeAsync(49)
    expect(inserted).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(inserted.map((s) => s.src)).toEqual(['https://cdn.test/a.js', 'https://cdn.test/b.js'])
    expect(done).not.toHaveBeenCalled()
    inserted[1]!.onerror!(new Event('error')) // a failed script does not stall the chain
    await vi.advanceTimersByTimeAsync(50)
    expect(done).toHaveBeenCalledOnce()
    bx.loadScript(42, done) // nothing to load: straight to the callback
    await flush()
    expect(done).toHaveBeenCalledTimes(2)
  })

  it('bind/unbind add and remove listeners (mousewheel also DOMMouseScroll); proxy binds this and keeps proxyContext', () => {
    const bx = app()
    const el = document.createElement('div')
    const fn = vi.fn()
    bx.bind(el, 'mousewheel', fn)
    el.dispatchEvent(new Event('DOMMouseScroll'))
    el.dispatchEvent(new Event('mousewheel'))
    expect(fn).toHaveBeenCalledTimes(2)
    bx.unbind(el, 'mousewheel', fn)
    el.dispatchEvent(new Event('DOMMouseScroll'))
    el.dispatchEvent(new Event('mousewheel'))
    expect(fn).toHaveBeenCalledTimes(2)
    expect(() => bx.bind(null, 'click', fn)).not.toThrow()

    const target = { name: 'target' }
    const seen: unknown[] = []
    const handler = function (this: unknown) {
      seen.push(this, bx.proxyContext())
    }
    const bound = bx.proxy(handler, target)
    expect(bx.proxy(handler, target)).toBe(bound)
    const caller = { name: 'caller' }
    bound.call(caller)
    expect(seen).toEqual([target, caller])
    expect(bx.proxyContext()).toBeNull()
  })

  it('canUse("upload") reflects FileReader; anything else is true; getScrollSize reads the root element', () => {
    const bx = app()
    expect(bx.canUse('upload')).toBe(typeof window.FileReader === 'function')
    expect(bx.canUse('anything')).toBe(true)
    const size = bx.getScrollSize()
    expect(Object.keys(size)).toEqual(['scrollWidth', 'scrollHeight'])
    expect(Number.isFinite(size.scrollHeight)).toBe(true)
  })

  it('BX24 is a plain writable object with no enumerable shim member', () => {
    const bx = app()
    expect(Object.getPrototypeOf(bx)).toBe(Object.prototype)
    const original = bx.setTitle
    bx.setTitle = () => {}
    expect(bx.setTitle).not.toBe(original)
    expect(Object.keys(bx)).not.toContain('shim')
    expect(Object.keys(bx)).toEqual(expect.arrayContaining(['init', 'callMethod', 'callBatch', 'callBind', 'callUnbind', 'callUnBind', 'placement', 'im', 'userOption', 'appOption']))
  })
})

describe('public exports', () => {
  it('the BX24 index shares no export name with the BX index (both are re-exported from src/index.ts)', () => {
    expect(Object.keys(bx24Index).filter((name) => name in bxIndex)).toEqual([])
    expect(typeof bx24Index.createBX24).toBe('function')
    expect(typeof bx24Index.installBX24).toBe('function')
    expect(typeof bx24Index.parentFrameTransport).toBe('function')
    expect(typeof bx24Index.restTransport).toBe('function')
    expect(typeof bx24Index.mockTransport).toBe('function')
  })
})
