// @vitest-environment node
// Soak (issue 5): this client over the real `ws` WebSocket against the local push server, 10 000 messages published
// while the server cuts every connection 20 times (faults.dropAll(), spread through the stream). Publishing goes on
// while the client is away; the server stores the messages and the client resumes with its `mid`. Every message must
// reach the subscribe() callback and the BX event `onPullEvent-im` exactly once, in publish order.
//
// Time: the client's injectable clock runs every timer 10x faster (Date.now() stays real), so the first backoff step
// (0.5-0.6 s, B.7) takes 50-60 ms. The client's logic is untouched: the test checks that each of the 20 reconnects
// was scheduled on that first step, and that no retry ever fell to the second (15 s) step.
// No assertion is about speed; the waits below are generous ceilings, not expectations.

import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createBX } from '../../src/bx/create-bx'
import { createPullClient, type Clock, type PullConfig } from '../../src/pull'
import { startPushServer, type PushProtocol } from '../../src/push-server'
import { quietLogger } from './client/helpers'
import { waitFor as poll } from '../wait-for'
import { hex32, serverAndClient } from './server-fixture'

const TOTAL = 10_000
const DROPS = 20
const SCALE = 10 // client timers run this many times faster than asked
const KEY = 'soak-signature-key'

const running = serverAndClient()

const waitFor = (what: string, check: () => boolean, ms = 20_000): Promise<void> => poll(what, check, ms, 2)

/** Real timers, SCALE times faster; every requested delay is recorded (in the client's own milliseconds). */
function fastClock(requested: number[]): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      requested.push(ms)
      return setTimeout(fn, ms / SCALE)
    },
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    setInterval: (fn, ms) => setInterval(fn, ms / SCALE),
    clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
  }
}

/** The `ws` WebSocket, counting what the client opens and how each socket ended. */
function countingWebSocket() {
  const stats = { created: 0, opened: 0, closeCodes: [] as number[], urls: [] as string[] }
  class CountingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url)
      stats.created++
      stats.urls.push(url)
      this.once('open', () => void stats.opened++)
      this.once('close', (code: number) => void stats.closeCodes.push(code))
    }
  }
  return { Ctor: CountingWebSocket, stats }
}

async function setUp(protocol: PushProtocol, version: number) {
  const server = (running.server = await startPushServer({ protocol, signatureKey: KEY, log: () => {}, rpcPingMs: 100 }))
  const privateId = hex32()
  const publicId = hex32()
  const sharedId = hex32()
  const end = new Date(Date.now() + 3600_000).toISOString()
  const config: PullConfig = {
    server: {
      version, server_enabled: true, mode: 'personal', websocket_enabled: true,
      websocket: server.endpoints.websocket, long_polling: server.endpoints.longPolling,
      publish_enabled: version > 3, publish: `${server.url}/bitrix/pubweb/`, config_timestamp: 0,
    },
    api: { revision_web: 19 },
    channels: {
      private: { id: server.signChannel(version > 3 ? `${privateId}:${publicId}` : privateId), end, type: 'private' },
      shared: { id: server.signChannel(sharedId), end, type: 'shared' },
    },
  }
  const bx = createBX({})
  const viaEvent: number[] = []
  bx.addCustomEvent('onPullEvent-im', (command: string, params: { n: number }) => {
    if (command === 'soak') viaEvent.push(params.n)
  })
  const timerRequests: number[] = []
  const socket = countingWebSocket()
  const logger = quietLogger()
  const client = (running.client = createPullClient({
    bx, window: null, storage: null, logger, WebSocket: socket.Ctor as never, userId: 1, clock: fastClock(timerRequests),
  }))
  const viaSubscribe: number[] = []
  client.subscribe({ moduleId: 'im', command: 'soak', callback: (params: { n: number }) => void viaSubscribe.push(params.n) })
  await client.start(config)
  return { server, client, privateId, sharedId, viaEvent, viaSubscribe, timerRequests, sockets: socket.stats, logger }
}

