// @vitest-environment node
// SEC-12 property-based fuzzing of the push server's entry points (issue 14): sub CHANNEL_ID / token / mid, pub
// bodies, and frames subscribers send (JSON-RPC text, protobuf bytes). Whatever arrives: the process lives, every
// request is answered, and the store stays under its limits. One server per property; bounded runs keep CI fast.
import fc from 'fast-check'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeRpcFrame } from '../../src/pull/codecs/json-rpc'
import { startPushServer, type PushServer, type PushServerOptions } from '../../src/push-server/server'
import { channelId, openSocket, rawHttp, type TestSocket } from './helpers'

const KEY = 'fuzz-key'
const LIMITS = { maxStoredChars: 200_000, maxStoredMessages: 500, maxPayloadBytes: 256 * 1024 }
const RUNS = 120

async function withServer(options: PushServerOptions, run: (server: PushServer, port: number) => Promise<void>): Promise<void> {
  const server = await startPushServer({ signatureKey: KEY, publishKey: KEY, longPollingHoldMs: 20, limits: LIMITS, log: () => {}, ...options })
  try {
    await run(server, Number(new URL(server.url).port))
    expect(server.stats().storedChars).toBeLessThanOrEqual(LIMITS.maxStoredChars)
    // Still alive and answering at the end.
    expect((await rawHttp(Number(new URL(server.url).port), { path: '/bitrix/sub/' })).status).toBe(400)
  } finally {
    await server.close()
  }
}

