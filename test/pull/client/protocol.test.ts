import { afterEach, describe, expect, it } from 'vitest'
import { connectionPath } from '../../../src/pull'
import { encodeResponseBatch, encodeRpcBatchFrame, encodeRpcIncomingMessage, hexToBytes } from '../../../src/pull/codecs'
import { FakeWebSocket, PRIVATE_ID, SHARED_ID, flush, harness, makeConfig, manualClock, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('wire protocols (B.5, B.6)', () => {
  it('PULL-34 mid, tag and time of the last event go back on the next connect', async () => {
    h = harness()
    const socket = await startConnected(h)
    expect(socket.url).not.toContain('mid=')
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }, '17954246100000000000000042', '643', 'Mon, 23 Nov 2026 09:03:30 GMT'))
    socket.serverClose(1006, 'network')
    await h.clock.tick(600) // attempt 0 → 0.5 s (random pinned to 0)
    const next = FakeWebSocket.last()
    expect(next).not.toBe(socket)
    const query = new URL(next.url).searchParams
    expect(query.get('mid')).toBe('17954246100000000000000042')
    expect(query.get('tag')).toBe('643')
    expect(query.get('time')).toBe('Mon, 23 Nov 2026 09:03:30 GMT')
  })

  it('PULL-35 protobuf ResponseBatch: hex mids, sender with hex id, other responses ignored', async () => {
    h = harness({ version: 4 })
    const socket = await startConnected(h)
    expect(socket.binaryType).toBe('arraybuffer')
    expect(socket.url).toContain('binaryMode=true')
    const seen: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string; extra: unknown }) => seen.push([d.command, (d.extra as { sender: unknown }).sender]) })
    h.client.subscribe({ type: 'client', moduleId: 'im', callback: (d: { command: string; extra: unknown }) => seen.push(['client:' + d.command, (d.extra as { sender: unknown }).sender]) })
    const body = (command: string) => JSON.stringify({ module_id: 'im', command, params: {}, extra: {} })
    const bytes = encodeResponseBatch([
      { command: 'channelStats', channels: [{ id: hexToBytes('ab'), isPrivate: true, isOnline: true }] },
      { command: 'outgoingMessages', messages: [
        { id: hexToBytes('0a0b0c'), body: body('fromBackend'), expiry: 0, created: 1, sender: { type: 2 } },
        { id: hexToBytes('0d0e0f'), body: body('fromClient'), expiry: 0, created: 1, sender: { type: 1, id: hexToBytes('00ff') } },
      ] },
      { command: 'serverStats', json: '{}' },
    ])
    socket.serverMessage(bytes.slice().buffer)
    expect(seen).toEqual([['fromBackend', { type: 2, id: '' }], ['client:fromClient', { type: 1, id: '00ff' }]])
    expect(h.client.getDebugInfo()['Last message']).toBe('0d0e0f')
  })

  it('PULL-36 JSON-RPC: ping gets pong, the 20 s watchdog closes with 3005, incoming.message merges params and sends mack', async () => {
    h = harness({ version: 5 })
    h.config.jwt = 'header.payload.sig'
    const socket = await startConnected(h)
    expect(socket.url).toContain('token=header.payload.sig')
    expect(socket.url).toContain('jsonRpc=true')
    const seen: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { params: unknown }) => seen.push(d.params) })
    socket.serverMessage(encodeRpcBatchFrame([
      encodeRpcIncomingMessage({ mid: 'm-1', bodyJson: JSON.stringify({ module_id: 'im', command: 'x', params: { a: 1, b: 1 } }), user_params: { b: 2 }, dictionary: { c: 3 } }),
      encodeRpcIncomingMessage({ mid: 'm-1', bodyJson: JSON.stringify({ module_id: 'im', command: 'x', params: {} }) }),
    ]))
    expect(seen).toEqual([{ a: 1, b: 2, c: 3 }])
    // a mack for the duplicate too, as Bitrix's web client does
    expect(socket.sent).toEqual(['mack:m-1', 'mack:m-1'])
    // no ping yet: no watchdog
    await h.clock.tick(30_000)
    expect(socket.closedWith).toBeNull()
    socket.serverMessage('ping')
    expect(socket.sent.at(-1)).toBe('pong')
    await h.clock.tick(19_000)
    socket.serverMessage('ping')
    await h.clock.tick(19_000)
    expect(socket.closedWith).toBeNull()
    await h.clock.tick(1_500)
    expect(socket.closedWith).toEqual({ code: 3005, reason: 'connection stuck' })
    expect(h.client.isConnected()).toBe(false)
    await h.clock.tick(1_000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('PULL-37 connection URL: parameter order, encoding, *_secure URLs on https, long_pooling_secure spelling', () => {
    const clock = manualClock()
    const config = makeConfig(clock, 4, { clientId: 'lic/1' }, { mode: 'shared' })
    const session = { mid: '17954246100000000000000042', tag: '643', time: 'Mon, 23 Nov 2026 09:03:30 GMT' }
    expect(connectionPath(config, session, 'webSocket', true)).toBe(
      'wss://push.example/bitrix/subws/?CHANNEL_ID=' + encodeURIComponent(PRIVATE_ID) + '%2F' + encodeURIComponent(SHARED_ID) +
        '&binaryMode=true&clientId=lic%2F1&mid=17954246100000000000000042&tag=643&time=Mon%2C%2023%20Nov%202026%2009%3A03%3A30%20GMT&revision=19',
    )
    expect(connectionPath(config, { mid: null, tag: null, time: null }, 'longPolling', true))
      .toMatch(/^https:\/\/push\.example\/bitrix\/sub\/\?CHANNEL_ID=[^&]+&binaryMode=true&clientId=lic%2F1&revision=19$/)
    expect(connectionPath(config, { mid: null, tag: null, time: null }, 'longPolling', false)).toMatch(/^http:\/\/push\.example\/bitrix\/sub\/\?/)
    const v5 = makeConfig(clock, 5, { jwt: 't.o.k' })
    expect(connectionPath(v5, { mid: 'm', tag: null, time: null }, 'webSocket', false)).toBe('ws://push.example/bitrix/subws/?token=t.o.k&jsonRpc=true&mid=m&revision=19')
    const v3 = makeConfig(clock, 3)
    delete v3.channels.shared
    expect(connectionPath(v3, { mid: null, tag: null, time: null }, 'webSocket', false))
      .toBe('ws://push.example/bitrix/subws/?CHANNEL_ID=' + encodeURIComponent(PRIVATE_ID) + '&revision=19')
    expect(() => connectionPath(makeConfig(clock, 4, {}, { mode: 'shared' }), session, 'webSocket', true)).toThrow(/clientId/)
    expect(() => connectionPath(makeConfig(clock, 3, { channels: {} }), session, 'webSocket', true)).toThrow(/channels/)
  })

  it('binary garbage on a text-frame server is skipped and the next message still arrives', async () => {
    h = harness()
    const socket = await startConnected(h)
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    socket.serverMessage(utf8('garbage').buffer as ArrayBuffer)
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'ok' }))
    await flush()
    expect(seen).toEqual(['ok'])
  })
})
