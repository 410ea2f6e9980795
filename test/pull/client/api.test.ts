import { afterEach, describe, expect, it } from 'vitest'
import { ErrorNotConnected, ErrorTimeout, PullClient } from '../../../src/pull'
import { bytesToHex, decodeRequestBatch } from '../../../src/pull/codecs'
import { harness, flush, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const PUB5 = '5'.repeat(32)
const SIG5 = 'a5'.repeat(20)
const PUB6 = '6'.repeat(32)
const SIG6 = 'b6'.repeat(20)

function v4Harness() {
  h = harness({
    version: 4,
    restHandler: (method, params) => {
      if (method === 'pull.config.get') {
        return { result: { ...structuredClone(h.config), serverTime: new Date(h.clock.now()).toISOString() } }
      }
      if (method === 'pull.channel.public.list') {
        expect(params).toEqual({ users: [6] })
        return { result: { 6: { user_id: 6, public_id: PUB6, signature: SIG6, start: 'x', end: new Date(h.clock.now() + 3600_000).toISOString() } } }
      }
      return { error: 'ERROR_METHOD_NOT_FOUND' }
    },
  })
  h.config.publicChannels = { 5: { user_id: 5, public_id: PUB5, signature: SIG5, start: 'x', end: new Date(h.clock.now() + 3600_000).toISOString() } }
  return h
}

describe('client publishing (B.9)', () => {
  it('PULL-48 refused on v3 or without publish_enabled; v4 sends a protobuf RequestBatch; v5 an RPC publish with a 5 s timeout', async () => {
    h = harness({ version: 3 })
    await startConnected(h)
    await expect(h.client.sendMessage([5], 'app', 'hi', {})).rejects.toThrow(/not supported or is disabled/)
    h.client.destroy()
    h = harness({ version: 4 })
    h.config.server.publish_enabled = false
    await startConnected(h)
    await expect(h.client.sendMessage([5], 'app', 'hi', {})).rejects.toThrow(/disabled/)
    h.client.destroy()

    // v4: users from config.publicChannels (5) and from REST (6), plus a channel given directly
    v4Harness()
    const socket = await startConnected(h)
    await expect(h.client.sendMessage([5, 6], 'app', 'hi', { n: 1 }, 60)).resolves.toBe(true)
    const requests = decodeRequestBatch(socket.sent.at(-1) as Uint8Array)
    expect(requests).toHaveLength(1)
    const request = requests[0]
    if (request?.command !== 'incomingMessages') throw new Error('not incomingMessages')
    const message = request.messages[0]
    expect(message?.receivers.map((r) => [bytesToHex(r.id), r.signature ? bytesToHex(r.signature) : '', r.isPrivate])).toEqual([
      [PUB5, SIG5, false], [PUB6, SIG6, false],
    ])
    expect(JSON.parse(message?.body ?? '')).toEqual({ module_id: 'app', command: 'hi', params: { n: 1 } })
    expect(message?.expiry).toBe(60)
    await expect(h.client.sendMessageToChannels([`${PUB6}.${SIG6}`, { publicId: PUB5, signature: SIG5 }], 'app', 'c', {})).resolves.toBe(true)
    const second = decodeRequestBatch(socket.sent.at(-1) as Uint8Array)[0]
    if (second?.command !== 'incomingMessages') throw new Error('not incomingMessages')
    expect(second.messages[0]?.receivers.map((r) => bytesToHex(r.id))).toEqual([PUB6, PUB5])
    // an unknown user
    await expect(h.client.sendMessage([7], 'app', 'hi', {})).rejects.toThrow()
    h.client.destroy()

    // v5
    h = harness({ version: 5 })
    const rpcSocket = await startConnected(h)
    const answered = h.client.sendMessage([5], 'app', 'hi', { n: 1 })
    const request5 = JSON.parse(String(rpcSocket.sent.at(-1)))
    expect(request5).toEqual({ jsonrpc: '2.0', method: 'publish', params: { userList: [5], body: { module_id: 'app', command: 'hi', params: { n: 1 } } }, id: request5.id })
    rpcSocket.serverMessage(JSON.stringify({ jsonrpc: '2.0', id: request5.id, result: { ok: true } }))
    await expect(answered).resolves.toEqual({ ok: true })
    const unanswered = h.client.sendMessageToChannels([`${PUB5}.${SIG5}`], 'app', 'hi', {})
    const settled = unanswered.catch((error: unknown) => error)
    await h.clock.tick(4_999)
    let done = false
    void settled.then(() => { done = true })
    await flush()
    expect(done).toBe(false)
    await h.clock.tick(1)
    expect(await settled).toBeInstanceOf(ErrorTimeout)
    // a closed socket: ErrorNotConnected at once
    h.client.stop()
    await expect(h.client.sendMessage([5], 'app', 'x', {})).rejects.toBeInstanceOf(ErrorNotConnected)
  })

  it('PULL-49 a public channel must be "publicId.signature" or {publicId, signature}; anything else throws', async () => {
    v4Harness()
    await startConnected(h)
    for (const bad of ['nodot', 5, null, { publicId: PUB5 }, { signature: SIG5 }, ['x.y']]) {
      expect(() => h.client.sendMessageToChannels([bad as never], 'app', 'c', {})).toThrow(TypeError)
    }
    expect(() => h.client.sendMessageToChannels('x.y' as never, 'app', 'c', {})).toThrow(TypeError)
  })
})

describe('subscribe forms (B.2)', () => {
  it('PULL-50 a command handler object: getMap() function or method name, else handle<Command>, this bound, (params, extra, command)', async () => {
    h = harness()
    const socket = await startConnected(h)
    const calls: unknown[] = []
    class ImHandler {
      readonly name = 'im-handler'
      getModuleId() { return 'im' }
      getMap() { return { messageAdd: 'onAdd', messageDelete: (params: unknown) => calls.push(['mapped fn', params]) } }
      onAdd(this: ImHandler, params: unknown, extra: unknown, command: string) { calls.push([this.name, 'onAdd', params, command, typeof extra]) }
      handleReadAll(this: ImHandler, params: unknown, _extra: unknown, command: string) { calls.push([this.name, 'handleReadAll', params, command]) }
      handleMessageAdd() { calls.push(['must not run: the map wins']) }
    }
    const unsubscribe = h.client.subscribe(new ImHandler())
    socket.serverMessage(
      textFrame(h.clock, { module_id: 'im', command: 'messageAdd', params: { id: 1 } }) +
        textFrame(h.clock, { module_id: 'im', command: 'messageDelete', params: { id: 2 } }) +
        textFrame(h.clock, { module_id: 'im', command: 'readAll', params: { id: 3 } }) +
        textFrame(h.clock, { module_id: 'im', command: 'unknownCommand' }),
    )
    expect(calls).toEqual([
      ['im-handler', 'onAdd', { id: 1 }, 'messageAdd', 'object'],
      ['mapped fn', { id: 2 }],
      ['im-handler', 'handleReadAll', { id: 3 }, 'readAll'],
    ])
    unsubscribe()
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'readAll' }))
    expect(calls).toHaveLength(3)
    // getSubscriptionType picks client messages
    const clientCalls: unknown[] = []
    class AppHandler {
      getModuleId() { return 'app' }
      getSubscriptionType() { return 'client' }
      handlePing(p: unknown) { clientCalls.push(p) }
    }
    h.client.subscribe(new AppHandler())
    socket.serverMessage(textFrame(h.clock, { module_id: 'app', command: 'ping', params: { a: 1 } }))
    socket.serverMessage(textFrame(h.clock, { module_id: 'app', command: 'ping', params: { a: 2 }, extra: { sender: { type: 1 } } }))
    expect(clientCalls).toEqual([{ a: 2 }])
  })

  it('unsubscribe removes every identical callback of its slot', async () => {
    h = harness()
    const socket = await startConnected(h)
    let count = 0
    const callback = () => { count++ }
    const first = h.client.subscribe({ moduleId: 'im', callback })
    h.client.subscribe({ moduleId: 'im', callback })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }))
    expect(count).toBe(2)
    first()
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }))
    expect(count).toBe(2)
  })
})

