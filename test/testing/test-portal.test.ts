// bx24-shim/testing: createTestPortal (a mock portal from fixtures, REST calls to await, pull publishing) and the
// pull hub, driven by our own BX24 and pull client in this realm.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createBX, createBX24, createPullClient, mockTransport, pluggableTransport } from '../../src/index'
import { createTestPortal, seedFromFile, type TestPortal } from '../../src/testing/index'

const seed = {
  portal: { domain: 'fixture.bitrix24.test', memberId: 'a'.repeat(32) },
  users: [
    { ID: 1, NAME: 'Ada', LAST_NAME: 'Admin', ADMIN: true, ACTIVE: true },
    { ID: 2, NAME: 'Uma', LAST_NAME: 'User', ACTIVE: true },
  ],
  crm: { deal: [{ ID: 1, TITLE: 'Only deal', OPPORTUNITY: 10 }] },
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** BX24 and a started pull client of one user, in this realm, over the test portal. */
async function appOf(test: TestPortal, userId = 1) {
  const BX24 = createBX24({ transport: mockTransport(test.session({ userId })) })
  const BX = createBX({})
  const pull = createPullClient({ bx: BX, window: null, storage: null, restApplication: true, restClient: BX24, userId, transport: pluggableTransport(test.pull.source()) })
  cleanups.push(() => {
    pull.stop()
    BX24.shim.destroy()
  })
  await new Promise<void>((done) => BX24.init(() => done()))
  await pull.start()
  return { BX24, BX, pull }
}

describe('createTestPortal', () => {
  it('builds the portal from a seed object or a JSON file (docs/portal.md format)', async () => {
    const fromObject = createTestPortal({ seed })
    expect(fromObject.portal.records('crm.deal').map((deal) => deal.TITLE)).toEqual(['Only deal'])
    const dir = mkdtempSync(join(tmpdir(), 'bx24-testing-'))
    const file = join(dir, 'portal.json')
    writeFileSync(file, JSON.stringify(seed))
    const fromFile = createTestPortal({ seed: file })
    expect(fromFile.portal.state.domain).toBe('fixture.bitrix24.test')
    expect(fromFile.portal.user(2)?.NAME).toBe('Uma')
    expect(createTestPortal().portal.records('crm.deal')).toHaveLength(120)
  })

  it('a seed file that is not JSON gives an error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bx24-testing-'))
    const file = join(dir, 'broken.json')
    writeFileSync(file, '{ "users": [ // comments are not JSON')
    expect(() => seedFromFile(file)).toThrow(`${file} is not a JSON seed`)
    expect(() => createTestPortal({ seed: join(dir, 'missing.json') })).toThrow(/ENOENT/)
  })

  it('records the REST calls an app makes, and waitForCall resolves for a call made later', async () => {
    const test = createTestPortal({ seed })
    const { BX24 } = await appOf(test)
    const later = test.waitForCall('crm.deal.add', (call) => call.params.fields !== undefined)
    await BX24.callMethod('crm.deal.add', { fields: { TITLE: 'New', OPPORTUNITY: 5 } })
    const call = await later
    expect(call).toMatchObject({ method: 'crm.deal.add', status: 200, userId: 1, params: { fields: { TITLE: 'New', OPPORTUNITY: '5' } } })
    expect(test.calls('CRM.DEAL.ADD')).toEqual([call])
    expect(test.calls().map((c) => c.method)).toEqual(['pull.application.config.get', 'crm.deal.add'])
    // already recorded: resolves at once
    await expect(test.waitForCall('crm.deal.add')).resolves.toBe(call)
  })

  it('waitForCall rejects after its timeout and says which calls it saw', async () => {
    const test = createTestPortal({ seed })
    const { BX24 } = await appOf(test)
    await BX24.callMethod('user.current')
    await expect(test.waitForCall('crm.deal.delete', undefined, { timeout: 20 })).rejects.toThrow(
      'no crm.deal.delete call within 20 ms (calls so far: pull.application.config.get, user.current)',
    )
  })

  it('PULL-24 publish reaches onPullEvent-<module> and subscribe() of a connected client; PULL-48 the default module is application', async () => {
    const test = createTestPortal({ seed })
    const { BX, pull } = await appOf(test)
    const seen: unknown[] = []
    BX.addCustomEvent('onPullEvent-crm', (command, params) => seen.push(['crm', command, params]))
    pull.subscribe({ moduleId: 'application', callback: (data) => seen.push(['app', data.command, data.params]) })
    expect(test.pull.connections).toHaveLength(1)
    const message = test.publish({ moduleId: 'crm', command: 'dealUpdate', params: { id: 3 } })
    test.publish({ command: 'ping', params: { n: 1 } })
    expect(seen).toEqual([['crm', 'dealUpdate', { id: 3 }], ['app', 'ping', { n: 1 }]])
    expect(message.delivered).toBe(1)
    expect(test.pull.published.map((m) => m.body.module_id)).toEqual(['crm', 'application'])
  })

  it('a message for one user reaches only that user; the app backend can publish through REST too', async () => {
    const test = createTestPortal({ seed })
    const admin = await appOf(test, 1)
    const user = await appOf(test, 2)
    const got = { admin: [] as string[], user: [] as string[] }
    admin.BX.addCustomEvent('onPullEvent-application', (command) => got.admin.push(command))
    user.BX.addCustomEvent('onPullEvent-application', (command) => got.user.push(command))
    test.publish({ command: 'forUma', userId: 2 })
    test.publish({ command: 'forEveryone' })
    await admin.BX24.callMethod('pull.application.event.add', { COMMAND: 'viaRest', PARAMS: { a: 1 } })
    expect(got).toEqual({ admin: ['forEveryone', 'viaRest'], user: ['forUma', 'forEveryone', 'viaRest'] })
  })

  it('PULL-27 online events carry server_time_unix, so they pass the 240 s freshness check', async () => {
    const test = createTestPortal({ seed })
    const { BX } = await appOf(test)
    const online: unknown[] = []
    BX.addCustomEvent('onPullOnlineEvent', (command, params, extra) => online.push([command, params, typeof extra.server_time_ago]))
    test.publish({ moduleId: 'online', command: 'userStatusChange', params: { user_id: 2, online: true } })
    expect(online).toEqual([['userStatusChange', { user_id: 2, online: true }, 'number']])
  })

  it('dropped connections reconnect, and a message published after that arrives once', async () => {
    const test = createTestPortal({ seed })
    const { BX } = await appOf(test)
    const commands: string[] = []
    BX.addCustomEvent('onPullEvent-application', (command) => commands.push(command))
    test.pull.dropConnections()
    expect(test.pull.connections).toHaveLength(0)
    await test.pull.whenConnected(1)
    test.publish({ command: 'afterRestart' })
    expect(commands).toEqual(['afterRestart'])
  }, 10_000)

  it('any JSON params published arrive unchanged at subscribe() callbacks and BX handlers (property)', async () => {
    const test = createTestPortal({ seed })
    const { BX, pull } = await appOf(test)
    let viaEvent: unknown
    let viaCallback: unknown
    BX.addCustomEvent('onPullEvent-application', (_command, params) => (viaEvent = params))
    pull.subscribe({ moduleId: 'application', callback: (data) => (viaCallback = data.params) })
    // JSON objects as a backend sends them (no undefined, no -0: JSON cannot carry them).
    const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown)
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 6 }), fc.stringMatching(/^[A-Za-z0-9_:|.-]{1,20}$/), (params, command) => {
        const plain = JSON.parse(JSON.stringify(params)) as Record<string, unknown>
        viaEvent = viaCallback = undefined
        test.publish({ command, params: plain })
        expect(viaEvent).toEqual(plain)
        expect(viaCallback).toEqual(plain)
      }),
      { numRuns: 60 },
    )
  })
})

