// Item 3 of issue 10: the same as Bitrix's client wherever a page can tell.
import { afterEach, describe, expect, it } from 'vitest'
import { createBX } from '../../../src/bx/create-bx'
import { installPull, PullClient } from '../../../src/pull'
import { encodeResponseBatch, encodeRpcIncomingMessage, encodeTextFrame, hexToBytes } from '../../../src/pull/codecs'
import { frameOf } from './frames'
import { FakeWebSocket, fakeRest, fakeWindow, flush, harness, makeConfig, manualClock, memoryStorage, quietLogger, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
const created: PullClient[] = []
afterEach(() => {
  h?.client.destroy()
  for (const client of created.splice(0)) client.destroy()
})

describe('subscribe() callbacks are called as Bitrix calls them (B.2)', () => {
  it('PULL-68 as plain functions: `this` is undefined in strict code, and a callback cannot reach the list through it', async () => {
    h = harness()
    const socket = await startConnected(h)
    const thisValues: unknown[] = []
    const got: string[] = []
    h.client.subscribe({
      moduleId: 'im',
      callback(this: unknown) {
        thisValues.push(this)
        // What a callback could do to the list if it were `this`: empty it and unsubscribe everyone after it.
        if (Array.isArray(this)) this.length = 0
      },
    })
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => got.push(d.command) })
    h.client.subscribe({ moduleId: 'im', command: 'x', callback(this: unknown) { thisValues.push(this) } })
    h.client.subscribe({ type: 'online', callback(this: unknown) { thisValues.push(this) } })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }) + textFrame(h.clock, { module_id: 'im', command: 'y' }))
    socket.serverMessage(textFrame(h.clock, { module_id: 'online', command: 'z' }))
    expect(thisValues).toEqual([undefined, undefined, undefined, undefined])
    expect(got).toEqual(['x', 'y'])
  })

  it('PULL-68 sloppy-mode callbacks see the global object as `this`, as with Bitrix\'s forEach', async () => {
    h = harness()
    const socket = await startConnected(h)
    // A function compiled outside this (strict) module: sloppy code, as many page scripts are.
    const seen: unknown[] = []
    const sloppy = new Function('seen', 'return function () { seen.push(this) }')(seen) as () => void
    h.client.subscribe({ moduleId: 'im', callback: sloppy })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }))
    expect(seen).toEqual([globalThis])
  })

  it('PULL-69 each callback gets its own {type, moduleId}: one that changes it does not change the next one\'s', async () => {
    h = harness()
    const socket = await startConnected(h)
    const metas: unknown[] = []
    const change = (_a: unknown, info: object) => {
      const meta = info as Record<string, unknown>
      metas.push({ ...meta })
      meta.moduleId = 'changed'
      meta.type = 'changed'
    }
    h.client.subscribe({ moduleId: 'im', callback: change })
    h.client.subscribe({ moduleId: 'im', callback: change })
    h.client.subscribe({ moduleId: 'im', command: 'x', callback: (_p: unknown, _e: unknown, _c: unknown, meta: object) => change(null, meta) })
    h.client.subscribe({ moduleId: 'im', command: 'x', callback: (_p: unknown, _e: unknown, _c: unknown, meta: object) => change(null, meta) })
    h.client.subscribe({ type: 'status', callback: change })
    h.client.subscribe({ type: 'status', callback: change })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }))
    socket.serverClose(1006)
    await h.clock.tick(5_000)
    const server = { type: 'server', moduleId: 'im' }
    expect(metas.slice(0, 4)).toEqual([server, server, server, server])
    expect(metas.slice(4, 6)).toEqual([{ type: 'status' }, { type: 'status' }])
  })
})

/** A push server address that refuses at once: the singleton (real WebSocket, real time) never reaches a network. */
const NOWHERE = { websocket: 'ws://127.0.0.1:1/', websocket_secure: 'ws://127.0.0.1:1/' }

/** Bitrix's core makes BX a function that carries everything; this one forwards its bus to a createBX() bus. */
function bitrixCoreBX(win: ReturnType<typeof fakeWindow>, messages: Record<string, string>, rest?: unknown) {
  const bus = createBX({ window: win as unknown as Window })
  const message = Object.assign((key: string) => messages[key], messages)
  const BX = Object.assign(function BX() {}, {
    addCustomEvent: bus.addCustomEvent,
    removeCustomEvent: bus.removeCustomEvent,
    onCustomEvent: bus.onCustomEvent,
    message,
    ...(rest ? { rest } : {}),
  })
  return { BX, bus }
}

