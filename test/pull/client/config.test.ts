import { afterEach, describe, expect, it } from 'vitest'
import { isConfigActual, PullClient } from '../../../src/pull'
import { FakeWebSocket, fakeRest, flush, harness, makeConfig, manualClock, memoryStorage, quietLogger, startConnected, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const CONFIG_KEY = 'bx-pull-1-s1-bx-pull-config'

describe('config (B.4, B.8)', () => {
  it('PULL-41 checks every 60 s: an ended channel, a past exp or a changed config_timestamp restart with 3003', async () => {
    const clock = manualClock()
    expect(isConfigActual(makeConfig(clock), 0, clock.now())).toBe(true)
    expect(isConfigActual(makeConfig(clock), 1, clock.now())).toBe(false)
    expect(isConfigActual(makeConfig(clock, 5, { exp: clock.now() / 1000 - 1 }), 0, clock.now())).toBe(false)
    expect(isConfigActual(makeConfig(clock, 3, { channels: {} }), 0, clock.now())).toBe(false)
    const ended = makeConfig(clock)
    if (ended.channels.shared) ended.channels.shared.end = new Date(clock.now() - 1).toISOString()
    expect(isConfigActual(ended, 0, clock.now())).toBe(false)

    h = harness()
    const socket = await startConnected(h)
    const calls = () => h.rest.calls.length
    await h.clock.tick(60_000)
    expect(calls()).toBe(1) // still actual: nothing happens
    h.storage.setItem(CONFIG_KEY, '"sentinel"')
    const config = h.client.getConfig()
    if (config?.channels.private) config.channels.private.end = new Date(h.clock.now() + 30_000).toISOString()
    await h.clock.tick(60_000)
    expect(socket.closedWith?.code).toBe(3003)
    expect(calls()).toBe(2)
    expect(h.storage.data.get(CONFIG_KEY)).not.toBe('"sentinel"') // removed, then re-cached from REST
    const second = FakeWebSocket.last()
    second.serverOpen()
    // a changed config_timestamp
    const live = h.client.getConfig()
    if (live) live.server.config_timestamp = 99
    await h.clock.tick(60_000)
    expect(second.closedWith?.code).toBe(3003)
    expect(calls()).toBe(3)
  })

  it('PULL-42 the config is cached under bx-pull-<uid>-<site>-bx-pull-config and reused; start(config) is not cached', async () => {
    h = harness()
    await startConnected(h)
    const cached = JSON.parse(h.storage.data.get(CONFIG_KEY) ?? 'null')
    expect(cached.channels.private.id).toBe(h.config.channels.private?.id)
    expect(cached.server.timeShift).toBe(0)
    h.client.stop()
    // a second client on the same storage (the page loaded again) connects without asking REST
    const storage = h.storage
    h = harness({ params: { storage } })
    await startConnected(h)
    expect(h.rest.calls).toHaveLength(0)
    h.client.destroy()
    // start(config): used as is, not written
    h = harness()
    const given = makeConfig(h.clock, 3)
    const started = h.client.start(given)
    await flush()
    FakeWebSocket.last().serverOpen()
    await started
    expect(h.rest.calls).toHaveLength(0)
    expect(h.storage.data.has(CONFIG_KEY)).toBe(false)
    h.client.destroy()
    // a given config with its own config_timestamp is still used as is; one with ended channels is reloaded
    h = harness({ params: { restClient: undefined } })
    const stamped = makeConfig(h.clock, 3, {}, { config_timestamp: 1700000000 })
    const stampedStart = h.client.start(stamped)
    await flush()
    FakeWebSocket.last().serverOpen()
    await expect(stampedStart).resolves.toBe(true)
    h.client.destroy()
    h = harness()
    const ended = makeConfig(h.clock, 3)
    if (ended.channels.private) ended.channels.private.end = new Date(h.clock.now() - 1000).toISOString()
    const endedStart = h.client.start(ended)
    await flush()
    FakeWebSocket.last().serverOpen()
    await endedStart
    expect(h.rest.calls).toHaveLength(1)
  })

  it('PULL-45 a revision mismatch disables and disconnects the client and raises onPullRevisionUp', async () => {
    h = harness()
    h.listen('onPullRevisionUp')
    const seen: unknown[] = []
    h.client.subscribe({ type: 'revision', callback: (d: unknown, meta: unknown) => seen.push([d, meta]) })
    const socket = await startConnected(h)
    const config = h.client.getConfig()
    if (config?.api) config.api.revision_web = 21
    await h.clock.tick(60_000)
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'check_revision' })
    expect(h.events).toEqual([['onPullRevisionUp', 21, 19]])
    expect(seen).toEqual([[{ server: 21, client: 19 }, { type: 'revision' }]])
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    await expect(h.client.start()).rejects.toMatchObject({ ex: { error: 'PULL_DISABLED' } })
    // skipCheckRevision: the same config passes
    h.client.destroy()
    h = harness({ params: { skipCheckRevision: true } })
    h.listen('onPullRevisionUp')
    await startConnected(h)
    const other = h.client.getConfig()
    if (other?.api) other.api.revision_web = 21
    await h.clock.tick(60_000)
    expect(h.events).toEqual([])
    expect(h.client.isConnected()).toBe(true)
  })

  it('PULL-46 a config reload failing with 401/403 or AUTHORIZE_ERROR raises onPullError and stops the checks', async () => {
    for (const failure of [{ error: 'AUTHORIZE_ERROR' }, { error: 'WRONG_AUTH_TYPE' }, { error: 'whatever', status: 401 }]) {
      let fail = false
      h = harness({
        restHandler: () => (fail ? failure : { result: { ...structuredClone(h.config), serverTime: new Date(h.clock.now()).toISOString() } }),
      })
      h.listen('onPullError')
      await startConnected(h)
      fail = true
      h.client.restart()
      await flush()
      expect(h.events).toEqual([['onPullError', 'AUTHORIZE_ERROR']])
      const calls = h.rest.calls.length
      await h.clock.tick(10 * 60_000)
      expect(h.rest.calls.length).toBe(calls) // no more config checks, no reconnects
      h.client.destroy()
    }
    // another error: no onPullError
    h = harness({ restHandler: () => ({ error: 'INTERNAL', status: 500 }) })
    h.listen('onPullError')
    h.client.restart()
    await flush()
    expect(h.events).toEqual([])
  })

  it('PULL-47 restApplication mode: pull.application.config.get, no revision check, server forced on', async () => {
    const clock = manualClock()
    const config = makeConfig(clock, 4)
    if (config.api) config.api.revision_web = 25
    const rest = fakeRest((method) => ({ result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } , method }))
    const storage = memoryStorage()
    FakeWebSocket.reset()
    const client = new PullClient({
      restApplication: 'app_site', restClient: rest, serverEnabled: 'N', userId: 3, clock, storage, window: null, bx: null,
      WebSocket: FakeWebSocket as never, logger: quietLogger(),
    })
    const started = client.start()
    await flush()
    FakeWebSocket.last().serverOpen()
    await expect(started).resolves.toBe(true)
    expect(rest.calls.map((c) => [c.method, c.params])).toEqual([['pull.application.config.get', { CACHE: 'N' }]])
    expect(storage.data.has('bx-pull-3-app_site-bx-pull-config')).toBe(true)
    clock.advance(60_000)
    expect(client.isConnected()).toBe(true) // revision 25 ignored
    client.destroy()
  })

  it('a REST client that rejects: start() rejects, nothing crashes, a later start() works', async () => {
    let mode: 'throw' | 'reject' | 'ok' = 'reject'
    h = harness({
      restHandler: () => {
        if (mode === 'throw') throw new Error('network down')
        if (mode === 'reject') return Promise.reject(new Error('rejected'))
        return { result: { ...structuredClone(h.config), serverTime: new Date(h.clock.now()).toISOString() } }
      },
    })
    await expect(h.client.start()).rejects.toBeTruthy()
    mode = 'throw'
    await expect(h.client.start()).rejects.toBeTruthy()
    mode = 'ok'
    await startConnected(h)
    expect(h.client.isConnected()).toBe(true)
  })

  it('a config with missing fields is refused or defaulted, never a crash', async () => {
    const bad: unknown[] = [null, 'text', [], { channels: {} }, { server: 'x' }]
    for (const result of bad) {
      h = harness({ restHandler: () => ({ result }) })
      await expect(h.client.start()).rejects.toBeInstanceOf(Error)
      h.client.destroy()
    }
    // server present but no channels: start rejects (no channel to connect to), a retry is scheduled, nothing throws
    h = harness({ restHandler: () => ({ result: { server: { version: 3, websocket_secure: 'wss://x/', websocket_enabled: true } } }) })
    await expect(h.client.start()).rejects.toBeTruthy()
    expect(h.logger.lines.some((line) => line.includes('no channels')), h.logger.lines.join('\n')).toBe(true)
    // a cached config that is garbage is ignored
    h.client.destroy()
    const storage = memoryStorage({ [CONFIG_KEY]: '{not json' })
    h = harness({ params: { storage } })
    await startConnected(h)
    expect(h.rest.calls).toHaveLength(1)
  })

  it('a storage that throws on write: the config is still used and history is freed', async () => {
    const storage = memoryStorage({ history: 'big' })
    const throwing = { ...storage, setItem: () => { throw new Error('QuotaExceededError') } }
    h = harness({ params: { storage: throwing } })
    await startConnected(h)
    expect(h.client.isConnected()).toBe(true)
    expect(storage.data.has('history')).toBe(false)
  })
})