describe('createPullHub', () => {
  it('a connection URL without channels (or not a URL) subscribes to nothing and gets nothing', () => {
    const test = createTestPortal({ seed })
    const frames: unknown[] = []
    const sink = { open() {}, message: (frame: unknown) => frames.push(frame), close() {}, error() {} }
    for (const url of ['not a url', 'ws://x/?CHANNEL_ID=', 'ws://x/', 'ws://x/?CHANNEL_ID=//']) test.pull.source().open(sink, url)
    expect(test.pull.connections.map((c) => c.channels)).toEqual([[], [], [], []])
    test.publish({ command: 'nobody' })
    expect(frames).toEqual([])
    expect(test.pull.published[0]!.delivered).toBe(0)
  })

  it('whenConnected waits for the given number of connections', async () => {
    const test = createTestPortal({ seed })
    let resolved = false
    const waiting = test.pull.whenConnected(2).then(() => (resolved = true))
    const sink = { open() {}, message() {}, close() {}, error() {} }
    const stop = test.pull.source().open(sink, 'ws://x/?CHANNEL_ID=abc')
    await Promise.resolve()
    expect(resolved).toBe(false)
    test.pull.source().open(sink, 'ws://x/?CHANNEL_ID=def')
    await waiting
    expect(resolved).toBe(true)
    if (stop) stop()
    expect(test.pull.connections).toHaveLength(1)
  })
})
