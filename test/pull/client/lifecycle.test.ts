import { afterEach, describe, expect, it } from 'vitest'
import { reconnectDelay, restartDelay } from '../../../src/pull'
import { FakeWebSocket, flush, harness, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const configCalls = (h: Harness) => h.rest.calls.filter((call) => call.method === 'pull.config.get').length

describe('connection life (B.5-B.7)', () => {
  it('PULL-38 backoff: 0.5/15/45/600/3600 s by attempt with up to +20 % jitter; an open resets the count', async () => {
    const table = [[0, 0.5], [1, 15], [2, 15], [3, 45], [4, 45], [5, 600], [9, 600], [10, 3600], [40, 3600]] as const
    for (const [attempt, base] of table) {
      expect(reconnectDelay(attempt, () => 0)).toBe(base)
      expect(reconnectDelay(attempt, () => 1)).toBeCloseTo(base * 1.2)
      expect(reconnectDelay(attempt, () => 0.5)).toBeCloseTo(base * 1.1)
    }
    expect(restartDelay(() => 0.01)).toBe(6)
    expect(restartDelay(() => 0.999)).toBe(35)
    // in the client: each failed attempt waits longer, an open starts over
    h = harness()
    await startConnected(h)
    FakeWebSocket.last().serverClose(1006) // attempt count 0 → 0.5 s
    await h.clock.tick(499)
    expect(FakeWebSocket.instances).toHaveLength(1)
    await h.clock.tick(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().serverError() // never opened; attempt 1 → 15 s
    await h.clock.tick(14_999)
    expect(FakeWebSocket.instances).toHaveLength(2)
    await h.clock.tick(1)
    expect(FakeWebSocket.instances).toHaveLength(3)
    FakeWebSocket.last().serverOpen()
    FakeWebSocket.last().serverClose(1006) // reset by the open → 0.5 s again
    await h.clock.tick(500)
    expect(FakeWebSocket.instances).toHaveLength(4)
  })

  it('PULL-39 a manual stop or restart does not reconnect from the resulting close', async () => {
    h = harness()
    const socket = await startConnected(h)
    h.client.stop()
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'manual stop' })
    await h.clock.tick(4 * 3600_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    // restart: exactly one new connection, made by the restart itself
    const again = h.client.start()
    await flush()
    FakeWebSocket.last().serverOpen()
    await again
    expect(FakeWebSocket.instances).toHaveLength(2)
    h.client.restart()
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(3)
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(3)
  })

  it('PULL-40 close 4010 restarts with a fresh config after 6-35 s; channel_expire reconnects in 1 s with the new channel', async () => {
    h = harness({ params: { random: () => 0.5 } }) // restart delay ceil(15) + 5 = 20 s
    const socket = await startConnected(h)
    expect(configCalls(h)).toBe(1)
    socket.serverClose(4010, 'wrong channel')
    await h.clock.tick(19_999)
    expect(configCalls(h)).toBe(1)
    await h.clock.tick(1)
    expect(configCalls(h)).toBe(2)
    FakeWebSocket.last().serverOpen()
    await flush()
    const newChannel = { id: 'n'.repeat(32) + '.' + '9'.repeat(40), start: 'x', end: new Date(h.clock.now() + 3600_000).toISOString(), type: 'private' }
    const live = FakeWebSocket.last()
    live.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'channel_expire', params: { action: 'reconnect', channel: { type: 'private' }, new_channel: newChannel } }))
    expect(live.closedWith?.code).toBe(3000)
    const count = FakeWebSocket.instances.length
    await h.clock.tick(999)
    expect(FakeWebSocket.instances).toHaveLength(count)
    await h.clock.tick(1)
    expect(FakeWebSocket.instances).toHaveLength(count + 1)
    expect(decodeURIComponent(FakeWebSocket.last().url)).toContain('CHANNEL_ID=' + newChannel.id + '/')
    expect(configCalls(h)).toBe(2)
  })

  it('PULL-43 onPullStatus: connect then online; offline after 5 s unless reconnected first; none during beforeunload', async () => {
    h = harness()
    h.listen('onPullStatus')
    const statuses: unknown[] = []
    h.client.subscribe({ type: 'status', callback: (d: unknown, meta: unknown) => statuses.push([d, meta]) })
    await startConnected(h)
    expect(h.events).toEqual([['onPullStatus', 'connect'], ['onPullStatus', 'online']])
    expect(statuses[0]).toEqual([{ status: 'connect' }, { type: 'status' }])
    // a drop with a quick reconnect: no offline at all
    FakeWebSocket.last().serverClose(1006)
    await h.clock.tick(500)
    FakeWebSocket.last().serverOpen()
    await h.clock.tick(10_000)
    expect(h.events.map((e) => e[1])).toEqual(['connect', 'online', 'connect', 'online'])
    expect(h.client.status).toBe('online')
    // a drop that lasts (the page went offline): offline 5 s later (the status getter changes at once)
    h.win.fire('offline')
    expect(h.client.status).toBe('offline')
    await h.clock.tick(4_999)
    expect(h.events.map((e) => e[1])).not.toContain('offline')
    await h.clock.tick(1)
    expect(h.events.map((e) => e[1]).at(-1)).toBe('offline')
    h.win.fire('online')
    FakeWebSocket.last().serverOpen()
    // stop(): offline at once (ours: a stopped client leaves no timer behind, Bitrix announces it 5 s later)
    h.client.stop()
    expect(h.events.map((e) => e[1]).slice(-3)).toEqual(['connect', 'online', 'offline'])
    // unloading: silence
    const before = h.events.length
    const started = h.client.start()
    await flush()
    FakeWebSocket.last().serverOpen()
    await started
    const count = h.events.length
    h.win.fire('beforeunload')
    FakeWebSocket.last().serverClose(1001)
    await h.clock.tick(20_000)
    expect(h.events.length).toBe(count)
    expect(before).toBeLessThan(count)
  })

  it('PULL-44 beforeunload saves the session for 20 s and start() resumes from the saved mid', async () => {
    h = harness()
    const socket = await startConnected(h)
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }, '17954246100000000000000077'))
    h.win.fire('beforeunload')
    const saved = JSON.parse(h.storage.data.get('bx-pull-1-s1-bx-pull-session') ?? 'null')
    expect(saved).toMatchObject({ mid: '17954246100000000000000077', ttl: h.clock.now() + 20_000 })
    h.client.destroy()
    // a new page (new client, same storage) within the TTL resumes
    const storage = h.storage
    h = harness({ params: { storage } })
    await startConnected(h)
    expect(new URL(FakeWebSocket.last().url).searchParams.get('mid')).toBe('17954246100000000000000077')
    h.client.destroy()
    // after the TTL it does not
    h = harness({ params: { storage } })
    h.clock.advance(0)
    storage.setItem('bx-pull-1-s1-bx-pull-session', JSON.stringify({ ...saved, ttl: h.clock.now() - 1 }))
    await startConnected(h)
    expect(FakeWebSocket.last().url).not.toContain('mid=')
    h.client.destroy()
    // skipReconnectToLastSession ignores it
    h = harness({ params: { storage } })
    storage.setItem('bx-pull-1-s1-bx-pull-session', JSON.stringify({ ...saved, ttl: h.clock.now() + 10_000 }))
    const config = structuredClone(h.config)
    const started = h.client.start({ ...config, skipReconnectToLastSession: true })
    await flush()
    FakeWebSocket.last().serverOpen()
    await started
    expect(FakeWebSocket.last().url).not.toContain('mid=')
  })

  it('PULL-52 window offline disconnects, online connects, BXLinkOpened connects', async () => {
    h = harness()
    const socket = await startConnected(h)
    h.win.fire('offline')
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'offline' })
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    h.win.fire('online')
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().serverOpen()
    h.win.fire('offline')
    expect(h.client.isConnected()).toBe(false)
    h.bx.onCustomEvent('BXLinkOpened', [])
    expect(FakeWebSocket.instances).toHaveLength(3)
  })

  it('server_restart reconnects after 15 s with code 3002', async () => {
    h = harness()
    const socket = await startConnected(h)
    socket.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'SERVER_RESTART' }))
    expect(socket.closedWith?.code).toBe(3002)
    await h.clock.tick(14_999)
    expect(FakeWebSocket.instances).toHaveLength(1)
    await h.clock.tick(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('destroy removes the window and BX listeners and leaves no timer', async () => {
    h = harness()
    await startConnected(h)
    expect(h.win.count('online')).toBe(1)
    h.client.destroy()
    expect(h.win.count('online') + h.win.count('offline') + h.win.count('beforeunload')).toBe(0)
    expect(h.clock.pending()).toBe(0)
    h.bx.onCustomEvent('BXLinkOpened', [])
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('start() while starting returns the same pending promise; start() when connected resolves at once', async () => {
    h = harness()
    const first = h.client.start()
    const second = h.client.start()
    expect(second).toBe(first)
    await flush()
    expect(h.rest.calls).toHaveLength(1)
    expect(FakeWebSocket.instances).toHaveLength(1)
    FakeWebSocket.last().serverOpen()
    await expect(first).resolves.toBe(true)
    await expect(h.client.start()).resolves.toBe(true)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('throwing onPullStatus, onPullRevisionUp and onPullError handlers do not break the client', async () => {
    h = harness()
    for (const name of ['onPullStatus', 'onPullRevisionUp', 'onPullError']) {
      h.bx.addCustomEvent(name, () => { throw new Error(name + ' handler failure') })
    }
    const socket = await startConnected(h)
    expect(h.client.isConnected()).toBe(true)
    socket.serverClose(1006)
    await h.clock.tick(10_000)
    FakeWebSocket.last().serverOpen()
    expect(h.client.isConnected()).toBe(true)
    const config = h.client.getConfig()
    if (config?.api) config.api.revision_web = 30
    await h.clock.tick(60_000) // the check runs in a timer: the throw must not escape
    expect(h.client.isConnected()).toBe(false)
    expect(h.logger.lines.some((line) => line.includes('onPullRevisionUp handler failed'))).toBe(true)
  })
})
