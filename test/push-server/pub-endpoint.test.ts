// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeTextFrames } from '../../src/pull/codecs/text-frames'
import { encodeRequestBatch } from '../../src/pull/codecs/protobuf-schema'
import { hexToBytes } from '../../src/pull/codecs/hex'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { captures } from '../pull/codecs/fixtures'
import { asServed, channelId, openSocket, rawHttp, shapeOf, sleep } from './helpers'

const pub = captures.publish
const KEY = captures.websocket.channelIds.key
let server: PushServer
let port: number
let clock = 1_795_424_610_000

beforeEach(async () => {
  server = await startPushServer({ signatureKey: KEY, longPollingHoldMs: 300, clock: () => clock, log: () => {} })
  port = Number(new URL(server.url).port)
})
afterEach(() => server.close())

const post = (channels: string, body: string | Buffer[], headers: Record<string, string> = {}) =>
  rawHttp(port, { method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${channels}`, body, headers })
const catchUp = async (channel: string): Promise<unknown[]> => {
  const res = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${server.signChannel(channel)}&mid=${'0'.repeat(26)}` })
  return res.status === 200 ? decodeTextFrames(res.body).messages.map((m) => m.text.params) : []
}

describe('POST /bitrix/pub/ (PULL-54)', () => {
  it('answers 200 with an empty chunked body and the captured head', async () => {
    const res = await post(channelId(1), captures.websocket.publishRequest.body)
    expect(res.status).toBe(200)
    expect(res.body).toBe('')
    expect(shapeOf(res.head)).toBe(shapeOf(pub.messageExpiry.publishWithHeader))
  })

  it.each([
    ['shortId', channelId(1).slice(1), '{"module_id":"a","command":"b"}'],
    ['signedWithWrongSig', `${channelId(1)}.${'0'.repeat(40)}`, '{"module_id":"a","command":"b"}'],
    ['emptyBody', channelId(1), ''],
  ] as const)('PULL-54: %s → the captured status and body', async (name, channels, body) => {
    const res = await post(channels, body)
    expect([res.status, res.body]).toEqual([pub.badChannel[name].status, pub.badChannel[name].body])
  })

  it('PULL-54: no CHANNEL_ID → 400 No channel id provided.', async () => {
    const res = await rawHttp(port, { method: 'POST', path: '/bitrix/pub/', body: 'x' })
    expect([res.status, res.body]).toEqual([pub.badChannel.noChannel.status, pub.badChannel.noChannel.body])
  })

  it('PULL-54: 1,000,000 characters pass, 1,000,001 → 413 with the captured head, and the server lives on', async () => {
    const prefix = '{"module_id":"a","command":"b","params":{"s":"'
    const exact = prefix + 'x'.repeat(1_000_000 - prefix.length - 3) + '"}}'
    expect(exact).toHaveLength(1_000_000)
    expect((await post(channelId(1), exact)).status).toBe(200)
    const over = await post(channelId(1), exact + ' ')
    expect(over.status).toBe(413)
    expect(shapeOf(over.head)).toBe(shapeOf(asServed(pub.sizeLimit.ascii1000001Bytes.rawHead, null)))
    expect((await post(channelId(1), '{"module_id":"a","command":"b","params":{"after":1}}')).status).toBe(200)
  })

  it('counts characters, not bytes, and keeps a UTF-8 character split across TCP writes intact (no U+FFFD)', async () => {
    const text = 'я'.repeat(600_000)
    const whole = Buffer.from(`{"module_id":"a","command":"b","params":{"s":"${text}"}}`)
    // Cut in the middle of a two-byte character, several times.
    const cuts = [65_537, 300_001, 900_003]
    const parts = [0, ...cuts].map((start, i) => whole.subarray(start, cuts[i] ?? whole.length))
    expect(whole.length).toBeGreaterThan(1_000_000)
    expect((await post(channelId(2), parts)).status).toBe(200)
    const [params] = (await catchUp(channelId(2))) as { s: string }[]
    expect(params!.s).toBe(text)
    expect(params!.s).not.toContain('\uFFFD')
  })

  it('an absurdly large body → 413 without being kept in memory', async () => {
    expect((await post(channelId(1), [Buffer.alloc(4_000_001, 0x61)])).status).toBe(413)
  })

  it('Message-Expiry only lowers the TTL; an expired message drops out of catch-up (captured)', async () => {
    await post(channelId(3), '{"module_id":"a","command":"b","params":{"n":300}}', { 'Message-Expiry': '3' })
    await post(channelId(3), '{"module_id":"a","command":"b","params":{"n":301}}', { 'Message-Expiry': 'abc' })
    await post(channelId(3), '{"module_id":"a","command":"b","params":{"n":302}}', { 'Message-Expiry': '999999' })
    expect(await catchUp(channelId(3))).toEqual([{ n: 300 }, { n: 301 }, { n: 302 }])
    clock += 4000
    expect(await catchUp(channelId(3))).toEqual([{ n: 301 }, { n: 302 }])
    clock += 86_400_000
    expect(await catchUp(channelId(3))).toEqual([])
  })

  it('a non-JSON body is stored and delivered verbatim (captured), and the codec reports it', async () => {
    await post(channelId(4), 'hello world')
    const res = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${server.signChannel(channelId(4))}&mid=${'0'.repeat(26)}` })
    expect(res.body).toMatch(/"text":hello world}#!NGINXNME!#$/)
    expect(decodeTextFrames(res.body).issues).toMatchObject([{ kind: 'bad-json' }])
  })

  it('a v4 backend publish (binaryMode=true, protobuf RequestBatch) reaches the receivers', async () => {
    const batch = encodeRequestBatch([{ command: 'incomingMessages', messages: [{
      receivers: [{ id: hexToBytes(channelId(5)), isPrivate: true }], body: '{"module_id":"im","command":"x","params":{"v":4}}', expiry: 0, type: 'im_x',
    }] }])
    const res = await fetch(`${server.url}/bitrix/pub/?binaryMode=true`, { method: 'POST', body: new Uint8Array(batch) })
    expect(res.status).toBe(200)
    expect(await catchUp(channelId(5))).toEqual([{ v: 4 }])
    const bad = await fetch(`${server.url}/bitrix/pub/?binaryMode=true`, { method: 'POST', body: Uint8Array.of(0x0a, 0x09) })
    expect(bad.status).toBe(400)
  })
})

describe('GET /bitrix/pub/ channel stats', () => {
  it('lists subscribed channels in 1.x\'s format, and none for unknown channels (captured)', async () => {
    const a = channelId(6)
    const b = channelId(7)
    const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${server.signChannel(a)}/${server.signChannel(b)}`)
    await sleep(20)
    const res = await rawHttp(port, { path: `/bitrix/pub/?CHANNEL_ID=${a}/${channelId(8)}` })
    expect(res.body).toBe(captures.stats.channelStats.body.replace(captures.websocket.channelIds.A, a))
    expect((await rawHttp(port, { path: `/bitrix/pub/?CHANNEL_ID=${channelId(9)}` })).body).toBe(captures.stats.channelStatsUnknown)
    socket.ws.close()
  })
})