describe('on a page with Bitrix\'s core, where window.BX is a function', () => {
  it('PULL-70 new BX.PullClient() finds that BX, its BX.message and BX.rest, and raises every BX event through it', async () => {
    FakeWebSocket.reset()
    const win = fakeWindow()
    const clock = manualClock()
    const config = makeConfig(clock, 3)
    const rest = fakeRest(() => ({ result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } }))
    const { BX } = bitrixCoreBX(win, { USER_ID: '5', SITE_ID: 's9', pull_server_enabled: 'Y' }, rest)
    ;(win as unknown as Record<string, unknown>).BX = BX
    const events: unknown[][] = []
    for (const name of ['onPullEvent-im', 'onPullEvent', 'onPullStatus', 'onPullClientEvent-im']) {
      BX.addCustomEvent(name, (...args: unknown[]) => void events.push([name, ...args]))
    }
    const storage = memoryStorage()
    const client = new PullClient({ window: win, clock, storage, WebSocket: FakeWebSocket as never, logger: quietLogger(), random: () => 0 })
    created.push(client)
    const started = client.start()
    await flush()
    expect(rest.calls.map((c) => [c.method, c.params])).toEqual([['pull.config.get', { CACHE: 'N' }]])
    expect(storage.data.has('bx-pull-5-s9-bx-pull-config')).toBe(true)
    FakeWebSocket.last().serverOpen()
    await started
    FakeWebSocket.last().serverMessage(textFrame(clock, { module_id: 'IM', command: 'message', params: { n: 1 } }))
    FakeWebSocket.last().serverMessage(textFrame(clock, { module_id: 'im', command: 'typing', params: {}, extra: { sender: { type: 1 } } }))
    expect(events.map((e) => e.slice(0, 3))).toEqual([
      ['onPullStatus', 'connect'],
      ['onPullStatus', 'online'],
      ['onPullEvent-im', 'message', { n: 1 }],
      ['onPullEvent', 'im', 'message'],
      ['onPullClientEvent-im', 'typing', {}],
    ])
    // Its own listeners follow that BX too.
    BX.onCustomEvent(win, 'BXLinkOpened', [])
    expect(client.getDebugInfo().UserId).toBe('5')
  })

  it('PULL-71 installPull on a portal page (Bitrix\'s core with BX.rest, no app frame): pull.config.get through BX.rest, with revision checks', async () => {
    FakeWebSocket.reset()
    const win = Object.assign(fakeWindow(), { name: '' })
    const clock = manualClock()
    const config = makeConfig(clock, 3)
    const rest = fakeRest(() => ({ result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } }))
    const { BX } = bitrixCoreBX(win, { USER_ID: '5', SITE_ID: 's1' }, rest)
    const bx24 = fakeRest(() => ({ error: 'ACCESS_DENIED' }))
    const client = installPull(win, BX, bx24)
    if (!client) throw new Error('not installed')
    created.push(client)
    expect((BX as unknown as { PULL: unknown }).PULL).toBe(client)
    void client.start().catch(() => {})
    await flush()
    expect(rest.calls.map((c) => c.method)).toEqual(['pull.config.get'])
    expect(bx24.calls).toEqual([])
    // Revision checks are on, as for Bitrix's own BX.PULL: a config for another client revision disables it.
    const other = bitrixCoreBX(win, {}, rest)
    const checked = installPull(win, other.BX, bx24)!
    created.push(checked)
    const revisions: unknown[] = []
    other.BX.addCustomEvent('onPullRevisionUp', (...args: unknown[]) => void revisions.push(args))
    // The singleton runs on real time: a config whose channels are live now.
    const live = makeConfig({ now: () => Date.now() } as never, 3, {}, NOWHERE)
    await expect(checked.start({ ...live, api: { revision_web: 20 } })).rejects.toBeTruthy()
    expect(revisions).toEqual([[20, 19]])
  })

  it('PULL-71 in an app frame (window.name "host|1|APP_SID") the singleton stays in restApplication mode over BX24', async () => {
    const win = Object.assign(fakeWindow(), { name: 'portal.example|1|app_sid' })
    const clock = manualClock()
    const config = makeConfig(clock, 3)
    const rest = fakeRest(() => ({ error: 'ACCESS_DENIED' }))
    const { BX } = bitrixCoreBX(win, {}, rest)
    const bx24 = fakeRest(() => ({ result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } }))
    const client = installPull(win, BX, bx24)
    if (!client) throw new Error('not installed')
    created.push(client)
    void client.start().catch(() => {})
    await flush()
    expect(bx24.calls.map((c) => c.method)).toEqual(['pull.application.config.get'])
    expect(rest.calls).toEqual([])
    // restApplication mode skips revision checks (PULL-47).
    const other = bitrixCoreBX(win, {}, rest)
    const unchecked = installPull(win, other.BX, bx24)!
    created.push(unchecked)
    const revisions: unknown[] = []
    other.BX.addCustomEvent('onPullRevisionUp', (...args: unknown[]) => void revisions.push(args))
    void unchecked.start({ ...makeConfig({ now: () => Date.now() } as never, 3, {}, NOWHERE), api: { revision_web: 20 } }).catch(() => {})
    await flush()
    expect(revisions).toEqual([])
  })
})

