// Checklist BX24-14..23 (app → parent messages, reply matching, UI commands) and hostile postMessage input.
import { describe, expect, it, vi } from 'vitest'
import { parentFrameTransport } from '../../src/bx24/transports/parent-frame'
import { deliver, fakeTimersAndCleanup, frameApp, initData, ORIGIN, parseSent, PORTAL, reply, SID } from './helpers'

const cleanup = fakeTimersAndCleanup()

function app(options: Parameters<typeof frameApp>[0] = {}) {
  const h = frameApp(options)
  cleanup.push(() => h.bx.shim.destroy())
  return h
}

describe('app → parent messages', () => {
  it('BX24-14 params JSON only for truthy params ({} → {}; null/""/0 → empty); no callback ends with ::<APP_SID>', () => {
    const { bx, find } = app({ autoInit: false })
    bx.placement.call('getValue', {})
    bx.placement.call('getValue', null)
    bx.placement.call('getValue', '')
    bx.placement.call('getValue', 0)
    bx.placement.call('getValue', { a: 'x:y' })
    expect(find('getValue').map((m) => m.raw)).toEqual([
      `getValue:{}::${SID}`, `getValue:::${SID}`, `getValue:::${SID}`, `getValue:::${SID}`, `getValue:{"a":"x:y"}::${SID}`,
    ])
    expect(find('getValue')[4]!.params).toEqual({ a: 'x:y' })
  })

  it('BX24-15 a command whose name contains ":" is sent as a {method, params, callback, appSid} object', () => {
    const { bx, sent } = app({ autoInit: false })
    const cb = vi.fn()
    bx.placement.call('im:setTextareaContent', { text: 'hi' }, cb)
    bx.placement.call('im:getTextareaContent', null)
    const [withCb, without] = sent.slice(1).map((m) => m.raw as Record<string, unknown>)
    expect(withCb).toEqual({ method: 'im:setTextareaContent', params: { text: 'hi' }, callback: expect.stringMatching(/^[0-9a-z]{32}$/), appSid: SID })
    expect(without).toEqual({ method: 'im:getTextareaContent', params: '', callback: '', appSid: SID })
    expect(sent[1]!.origin).toBe(ORIGIN)
    reply(String(withCb!.callback), { done: true })
    expect(cb).toHaveBeenCalledWith({ done: true })
  })

  it('BX24-16 replies count only from the exact portal origin, split at the first ":"; an empty payload gives []', () => {
    const { bx, find } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    const id = find('setTitle')[0]!.callback
    for (const origin of [`http://${PORTAL}`, `${ORIGIN}:443`, `https://evil.test`, 'null', '']) reply(id, { x: 1 }, origin)
    expect(cb).not.toHaveBeenCalled()
    reply(id, { title: 'a:b:c' })
    reply(id)
    expect(cb.mock.calls).toEqual([[{ title: 'a:b:c' }], [[]]])
    expect(cb.mock.contexts[0]).toBe(window)
  })

  it('BX24-17 a callback id stays valid for repeated replies (placement events)', () => {
    const { bx, find } = app({ autoInit: false })
    const cb = vi.fn()
    bx.placement.bindEvent('BackgroundCallCard::initialized', cb)
    const message = find('placementBindEvent')[0]!
    expect(message.params).toEqual({ event: 'BackgroundCallCard::initialized' })
    reply(message.callback, 1)
    reply(message.callback, 2)
    reply(message.callback, 3)
    expect(cb.mock.calls).toEqual([[1], [2], [3]])
  })

  it('BX24-18 unknown callback ids and wrong-origin messages are ignored without error', () => {
    const { bx, find, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    expect(() => reply('nosuchid0000000000000000000000000', { a: 1 })).not.toThrow()
    expect(() => reply(find('setTitle')[0]!.callback, { a: 1 }, 'https://evil.test')).not.toThrow()
    expect(cb).not.toHaveBeenCalled()
    expect(log.warn).toHaveBeenCalledWith('BX24: ignored a message from https://evil.test')
    expect(log.error).not.toHaveBeenCalled()
  })

  it('BX24-19 placement.call is a silent no-op when BX24[cmd] exists; a function second argument is the callback', () => {
    const { bx, sent, find } = app({ autoInit: false })
    bx.placement.call('setTitle', { title: 'x' })
    bx.placement.call('callMethod')
    expect(sent).toHaveLength(1)
    const cb = vi.fn()
    bx.placement.call('reloadData', cb)
    const m = find('reloadData')[0]!
    expect(m.params).toEqual({})
    reply(m.callback, 'ok')
    expect(cb).toHaveBeenCalledWith('ok')
  })

  it('BX24-20 resizeWindow sends only when both parseInt sizes are > 0; fitWindow sends 100% and the scroll height', () => {
    const { bx, find } = app({ autoInit: false })
    bx.resizeWindow(0, 100)
    bx.resizeWindow(100, -1)
    bx.resizeWindow('abc', 100)
    bx.resizeWindow(100, undefined as never)
    expect(find('resizeWindow')).toHaveLength(0)
    bx.resizeWindow('640px', '480.7')
    expect(find('resizeWindow')[0]!.params).toEqual({ width: 640, height: 480 })
    bx.fitWindow()
    expect(find('resizeWindow')[1]!.params).toEqual({ width: '100%', height: bx.getScrollSize().scrollHeight })
  })

  it('BX24-21 scrollParentWindow sends nothing for NaN; setTitle stringifies its argument', () => {
    const { bx, find } = app({ autoInit: false })
    bx.scrollParentWindow('abc')
    bx.scrollParentWindow(undefined as never)
    expect(find('setScroll')).toHaveLength(0)
    bx.scrollParentWindow('120px')
    bx.scrollParentWindow(-5)
    expect(find('setScroll').map((m) => m.params)).toEqual([{ scroll: 120 }, { scroll: -5 }])
    bx.setTitle(42)
    bx.setTitle({ toString: () => 'custom' } as never)
    expect(find('setTitle').map((m) => m.params)).toEqual([{ title: '42' }, { title: 'custom' }])
    expect(() => bx.setTitle(null as never)).toThrow(TypeError)
  })

  it('BX24-22 selectAccess, selectUser(s), selectCRM and openApplication shuffle arguments; settings become bx24_<key>', () => {
    const { bx, find } = app({ autoInit: false })
    const cb = vi.fn()
    bx.selectAccess(cb)
    bx.selectAccess(['G2'], cb)
    bx.selectAccess('Title', ['U1'], cb)
    bx.selectAccess('Title', cb)
    expect(find('selectAccess').map((m) => m.params)).toEqual([{ value: [] }, { value: ['G2'] }, { value: ['U1'] }, { value: [] }])
    expect(find('selectAccess').every((m) => m.callback.length === 32)).toBe(true)
    bx.selectUser(cb)
    bx.selectUsers('Pick', cb)
    expect(find('selectUser').map((m) => m.params)).toEqual([{ title: '', mult: false }, { title: 'Pick', mult: true }])
    bx.selectCRM({ entityType: ['deal'], multiple: true, value: { deal: [1] }, extra: 1 } as never, cb)
    bx.selectCRM(cb)
    expect(find('selectCRM').map((m) => m.params)).toEqual([{ entityType: ['deal'], multiple: true, value: { deal: [1] } }, {}])
    expect(() => (bx.selectCRM as (...args: unknown[]) => void)()).toThrow(TypeError)
    const params = { opened: 'yes' }
    bx.openApplication(params, cb, { width: 800, leftBoundary: 300 })
    bx.openApplication(cb)
    bx.openApplication()
    const opens = find('openApplication')
    expect(opens.map((m) => m.params)).toEqual([{ opened: 'yes', bx24_width: 800, bx24_leftBoundary: 300 }, {}, []])
    expect(opens[2]!.raw).toBe(`openApplication:::${SID}`)
    expect(params).toEqual({ opened: 'yes' })
    bx.openPath('/crm/deal/details/1/', cb)
    expect(find('openPath')[0]!.params).toEqual({ path: '/crm/deal/details/1/' })
    bx.closeApplication(cb)
    expect(find('closeApplication')[0]!.raw).toMatch(new RegExp(`^closeApplication::[0-9a-z]{32}:${SID}$`))
  })

  it('BX24-23 im.* never register a callback', () => {
    const { bx, sent } = app({ autoInit: false })
    bx.im.callTo(5, true)
    bx.im.phoneTo('+100')
    bx.im.openMessenger('chat1')
    bx.im.openHistory('chat1')
    expect(sent.slice(1).map((m) => m.raw)).toEqual([
      `imCallTo:{"userId":5,"video":true}::${SID}`, `imPhoneTo:{"phone":"+100"}::${SID}`,
      `imOpenMessenger:{"dialogId":"chat1"}::${SID}`, `imOpenHistory:{"dialogId":"chat1"}::${SID}`,
    ])
  })
})

describe('hostile postMessage input', () => {
  it('non-string data (objects, numbers, null, arrays, Blobs) is ignored without error', () => {
    const { bx, find, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    const id = find('setTitle')[0]!.callback
    for (const data of [{ [id]: 1 }, 42, null, undefined, [id + ':1'], new Blob([id + ':1']), true]) {
      expect(() => deliver(data)).not.toThrow()
    }
    expect(cb).not.toHaveBeenCalled()
    expect(log.error).not.toHaveBeenCalled()
  })

  it('a reply whose JSON is malformed is logged and skipped, and later good replies still work', () => {
    const { bx, find, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    const id = find('setTitle')[0]!.callback
    for (const bad of ['{', '{"a":', 'undefined', "{'a':1}", '\u0000']) expect(() => deliver(id + ':' + bad)).not.toThrow()
    expect(cb).not.toHaveBeenCalled()
    expect(log.warn).toHaveBeenCalledWith('BX24: ignored a reply whose payload is not JSON')
    reply(id, { fine: true })
    expect(cb).toHaveBeenCalledWith({ fine: true })
  })

  it('a __proto__ key in a reply stays a plain key and pollutes nothing', async () => {
    const { bx, find } = app({ autoInit: false })
    const hostile = JSON.stringify(initData())
      .replace('{', '{"__proto__":{"polluted":1},')
      .replace('"USER_OPTIONS":[]', '"USER_OPTIONS":{"__proto__":{"polluted":2}}')
    expect(hostile).toContain('"USER_OPTIONS":{"__proto__"')
    deliver(find('getInitData')[0]!.callback + ':' + hostile)
    await vi.advanceTimersByTimeAsync(20)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(bx.userOption.get('polluted')).toBeUndefined()
    expect(bx.userOption.get('__proto__')).toEqual({ polluted: 2 })
    bx.userOption.set('__proto__', { polluted: 3 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const cb = vi.fn()
    bx.setTitle('x', cb)
    deliver(find('setTitle')[0]!.callback + ':{"__proto__":{"polluted":4}}')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(cb.mock.calls[0]![0])).toBe(Object.prototype)
  })

  it('huge payloads: a 4 MB reply is delivered, one over the limit is dropped unparsed', () => {
    window.name = `${PORTAL}|1|${SID}`
    const sent: string[] = []
    const log = { warn: vi.fn(), error: vi.fn() }
    const t = parentFrameTransport({ window, target: { postMessage: (d: unknown) => void sent.push(String(d)) }, log, maxReplyLength: 8 * 1024 * 1024 })
    cleanup.push(() => t.destroy())
    const cb = vi.fn()
    t.send('setTitle', { title: 'x' }, cb)
    const id = parseSent(sent[0], ORIGIN).callback
    const big = 'x'.repeat(4 * 1024 * 1024)
    reply(id, { big })
    expect(cb.mock.calls[0]![0].big.length).toBe(big.length)
    deliver(id + ':' + JSON.stringify({ big: big + big + big }))
    expect(cb).toHaveBeenCalledTimes(1)
  })

  it('replies for unknown ids, ids without a colon and prototype names never reach a callback', () => {
    const { bx, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    for (const data of ['constructor:1', '__proto__:{}', 'toString', 'hasOwnProperty:[]', ':{}', '::::']) {
      expect(() => deliver(data)).not.toThrow()
    }
    expect(cb).not.toHaveBeenCalled()
    expect(log.error).not.toHaveBeenCalled()
  })

  it('messages with a wrong APP_SID, in either app → parent form, never reach a callback (replies carry no APP_SID)', () => {
    const { bx, find, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    const id = find('setTitle')[0]!.callback
    // A sibling frame's or an attacker's command echoed at us: string form with another APP_SID, and object form.
    deliver(`setTitle:{"title":"x"}:${id}:ffffffffffffffffffffffffffffffff`)
    deliver({ method: 'setTitle', params: { title: 'x' }, callback: id, appSid: 'ffffffffffffffffffffffffffffffff' })
    deliver({ method: 'setTitle', params: { title: 'x' }, callback: id, appSid: SID })
    deliver(`${id}:{"a":1}`, 'https://other-portal.test')
    expect(cb).not.toHaveBeenCalled()
    expect(log.error).not.toHaveBeenCalled()
  })

  it('a malformed or repeated getInitData reply is ignored; init happens once', async () => {
    const { bx, find, log } = app({ autoInit: false })
    const cb = vi.fn()
    bx.init(cb)
    const id = find('getInitData')[0]!.callback
    reply(id, 'not an object')
    reply(id, [1, 2])
    reply(id, null)
    await vi.advanceTimersByTimeAsync(20)
    expect(cb).not.toHaveBeenCalled()
    expect(log.warn).toHaveBeenCalledWith('BX24: a malformed getInitData reply was ignored')
    reply(id, initData())
    reply(id, initData({ LANG: 'fr' }))
    await vi.advanceTimersByTimeAsync(20)
    expect(cb).toHaveBeenCalledOnce()
    expect(bx.getLang()).toBe('de')
    expect(log.warn).toHaveBeenCalledWith('BX24: a repeated getInitData reply was ignored')
  })

  it('BX24-61 an app callback that throws is reported as uncaught (not logged by us) and does not break later replies', () => {
    const { bx, find, log } = app({ autoInit: false })
    const reportError = vi.fn()
    Object.assign(window, { reportError })
    cleanup.push(() => delete (window as { reportError?: unknown }).reportError)
    const good = vi.fn()
    const bug = new Error('app bug')
    bx.setTitle('a', () => { throw bug })
    bx.setTitle('b', good)
    const [first, second] = find('setTitle')
    expect(() => reply(first!.callback, 1)).not.toThrow()
    reply(second!.callback, 2)
    expect(reportError).toHaveBeenCalledWith(bug)
    expect(log.error).not.toHaveBeenCalled()
    expect(good).toHaveBeenCalledWith(2)
  })

  it('after destroy, replies are ignored and nothing is sent', () => {
    const { bx, find, sent } = app({ autoInit: false })
    const cb = vi.fn()
    bx.setTitle('T', cb)
    const id = find('setTitle')[0]!.callback
    bx.shim.destroy()
    reply(id, 1)
    expect(cb).not.toHaveBeenCalled()
    expect(sent).toHaveLength(2)
  })

  it('a frame name whose host is not host[:port] is refused like a missing one', () => {
    for (const name of ['evil.test/x|1|sid', 'a@evil.test|1|sid', 'a b|1|sid']) {
      expect(() => parentFrameTransport({ window, name, target: { postMessage() {} } })).toThrow('Unable to initialize Bitrix24 JS library!')
    }
  })

  it('params that cannot be serialised give a clear TypeError', () => {
    const { bx } = app({ autoInit: false })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => bx.placement.call('setValue', cyclic)).toThrow(/params of "setValue" cannot be serialised/)
  })
})
