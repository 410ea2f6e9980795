// @vitest-environment node
// The push server runs on a laptop next to a browser: no website may subscribe, publish or crash it, and no client
// may make it hold unbounded memory (issue 14).
import { createHmac } from 'node:crypto'
import { connect as tcpConnect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeRpcFrame } from '../../src/pull/codecs/json-rpc'
import { startPushServer, type PushServer, type PushServerOptions } from '../../src/push-server/server'
import { channelId, openSocket, PAGE, PAGE_ORIGIN, rawHttp, sleep, type TestSocket } from './helpers'
import { waitFor } from '../wait-for'

const KEY = 'security-test-key'
let server: PushServer
let port: number
const logs: { event: string; detail: Record<string, unknown> }[] = []
const sockets: TestSocket[] = []

async function start(options: PushServerOptions = {}): Promise<void> {
  server = await startPushServer({ allowOrigins: [PAGE_ORIGIN], log: (e) => logs.push(e), ...options })
  port = Number(new URL(server.url).port)
}
async function subscribe(query: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const socket = await openSocket(`${server.endpoints.websocket}?${query}`, { headers })
  sockets.push(socket)
  return socket
}
const message = (n: number) => ({ module_id: 'im', command: 'm', params: { n }, extra: {} })
/** The process is alive and the server answers: a plain long-poll refusal comes back. */
async function stillAnswers(): Promise<void> {
  expect((await rawHttp(port, { path: '/bitrix/sub/' })).status).toBe(400)
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate()
  logs.length = 0
  await server?.close()
})

describe('SEC-1 Host names (DNS rebinding)', () => {
  it('SEC-1 refuses long polling, publishing and WebSocket upgrades that name another host; its own names pass', async () => {
    await start()
    const sub = `/bitrix/sub/?CHANNEL_ID=${channelId(1)}`
    for (const host of [`attacker.test:${port}`, 'attacker.test', `127.0.0.1:${port + 1}`, `localhost.attacker.test:${port}`]) {
      const refused = await rawHttp(port, { path: sub, headers: { Host: host } })
      expect([host, refused.status, refused.head.includes('Access-Control-Allow-Origin')]).toEqual([host, 403, false])
      const pub = await rawHttp(port, { method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${channelId(1)}`, headers: { Host: host }, body: JSON.stringify(message(1)) })
      expect(pub.status).toBe(403)
    }
    await expect(openSocket(`ws://127.0.0.1:${port}/bitrix/subws/?CHANNEL_ID=${channelId(1)}`, { headers: { Host: `attacker.test:${port}` } }))
      .rejects.toThrow(/403/)
    expect(server.stats().storedMessages).toBe(0)
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const served = rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${channelId(2)}&mid=`, headers: { Host: host } })
      await sleep(30)
      server.publish(channelId(2), message(2))
      expect((await served).status).toBe(200)
    }
  })

  it('SEC-13 names opted into with allowHosts are served; publicHost goes into the URLs', async () => {
    await start({ allowHosts: ['MyBox.local'], publicHost: 'mybox.local' })
    expect(server.endpoints.websocket).toBe(`ws://mybox.local:${port}/bitrix/subws/`)
    const socket = await openSocket(`ws://127.0.0.1:${port}/bitrix/subws/?CHANNEL_ID=${channelId(1)}`, { headers: { Host: `mybox.local:${port}` } })
    sockets.push(socket)
    expect(server.stats().websockets).toBe(1)
    expect((await rawHttp(port, { path: '/bitrix/sub/', headers: { Host: `otherbox.local:${port}` } })).status).toBe(403)
  })
})

describe('SEC-2 browser origins', () => {
  it('SEC-2 a page of another origin cannot subscribe (WebSocket or long polling), nor read a CORS answer', async () => {
    await start()
    const id = channelId(3)
    await expect(subscribe(`CHANNEL_ID=${id}`, { Origin: 'http://attacker.test:8000' })).rejects.toThrow(/403/)
    await expect(subscribe(`CHANNEL_ID=${id}`, { Origin: 'null' })).rejects.toThrow(/403/)
    const poll = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${id}`, headers: { Origin: 'http://attacker.test:8000' } })
    expect([poll.status, /access-control-allow-origin/i.test(poll.head)]).toEqual([403, false])
    // An <img>/<script> from another site carries no Origin, but says so in Sec-Fetch-Site.
    const img = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${id}`, headers: { 'Sec-Fetch-Site': 'cross-site' } })
    expect(img.status).toBe(403)
    const pre = await rawHttp(port, { method: 'OPTIONS', path: `/bitrix/sub/?CHANNEL_ID=${id}`, headers: { Origin: 'http://attacker.test:8000' } })
    expect([pre.status, /access-control-allow-origin/i.test(pre.head)]).toEqual([403, false])
    expect(server.stats().websockets).toBe(0)
  })

  it('SEC-2 the allowed page subscribes and reads with its own origin named, never *; a non-browser client gets no CORS header', async () => {
    await start()
    const page = await subscribe(`CHANNEL_ID=${channelId(4)}`, PAGE)
    const curl = await subscribe(`CHANNEL_ID=${channelId(4)}`)
    server.publish(channelId(4), message(1))
    expect(String(await page.next())).toContain('"n":1')
    expect(String(await curl.next())).toContain('"n":1')
    const poll = rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${channelId(5)}`, headers: PAGE })
    await sleep(30)
    server.publish(channelId(5), message(2))
    expect((await poll).head).toContain(`\r\nAccess-Control-Allow-Origin: ${PAGE_ORIGIN}\r\n`)
    const bare = await rawHttp(port, { path: '/bitrix/sub/' })
    expect(bare.head).not.toMatch(/access-control-allow-origin/i)
  })
})

describe('SEC-5 publishing needs the key', () => {
  const body = JSON.stringify(message(7))
  const sign = (key: string, data: string) => createHmac('sha1', key).update(data).digest('hex')

  it('SEC-5 POST /bitrix/pub/ without the signature, or with a wrong one, publishes nothing; with hex(HMAC-SHA1(key, body)) it does', async () => {
    await start({ publishKey: KEY })
    const path = `/bitrix/pub/?CHANNEL_ID=${channelId(6)}`
    for (const signature of ['', 'signature=', `signature=${sign('guess', body)}`, `signature=${encodeURIComponent('é'.repeat(40))}`, `signature=${sign(KEY, body + ' ')}`]) {
      const res = await rawHttp(port, { method: 'POST', path: `${path}&${signature}`, body })
      expect([signature, res.status]).toEqual([signature, 403])
    }
    // Not even a request line Node cannot parse (raw UTF-8 in the URL) goes unanswered.
    expect((await rawHttp(port, { method: 'POST', path: `${path}&signature=${'é'.repeat(40)}`, body })).status).toBe(400)
    expect(server.stats().storedMessages).toBe(0)
    const ok = await rawHttp(port, { method: 'POST', path: `${path}&signature=${sign(KEY, body)}`, body })
    expect(ok.status).toBe(200)
    expect(server.stats().storedMessages).toBe(1)
  })

  it('SEC-5 a browser page may never publish, not even one of an allowed origin', async () => {
    await start()
    for (const headers of [PAGE, { Origin: 'http://attacker.test' }, { 'Sec-Fetch-Site': 'cross-site' }]) {
      const res = await rawHttp(port, { method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${channelId(6)}`, headers, body })
      expect(res.status).toBe(403)
    }
    expect(server.stats().storedMessages).toBe(0)
  })
})

