import { afterEach, describe, expect, it } from 'vitest'
import { FakeWebSocket, flush, harness, nextMid, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

async function connected(options: Parameters<typeof harness>[0] = {}): Promise<FakeWebSocket> {
  h = harness(options)
  return startConnected(h)
}

describe('routing of received messages (B.3)', () => {
  it('PULL-23 subscribe defaults to type server and its unsubscribe function stops the callback', async () => {
    const socket = await connected()
    const seen: unknown[] = []
    const unsubscribe = h.client.subscribe({ moduleId: 'im', callback: (data: unknown) => seen.push(data) })
    expect(typeof unsubscribe).toBe('function')
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'message', params: { n: 1 } }))
    unsubscribe()
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'message', params: { n: 2 } }))
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ command: 'message', params: { n: 1 } })
  })

  it('PULL-24 order: onPullEvent-<module>, onPullEvent, module-wide callbacks, then command callbacks', async () => {
    const socket = await connected()
    const order: unknown[][] = []
    h.bx.addCustomEvent('onPullEvent', (...args: unknown[]) => void order.push(['onPullEvent', ...args]))
    h.bx.addCustomEvent('onPullEvent-im', (...args: unknown[]) => void order.push(['onPullEvent-im', ...args]))
    h.client.subscribe({ moduleId: 'im', command: 'message', callback: (...args: unknown[]) => void order.push(['command', ...args]) })
    h.client.subscribe({ moduleId: 'im', callback: (...args: unknown[]) => void order.push(['module', ...args]) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'message', params: { a: 1 }, extra: { x: 2 } }))
    expect(order.map((entry) => entry[0])).toEqual(['onPullEvent-im', 'onPullEvent', 'module', 'command'])
    const extra = expect.objectContaining({ x: 2 })
    expect(order[0]).toEqual(['onPullEvent-im', 'message', { a: 1 }, extra])
    expect(order[1]).toEqual(['onPullEvent', 'im', 'message', { a: 1 }, extra])
    expect(order[2]).toEqual(['module', { command: 'message', params: { a: 1 }, extra }, { type: 'server', moduleId: 'im' }])
    expect(order[3]).toEqual(['command', { a: 1 }, extra, 'message', { type: 'server', moduleId: 'im' }])
  })

  it('PULL-25 module_id is lower-cased before dispatch and command keeps its case', async () => {
    const socket = await connected()
    // BX event names are case-insensitive, so the lower-casing shows in the generic event and in subscriptions.
    h.listen('onPullEvent')
    const lower: unknown[] = []
    const upper: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }, meta: unknown) => lower.push([d.command, meta]) })
    h.client.subscribe({ moduleId: 'IM', callback: (d: unknown) => upper.push(d) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'IM', command: 'messageAdd' }))
    expect(h.events.map((e) => e.slice(0, 3))).toEqual([['onPullEvent', 'im', 'messageAdd']])
    expect(lower).toEqual([['messageAdd', { type: 'server', moduleId: 'im' }]])
    expect(upper).toEqual([])
  })

  it('PULL-26 a message from a client (sender.type 1) goes only to onPullClientEvent* and client subscribers', async () => {
    const socket = await connected()
    for (const name of ['onPullEvent', 'onPullEvent-app', 'onPullClientEvent', 'onPullClientEvent-app']) h.listen(name)
    const server: unknown[] = []
    const client: unknown[] = []
    h.client.subscribe({ moduleId: 'app', callback: (d: unknown) => server.push(d) })
    h.client.subscribe({ type: 'client', moduleId: 'app', callback: (d: unknown, meta: unknown) => client.push([d, meta]) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'app', command: 'hi', extra: { sender: { type: 1, id: 'ab' } } }))
    expect(h.events.map((e) => e[0])).toEqual(['onPullClientEvent-app', 'onPullClientEvent'])
    expect(h.events[1]?.slice(0, 3)).toEqual(['onPullClientEvent', 'app', 'hi'])
    expect(server).toHaveLength(0)
    expect(client).toEqual([[expect.objectContaining({ command: 'hi' }), { type: 'client', moduleId: 'app' }]])
  })

  it('PULL-27 online events pass only under 240 s of age; userStatusChange also reaches status callbacks', async () => {
    const socket = await connected({ version: 5 })
    h.listen('onPullOnlineEvent')
    const online: unknown[] = []
    h.client.subscribe({ type: 'online', callback: (d: unknown, meta: unknown) => online.push([d, meta]) })
    const statuses: unknown[] = []
    // v5 user status: the client subscribes over RPC first
    const subscribed = h.client.subscribeUserStatusChange(7, (data) => statuses.push(data))
    const request = JSON.parse(String(socket.sent.at(-1)))
    socket.serverMessage(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: true }))
    await subscribed
    const rpcMessage = (mid: string, ageSec: number) => JSON.stringify({
      jsonrpc: '2.0', method: 'incoming.message',
      params: { mid, body: { module_id: 'online', command: 'userStatusChange', params: { user_id: 7, online: true },
        extra: { server_time_unix: h.clock.now() / 1000 - ageSec } } },
    })
    socket.serverMessage(rpcMessage('m1', 10))
    socket.serverMessage(rpcMessage('m2', 300))
    expect(h.events).toHaveLength(1)
    expect(h.events[0]?.slice(0, 2)).toEqual(['onPullOnlineEvent', 'userStatusChange'])
    expect(online).toEqual([[expect.objectContaining({ command: 'userStatusChange' }), { type: 'online' }]])
    // outside the 240 s guard: both messages reach the user status callbacks
    expect(statuses).toEqual([{ userId: 7, isOnline: true }, { userId: 7, isOnline: true }])
  })

  it('PULL-28 module pull never reaches BX events or subscribers; config_expire and channel_expire restart', async () => {
    const socket = await connected()
    for (const name of ['onPullEvent', 'onPullEvent-pull']) h.listen(name)
    const seen: unknown[] = []
    h.client.subscribe({ moduleId: 'pull', callback: (d: unknown) => seen.push(d) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'something_else' }))
    expect(h.events).toEqual([])
    expect(seen).toEqual([])
    expect(socket.closedWith).toBeNull()
    // config_expire: restart 3003 with a config reload
    socket.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'Config_Expire' }))
    expect(socket.closedWith?.code).toBe(3003)
    await flush()
    expect(h.rest.calls).toHaveLength(2)
    const second = FakeWebSocket.last()
    second.serverOpen()
    // channel_expire without action reconnect (private channel, get_config): restart 3001
    second.serverMessage(textFrame(h.clock, { module_id: 'pull', command: 'channel_expire', params: { action: 'get_config', channel: { type: 'private' } } }))
    expect(second.closedWith?.code).toBe(3001)
    await flush()
    expect(h.rest.calls).toHaveLength(3)
    expect(h.events).toEqual([])
    expect(seen).toEqual([])
  })

  it('PULL-29 BX pull events use secureParams: each handler gets its own copy of params', async () => {
    const socket = await connected()
    const seen: unknown[] = []
    h.bx.addCustomEvent('onPullEvent-im', (_command: string, params: Record<string, unknown>) => {
      params.changed = true
    })
    h.bx.addCustomEvent('onPullEvent-im', (_command: string, params: Record<string, unknown>) => void seen.push({ ...params }))
    h.client.subscribe({ moduleId: 'im', callback: (data: { params: Record<string, unknown> }) => seen.push({ ...data.params }) })
    const shared: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (data: { params: unknown }) => shared.push(data.params) })
    h.client.subscribe({ moduleId: 'im', command: 'x', callback: (params: unknown) => shared.push(params) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x', params: { n: 1 } }))
    expect(seen).toEqual([{ n: 1 }, { n: 1 }])
    // subscribe callbacks share one clone per message
    expect(shared).toHaveLength(2)
    expect(shared[0]).toBe(shared[1])
    expect(shared[0]).toEqual({ n: 1 })
  })

  it('PULL-30 a throwing handler skips only its own message; the revision check of that message still runs', async () => {
    const socket = await connected()
    h.listen('onPullEvent')
    h.listen('onPullRevisionUp')
    h.bx.addCustomEvent('onPullEvent-im', (command: string) => {
      if (command === 'boom') throw new Error('handler failure')
    })
    const revision: unknown[] = []
    h.client.subscribe({ type: 'revision', callback: (d: unknown) => revision.push(d) })
    const frames = textFrame(h.clock, { module_id: 'im', command: 'boom', extra: { revision_web: 20 } }) +
      textFrame(h.clock, { module_id: 'im', command: 'after' })
    socket.serverMessage(frames)
    expect(h.events.map((e) => e[0] === 'onPullEvent' ? e[2] : e[0])).toEqual(['onPullRevisionUp', 'after'])
    expect(revision).toEqual([{ server: 20, client: 19 }])
    expect(h.logger.lines.some((line) => line.includes('broadcastMessages execute error'))).toBe(true)
  })

  it('PULL-31 server_time_ago is (now - server_time_unix) - timeShift, clamped at 0', async () => {
    // The REST config says the server clock is 30 s behind ours: timeShift = 30.
    h = harness({
      restHandler: (method) => method === 'pull.config.get'
        ? { result: { ...h.config, serverTime: new Date(h.clock.now() - 30_000).toISOString() } }
        : { error: 'x' },
    })
    const socket = await startConnected(h)
    expect(h.client.getConfig()?.server.timeShift).toBe(30)
    const ages: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { extra: { server_time_ago?: number } }) => ages.push(d.extra.server_time_ago) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'a', extra: { server_time_unix: h.clock.now() / 1000 - 100 } }))
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'b', extra: { server_time_unix: h.clock.now() / 1000 - 10 } }))
    expect(ages).toEqual([70, 0])
  })

  it('PULL-32 a mid seen among the last 10 is skipped, and the list keeps only the last 10', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    // Mids without a known order (as protobuf and JSON-RPC servers send them): only the 10-id window applies.
    let n = 0
    const hexMid = () => (++n).toString(16).padStart(32, 'f')
    const first = hexMid()
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'c0' }, first))
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'dup' }, first))
    for (let i = 1; i <= 10; i++) socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: `c${i}` }, hexMid()))
    // `first` has been pushed out of the last 10 ids: it is delivered again
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'again' }, first))
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'again'])
    expect(h.logger.lines.some((line) => line.includes(`Duplicate message ${first} skipped`))).toBe(true)
  })

  it('PULL-60 a 1.x mid not newer than the newest delivered from the same server run is a duplicate, even outside the window; the resume position never moves back', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    const run = '1795424610'
    const mid = (n: number, prefix = run) => prefix + String(n).padStart(16, '0')
    for (let i = 1; i <= 30; i++) socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: `c${i}` }, mid(i)))
    // What a long-poll catch-up followed by the same messages live looks like: 1..30 again, then 31.
    socket.serverMessage(Array.from({ length: 30 }, (_, i) => textFrame(h.clock, { module_id: 'im', command: `again${i + 1}` }, mid(i + 1))).join(''))
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'c31' }, mid(31)))
    expect(seen).toEqual(Array.from({ length: 31 }, (_, i) => `c${i + 1}`))
    expect(h.client.getDebugInfo()['Last message']).toBe(mid(31))
    // A stale frame alone does not move the position back either.
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'stale' }, mid(5)))
    expect(h.client.getDebugInfo()['Last message']).toBe(mid(31))
    // A new server run starts its own count: its first message is new.
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'newRun' }, mid(1, '1795424999')))
    expect(seen.at(-1)).toBe('newRun')
    expect(h.client.getDebugInfo()['Last message']).toBe(mid(1, '1795424999'))
    socket.serverClose(1006)
    await h.clock.tick(600)
    expect(FakeWebSocket.last().url).toContain(`mid=${mid(1, '1795424999')}`)
  })

  it('PULL-33 several frames in one payload, malformed JSON skipped; PULL-60 a payload without frames keeps the resume position', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    const one = textFrame(h.clock, { module_id: 'im', command: 'one' })
    const lastMid = nextMid()
    socket.serverMessage(one + '#!NGINXNMS!#{not json#!NGINXNME!#' + textFrame(h.clock, { module_id: 'im', command: 'two' }, lastMid))
    expect(seen).toEqual(['one', 'two'])
    expect(h.client.getDebugInfo()['Last message']).toBe(lastMid)
    // Bitrix clears the mid here, and its next reconnect then misses what was published meanwhile.
    socket.serverMessage('no frames here')
    socket.serverMessage('#!NGINXNMS!#{not json#!NGINXNME!#')
    expect(h.client.getDebugInfo()['Last message']).toBe(lastMid)
    expect(h.logger.lines.some((line) => line.includes('response without messages'))).toBe(true)
    socket.serverClose(1006)
    await h.clock.tick(600)
    expect(FakeWebSocket.last().url).toContain(`mid=${lastMid}`)
  })
})