/** Sorted, each 0..TOTAL-1 once: the first index where `seen` differs from that, or -1. */
function firstMismatch(seen: readonly number[]): number {
  for (let i = 0; i < Math.max(seen.length, TOTAL); i++) if (seen[i] !== i) return i
  return -1
}

describe('soak: 10 000 messages through 20 forced reconnects', () => {
  it.each([
    ['text', 3],
    ['protobuf', 4],
    ['json-rpc', 5],
  ] as const)('%s (v%i): every message once, in order, to subscribe() and onPullEvent-im', async (protocol, version) => {
    const t = await setUp(protocol, version)
    let next = 0
    let publishedWhileAway = 0
    const publish = (count: number): void => {
      for (const stop = Math.min(next + count, TOTAL); next < stop; next++) {
        if (t.server.stats().websockets === 0) publishedWhileAway++
        // Both of the client's channels, alternately: the resume must merge them in mid order.
        t.server.publish(next % 2 === 0 ? t.privateId : t.sharedId, {
          module_id: 'im', command: 'soak', params: { n: next, text: `message ${next}` },
          extra: { server_time_unix: Date.now() / 1000, revision_web: 19 },
        })
      }
    }
    /** Published in small chunks with a turn of the event loop between them, so frames go out live. */
    const publishLive = async (count: number): Promise<void> => {
      const stop = Math.min(next + count, TOTAL)
      while (next < stop) {
        publish(Math.min(25, stop - next))
        await yieldToLoop()
      }
    }
    // 21 segments of 476: 307 published live, 50 in flight at the cut, 119 while the client is away.
    const perSegment = Math.floor(TOTAL / (DROPS + 1))
    const inFlight = 50
    const away = Math.floor(perSegment / 4)

    for (let drop = 1; drop <= DROPS; drop++) {
      await waitFor(`connection ${drop}`, () => t.sockets.opened === drop && t.server.stats().websockets === 1)
      await publishLive(perSegment - inFlight - away)
      // These are queued for this connection's next frame when the cut comes: lost in flight, stored.
      publish(inFlight)
      t.server.faults.dropAll()
      // The client is away (its reconnect waits the first backoff step): these go to storage only.
      await waitFor(`drop ${drop} to be seen`, () => t.server.stats().websockets === 0)
      publish(away)
    }
    await publishLive(TOTAL - next)
    expect(next).toBe(TOTAL)
    await waitFor('every message', () => t.viaSubscribe.length >= TOTAL && t.viaEvent.length >= TOTAL, 30_000)
    // Anything extra (a replayed duplicate) would arrive right behind the last message: give it a moment.
    await new Promise((r) => setTimeout(r, 100))

    expect(t.viaSubscribe.length).toBe(TOTAL)
    expect(t.viaEvent.length).toBe(TOTAL)
    expect(firstMismatch(t.viaSubscribe)).toBe(-1)
    expect(firstMismatch(t.viaEvent)).toBe(-1)
    expect(t.logger.lines.filter((line) => line.includes('Duplicate message'))).toEqual([])
    expect(publishedWhileAway).toBeGreaterThanOrEqual(DROPS * away)

    // Exactly 20 reconnects: 21 sockets, all opened, 20 ended by the server's cut (1006), none failed to open.
    expect(t.sockets.created).toBe(DROPS + 1)
    expect(t.sockets.opened).toBe(DROPS + 1)
    expect(t.sockets.closeCodes).toEqual(Array(DROPS).fill(1006))
    expect(t.client.isConnected()).toBe(true)
    // Every reconnect resumed from the last mid the client had seen (the first connect had none yet).
    expect(t.sockets.urls[0]).not.toMatch(/[?&]mid=/)
    expect(t.sockets.urls.slice(1).filter((url) => !/[?&]mid=[0-9a-f]+(&|$)/.test(url))).toEqual([])
    // Each reconnect waited the first backoff step, 0.5 s x (1..1.2); none fell to the 15 s step.
    const backoff = t.timerRequests.filter((ms) => ms >= 500 && ms <= 600)
    expect(backoff.length).toBe(DROPS)
    expect(t.timerRequests.filter((ms) => ms >= 15_000 && ms <= 18_000)).toEqual([])
  }, 60_000)
})
