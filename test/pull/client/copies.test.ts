// Who gets which object of a message. Bitrix copies params for every BX handler and once more for the subscribe()
// callbacks; the shim skips the last copy while nothing has seen the originals (dispatch.ts). These tests pin down
// that no handler, callback or listener can tell the difference.
import { afterEach, describe, expect, it } from 'vitest'
import { createBX } from '../../../src/bx/create-bx'
import { ownRaiseOf } from '../../../src/bx/own-raise'
import { copyJson } from '../../../src/pull/client/copy-json'
import { Subscriptions } from '../../../src/pull/client/subscriptions'
import { pluggableTransport, type PullSourceSink } from '../../../src/pull'
import { flush, harness, quietLogger, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

type Params = Record<string, any>
type Data = { command: string; params: Params; extra: Params }

async function connected(options: Parameters<typeof harness>[0] = {}) {
  h = harness(options)
  return startConnected(h)
}

describe('copyJson', () => {
  it('PULL-29 copies every object and array of a JSON tree, equal and independent', () => {
    const tree = JSON.parse('{"a":{"b":[1,{"c":"x"},[]],"d":null},"e":[],"f":{"1042":[7,12]},"g":true}')
    const copy = copyJson(tree)
    expect(copy).toEqual(tree)
    expect(copy).not.toBe(tree)
    expect(copy.a).not.toBe(tree.a)
    expect(copy.a.b).not.toBe(tree.a.b)
    expect(copy.a.b[1]).not.toBe(tree.a.b[1])
    expect(copy.f['1042']).not.toBe(tree.f['1042'])
    expect(Object.keys(copy)).toEqual(Object.keys(tree))
    copy.a.b[1].c = 'changed'
    expect(tree.a.b[1].c).toBe('x')
  })

  it('PULL-29 data a pluggable source decoded itself: a Date or class instance is passed as it is, plain objects copied', () => {
    const when = new Date(0)
    const bare = Object.assign(Object.create(null), { n: 1 })
    const copy = copyJson({ when, bare, list: [when] })
    expect(copy.when).toBe(when)
    expect(copy.list[0]).toBe(when)
    expect(copy.bare).not.toBe(bare)
    expect(copy.bare).toEqual({ n: 1 })
  })

  it('PULL-29 hostile "__proto__" key stays an own property, as BX.clone keeps it, and never swaps the prototype', () => {
    const tree = JSON.parse('{"__proto__":{"polluted":true},"n":1}')
    const copy = copyJson(tree)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect((copy as Params).polluted).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true)
    expect(copy).toEqual(createBX({ window: undefined }).clone(tree))
  })
})

describe('ownRaiseOf: our BX raising for our pull client', () => {
  it('PULL-29 compat handlers get copies made by the given function; false while no listener got the arguments', () => {
    const bx = createBX({ window: undefined })
    const raise = ownRaiseOf(bx)
    expect(raise).toBeTypeOf('function')
    const got: unknown[] = []
    bx.addCustomEvent('onPullEvent-im', (_command: string, params: unknown) => void got.push(params))
    const params = { n: 1 }
    const copies: unknown[] = []
    const copy = (data: unknown[]) => {
      const out = copyJson(data)
      copies.push(out[1])
      return out
    }
    expect(raise!(undefined, 'onPullEvent-IM', ['x', params, {}], copy)).toBe(false)
    expect(got).toEqual([{ n: 1 }])
    expect(got[0]).not.toBe(params)
    expect(got[0]).toBe(copies[0])
  })

  it('PULL-29 true when a BX.Event.EventEmitter listener received the BaseEvent with the arguments themselves', () => {
    const bx = createBX({ window: undefined })
    const raise = ownRaiseOf(bx)!
    let data: unknown
    bx.Event.EventEmitter.subscribe('onPullEvent-im', (event: { getData(): unknown }) => void (data = event.getData()))
    const args = ['x', { n: 1 }, {}]
    expect(raise(undefined, 'onPullEvent-im', args, copyJson)).toBe(true)
    expect(data).toBe(args)
  })

  it('any other object has none: a page BX we did not make is raised the plain way', () => {
    expect(ownRaiseOf({ onCustomEvent() {} })).toBeUndefined()
    expect(ownRaiseOf(null)).toBeUndefined()
  })
})