describe('params and senders as Bitrix passes them (B.3)', () => {
  const shapes: [string, string, unknown][] = [
    ['a string', '"text"', 'text'],
    ['a number', '42', 42],
    ['a PHP list', '[1,2,{"a":3}]', [1, 2, { a: 3 }]],
    ['an empty PHP array', '[]', []],
    ['null', 'null', null],
  ]
  it.each([['text', 3], ['protobuf', 4], ['json-rpc', 5]] as const)('PULL-61 %s (v%i): params that are a string, number, list, null or missing reach BX handlers and callbacks as published', async (_p, version) => {
    h = harness({ version })
    const socket = await startConnected(h)
    const viaBX: unknown[] = []
    const viaCallback: unknown[] = []
    const viaCommand: unknown[] = []
    h.bx.addCustomEvent('onPullEvent-im', (_c: string, params: unknown) => void viaBX.push(params))
    h.client.subscribe({ moduleId: 'im', callback: (d: { params: unknown }) => void viaCallback.push(d.params) })
    h.client.subscribe({ moduleId: 'im', command: 'x', callback: (params: unknown) => void viaCommand.push(params) })
    const bodies = shapes.map(([, json]) => JSON.parse(`{"module_id":"im","command":"x","params":${json}}`))
    bodies.push({ module_id: 'im', command: 'x' })
    socket.serverMessage(frameOf(version, bodies, 1))
    const expected = [...shapes.map(([, , value]) => value), undefined]
    expect(viaBX).toEqual(expected)
    expect(viaCallback).toEqual(expected)
    expect(viaCommand).toEqual(expected)
  })

  it('PULL-62 a protobuf sender without an id reads extra.sender.id === \'\', as in Bitrix', async () => {
    h = harness({ version: 4 })
    const socket = await startConnected(h)
    const senders: unknown[] = []
    h.bx.addCustomEvent('onPullEvent-im', (_c: string, _p: unknown, extra: { sender?: unknown }) => void senders.push(extra.sender))
    h.client.subscribe({ type: 'client', moduleId: 'im', callback: (d: { extra: { sender?: unknown } }) => void senders.push(d.extra.sender) })
    const body = JSON.stringify({ module_id: 'im', command: 'x', params: {} })
    socket.serverMessage(encodeResponseBatch([{ command: 'outgoingMessages', messages: [
      { id: hexToBytes('01'), body, expiry: 0, created: 0, sender: { type: 2 } },
      { id: hexToBytes('02'), body, expiry: 0, created: 0, sender: { type: 1 } },
    ] }]).slice().buffer)
    expect(senders).toEqual([{ type: 2, id: '' }, { type: 1, id: '' }])
  })

  it('PULL-61 JSON-RPC user_params reach a message published without params (Bitrix\'s Object.assign throws and loses it)', async () => {
    h = harness({ version: 5 })
    const socket = await startConnected(h)
    const got: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { params: unknown }) => void got.push(d.params) })
    socket.serverMessage(encodeRpcIncomingMessage({ mid: 'a1', bodyJson: '{"module_id":"im","command":"x"}', user_params: { u: 1 } }))
    socket.serverMessage(encodeRpcIncomingMessage({ mid: 'a2', bodyJson: '{"module_id":"im","command":"x","params":"s"}', user_params: { u: 1 } }))
    expect(got).toEqual([{ u: 1 }, 's'])
  })

  it('a body without command reaches module-wide callbacks and no command callback, as in Bitrix', async () => {
    h = harness()
    const socket = await startConnected(h)
    const got: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: unknown }) => void got.push(['module', d.command]) })
    h.client.subscribe({ moduleId: 'im', command: 'undefined', callback: () => void got.push(['command']) })
    socket.serverMessage(encodeTextFrame({ id: 1, mid: '17954246100000000000000001', channel: 'c', tag: '1', time: 't', text: '{"module_id":"im"}' }))
    expect(got).toEqual([['module', undefined]])
  })
})