describe('SEC-7 hostile signatures never throw', () => {
  it('SEC-7 token= and CHANNEL_ID signatures with non-ASCII characters of the right length are refused, and the server lives', async () => {
    await start({ protocol: 'json-rpc', signatureKey: KEY })
    const token = server.channelToken([channelId(1)], { userId: 1, ttlSec: 60 })!
    const [head, claims, signature] = token.split('.')
    for (const bad of [`${head}.${claims}.${'é'.repeat(signature!.length)}`, `${head}.${claims}.${'ж'.repeat(signature!.length - 1)}x`, 'a.b.☃']) {
      await expect(subscribe(`token=${encodeURIComponent(bad)}&jsonRpc=true`)).rejects.toThrow(/400/)
      expect((await rawHttp(port, { path: `/bitrix/sub/?token=${encodeURIComponent(bad)}` })).status).toBe(400)
    }
    await expect(subscribe(`CHANNEL_ID=${channelId(1)}.${'é'.repeat(40)}`)).rejects.toThrow(/400/)
    await stillAnswers()
  })

  it('SEC-7 a JSON-RPC publish with a non-ASCII signature of the right length is refused with an answer, and the server lives', async () => {
    await start({ protocol: 'json-rpc', signatureKey: KEY })
    const socket = await subscribe(`CHANNEL_ID=${server.signChannel(channelId(1))}&jsonRpc=true`)
    socket.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'publish', id: 1, params: { channelList: [`${channelId(2)}.${'é'.repeat(40)}`, { publicId: channelId(2), signature: 'ü'.repeat(40) }], body: message(1) } }))
    const answer = decodeRpcFrame(String(await socket.next())).responses
    expect(answer).toEqual([{ id: 1, error: expect.objectContaining({ code: -32602 }) }])
    await stillAnswers()
  })
})

