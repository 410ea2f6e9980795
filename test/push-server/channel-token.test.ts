// @vitest-environment node
// v5 `token=` subscriptions: the JWT codec alone, then the server's sub endpoints with it (spec B.5).
import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_TOKEN_LENGTH, readChannelToken, signChannelToken, type ChannelTokenClaims } from '../../src/push-server/channel-token'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { channelId, openSocket, rawHttp, sleep, type TestSocket } from './helpers'

const KEY = 'token-test-key'
const NOW = 1_800_000_000
const claims = (over: Partial<ChannelTokenClaims> = {}): ChannelTokenClaims =>
  ({ iss: 'portal.test', iat: NOW, exp: NOW + 600, sub: 7, chan: `${channelId(1)},${channelId(2)}`, ...over })
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const sign = (unsigned: string, key = KEY) => `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`

describe('channel tokens (v5 JWT)', () => {
  it('PULL-37 a signed token gives its channels; private:public pairs give both halves and the public id', () => {
    expect(readChannelToken(signChannelToken(claims(), KEY), KEY, NOW)).toEqual({ ok: true, channels: [channelId(1), channelId(2)], publicIds: [] })
    const pair = `${channelId(3)}:${channelId(4)}`
    expect(readChannelToken(signChannelToken(claims({ chan: `${pair},${channelId(3)}` }), KEY), KEY, NOW))
      .toEqual({ ok: true, channels: [channelId(3), channelId(4)], publicIds: [channelId(4)] })
  })

  it('PULL-37 it is a standard HS256 JWT: header, claims and signature as any JWT library reads them', () => {
    const [header, payload, signature] = signChannelToken(claims(), KEY).split('.')
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' })
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual(claims())
    expect(signature).toBe(createHmac('sha256', KEY).update(`${header}.${payload}`).digest('base64url'))
  })

  it('PULL-37 hostile tokens are refused, never thrown', () => {
    const good = signChannelToken(claims(), KEY)
    const [header, payload] = good.split('.') as [string, string]
    const cases: Record<string, string> = {
      'another key': signChannelToken(claims(), 'other-key'),
      'claims changed after signing': `${header}.${b64(claims({ chan: channelId(9) }))}.${good.split('.')[2]}`,
      'alg none, no signature': `${b64({ alg: 'none' })}.${payload}.`,
      'alg HS512 header, signed': sign(`${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}`),
      'two parts': `${header}.${payload}`,
      'four parts': `${good}.x`,
      'signed garbage payload': sign(`${header}.${b64('not json')}`),
      'signed array payload': sign(`${header}.${b64([1])}`),
      'signed payload with characters outside base64url': sign(`${header}.${payload}*`),
      'chan missing': signChannelToken({ ...claims(), chan: undefined } as never, KEY),
      'chan not a string': signChannelToken(claims({ chan: 5 as never }), KEY),
      'chan empty': signChannelToken(claims({ chan: '' }), KEY),
      'chan with a short id': signChannelToken(claims({ chan: `${channelId(1)},abc` }), KEY),
      'chan with a signed id': signChannelToken(claims({ chan: `${channelId(1)}.${'a'.repeat(40)}` }), KEY),
      'exp missing': signChannelToken({ ...claims(), exp: undefined } as never, KEY),
      'too long': sign(`${header}.${'A'.repeat(MAX_TOKEN_LENGTH)}`),
    }
    for (const [name, token] of Object.entries(cases)) {
      expect(readChannelToken(token, KEY, NOW), name).toEqual({ ok: false, reason: 'invalid' })
    }
    expect(readChannelToken('', KEY, NOW)).toEqual({ ok: false, reason: 'missing' })
    expect(readChannelToken(good, KEY, NOW + 600)).toEqual({ ok: false, reason: 'expired' })
    expect(readChannelToken(good, KEY, NOW + 599).ok).toBe(true)
  })
})

describe('token= subscriptions on the push server', () => {
  let server: PushServer
  const sockets: TestSocket[] = []
  const log: { event: string; detail: Record<string, unknown> }[] = []
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.ws.terminate()
    await server?.close()
    log.length = 0
  })
  const start = async (signatureKey?: string) => {
    server = await startPushServer({ protocol: 'json-rpc', rpcPingMs: 60_000, log: (entry) => void log.push(entry), ...(signatureKey ? { signatureKey } : {}) })
  }
  const body = (n: number) => ({ module_id: 'im', command: 'message', params: { n }, extra: {} })

  it('PULL-37 a WebSocket subscribed with the server\'s token gets the messages of the token\'s channels only', async () => {
    await start(KEY)
    const token = server.channelToken([channelId(1)], { userId: 7, ttlSec: 600 })!
    const socket = await openSocket(`${server.endpoints.websocket}?token=${encodeURIComponent(token)}&jsonRpc=true`)
    sockets.push(socket)
    await sleep(10)
    server.publish(channelId(2), body(2))
    server.publish(channelId(1), body(1))
    const frame = JSON.parse(String(await socket.next(1000)))
    expect(frame.params.body.params).toEqual({ n: 1 })
    await sleep(30)
    expect(socket.pending()).toEqual([])
  })

  it('PULL-37 long polling with a token gets the stored messages after its mid', async () => {
    await start(KEY)
    const first = server.publish(channelId(1), body(1))
    server.publish(channelId(1), body(2))
    const token = server.channelToken([channelId(1)], { userId: 7, ttlSec: 600 })!
    const res = await rawHttp(Number(new URL(server.url).port), { path: `/bitrix/sub/?token=${encodeURIComponent(token)}&mid=${first}` })
    expect(res.status).toBe(200)
    expect(res.body).toContain('"n":2')
    expect(res.body).not.toContain('"n":1')
  })

  it('PULL-37 a bad, expired or unverifiable token is refused with 400 and logged, the WebSocket upgrade too', async () => {
    await start(KEY)
    const port = Number(new URL(server.url).port)
    const upgrade = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' }
    const expired = signChannelToken(claims({ exp: Math.floor(Date.now() / 1000) - 1 }), KEY)
    const forged = signChannelToken(claims({ exp: Math.floor(Date.now() / 1000) + 600 }), 'other-key')
    for (const token of [expired, forged, 'x.y.z']) {
      expect((await rawHttp(port, { path: `/bitrix/sub/?token=${encodeURIComponent(token)}` })).status).toBe(400)
      expect((await rawHttp(port, { path: `/bitrix/subws/?token=${encodeURIComponent(token)}`, headers: upgrade })).status).toBe(400)
    }
    expect(log.map((entry) => [entry.detail.by, entry.detail.reason])).toEqual([
      ['token', 'expired'], ['token', 'expired'], ['token', 'invalid'], ['token', 'invalid'], ['token', 'invalid'], ['token', 'invalid'],
    ])
    await server.close()
    // Without a key the server cannot check a token: it issues none and refuses any.
    await start()
    expect(server.channelToken([channelId(1)], { userId: 7, ttlSec: 600 })).toBeUndefined()
    const unverifiable = signChannelToken(claims({ exp: Math.floor(Date.now() / 1000) + 600 }), KEY)
    expect((await rawHttp(Number(new URL(server.url).port), { path: `/bitrix/sub/?token=${unverifiable}` })).status).toBe(400)
  })
})
