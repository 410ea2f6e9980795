// Item 2 of issue 10: stop() and destroy() at any moment leave no socket, timer, listener or REST call behind, and a
// stopped client never comes back by itself. The back-forward cache disconnects and reconnects cleanly.
import { afterEach, describe, expect, it } from 'vitest'
import type { PullConfig } from '../../../src/pull'
import { FakeWebSocket, flush, harness, startConnected, textFrame, type Harness, type RestAnswer } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const CONFIG_KEY = 'bx-pull-1-s1-bx-pull-config'
const PAGE_EVENTS = ['online', 'offline', 'beforeunload', 'pagehide', 'pageshow']

/** A harness whose config loads wait until `release()`; other REST calls (pull.watch.extend) wait too. */
function slowRest() {
  const pending: { method: string; release(): void }[] = []
  h = harness({
    restHandler: (method) => {
      const answer: RestAnswer = method.endsWith('config.get')
        ? { result: { ...structuredClone(h.config), serverTime: new Date(h.clock.now()).toISOString() } }
        : { result: { tag: true } }
      return new Promise<RestAnswer>((resolve) => pending.push({ method, release: () => resolve(answer) }))
    },
  })
  const releaseAll = async (): Promise<void> => {
    for (const call of pending.splice(0)) call.release()
    await flush()
  }
  return {
    pending,
    releaseAll,
    /** start(), its config answered, the socket opened. */
    async startConnected(): Promise<void> {
      const started = h.client.start()
      await flush()
      await releaseAll()
      FakeWebSocket.last().serverOpen()
      await started
    },
  }
}

/** Nothing of the client is left: no socket open or opening, no timer, no page listener, no REST call later. */
async function expectNothingLeft(sockets: number) {
  const restCalls = h.rest.calls.length
  expect(h.clock.pending(), 'timers').toBe(0)
  for (const type of PAGE_EVENTS) expect(h.win.count(type), `window ${type} listeners`).toBe(0)
  for (const socket of FakeWebSocket.instances) expect(socket.readyState === 1 && !socket.closedWith, 'an open socket').toBe(false)
  // The page comes back, goes online, follows a link, unloads: a stopped client stays stopped.
  h.win.fire('online')
  h.win.fire('pageshow', { type: 'pageshow', persisted: true })
  h.win.fire('beforeunload')
  h.bx.onCustomEvent('BXLinkOpened', [])
  await h.clock.tick(4 * 3600_000)
  expect(FakeWebSocket.instances, 'sockets').toHaveLength(sockets)
  expect(h.rest.calls.length, 'REST calls').toBe(restCalls)
  expect(h.clock.pending(), 'timers').toBe(0)
}

const teardowns = [
  ['stop', (client: Harness['client']) => client.stop()],
  ['destroy', (client: Harness['client']) => client.destroy()],
] as const