describe('SEC-10 frame limits', () => {
  it('SEC-10 a WebSocket frame over maxPayload closes that connection (1009), not the server', async () => {
    await start({ protocol: 'json-rpc', limits: { maxPayloadBytes: 64 * 1024 } })
    const socket = await subscribe(`CHANNEL_ID=${channelId(1)}&jsonRpc=true`)
    socket.ws.send('x'.repeat(64 * 1024 + 1))
    expect((await socket.closed).code).toBe(1009)
    await stillAnswers()
  })

  it('SEC-10 a JSON-RPC batch over 100 requests runs none of them; a publish to over 100 channels or users is refused', async () => {
    await start({ protocol: 'json-rpc' })
    const socket = await subscribe(`CHANNEL_ID=${channelId(1)}&jsonRpc=true`)
    const publish = (id: number, channels: number) => ({ jsonrpc: '2.0', method: 'publish', id, params: { channelList: Array.from({ length: channels }, (_, i) => channelId(100 + i)), body: message(id) } })
    socket.ws.send(JSON.stringify(Array.from({ length: 101 }, (_, i) => publish(i, 1))))
    expect(decodeRpcFrame(String(await socket.next())).responses).toEqual([{ id: null, error: expect.objectContaining({ code: -32600 }) }])
    socket.ws.send(JSON.stringify(publish(500, 101)))
    expect(decodeRpcFrame(String(await socket.next())).responses).toEqual([{ id: 500, error: expect.objectContaining({ code: -32602 }) }])
    expect(server.stats().storedMessages).toBe(0)
    socket.ws.send(JSON.stringify(Array.from({ length: 100 }, (_, i) => publish(i, 1))))
    expect(decodeRpcFrame(String(await socket.next())).responses).toHaveLength(100)
  })

  it('SEC-8 a JSON-RPC publish whose body is nested too deep to serialise is refused, and the server lives', async () => {
    await start({ protocol: 'json-rpc', limits: { maxPayloadBytes: 1024 * 1024 } })
    const socket = await subscribe(`CHANNEL_ID=${channelId(1)}&jsonRpc=true`)
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)
    socket.ws.send(`{"jsonrpc":"2.0","method":"publish","id":9,"params":{"channelList":["${channelId(2)}"],"body":${deep}}}`)
    expect(decodeRpcFrame(String(await socket.next())).responses).toEqual([{ id: 9, error: expect.objectContaining({ code: -32602 }) }])
    await stillAnswers()
  })
})

describe('SEC-9 SEC-11 bounded memory', () => {
  it('SEC-9 the message store keeps at most maxStoredChars of bodies and maxStoredMessages, dropping the oldest', async () => {
    await start({ limits: { maxStoredChars: 10_000, maxStoredMessages: 5 }, longPollingHoldMs: 100 })
    const big = 'x'.repeat(3000)
    const mids = [1, 2, 3, 4].map((n) => server.publish(channelId(1), { ...message(n), params: { big } }))
    expect(server.stats().storedChars).toBeLessThanOrEqual(10_000)
    expect(server.stats().storedMessages).toBe(3)
    for (let n = 0; n < 20; n++) server.publish(channelId(2 + (n % 3)), message(n))
    expect(server.stats().storedMessages).toBe(5)
    // Catch-up after the oldest mid gets what is left, oldest dropped first.
    const poll = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${channelId(1)}&mid=${mids[0]}` })
    expect(poll.status).toBe(304)
  })

  it('SEC-9 expired messages are swept out even from channels nobody reads again', async () => {
    let now = Date.now()
    await start({ clock: () => now })
    for (let n = 0; n < 50; n++) server.publish(channelId(1 + n), message(n), { expiry: 10 })
    expect(server.stats().storedChars).toBeGreaterThan(0)
    now += 61_000
    server.publish(channelId(99), message(99))
    expect(server.stats().storedChars).toBe(JSON.stringify(message(99)).length)
  })

  it('SEC-11 a subscriber that stops reading is cut off once its backlog passes maxBufferedBytes; others keep receiving', async () => {
    await start({ limits: { maxBufferedBytes: 256 * 1024 } })
    const id = channelId(1)
    // A raw WebSocket client that completes the handshake and then never reads again.
    const stalled = tcpConnect(port, '127.0.0.1')
    stalled.write(`GET /bitrix/subws/?CHANNEL_ID=${id} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    await new Promise<void>((done) => stalled.once('data', () => done()))
    stalled.pause()
    const reader = await subscribe(`CHANNEL_ID=${id}`)
    let received = 0
    reader.ws.on('message', () => received++)
    const big = 'y'.repeat(200_000)
    try {
      for (let n = 0; n < 400 && server.stats().websockets === 2; n++) {
        server.publish(id, { ...message(n), params: { big } })
        await sleep(5)
      }
      expect(logs.some((e) => e.event === 'slow subscriber cut off')).toBe(true)
      await waitFor('the stalled subscriber is gone', () => server.stats().websockets === 1)
      expect(received).toBeGreaterThan(0)
    } finally {
      stalled.destroy()
    }
  })
})