describe('subscribe() callbacks get the message without a needless copy, and nothing can tell', () => {
  it('PULL-29 a BX handler that changes its params changes neither another handler\'s nor the callbacks\' copy', async () => {
    const socket = await connected()
    const seen: unknown[] = []
    h.bx.addCustomEvent('onPullEvent-im', (_c: string, params: Params, extra: Params) => {
      params.deep.list.push('handler')
      extra.revision_web = 999
    })
    h.bx.addCustomEvent('onPullEvent', (_m: string, _c: string, params: Params) => void seen.push(structuredClone(params)))
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void seen.push(structuredClone(d)) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', params: { deep: { list: [1] } } }))
    expect(seen[0]).toEqual({ deep: { list: [1] } })
    expect(seen[1]).toMatchObject({ command: 'x', params: { deep: { list: [1] } }, extra: { revision_web: 19 } })
  })

  it('PULL-30 a callback that writes revision_web into extra does not change the revision check of its message', async () => {
    const socket = await connected()
    const revisions: unknown[] = []
    h.client.subscribe({ type: 'revision', callback: (d: unknown) => revisions.push(d) })
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void (d.extra.revision_web = 500) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', extra: { revision_web: 19 } }))
    expect(revisions).toEqual([])
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'y', extra: { revision_web: 20 } }))
    expect(revisions).toEqual([{ server: 20, client: 19 }])
  })

  it('PULL-29 when an EventEmitter listener kept the arguments, callbacks still get a copy it cannot reach', async () => {
    const socket = await connected()
    let kept: Params | undefined
    h.bx.Event.EventEmitter.subscribe('onPullEvent-im', (event: { getData(): unknown[] }) => void (kept = event.getData()[1] as Params))
    const got: Params[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void got.push(d.params) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', params: { n: 1 } }))
    expect(got[0]).toEqual({ n: 1 })
    expect(got[0]).not.toBe(kept)
    kept!.n = 2
    expect(got[0]).toEqual({ n: 1 })
  })

  it('PULL-29 with a page BX the client did not make, callbacks get a copy', async () => {
    const kept: unknown[][] = []
    const foreignBX = {
      onCustomEvent: (_target: unknown, name: string, args: unknown[]) => void (name.startsWith('onPullEvent') && kept.push(args)),
    }
    const socket = await connected({ params: { bx: foreignBX as never } })
    const got: Params[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void got.push(d.params) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', params: { n: 1 } }))
    expect(kept).toHaveLength(2)
    expect(got[0]).toEqual({ n: 1 })
    expect(got[0]).not.toBe(kept[0]![1])
  })

  it('PULL-29 with capturePullEvent() on, the logged objects are not the ones callbacks get', async () => {
    const socket = await connected()
    const logged: unknown[][] = []
    ;(h.logger as unknown as { info: (...a: unknown[]) => void }).info = (...args: unknown[]) => void logged.push(args)
    h.client.capturePullEvent()
    const got: Params[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void got.push(d.params) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', params: { n: 1 } }))
    const entry = logged.find((args) => args[0] === 'onPullEvent')
    expect(entry?.[3]).toEqual({ n: 1 })
    expect(got[0]).toEqual({ n: 1 })
    expect(got[0]).not.toBe(entry?.[3])
  })

  it('PULL-29 messages a pluggable source hands over decoded stay the caller\'s: callbacks and handlers get copies', async () => {
    let sink: PullSourceSink | null = null
    h = harness({ params: { transport: pluggableTransport({ name: 'decoded', open: (s) => void (sink = s), send: () => true }) } })
    const started = h.client.start()
    await flush()
    sink!.open()
    await started
    const handler: Params[] = []
    const got: Params[] = []
    h.bx.addCustomEvent('onPullEvent-im', (_c: string, params: Params) => void handler.push(params))
    h.client.subscribe({ moduleId: 'im', callback: (d: Data) => void got.push(d.params) })
    const params = { when: new Date(0), list: [1] }
    sink!.message([{ mid: 'm1', text: { module_id: 'im', command: 'x', params, extra: {} } }])
    expect(got[0]).toEqual(params)
    expect(got[0]).not.toBe(params)
    expect(got[0]!.list).not.toBe(params.list)
    expect(handler[0]).toEqual(params)
    expect(handler[0]).not.toBe(params)
    // BX.clone copies a Date; the handler's is a copy of the caller's
    expect(handler[0]!.when).not.toBe(params.when)
  })

  it('PULL-27 an online callback that changes params does not change the user status raised after it', async () => {
    const socket = await connected({ version: 5 })
    const statuses: unknown[] = []
    h.client.subscribe({ type: 'online', callback: (d: Data) => void (d.params.user_id = 99) })
    const subscribed = h.client.subscribeUserStatusChange(5, (d: unknown) => void statuses.push(d))
    const request = JSON.parse(String(socket.sent.at(-1)))
    socket.serverMessage(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: true }))
    await subscribed
    h.listen('onPullOnlineEvent')
    socket.serverMessage(JSON.stringify({
      jsonrpc: '2.0', method: 'incoming.message',
      params: { mid: 'm1', body: { module_id: 'online', command: 'userStatusChange', params: { user_id: 5, online: true },
        extra: { server_time_unix: h.clock.now() / 1000 } } },
    }))
    expect(h.events.map((e) => e[0])).toEqual(['onPullOnlineEvent'])
    expect(statuses).toEqual([{ userId: 5, isOnline: true }])
  })
})

