// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { decodeRpcFrame } from '../../src/pull/codecs/json-rpc'
import { decodeResponseBatch } from '../../src/pull/codecs/protobuf-response'
import { decodeTextFrames } from '../../src/pull/codecs/text-frames'
import type { DecodeResult } from '../../src/pull/codecs/types'
import { startPushServer, type PushProtocol, type PushServer } from '../../src/push-server/server'
import { channelId, openSocket, rawHttp, sleep, type Frame, type TestSocket } from './helpers'

let server: PushServer | undefined
const sockets: TestSocket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate()
  await server?.close()
  server = undefined
})

const QUERY: Record<PushProtocol, string> = { text: '', protobuf: '&binaryMode=true', 'json-rpc': '&jsonRpc=true' }

/** The client-side codec for each protocol, as the pull client will call it. */
function decode(frame: Frame): DecodeResult {
  if (typeof frame !== 'string') return decodeResponseBatch(frame)
  if (frame.includes('#!NGINXNMS!#') || !frame.startsWith('{') && !frame.startsWith('[')) return decodeTextFrames(frame)
  return decodeRpcFrame(frame)
}

async function setUp(protocol: PushProtocol, channels = [channelId(1)], query = ''): Promise<{ server: PushServer; socket: TestSocket }> {
  server = await startPushServer({ protocol, signatureKey: 'k', rpcPingMs: 60_000, longPollingHoldMs: 2000, log: () => {} })
  const ids = channels.map((c) => server!.signChannel(c)).join('/')
  const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${encodeURIComponent(ids)}${QUERY[protocol]}${query}`)
  sockets.push(socket)
  await sleep(10)
  return { server, socket }
}
const body = (n: number) => ({ module_id: 'im', command: 'message', params: { n }, extra: {} })

describe.each(['text', 'protobuf', 'json-rpc'] as const)('faults, %s protocol', (protocol) => {
  it('a malformed frame is reported by the codec and the next message still arrives', async () => {
    const { server, socket } = await setUp(protocol)
    server.faults.sendMalformed()
    const mid = server.publish(channelId(1), body(1))
    const bad = decode(await socket.next())
    expect(bad.messages).toEqual([])
    expect(bad.issues.length).toBeGreaterThan(0)
    expect(decode(await socket.next()).messages.map((m) => m.mid)).toEqual([mid])
  })

  it('duplicateLast delivers the same mid again', async () => {
    const { server, socket } = await setUp(protocol)
    const mid = server.publish(channelId(1), body(1))
    await socket.next()
    expect(server.faults.duplicateLast()).toBe(mid)
    expect(decode(await socket.next()).messages.map((m) => m.mid)).toEqual([mid])
  })

  it('restart sends pull/server_restart, then cuts the connection (1006 at the client)', async () => {
    const { server, socket } = await setUp(protocol)
    const mid = server.faults.restart()
    const { messages } = decode(await socket.next())
    expect(messages.map((m) => [m.mid, m.text.module_id, m.text.command])).toEqual([[mid, 'pull', 'server_restart']])
    expect((await socket.closed).code).toBe(1006)
    expect(server.stats().websockets).toBe(0)
  })

  it('expireChannel sends pull/channel_expire with its params and forgets the channel\'s messages', async () => {
    const { server, socket } = await setUp(protocol)
    server.publish(channelId(1), body(1))
    await socket.next()
    const newChannel = { id: channelId(2), start: '2026-11-23T10:00:00+00:00', end: '2026-11-24T10:00:00+00:00', type: 'private' }
    server.faults.expireChannel(channelId(1), { action: 'reconnect', new_channel: newChannel })
    const { messages } = decode(await socket.next())
    expect(messages.map((m) => [m.text.module_id, m.text.command, m.text.params])).toEqual([['pull', 'channel_expire', { action: 'reconnect', new_channel: newChannel }]])
    expect(server.stats().storedMessages).toBe(0)
  })
})

describe('faults across connections', () => {
  it('dropAll cuts every WebSocket (1006) and every held long poll', async () => {
    const { server, socket } = await setUp('text')
    const port = Number(new URL(server.url).port)
    const poll = rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${server.signChannel(channelId(5))}` }).then(() => 'answered', () => 'cut')
    await sleep(30)
    expect(server.stats()).toMatchObject({ websockets: 1, longPolls: 1 })
    server.faults.dropAll()
    expect((await socket.closed).code).toBe(1006)
    expect(await poll).toBe('cut')
  })

  it('restart answers a held long poll with server_restart', async () => {
    const { server } = await setUp('text')
    const port = Number(new URL(server.url).port)
    const poll = rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${server.signChannel(channelId(5))}` })
    await sleep(30)
    server.faults.restart()
    const res = await poll
    expect(res.status).toBe(200)
    expect(decodeTextFrames(res.body).messages.map((m) => m.text.command)).toEqual(['server_restart'])
  })

  it('a restart message is not stored: a reconnect with an older mid does not replay it', async () => {
    const { server, socket } = await setUp('text')
    const seen = server.publish(channelId(1), body(1))
    await socket.next()
    server.faults.restart()
    await socket.closed
    const again = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${server.signChannel(channelId(1))}&mid=${seen}`)
    sockets.push(again)
    await sleep(50)
    expect(again.pending()).toEqual([])
  })

  it('setDelay slows delivery and batches what was published meanwhile', async () => {
    const { server, socket } = await setUp('text')
    server.faults.setDelay(200)
    const started = Date.now()
    server.publish(channelId(1), body(1))
    await sleep(50)
    server.publish(channelId(1), body(2))
    const frame = await socket.next()
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(decode(frame).messages.map((m) => m.text.params.n)).toEqual([1, 2])
    server.faults.setDelay(0)
    server.publish(channelId(1), body(3))
    const quick = Date.now()
    await socket.next()
    expect(Date.now() - quick).toBeLessThan(150)
  })

  it('duplicateLast with nothing published returns null', async () => {
    const { server } = await setUp('text')
    expect(server.faults.duplicateLast()).toBeNull()
  })
})
