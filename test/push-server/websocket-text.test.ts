// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeTextFrames } from '../../src/pull/codecs/text-frames'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { captures } from '../pull/codecs/fixtures'
import { asServed, channelId, openSocket, rawHttp, sleep, type TestSocket } from './helpers'

const ws = captures.websocket
const KEY = ws.channelIds.key
let server: PushServer
const sockets: TestSocket[] = []

beforeEach(async () => {
  server = await startPushServer({ signatureKey: KEY, log: () => {} })
})
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate()
  await server.close()
})

async function subscribe(channels: string[], query = '', path = 'subws'): Promise<TestSocket> {
  const ids = channels.map((c) => server.signChannel(c)).join('/')
  const socket = await openSocket(`${server.url.replace('http', 'ws')}/bitrix/${path}/?CHANNEL_ID=${encodeURIComponent(ids)}${query}`)
  sockets.push(socket)
  await sleep(10)
  return socket
}
const body = (n: number): string => JSON.stringify({ module_id: 'test', command: 'ping', params: { n }, extra: { server_time_unix: 1_795_424_610.613 } })
const textOf = (frame: string | Uint8Array): string => {
  expect(typeof frame).toBe('string')
  return frame as string
}

describe('WebSocket, text protocol (push-server 1.x)', () => {
  it('round trip: subscribe, publish, receive one text frame shaped like the capture', async () => {
    const socket = await subscribe([channelId(1)])
    const mid = server.publish(channelId(1), body(1))
    const frame = textOf(await socket.next())
    const shape = (f: string): string => f.replace(/"id":\d+/, '"id":N').replace(/"mid":"\d{26}"/, '"mid":"M"').replace(/"channel":"\w{32}"/, '"channel":"C"')
      .replace(/"tag":"\d{3}"/, '"tag":"T"').replace(/"time":"[^"]+"/, '"time":"D"')
    expect(shape(frame)).toBe(shape(ws.frame))
    const { messages, issues } = decodeTextFrames(frame)
    expect(issues).toEqual([])
    expect(messages).toEqual([{ id: Number(mid.slice(10)), mid, channel: channelId(1), tag: expect.stringMatching(/^\d{3}$/), time: expect.any(String), text: JSON.parse(body(1)) }])
  })

  it('a publish over HTTP reaches a subscriber on /bitrix/sub/ with binaryMode, revision, tag and time ignored (captured)', async () => {
    const socket = await subscribe([channelId(1), channelId(2)], '&binaryMode=true&revision=19&tag=1&time=2', 'sub')
    const res = await rawHttp(Number(new URL(server.url).port), { method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${channelId(2)}`, body: body(2) })
    expect(res.status).toBe(200)
    const { messages } = decodeTextFrames(textOf(await socket.next()))
    expect(messages.map((m) => [m.channel, m.text.params.n])).toEqual([[channelId(2), 2]])
  })

  it('messages published together arrive together in one frame', async () => {
    const socket = await subscribe([channelId(1)])
    server.publish(channelId(1), body(12))
    server.publish(channelId(1), body(13))
    const { messages } = decodeTextFrames(textOf(await socket.next()))
    expect(messages.map((m) => m.text.params.n)).toEqual([12, 13])
  })

  it('a subscriber on A/B gets a message published to A/B twice with the same mid, channel A both times (captured)', async () => {
    const socket = await subscribe([channelId(1), channelId(2)])
    const mid = server.publish([channelId(1), channelId(2)], body(4))
    const { messages } = decodeTextFrames(textOf(await socket.next()))
    expect(messages.map((m) => [m.mid, m.channel])).toEqual([[mid, channelId(1)], [mid, channelId(1)]])
  })

  it('reconnect with mid: exactly the missed messages, in one frame, then live ones', async () => {
    const first = await subscribe([channelId(3)])
    const seen = server.publish(channelId(3), body(200))
    expect(decodeTextFrames(textOf(await first.next())).messages[0]!.mid).toBe(seen)
    first.ws.close()
    await first.closed
    const missed = [server.publish(channelId(3), body(201)), server.publish(channelId(3), body(202)), server.publish(channelId(3), body(203))]
    server.publish(channelId(4), body(999))
    const again = await subscribe([channelId(3)], `&mid=${seen}`)
    const catchUp = decodeTextFrames(textOf(await again.next()))
    expect(catchUp.messages.map((m) => m.mid)).toEqual(missed)
    const live = server.publish(channelId(3), body(204))
    expect(decodeTextFrames(textOf(await again.next())).messages.map((m) => m.mid)).toEqual([live])
  })

  it('a mid from the future delivers nothing (captured)', async () => {
    server.publish(channelId(3), body(1))
    const socket = await subscribe([channelId(3)], `&mid=${'9'.repeat(26)}`)
    await sleep(50)
    expect(socket.pending()).toEqual([])
  })

  it.each(Object.keys(ws.badChannel.cases))('PULL-54: upgrade refused byte for byte as captured: %s', async (name) => {
    const port = Number(new URL(server.url).port)
    const A = channelId(1)
    const signed = server.signChannel(A)
    const raw: Record<string, string | null> = {
      'wrong-sig': `${A}.${'0'.repeat(40)}`, unsigned: A, 'short-id': A.slice(1), 'sig-wrong-length': `${A}.abc`,
      'second-channel-bad': `${signed}/${channelId(2)}`, 'no-channel': null,
    }
    const query = raw[name] === null ? '' : `?CHANNEL_ID=${raw[name]}`
    const res = await rawHttp(port, {
      path: `/bitrix/subws/${query}`,
      headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' },
    })
    expect(res.head + res.body).toBe(asServed(ws.badChannel.rawResponse, null))
    expect(res.status).toBe(ws.badChannel.cases[name]!.status)
  })
})
