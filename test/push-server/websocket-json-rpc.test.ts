// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRpcRequest, decodeRpcFrame, encodeRpcRequests } from '../../src/pull/codecs/json-rpc'
import { publicChannelSignature } from '../../src/push-server/channel-id'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { channelId, openSocket, sleep, type TestSocket } from './helpers'

const KEY = 'local-test-key'
let server: PushServer
const sockets: TestSocket[] = []
const userChannels: Record<number, string> = { 7: channelId(7), 8: channelId(8) }

beforeEach(async () => {
  server = await startPushServer({ protocol: 'json-rpc', signatureKey: KEY, rpcPingMs: 100, userChannel: (id) => userChannels[id], log: () => {} })
})
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate()
  await server.close()
})

async function subscribe(ids: string[], query = '&jsonRpc=true'): Promise<TestSocket> {
  const signed = ids.map((id) => server.signChannel(id)).join('/')
  const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${encodeURIComponent(signed)}${query}`)
  sockets.push(socket)
  await sleep(10)
  return socket
}
/** The next frame that is not the keep-alive ping. */
async function nextData(socket: TestSocket): Promise<string> {
  for (;;) {
    const frame = await socket.next()
    if (frame !== 'ping') return frame as string
  }
}
const message = (n: number) => ({ module_id: 'im', command: 'message', params: { n, a: 1 }, extra: {} })

describe('WebSocket, JSON-RPC protocol (server v5)', () => {
  it('PULL-36: the server pings every rpcPingMs; the codec answers pong', async () => {
    const socket = await subscribe([channelId(1)])
    const frame = await socket.next(1000)
    expect(frame).toBe('ping')
    expect(decodeRpcFrame(frame as string)).toMatchObject({ ping: true, replies: ['pong'] })
  })

  it('PULL-36: round trip: incoming.message with sender, user_params and dictionary merged by the codec, then mack', async () => {
    const socket = await subscribe([channelId(1)])
    const mid = server.publish(channelId(1), message(1), { userParams: { a: 2 }, dictionary: { d: 'x' } })
    const decoded = decodeRpcFrame(await nextData(socket))
    expect(decoded.issues).toEqual([])
    expect(decoded.messages).toEqual([{ mid, text: { module_id: 'im', command: 'message', params: { n: 1, a: 2, d: 'x' }, extra: { sender: { type: 2 } } } }])
    expect(decoded.replies).toEqual([`mack:${mid}`])
    for (const reply of decoded.replies) socket.ws.send(reply)
  })

  it('reconnect with mid: exactly the missed messages, as one batch', async () => {
    const first = await subscribe([channelId(2)])
    const seen = server.publish(channelId(2), message(1))
    await nextData(first)
    first.ws.terminate()
    await first.closed
    const missed = [server.publish(channelId(2), message(2)), server.publish(channelId(2), message(3))]
    const again = await subscribe([channelId(2)], `&jsonRpc=true&mid=${seen}`)
    const frame = await nextData(again)
    expect(frame.startsWith('[')).toBe(true)
    expect(decodeRpcFrame(frame).messages.map((m) => m.mid)).toEqual(missed)
  })

  it('publish by RPC reaches public channels and users, with sender type 1; the request is answered by id', async () => {
    const [priv, pub] = [channelId(10), channelId(11)]
    const alice = await subscribe([`${priv}:${pub}`])
    const bob = await subscribe([channelId(12)])
    const carol = await subscribe([channelId(8)])
    alice.ws.send(encodeRpcRequests(createRpcRequest('publish', {
      channelList: [`${channelId(12)}.${publicChannelSignature(channelId(12), KEY)}`],
      userList: [8],
      body: { module_id: 'app', command: 'hi', params: { x: 1 } },
    }, 41)))
    expect(JSON.parse(await nextData(alice))).toEqual({ jsonrpc: '2.0', result: true, id: 41 })
    for (const receiver of [bob, carol]) {
      const { messages } = decodeRpcFrame(await nextData(receiver))
      expect(messages.map((m) => [m.text.command, m.text.extra.sender])).toEqual([['hi', { type: 1, id: pub }]])
    }
  })

  it('getUsersLastSeen answers 0 for online users and leaves out the rest', async () => {
    const socket = await subscribe([channelId(7)])
    socket.ws.send(encodeRpcRequests(createRpcRequest('getUsersLastSeen', { userList: [7, 8, 9] }, 5)))
    expect(decodeRpcFrame(await nextData(socket)).responses).toEqual([{ id: 5, result: { 7: 0 } }])
  })

  it('an unknown method gets -32601; a frame that is not JSON gets -32600; the connection lives on', async () => {
    const socket = await subscribe([channelId(3)])
    socket.ws.send('{"jsonrpc":"2.0","method":"nope","params":{},"id":9}')
    expect(decodeRpcFrame(await nextData(socket)).responses).toEqual([{ id: 9, error: { code: -32601, message: 'Method not found' } }])
    socket.ws.send('{"jsonrpc":')
    expect(decodeRpcFrame(await nextData(socket)).responses).toEqual([{ id: null, error: { code: -32600, message: 'Invalid Request' } }])
    const mid = server.publish(channelId(3), message(5))
    expect(decodeRpcFrame(await nextData(socket)).messages.map((m) => m.mid)).toEqual([mid])
  })

  it('a batch of requests is answered with a batch', async () => {
    const socket = await subscribe([channelId(4)])
    socket.ws.send(encodeRpcRequests([createRpcRequest('ping', {}, 1), createRpcRequest('listChannels', {}, 2)]))
    expect(decodeRpcFrame(await nextData(socket)).responses).toEqual([{ id: 1, result: {} }, { id: 2, result: { channels: [channelId(4)] } }])
  })
})