describe('stop() and destroy() at any moment (issue 10, item 2)', () => {
  it.each(teardowns)('PULL-39 %s() while the config loads: the answer connects nothing', async (_name, teardown) => {
    const rest = slowRest()
    const started = h.client.start().catch((error: unknown) => error)
    await flush()
    expect(rest.pending.map((call) => call.method)).toEqual(['pull.config.get'])
    teardown(h.client)
    await rest.releaseAll()
    expect(await started).toBeInstanceOf(Error)
    await expectNothingLeft(0)
  })

  it.each(teardowns)('PULL-39 %s() during restart()\'s config load, and after config_expire asked for one', async (_name, teardown) => {
    const rest = slowRest()
    await rest.startConnected()
    h.client.restart()
    await flush()
    teardown(h.client)
    await rest.releaseAll()
    await expectNothingLeft(1)
    // the same after a config_expire system message
    h.client.destroy()
    const again = slowRest()
    await again.startConnected()
    FakeWebSocket.last().serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'config_expire' }))
    await flush()
    expect(again.pending.map((call) => call.method)).toEqual(['pull.config.get'])
    teardown(h.client)
    await again.releaseAll()
    await expectNothingLeft(1)
  })

  it.each(teardowns)('PULL-39 %s() during the reconnect backoff, the 4010 restart wait and the 15 s server_restart wait', async (_name, teardown) => {
    h = harness()
    await startConnected(h)
    FakeWebSocket.last().serverClose(1006)
    teardown(h.client)
    await expectNothingLeft(1)
    for (const fault of [(s: FakeWebSocket) => s.serverClose(4010), (s: FakeWebSocket) => s.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'server_restart' }))]) {
      h.client.destroy()
      h = harness()
      const socket = await startConnected(h)
      fault(socket)
      await h.clock.tick(1_000)
      teardown(h.client)
      await expectNothingLeft(1)
    }
  })

  it.each(teardowns)('PULL-39 %s() while the socket is still connecting closes it', async (_name, teardown) => {
    h = harness()
    const started = h.client.start().catch((error: unknown) => error)
    await flush()
    const socket = FakeWebSocket.last()
    teardown(h.client)
    expect(socket.closedWith).not.toBeNull()
    socket.serverOpen() // a late open of the abandoned socket changes nothing
    expect(h.client.isConnected()).toBe(false)
    expect(await started).toBeInstanceOf(Error)
    await expectNothingLeft(1)
  })

  it.each(teardowns)('PULL-39 %s() while pull.watch.extend is in flight: its answer arms nothing', async (_name, teardown) => {
    const rest = slowRest()
    await rest.startConnected()
    h.client.extendWatch('TASK_1', true)
    await h.clock.tick(5_000)
    expect(rest.pending.map((call) => call.method)).toEqual(['pull.watch.extend'])
    teardown(h.client)
    await rest.releaseAll()
    await expectNothingLeft(1)
  })

  it('PULL-66 destroy() removes the cached config (it holds channel signatures and the JWT); stop() keeps it for the next start', async () => {
    h = harness()
    await startConnected(h)
    expect(h.storage.data.has(CONFIG_KEY)).toBe(true)
    h.client.stop()
    expect(h.storage.data.has(CONFIG_KEY)).toBe(true)
    h.client.destroy()
    expect(h.storage.data.has(CONFIG_KEY)).toBe(false)
  })

  it('PULL-52 PULL-66 page listeners: attached once while the client runs, none after stop(), once again after a new start()', async () => {
    h = harness()
    for (const type of PAGE_EVENTS) expect(h.win.count(type)).toBe(0)
    await startConnected(h)
    for (const type of PAGE_EVENTS) expect(h.win.count(type)).toBe(1)
    h.client.restart()
    await flush()
    for (const type of PAGE_EVENTS) expect(h.win.count(type)).toBe(1)
    h.client.stop()
    for (const type of PAGE_EVENTS) expect(h.win.count(type)).toBe(0)
    const again = h.client.start()
    await flush()
    FakeWebSocket.last().serverOpen()
    await again
    for (const type of PAGE_EVENTS) expect(h.win.count(type)).toBe(1)
  })
})

describe('the back-forward cache (issue 10, item 2)', () => {
  it('PULL-67 pagehide (persisted) disconnects and schedules no reconnect; pageshow (persisted) reconnects from the same mid', async () => {
    h = harness()
    h.listen('onPullStatus')
    const socket = await startConnected(h)
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }, '17954246100000000000000077'))
    const statuses = h.events.length
    h.win.fire('pagehide', { type: 'pagehide', persisted: true })
    expect(socket.closedWith?.code).toBe(1000)
    expect(h.client.isConnected()).toBe(false)
    expect(h.client.getDebugInfo()['Try connect']).toBe('N')
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    h.win.fire('pageshow', { type: 'pageshow', persisted: true })
    const next = FakeWebSocket.last()
    expect(next).not.toBe(socket)
    expect(next.url).toContain('mid=17954246100000000000000077')
    next.serverOpen()
    expect(h.client.isConnected()).toBe(true)
    // The frozen page announced nothing; back, it says it is connecting and online again.
    expect(h.events.slice(statuses).map((e) => e[1])).toEqual(['connect', 'online'])
  })

  it('PULL-67 a pagehide that is a real unload (not persisted) and a pageshow of a fresh load change nothing', async () => {
    h = harness()
    const socket = await startConnected(h)
    h.win.fire('pagehide', { type: 'pagehide', persisted: false })
    h.win.fire('pageshow', { type: 'pageshow', persisted: false })
    expect(socket.closedWith).toBeNull()
    expect(h.client.isConnected()).toBe(true)
  })

  it('PULL-67 pagehide during the reconnect backoff drops the timer; pageshow connects at once', async () => {
    h = harness()
    const socket = await startConnected(h)
    socket.serverClose(1006)
    h.win.fire('pagehide', { type: 'pagehide', persisted: true })
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    h.win.fire('pageshow', { type: 'pageshow', persisted: true })
    expect(FakeWebSocket.instances).toHaveLength(2)
  })
})

describe('config given to start()', () => {
  it('a config handed to start() while waiting replaces the running attempt instead of opening a second socket', async () => {
    h = harness()
    const socket = await startConnected(h)
    socket.serverClose(1006)
    const config = structuredClone(h.config) as PullConfig
    const started = h.client.start(config)
    await flush()
    FakeWebSocket.last().serverOpen()
    await started
    await h.clock.tick(3600_000)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(FakeWebSocket.instances.filter((s) => s.readyState === 1 && !s.closedWith)).toHaveLength(1)
  })
})
