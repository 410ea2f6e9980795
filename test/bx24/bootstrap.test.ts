// Checklist BX24-1..13: bootstrap from window.name, init/install/ready state machine, auth accessors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installBX24 } from '../../src/bx24/install'
import { parseWindowName, INIT_ERROR_MESSAGE } from '../../src/bx24/window-name'
import type { BXBus } from '../../src/bx/create-bx'
import { ORIGIN, PORTAL, SID, frameApp, initData, reply } from './helpers'

type Win = Window & { BX24?: unknown; bx24ShimConfig?: unknown }
const win = window as Win
const bus = {} as BXBus
let cleanup: Array<() => void> = []

beforeEach(() => {
  vi.useFakeTimers()
  delete win.BX24
})
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
  vi.useRealTimers()
  window.name = ''
  delete win.BX24
  delete win.bx24ShimConfig
})

function app(options: Parameters<typeof frameApp>[0] = {}) {
  const h = frameApp(options)
  cleanup.push(() => h.bx.shim.destroy())
  return h
}

describe('bootstrap', () => {
  it('BX24-1 parses window.name as DOMAIN|PROTOCOL|APP_SID, strips :80/:443, PROTOCOL = parseInt || 0', () => {
    expect(parseWindowName('p.test:443|1|abc')).toEqual({ domain: 'p.test', protocol: 1, appSid: 'abc' })
    expect(parseWindowName('p.test:80|0|abc')).toEqual({ domain: 'p.test', protocol: 0, appSid: 'abc' })
    expect(parseWindowName('p.test:8080|x|abc')).toEqual({ domain: 'p.test:8080', protocol: 0, appSid: 'abc' })
    expect(parseWindowName('p.test|2|abc')?.protocol).toBe(1)
    const { bx, sent } = app({ name: `${PORTAL}:443|1|${SID}`, autoInit: false })
    expect(bx.getDomain()).toBe(PORTAL)
    expect(sent[0]!.origin).toBe(ORIGIN)
    const http = app({ name: `${PORTAL}:8080|0|${SID}`, autoInit: false })
    expect(http.sent[0]!.origin).toBe(`http://${PORTAL}:8080`)
  })

  it('BX24-2 without DOMAIN or APP_SID: window.BX24 = null and the real error is thrown synchronously', () => {
    for (const name of [`${PORTAL}|1|`, `|1|${SID}`, `${PORTAL}|1`]) {
      window.name = name
      delete win.BX24
      expect(() => installBX24(win, bus)).toThrowError(new Error(INIT_ERROR_MESSAGE))
      expect(win.BX24).toBeNull()
    }
    // Forcing the frame transport with an empty name behaves the same.
    window.name = ''
    delete win.BX24
    win.bx24ShimConfig = { transport: 'parentFrame' }
    expect(() => installBX24(win, bus)).toThrowError(INIT_ERROR_MESSAGE)
    expect(win.BX24).toBeNull()
  })

  it('BX24-3 getDomain works before init; getLang is "" and isAdmin false before init', () => {
    const { bx } = app({ autoInit: false })
    expect(bx.getDomain()).toBe(PORTAL)
    expect(bx.getLang()).toBe('')
    expect(bx.isAdmin()).toBe(false)
  })

  it('BX24-4 exactly one getInitData is sent at load, as getInitData::<cbId>:<APP_SID> to parent with the portal origin', async () => {
    const { sent } = app({ autoInit: false })
    await vi.advanceTimersByTimeAsync(100)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.raw).toMatch(new RegExp(`^getInitData::[0-9a-z]{32}:${SID}$`))
    expect(sent[0]!.origin).toBe(ORIGIN)
  })

  it('BX24-5 init callbacks queued before the reply run after it, in order, deferred ~10 ms, with this === document', async () => {
    const { bx, find } = app({ autoInit: false })
    const seen: Array<[string, unknown]> = []
    bx.init(function (this: unknown) { seen.push(['a', this]) })
    bx.init(function (this: unknown) { seen.push(['b', this]) })
    await vi.advanceTimersByTimeAsync(50)
    expect(seen).toEqual([])
    reply(find('getInitData')[0]!.callback, initData())
    await vi.advanceTimersByTimeAsync(9)
    expect(seen).toEqual([])
    await vi.advanceTimersByTimeAsync(2)
    expect(seen).toEqual([['a', document], ['b', document]])
    expect(bx.getLang()).toBe('de')
    expect(bx.isAdmin()).toBe(true)
  })

  it('BX24-6 init(cb) after init runs cb deferred, never synchronously', async () => {
    const { bx } = app()
    await vi.advanceTimersByTimeAsync(50)
    const cb = vi.fn()
    bx.init(cb)
    expect(cb).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10)
    expect(cb).toHaveBeenCalledOnce()
    expect(cb.mock.contexts[0]).toBe(document)
  })

  it('BX24-7 AUTH_EXPIRES seconds become a ms timestamp in getAuth().expires_in; domain is the bare host', async () => {
    vi.setSystemTime(1_700_000_000_000)
    const { bx } = app({ name: `${PORTAL}:443|1|${SID}`, autoInit: { AUTH_EXPIRES: '1800', DOMAIN: 'ignored.test' } })
    await vi.advanceTimersByTimeAsync(0)
    const auth = bx.getAuth()
    expect(auth).toEqual({ access_token: 'TOKEN1', refresh_token: 'REFRESH1', expires_in: 1_700_000_000_000 + 1_800_000, domain: PORTAL, member_id: 'member1' })
  })

  it('BX24-8 getAuth() is false before init and after expiry', async () => {
    const { bx, find } = app({ autoInit: false })
    expect(bx.getAuth()).toBe(false)
    reply(find('getInitData')[0]!.callback, initData({ AUTH_EXPIRES: 60 }))
    expect(bx.getAuth()).not.toBe(false)
    await vi.advanceTimersByTimeAsync(61_000)
    expect(bx.getAuth()).toBe(false)
  })

  it('BX24-9 FIRST_RUN with installers: installers run in order before init callbacks; installFinish advances; then setInstall without callback', async () => {
    const { bx, find, sent } = app({ autoInit: false })
    const order: string[] = []
    bx.install(() => order.push('install-1'))
    bx.install(() => order.push('install-2'))
    bx.init(() => order.push('init'))
    reply(find('getInitData')[0]!.callback, initData({ FIRST_RUN: true }))
    await vi.advanceTimersByTimeAsync(50)
    expect(order).toEqual(['install-1'])
    bx.installFinish()
    expect(order).toEqual(['install-1', 'install-2'])
    expect(find('setInstall')).toHaveLength(0)
    bx.installFinish()
    expect(find('setInstall')).toHaveLength(1)
    expect(find('setInstall')[0]!.raw).toBe(`setInstall:{"install":true}::${SID}`)
    await vi.advanceTimersByTimeAsync(30)
    expect(order).toEqual(['install-1', 'install-2', 'init'])
    bx.installFinish() // the chain is over: a no-op now
    expect(sent.filter((m) => m.command.startsWith('setInstall'))).toHaveLength(1)
  })

  it('BX24-10 FIRST_RUN with no installers sends no setInstall', async () => {
    const { bx, find } = app({ autoInit: { FIRST_RUN: true } })
    const cb = vi.fn()
    bx.init(cb)
    await vi.advanceTimersByTimeAsync(50)
    expect(cb).toHaveBeenCalledOnce()
    expect(find('setInstall')).toHaveLength(0)
  })

  it('BX24-11 a throwing installer alerts "Installation failed!" and stalls; a string installer is loaded with loadScript', async () => {
    // happy-dom's window has no alert(): install one for this test.
    const alert = vi.fn()
    const previous = Object.getOwnPropertyDescriptor(window, 'alert')
    Object.defineProperty(window, 'alert', { value: alert, configurable: true, writable: true })
    cleanup.push(() => (previous ? Object.defineProperty(window, 'alert', previous) : delete (window as { alert?: unknown }).alert))
    const { bx, find, log } = app({ autoInit: false })
    const init = vi.fn()
    bx.install(() => { throw new Error('boom') })
    bx.init(init)
    reply(find('getInitData')[0]!.callback, initData({ FIRST_RUN: true }))
    await vi.advanceTimersByTimeAsync(100)
    expect(alert).toHaveBeenCalledWith('Installation failed!')
    expect(log.error).toHaveBeenCalled()
    expect(init).not.toHaveBeenCalled()
    expect(find('setInstall')).toHaveLength(0)

    // A second app whose installer is a script URL.
    bx.shim.destroy()
    const inserted: HTMLScriptElement[] = []
    vi.spyOn(document.head, 'insertBefore').mockImplementation(((node: Node) => { inserted.push(node as HTMLScriptElement); return node }) as never)
    const second = app({ autoInit: false })
    const init2 = vi.fn()
    second.bx.install('https://cdn.example.test/installer.js')
    second.bx.init(init2)
    reply(second.find('getInitData')[0]!.callback, initData({ FIRST_RUN: true }))
    await vi.advanceTimersByTimeAsync(100)
    expect(inserted.map((s) => s.getAttribute('src'))).toEqual(['https://cdn.example.test/installer.js'])
    inserted[0]!.onload!(new Event('load'))
    await vi.advanceTimersByTimeAsync(100)
    expect(init2).not.toHaveBeenCalled() // the loaded script must call installFinish()
    second.bx.installFinish()
    await vi.advanceTimersByTimeAsync(20)
    expect(second.find('setInstall')).toHaveLength(1)
    expect(init2).toHaveBeenCalledOnce()
  })

  it('BX24-12 installFinish is a no-op after a normal init, and sends setInstallFinish:{}::<APP_SID> in install mode', async () => {
    const normal = app()
    await vi.advanceTimersByTimeAsync(20)
    normal.bx.installFinish()
    expect(normal.find('setInstallFinish')).toHaveLength(0)
    normal.bx.shim.destroy()

    const installing = app({ autoInit: { INSTALL: true } })
    await vi.advanceTimersByTimeAsync(20)
    installing.bx.installFinish()
    expect(installing.find('setInstallFinish').map((m) => m.raw)).toEqual([`setInstallFinish:{}::${SID}`])
  })

  it('BX24-13 userOption/appOption are no-ops before init; appOption.set is a no-op for non-admins', async () => {
    const { bx, find } = app({ autoInit: false })
    bx.userOption.set('a', 1)
    expect(bx.userOption.get('a')).toBeUndefined()
    expect(bx.appOption.get('color')).toBeUndefined()
    expect(find('setUserOption')).toHaveLength(0)
    reply(find('getInitData')[0]!.callback, initData({ IS_ADMIN: false }))
    await vi.advanceTimersByTimeAsync(20)
    expect(bx.appOption.get('color')).toBe('red')
    bx.appOption.set('color', 'blue', vi.fn())
    expect(bx.appOption.get('color')).toBe('red')
    expect(find('setAppOption')).toHaveLength(0)
    bx.userOption.set('a', 1)
    expect(bx.userOption.get('a')).toBe(1)
    expect(find('setUserOption')[0]!.raw).toBe(`setUserOption:{"name":"a","value":1}::${SID}`)
  })
})

describe('ready', () => {
  it('ready callbacks run deferred once the DOM is ready, and isReady() says so', async () => {
    const { bx } = app()
    await vi.advanceTimersByTimeAsync(20)
    expect(bx.isReady()).toBe(true) // happy-dom's document is complete
    const cb = vi.fn()
    bx.ready(cb)
    expect(cb).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10)
    expect(cb.mock.contexts[0]).toBe(document)
  })
})
