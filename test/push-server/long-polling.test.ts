// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeTextFrames } from '../../src/pull/codecs/text-frames'
import { decodeResponseBatch } from '../../src/pull/codecs/protobuf-response'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { captures } from '../pull/codecs/fixtures'
import { asServed, channelId, PAGE, PAGE_ORIGIN, rawHttp, shapeOf, sleep } from './helpers'

const lp = captures.longPolling
const KEY = captures.websocket.channelIds.key
const body = (n: number): string => JSON.stringify({ module_id: 'test', command: 'ping', params: { n } })

let server: PushServer
let port: number
const logs: string[] = []

async function start(options: Parameters<typeof startPushServer>[0] = {}): Promise<void> {
  server = await startPushServer({ signatureKey: KEY, longPollingHoldMs: 300, allowOrigins: [PAGE_ORIGIN], log: (e) => logs.push(e.event), ...options })
  port = Number(new URL(server.url).port)
}
const sub = (channels: string[], query = ''): string =>
  `/bitrix/sub/?CHANNEL_ID=${encodeURIComponent(channels.map((c) => server.signChannel(c)).join('/'))}${query}`

beforeEach(() => start())
afterEach(() => server.close())

describe('long polling holds and 304s (PULL-51, server side)', () => {
  it('PULL-51: an empty channel without mid is held, then 304 with the magic Expires and an empty Last-Message-Id, head as captured', async () => {
    const res = await rawHttp(port, { path: sub([channelId(1)]), headers: PAGE })
    expect(res.status).toBe(304)
    expect(res.elapsedMs).toBeGreaterThanOrEqual(250)
    expect(res.head).toContain('\r\nExpires: Thu, 01 Jan 1973 11:11:01 GMT\r\nLast-Message-Id: \r\n')
    expect(shapeOf(res.head)).toBe(shapeOf(asServed(lp.holdEmptyChannelNoMid.rawHead)))
  })

  it('PULL-51: a channel with messages, no mid: held, then 304 with the newest stored mid (captured)', async () => {
    server.publish(channelId(2), body(1))
    const newest = server.publish(channelId(2), body(2))
    const res = await rawHttp(port, { path: sub([channelId(2)]), headers: PAGE })
    expect(res.status).toBe(304)
    expect(res.head).toContain(`\r\nLast-Message-Id: ${newest}\r\n`)
    expect(shapeOf(res.head)).toBe(shapeOf(asServed(lp.holdChannelWithMessagesNoMid.rawHead)))
  })

  it('PULL-51: with the newest mid, the hold ends in a 304 echoing that mid', async () => {
    const mid = server.publish(channelId(3), body(1))
    const res = await rawHttp(port, { path: sub([channelId(3)], `&mid=${mid}`), headers: PAGE })
    expect(res.status).toBe(304)
    expect(res.head).toContain(`\r\nLast-Message-Id: ${mid}\r\n`)
    expect(shapeOf(res.head)).toBe(shapeOf(asServed(lp.holdWithMid.rawHead)))
  })

  it('PULL-51: a valid mid newer than anything stored is echoed back, not replaced by the newest', async () => {
    server.publish(channelId(3), body(1))
    const future = '9'.repeat(26)
    const res = await rawHttp(port, { path: sub([channelId(3)], `&mid=${future}`) })
    expect(res.status).toBe(304)
    expect(res.head).toContain(`\r\nLast-Message-Id: ${future}\r\n`)
  })

  it('a malformed mid (mid=123) is ignored: behaves like no mid (captured)', async () => {
    const newest = server.publish(channelId(4), body(1))
    const res = await rawHttp(port, { path: sub([channelId(4)], '&mid=123') })
    expect(res.status).toBe(304)
    expect(res.head).toContain(`\r\nLast-Message-Id: ${newest}\r\n`)
  })
})