/** Strings a hostile client would try: anything, near-valid ids and signatures, non-ASCII, separators. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', '/', '.', ':', '%', '%zz', '..', 'null', '__proto__', 'é'.repeat(40), '0'.repeat(32), `${'a'.repeat(32)}.${'é'.repeat(40)}`),
  fc.tuple(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 45 })).map(([id, sig]) => `${id}.${sig}`),
)
const query = (pairs: [string, string][]) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')

describe('SEC-12 fuzzed push server entry points', { timeout: 60_000 }, () => {
  it('SEC-12 sub: any CHANNEL_ID, token, mid and mode, over long polling and WebSocket upgrades, is answered', async () => {
    await withServer({ protocol: 'json-rpc' }, async (server, port) => {
      const token = server.channelToken([channelId(1)], { userId: 1, ttlSec: 60 })!
      await fc.assert(fc.asyncProperty(
        fc.record({
          id: fc.oneof(hostileText, fc.constant(server.signChannel(channelId(1)))),
          token: fc.option(fc.oneof(hostileText, fc.constant(token), fc.constant(token.slice(0, -2) + 'éé')), { nil: undefined }),
          mid: fc.option(hostileText, { nil: undefined }),
          extra: fc.constantFrom('', '&jsonRpc=true', '&binaryMode=true', '&revision=19&tag=x&time=y'),
          path: fc.constantFrom('/bitrix/sub/', '/bitrix/subws/', '/bitrix/sub', '/bitrix/subws'),
          upgrade: fc.boolean(),
        }),
        async ({ id, token: t, mid, extra, path, upgrade }) => {
          const pairs: [string, string][] = [['CHANNEL_ID', id]]
          if (t !== undefined) pairs.push(['token', t])
          if (mid !== undefined) pairs.push(['mid', mid])
          const target = `${path}?${query(pairs)}${extra}`
          const headers = upgrade ? { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' } : undefined
          const res = await rawHttp(port, { path: target, ...(headers ? { headers } : {}) })
          expect([101, 200, 304, 400]).toContain(res.status)
        },
      ), { numRuns: RUNS })
    })
  })

  it('SEC-12 sub: raw request lines Node cannot even parse are answered too', async () => {
    await withServer({}, async (_server, port) => {
      await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), async (junk) => {
        const res = await rawHttp(port, { path: `/bitrix/sub/?CHANNEL_ID=${junk.replace(/[\r\n]/g, '')}` }).catch((error: Error) => error)
        expect(res).not.toBeInstanceOf(Error)
        expect((res as { status: number }).status).toBeGreaterThanOrEqual(200)
      }), { numRuns: RUNS })
    })
  })

  it('SEC-12 pub: any body, channel list, signature and expiry is answered 200, 400, 403 or 413', async () => {
    await withServer({ protocol: 'protobuf' }, async (_server, port) => {
      const sign = (body: string) => createHmac('sha1', KEY).update(body).digest('hex')
      await fc.assert(fc.asyncProperty(
        fc.record({
          body: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 2000 }), fc.json({ maxDepth: 6 }), fc.constant('['.repeat(5000))),
          channels: fc.oneof(hostileText, fc.array(fc.integer({ min: 1, max: 40 }).map(channelId), { minLength: 1, maxLength: 5 }).map((ids) => ids.join('/'))),
          signed: fc.constantFrom('good', 'bad', 'none'),
          binary: fc.boolean(),
          expiry: fc.option(hostileText, { nil: undefined }),
        }),
        async ({ body, channels, signed, binary, expiry }) => {
          const signature = signed === 'good' ? sign(body) : signed === 'bad' ? sign(`${body}x`) : ''
          const res = await rawHttp(port, {
            method: 'POST', path: `/bitrix/pub/?CHANNEL_ID=${encodeURIComponent(channels)}&signature=${signature}${binary ? '&binaryMode=true' : ''}`,
            body, headers: expiry === undefined ? {} : { 'Message-Expiry': encodeURIComponent(expiry) },
          })
          expect([200, 400, 403, 413]).toContain(res.status)
        },
      ), { numRuns: RUNS })
    })
  })

  it('SEC-12 JSON-RPC frames from a subscriber: whatever it sends, the next ping is answered on the same connection', async () => {
    await withServer({ protocol: 'json-rpc', userChannel: (id) => (id > 0 && id < 50 ? channelId(id) : undefined) }, async (server) => {
      const socket: TestSocket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${server.signChannel(channelId(1))}&jsonRpc=true`)
      const request = fc.record({
        jsonrpc: fc.constantFrom('2.0', '1.0', 2),
        method: fc.constantFrom('publish', 'getUsersLastSeen', 'ping', 'listChannels', 'subscribeStatusChange', '__proto__', 'constructor', 'x'),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.object()),
        params: fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.record({
            channelList: fc.array(fc.oneof(hostileText, fc.record({ publicId: hostileText, signature: hostileText })), { maxLength: 120 }),
            userList: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 120 }),
            body: fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.constant({ module_id: 'im', command: 'x', params: { __proto__: { polluted: 1 } } })),
            expiry: fc.oneof(fc.integer(), fc.double(), fc.string()),
          }, { requiredKeys: [] }),
        ),
      }, { requiredKeys: [] })
      const frame = fc.oneof(
        request.map((r) => JSON.stringify(r)),
        fc.array(request, { maxLength: 130 }).map((r) => JSON.stringify(r)),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.constantFrom('pong', 'mack:', 'mack:zz', '[]', '{}', 'null', '[1,2]', '['.repeat(20_000) + ']'.repeat(20_000), `{"a":${'['.repeat(100_000)}`),
      )
      let pings = 0
      try {
        await fc.assert(fc.asyncProperty(frame, async (data) => {
          socket.ws.send(data)
          const id = `check-${++pings}`
          socket.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'ping', id }))
          // Frames the junk may have earned come first; the ping's answer must follow.
          for (;;) {
            const next = await socket.next(3000)
            if (decodeRpcFrame(String(next)).responses.some((r) => r.id === id)) break
          }
        }), { numRuns: RUNS })
      } finally {
        socket.ws.terminate()
      }
      expect(Object.prototype).not.toHaveProperty('polluted')
    })
  })

  it('SEC-12 protobuf frames from a subscriber: random bytes never cost the connection', async () => {
    await withServer({ protocol: 'protobuf' }, async (server) => {
      const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${server.signChannel(channelId(2))}&binaryMode=true`)
      try {
        await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
          socket.ws.send(bytes)
        }), { numRuns: RUNS })
        // The connection still delivers.
        server.publish(channelId(2), { module_id: 'im', command: 'after', params: {}, extra: {} })
        const next = await socket.next(3000)
        expect(next).toBeInstanceOf(Uint8Array)
      } finally {
        socket.ws.terminate()
      }
    })
  })
})
