import { afterEach, describe, expect, it } from 'vitest'
import { createBX } from '../../../src/bx/create-bx'
import { createPullClient, installPull, PullClient } from '../../../src/pull'
import { FakeWebSocket, fakeRest, fakeWindow, flush, makeConfig, manualClock, quietLogger } from './helpers'

const created: PullClient[] = []
afterEach(() => {
  for (const client of created.splice(0)) client.destroy()
})

describe('installPull (UMD globals)', () => {
  it('PULL-53 defines BX.PullClient with its statics and an unstarted BX.PULL singleton that BX.PULL.start() starts', async () => {
    const win = fakeWindow()
    const bx = createBX({ window: win as unknown as Window }) as ReturnType<typeof createBX> & { PullClient?: typeof PullClient; PULL?: PullClient }
    const clock = manualClock()
    const config = makeConfig(clock, 3)
    const rest = fakeRest(() => ({ result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } }))
    const client = installPull(win, bx, rest)
    if (!client) throw new Error('not installed')
    created.push(client)
    expect(bx.PullClient).toBe(PullClient)
    expect(bx.PullClient?.PullStatus.Online).toBe('online')
    expect(bx.PullClient?.SubscriptionType.Server).toBe('server')
    expect(bx.PullClient?.CloseReasons.CONFIG_EXPIRED).toBe(3003)
    expect(typeof bx.PullClient?.StorageManager).toBe('function')
    expect(bx.PULL).toBe(client)
    await flush()
    // nothing started by itself
    expect(rest.calls).toHaveLength(0)
    expect(client.isConnected()).toBe(false)
    // app iframe (BX24 given): restApplication mode
    void client.start().catch(() => {})
    await flush()
    expect(rest.calls.map((c) => c.method)).toEqual(['pull.application.config.get'])
  })

  it('keeps an existing BX.PullClient and BX.PULL (a real portal page has its own)', () => {
    const ownClass = function OwnPullClient() {}
    const ownInstance = { start: () => Promise.resolve(true) }
    const bx = { ...createBX({ window: fakeWindow() as unknown as Window }), PullClient: ownClass, PULL: ownInstance }
    expect(installPull(fakeWindow(), bx)).toBeUndefined()
    expect(bx.PullClient).toBe(ownClass)
    expect(bx.PULL).toBe(ownInstance)
    // BX.PULL present but no PullClient: the class is added, the instance kept
    const partial: Record<string, unknown> = { ...createBX({ window: fakeWindow() as unknown as Window }), PULL: ownInstance }
    installPull(fakeWindow(), partial)
    expect(partial.PullClient).toBe(PullClient)
    expect(partial.PULL).toBe(ownInstance)
  })

  it('createPullClient makes independent clients', () => {
    const a = createPullClient({ window: null, bx: null, storage: null, logger: quietLogger() })
    const b = createPullClient({ window: null, bx: null, storage: null, logger: quietLogger() })
    created.push(a, b)
    expect(a).not.toBe(b)
    expect(a).toBeInstanceOf(PullClient)
  })

  it('runs without window, BX or storage (Node): events are skipped, messages still reach subscribers', async () => {
    FakeWebSocket.reset()
    const clock = manualClock()
    const config = makeConfig(clock, 3)
    const client = createPullClient({
      window: null, bx: null, storage: null, clock, logger: quietLogger(), WebSocket: FakeWebSocket as never, userId: 1,
    })
    created.push(client)
    const seen: string[] = []
    client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    const started = client.start(config)
    await flush()
    FakeWebSocket.last().serverOpen()
    await started
    expect(FakeWebSocket.last().url.startsWith('ws://')).toBe(true) // no location: not secure
    FakeWebSocket.last().serverMessage('#!NGINXNMS!#{"mid":"1","text":{"module_id":"im","command":"node","params":{}}}#!NGINXNME!#')
    expect(seen).toEqual(['node'])
  })
})