describe('long polling deliveries', () => {
  it('resume after a mid answers at once with every missed message, head as captured', async () => {
    const first = server.publish(channelId(5), body(100))
    server.publish(channelId(5), body(101))
    server.publish(channelId(5), body(102))
    const res = await rawHttp(port, { path: sub([channelId(5)], `&mid=${first}`), headers: PAGE })
    expect(res.status).toBe(200)
    expect(res.elapsedMs).toBeLessThan(250)
    expect(shapeOf(res.head)).toBe(shapeOf(asServed(lp.resumeAfterFirstOfTwo.afterFirst.rawHead)))
    expect(decodeTextFrames(res.body).messages.map((m) => m.text.params.n)).toEqual([101, 102])
  })

  it('a message during the hold ends it with 200 and that message only; the next one waits for the next request', async () => {
    const pending = rawHttp(port, { path: sub([channelId(6)]), headers: PAGE })
    await sleep(50)
    const mid = server.publish(channelId(6), body(103))
    server.publish(channelId(6), body(104))
    const res = await pending
    expect(res.status).toBe(200)
    expect(shapeOf(res.head)).toBe(shapeOf(asServed(lp.messageDuringHold.rawHead)))
    const { messages } = decodeTextFrames(res.body)
    expect(messages.map((m) => m.text.params.n)).toEqual([103])
    const next = await rawHttp(port, { path: sub([channelId(6)], `&mid=${mid}`) })
    expect(decodeTextFrames(next.body).messages.map((m) => m.text.params.n)).toEqual([104])
  })

  it('a message to both of a poller\'s channels arrives once (no duplicate on long polling), via POST /bitrix/pub/', async () => {
    const pending = rawHttp(port, { path: sub([channelId(7), channelId(8)]).replace('/bitrix/sub/', '/bitrix/subws/') })
    await sleep(50)
    const pub = await rawHttp(port, { method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${channelId(7)}/${channelId(8)}`, body: body(400) })
    expect(pub.status).toBe(200)
    const res = await pending
    const { messages } = decodeTextFrames(res.body)
    expect(messages).toHaveLength(1)
    expect(messages[0]!.channel).toBe(channelId(7))
  })

  it('protobuf server: binaryMode=true long polling answers a ResponseBatch', async () => {
    await server.close()
    await start({ protocol: 'protobuf' })
    const first = server.publish(channelId(9), body(1))
    server.publish(channelId(9), body(2))
    const res = await fetch(`${server.url}${sub([channelId(9)], `&binaryMode=true&mid=${first}`)}`)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const { messages, issues } = decodeResponseBatch(new Uint8Array(await res.arrayBuffer()))
    expect(issues).toEqual([])
    expect(messages.map((m) => m.text.params.n)).toEqual([2])
    expect(messages[0]!.mid).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('long polling refusals and other requests (PULL-54)', () => {
  it.each([
    ['wrongSig', `${channelId(1)}.${'0'.repeat(40)}`, 'Channel id is not correct.'],
    ['unsigned', channelId(1), 'Channel id is not correct.'],
    ['noChannel', null, 'No channel id provided.'],
  ] as const)('PULL-54: %s → 400 with the captured body and headers', async (name, raw, text) => {
    const res = await rawHttp(port, { path: raw === null ? '/bitrix/sub/' : `/bitrix/sub/?CHANNEL_ID=${raw}`, headers: PAGE })
    const captured = lp.badChannel[name]
    expect(res.status).toBe(captured.status)
    expect(res.body).toBe(text)
    const names = res.head.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(':')[0])
    expect(names).toEqual(captured.headers.map(([headerName]) => headerName))
    expect(res.head).toContain('\r\nConnection: close\r\n')
  })

  it('a v4 private:public id is refused on the 1.x text server (captured)', async () => {
    const pair = server.signChannel(`${channelId(1)}:${channelId(2)}`)
    expect((await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${pair}` })).status).toBe(400)
  })

  it('OPTIONS answers the captured CORS preflight', async () => {
    const res = await rawHttp(port, { method: 'OPTIONS', path: sub([channelId(1)]), headers: PAGE })
    expect(res.status).toBe(200)
    const pairs = res.head.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(': ') as [string, string])
    const served = (n: string, v: string) => (n === 'Date' ? 'x' : n === 'Access-Control-Allow-Origin' ? PAGE_ORIGIN : v)
    expect(pairs.map(([n, v]) => [n, n === 'Date' ? 'x' : v])).toEqual(lp.options.headers.map(([n, v]) => [n, served(n, v)]))
  })

  it.each([
    ['HEAD_sub', 'HEAD', '/bitrix/sub/'],
    ['POST_sub', 'POST', '/bitrix/sub/'],
    ['GET_unknown_path', 'GET', '/bitrix/unknown/'],
  ])('%s → 404 (captured)', async (name, method, path) => {
    const res = await rawHttp(port, { method, path: `${path}?CHANNEL_ID=${server.signChannel(channelId(1))}`, ...(method === 'POST' ? { body: 'x' } : {}) })
    expect(res.status).toBe(lp.otherMethodsAndPaths[name])
  })

  it('a client that gives up during the hold leaves no subscriber behind', async () => {
    const controller = new AbortController()
    const pending = fetch(`${server.url}${sub([channelId(1)])}`, { signal: controller.signal }).catch(() => 'aborted')
    await sleep(50)
    expect(server.stats().longPolls).toBe(1)
    controller.abort()
    expect(await pending).toBe('aborted')
    await sleep(50)
    expect(server.stats().longPolls).toBe(0)
  })
})