describe('hostile input', () => {
  it('garbage frames between good ones: the next good message still arrives', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'first' }))
    socket.serverMessage('#!NGINXNMS!#{"mid":"1","text":{"command":"no module"}}#!NGINXNME!#')
    socket.serverMessage('#!NGINXNMS!#[1,2,3]#!NGINXNME!#')
    socket.serverMessage(new Uint8Array([0xff, 0xff, 0xff, 0x0f]).buffer)
    socket.serverMessage('#!NGINXNMS!#{"mid":"2","text":{"module_id":7,"command":"x"}}#!NGINXNME!#')
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'second' }))
    expect(seen).toEqual(['first', 'second'])
    expect(h.client.isConnected()).toBe(true)
  })

  it('params nested too deep to copy: that message is logged and lost, the next one arrives', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.bx.addCustomEvent('onPullEvent-im', (command: string) => void seen.push('bx ' + command))
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    // JSON.parse takes any depth; a recursive copy (Bitrix's too) runs out of stack long before 200,000 levels.
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const frame = textFrame(h.clock, { module_id: 'im', command: 'deep', params: { n: 0 } }).replace('{"n":0}', `{"n":${deep}}`)
    socket.serverMessage(frame + textFrame(h.clock, { module_id: 'im', command: 'next' }))
    expect(seen).toEqual(['bx next', 'next'])
    expect(h.logger.lines.some((line) => line.includes('broadcastMessages execute error (im/deep)'))).toBe(true)
    expect(h.client.isConnected()).toBe(true)
  })

  it('a subscriber that throws does not stop the next message', async () => {
    const socket = await connected()
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: () => { throw new Error('subscriber failure') } })
    h.bx.addCustomEvent('onPullEvent', (_m: string, command: string) => void seen.push(command))
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'a' }) + textFrame(h.clock, { module_id: 'im', command: 'b' }))
    expect(seen).toEqual(['a', 'b'])
  })

  it('subscribe with bad arguments logs and returns a no-op unsubscribe', async () => {
    const socket = await connected()
    for (const bad of [null, undefined, 5, 'im', {}, { moduleId: 'im' }, { moduleId: 'im', callback: 'x' }, { callback: () => {} }, { getModuleId: () => 5 }]) {
      const unsubscribe = h.client.subscribe(bad as never)
      expect(typeof unsubscribe).toBe('function')
      expect(() => unsubscribe()).not.toThrow()
    }
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'still works' }))
    expect(seen).toEqual(['still works'])
    expect(h.logger.lines.filter((line) => line.startsWith('error Pull.')).length).toBeGreaterThanOrEqual(8)
  })
})