describe('Subscriptions: the callbacks\' data is made only for a callback', () => {
  it('PULL-23 emitModule copies params and extra once when a callback runs and copies are asked for, never when none would run; emitFlat calls data() likewise', () => {
    const subscriptions = new Subscriptions(quietLogger())
    let copied = 0
    // A copy reads the keys of what it copies: this params counts how often that happens.
    const params = new Proxy({ n: 1 }, { ownKeys: (target) => (copied++, Reflect.ownKeys(target)) })
    subscriptions.emitModule('server', 'im', 'x', params, {}, true)
    const off = subscriptions.subscribe({ moduleId: 'im', command: 'y', callback: () => {} })
    subscriptions.emitModule('server', 'im', 'x', params, {}, true)
    expect(copied).toBe(0)
    const got: unknown[] = []
    subscriptions.subscribe({ moduleId: 'im', command: 'x', callback: (p: unknown) => got.push(p) })
    subscriptions.subscribe({ moduleId: 'im', callback: (d: Data) => got.push(d.params) })
    subscriptions.emitModule('server', 'im', 'x', params, {}, true)
    expect(copied).toBe(1)
    expect(got).toHaveLength(2)
    // Identity by ===: vitest's matchers would read the proxy's keys themselves.
    expect(got[0] === got[1]).toBe(true)
    expect(got[0] === params).toBe(false)
    subscriptions.emitModule('server', 'im', 'x', params, {}, false)
    expect(copied).toBe(1)
    expect(got[2] === params).toBe(true)
    let made = 0
    const data = () => (made++, { command: 'x', params: {}, extra: {} })
    subscriptions.emitFlat('online', data)
    expect(made).toBe(0)
    subscriptions.subscribe({ type: 'online', callback: () => {} })
    subscriptions.emitFlat('online', data)
    expect(made).toBe(1)
    off()
  })

  it('PULL-23 callbacks added or removed by a callback: the loop runs over those present when it began, as forEach does', () => {
    const subscriptions = new Subscriptions(quietLogger())
    const calls: string[] = []
    let offB = () => {}
    subscriptions.subscribe({
      moduleId: 'im',
      callback: () => {
        calls.push('a')
        offB()
        subscriptions.subscribe({ moduleId: 'im', callback: () => void calls.push('c') })
      },
    })
    offB = subscriptions.subscribe({ moduleId: 'im', callback: () => void calls.push('b') })
    subscriptions.emitModule('server', 'im', 'x', {}, {}, false)
    expect(calls).toEqual(['a', 'b'])
    calls.length = 0
    offB = () => {}
    subscriptions.emitModule('server', 'im', 'x', {}, {}, false)
    expect(calls).toEqual(['a', 'c'])
  })
})
