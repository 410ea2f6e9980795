import { afterEach, describe, expect, it } from 'vitest'
import { longPollingTransport } from '../../../src/pull'
import { encodeResponseBatch, hexToBytes } from '../../../src/pull/codecs'
import { flush, harness, textFrame, type Harness } from '../client/helpers'
import type { FetchLike, FetchResponseLike } from '../../../src/pull'
import { context, fakeFetch, recorder } from './helpers'

function response(status: number, body: string): FetchResponseLike {
  return { status, headers: { get: () => null }, text: async () => body, arrayBuffer: async () => new TextEncoder().encode(body).buffer as ArrayBuffer }
}

const MAGIC = 'Thu, 01 Jan 1973 11:11:01 GMT'

let h: Harness | undefined
afterEach(() => h?.client.destroy())

describe('long polling connector (B.5)', () => {
  it('PULL-51 aborts and retries after 60 s; a magic 304 sets mid from Last-Message-Id; another status is an error', async () => {
    const fetch = fakeFetch()
    const ctx = context()
    const transport = longPollingTransport(fetch.fetch).create(ctx)
    transport.connect()
    expect(fetch.calls).toHaveLength(1)
    expect(fetch.last().method).toBe('GET')
    // held for 5 s: counts as connected
    ctx.clock.advance(5_000)
    expect(ctx.callbacks.log).toEqual([['open']])
    expect(transport.connected).toBe(true)
    // 60 s: abort and re-request
    ctx.clock.advance(55_000)
    await flush()
    expect(fetch.calls[0]?.aborted()).toBe(true)
    expect(fetch.calls).toHaveLength(2)
    expect(fetch.calls[1]?.url).toContain('n=2') // the URL is rebuilt for each request
    expect(ctx.callbacks.log).toEqual([['open']]) // the abort is not an error
    // magic 304 at the end of the server's hold: mid from the header, and the next request at once
    ctx.clock.advance(40_000)
    fetch.last().respond(304, '', { Expires: MAGIC, 'Last-Message-Id': '17954246100000000000000009' })
    await flush()
    expect(ctx.callbacks.log.at(-1)).toEqual(['mid', '17954246100000000000000009'])
    expect(fetch.calls).toHaveLength(3)
    // a 304 without the magic header: no mid
    ctx.clock.advance(40_000)
    fetch.last().respond(304, '', { 'Last-Message-Id': 'ignored' })
    await flush()
    expect(ctx.callbacks.log.filter((e) => e[0] === 'mid')).toHaveLength(1)
    // 200 with a body → message; an empty 200 moves nothing (PULL-60: Bitrix resets the mid there)
    fetch.last().respond(200, 'payload')
    await flush()
    expect(ctx.callbacks.frames).toEqual(['payload'])
    ctx.clock.advance(40_000)
    fetch.last().respond(200, '')
    await flush()
    expect(ctx.callbacks.frames).toEqual(['payload'])
    expect(ctx.callbacks.log.at(-1)).toEqual(['message'])
    // any other status: error, no further request
    const count = fetch.calls.length
    fetch.last().respond(400, 'Channel id is not correct.')
    await flush()
    expect(ctx.callbacks.log.at(-1)).toEqual(['error', 'Could not connect to the server'])
    expect(transport.connected).toBe(false)
    ctx.clock.advance(120_000)
    expect(fetch.calls).toHaveLength(count)
  })

  it('reads protobuf bodies as bytes, and a network failure is an error', async () => {
    const fetch = fakeFetch()
    const ctx = context({ binary: () => true })
    const transport = longPollingTransport(fetch.fetch).create(ctx)
    transport.connect()
    const bytes = encodeResponseBatch([{ command: 'outgoingMessages', messages: [{ id: hexToBytes('01'), body: '{}', expiry: 0, created: 0 }] }])
    fetch.last().respond(200, bytes)
    await flush()
    expect(ctx.callbacks.frames[0]).toBeInstanceOf(ArrayBuffer)
    expect(new Uint8Array(ctx.callbacks.frames[0] as ArrayBuffer)).toEqual(bytes)
    fetch.last().fail(new TypeError('Failed to fetch'))
    await flush()
    expect(ctx.callbacks.log.at(-1)).toEqual(['error', 'Failed to fetch'])
  })

  it('disconnect aborts the request, reports nothing and asks no more; send POSTs to the publication URL', async () => {
    const fetch = fakeFetch()
    const ctx = context()
    const transport = longPollingTransport(fetch.fetch).create(ctx)
    transport.connect()
    ctx.clock.advance(40_000)
    fetch.last().respond(304, '')
    await flush()
    expect(transport.send(new Uint8Array([1, 2]))).toBe(true)
    const post = fetch.calls.find((call) => call.method === 'POST')
    expect(post?.url).toBe('http://push.example/bitrix/pubweb/?CHANNEL_ID=abc')
    expect(post?.body).toEqual(new Uint8Array([1, 2]))
    const pending = fetch.calls.filter((call) => call.method === 'GET').at(-1)
    transport.disconnect(1000, 'manual')
    await flush()
    expect(pending?.aborted()).toBe(true)
    expect(ctx.callbacks.log.filter((e) => e[0] === 'close' || e[0] === 'error')).toEqual([])
    const gets = fetch.calls.filter((call) => call.method === 'GET').length
    ctx.clock.advance(120_000)
    expect(fetch.calls.filter((call) => call.method === 'GET')).toHaveLength(gets)
    const noPath = longPollingTransport(fetch.fetch).create(context({ publishUrl: () => '' }))
    expect(noPath.send('x')).toBe(false)
  })

  it('the client uses long polling when websocket_enabled is false, with mid resume and reconnect on error', async () => {
    const fetch = fakeFetch()
    h = harness({ params: { fetch: fetch.fetch } })
    h.config.server.websocket_enabled = false
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    const started = h.client.start()
    await flush()
    expect(fetch.last().url.startsWith('https://push.example/bitrix/sub/?CHANNEL_ID=')).toBe(true)
    fetch.last().respond(200, textFrame(h.clock, { module_id: 'im', command: 'viaLongPolling' }, '17954246100000000000000005'))
    await started
    await flush()
    expect(seen).toEqual(['viaLongPolling'])
    expect(fetch.last().url).toContain('mid=17954246100000000000000005')
    expect(h.client.isWebSoketConnected()).toBe(false)
    expect(h.client.isConnected()).toBe(true)
    fetch.last().respond(502)
    await flush()
    expect(h.client.isConnected()).toBe(false)
    const count = fetch.calls.length
    await h.clock.tick(500)
    expect(fetch.calls.length).toBe(count + 1)
  })

  it('PULL-63 a server that answers at once with nothing new (304, empty or junk 200) is asked again after 1, 2, 4... up to 30 s', async () => {
    for (const [status, body] of [[304, ''], [200, ''], [200, '<html>busy</html>']] as const) {
      let calls = 0
      // Answers every poll at once; gives up after 200 polls so a client that never waits cannot spin forever here.
      const eager: FetchLike = () => (++calls > 200 ? new Promise(() => {}) : Promise.resolve(response(status, body)))
      const ctx = context({ callbacks: { ...recorder(), onMessage: () => false } })
      const transport = longPollingTransport(eager).create(ctx)
      // Time passes in 50 ms steps, so an answer comes back "at once" as it does from such a server.
      const run = async (ms: number) => {
        for (let t = 0; t < ms; t += 50) {
          ctx.clock.advance(50)
          await flush()
        }
      }
      transport.connect()
      await run(2_000)
      expect(calls, `${status} ${body}`).toBeLessThanOrEqual(3)
      await run(300_000)
      // 1 + 2 + 4 + 8 + 16 + 30 + 30... s: a dozen polls in five minutes, not thousands a second
      expect(calls).toBeLessThanOrEqual(16)
      transport.disconnect(1000, 'done')
    }
  })

  it('PULL-63 an answer that brings news, or one the server held, is followed by the next poll at once', async () => {
    const fetch = fakeFetch()
    let news = true
    const ctx = context({ callbacks: { ...recorder(), onMessage: () => news } })
    const transport = longPollingTransport(fetch.fetch).create(ctx)
    transport.connect()
    fetch.last().respond(200, 'frame with a new message')
    await flush()
    expect(fetch.calls).toHaveLength(2)
    news = false
    fetch.last().respond(200, 'frame with duplicates only')
    await flush()
    expect(fetch.calls).toHaveLength(2)
    ctx.clock.advance(1_000)
    await flush()
    expect(fetch.calls).toHaveLength(3)
    ctx.clock.advance(40_000)
    fetch.last().respond(304, '', { Expires: MAGIC, 'Last-Message-Id': '1' })
    await flush()
    expect(fetch.calls).toHaveLength(4)
    transport.disconnect(1000, 'done')
  })

  it('calls fetch detached, as browsers require (no "Illegal invocation")', async () => {
    const fetch = fakeFetch()
    const thisValues: unknown[] = []
    const strict = function (this: unknown, url: string, init: Parameters<typeof fetch.fetch>[1]) {
      thisValues.push(this)
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      return fetch.fetch(url, init)
    }
    const ctx = context()
    const transport = longPollingTransport(strict).create(ctx)
    transport.connect()
    expect(transport.send('x')).toBe(true)
    await flush()
    expect(thisValues).toEqual([undefined, undefined])
    expect(ctx.callbacks.log.filter((e) => e[0] === 'error')).toEqual([])
  })
})