describe('v5 calls, debug getters, logging', () => {
  it('getUsersLastSeen fills users the push server does not know from REST; ping times out', async () => {
    h = harness({
      version: 5,
      restHandler: (method, params) => {
        if (method === 'pull.config.get') return { result: { ...structuredClone(h.config), serverTime: new Date(h.clock.now()).toISOString() } }
        if (method === 'pull.api.user.getLastSeen') return { result: Object.fromEntries((params?.userIds as number[]).map((id) => [id, 900])) }
        return { error: 'x' }
      },
    })
    const socket = await startConnected(h)
    const pending = h.client.getUsersLastSeen([1, 2, 3])
    const request = JSON.parse(String(socket.sent.at(-1)))
    expect(request.method).toBe('getUsersLastSeen')
    socket.serverMessage(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: { 1: 0, 2: 60 } }))
    await expect(pending).resolves.toEqual({ 1: 0, 2: 60, 3: 900 })
    expect(h.rest.calls.at(-1)?.params).toEqual({ userIds: [3], sendToQueueSever: true })
    await expect(h.client.getUsersLastSeen(['1'] as never)).rejects.toThrow(TypeError)
    const ping = h.client.ping(2).catch((error: unknown) => error)
    await h.clock.tick(2_000)
    expect(await ping).toBeInstanceOf(ErrorTimeout)
  })

  it('user status subscriptions are re-sent after every open', async () => {
    h = harness({ version: 5 })
    const socket = await startConnected(h)
    const pending = h.client.subscribeUserStatusChange(9, () => {})
    const request = JSON.parse(String(socket.sent.at(-1)))
    expect(request).toMatchObject({ method: 'subscribeStatusChange', params: { userId: 9 } })
    socket.serverMessage(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: true }))
    await pending
    socket.serverClose(1006)
    await h.clock.tick(500)
    const next = (await import('./helpers')).FakeWebSocket.last()
    next.serverOpen()
    expect(JSON.parse(String(next.sent.at(-1)))).toMatchObject({ method: 'subscribeStatusChange', params: { userId: 9 } })
  })

  it('debug getters, capturePullEvent and enableLogging', async () => {
    h = harness({ version: 4 })
    const socket = await startConnected(h)
    expect(h.client.getRevision()).toBe(19)
    expect(h.client.getServerVersion()).toBe(4)
    expect(h.client.getServerMode()).toBe('personal')
    expect(h.client.isProtobufSupported()).toBe(true)
    expect(h.client.isJsonRpc()).toBe(false)
    expect(h.client.isPublishingEnabled()).toBe(true)
    expect(h.client.isWebSocketSupported()).toBe(true)
    expect(h.client.isWebSoketConnected()).toBe(true)
    const info = h.client.getDebugInfo()
    expect(info.Connect).toBe('Y')
    expect(String(info.Path)).toContain('CHANNEL_ID=***')
    expect(JSON.stringify(info)).not.toContain('a'.repeat(32))
    h.client.capturePullEvent()
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'seen' })) // v4 servers may still send text frames
    const infoLines = () => h.logger.lines.filter((line) => line.startsWith('info onPullEvent'))
    expect(infoLines()).toHaveLength(1)
    h.client.capturePullEvent(false)
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'unseen' }))
    expect(infoLines()).toHaveLength(1)
    const before = h.logger.lines.filter((line) => line.startsWith('log ')).length
    h.client.enableLogging()
    socket.serverClose(1006)
    expect(h.logger.lines.filter((line) => line.startsWith('log ')).length).toBeGreaterThan(before)
  })

  it('PULL-53 (part) the statics and the legacy no-op methods exist and do not throw', () => {
    expect(PullClient.PullStatus).toEqual({ Online: 'online', Offline: 'offline', Connecting: 'connect' })
    expect(PullClient.SubscriptionType.Revision).toBe('revision')
    expect(PullClient.CloseReasons.WRONG_CHANNEL_ID).toBe(4010)
    expect(new PullClient.StorageManager({ userId: 2, siteId: 's2', storage: null }).getKey('x')).toBe('bx-pull-2-s2-x')
    h = harness()
    const client = h.client as unknown as Record<string, () => unknown>
    for (const name of ['setPrivateVar', 'returnPrivateVar', 'expireConfig', 'updateChannelID', 'tryConnect', 'tryConnectDelay',
      'tryConnectSet', 'updateState', 'setUpdateStateStepCount', 'closeConfirm']) {
      expect(typeof client[name]).toBe('function')
      expect(() => client[name]?.()).not.toThrow()
    }
    expect(h.client.isWebSoketConnected()).toBe(false)
    expect(h.client.supportWebSocket()).toBe(true)
    expect(h.client.getPullServerStatus()).toBe(false)
  })
})
