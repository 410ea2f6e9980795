// @vitest-environment node
// Item 4 of issue 10: better than Bitrix where it loses or repeats data, against the local push server's faults.
// - A long-poll (or reconnect) catch-up that overlaps the live fan-out of the same messages (1.x stores a message
//   before it fans it out): each message is delivered once, and the resume position never moves back.
// - A frame that is not JSON does not reset the resume position, so the next reconnect still resumes.
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createBX } from '../../../src/bx/create-bx'
import { createPullClient, type PullConfig } from '../../../src/pull'
import { startPushServer, type PushServer } from '../../../src/push-server'
import { waitFor } from '../../wait-for'
import { hex32, serverAndClient } from '../server-fixture'
import { quietLogger } from './helpers'

const running = serverAndClient()

async function setUp(transport: 'websocket' | 'long polling') {
  const server = (running.server = await startPushServer({ protocol: 'text', log: () => {}, longPollingHoldMs: 2_000 }))
  const channel = hex32()
  const end = new Date(Date.now() + 3600_000).toISOString()
  const config: PullConfig = {
    server: {
      version: 3, server_enabled: true, mode: 'personal', websocket_enabled: transport === 'websocket',
      websocket: server.endpoints.websocket, long_polling: server.endpoints.longPolling, config_timestamp: 0,
    },
    api: { revision_web: 19 },
    channels: { private: { id: channel, end, type: 'private' } },
  }
  const bx = createBX({})
  const viaBX: number[] = []
  bx.addCustomEvent('onPullEvent-test', (_command: string, params: { n: number }) => void viaBX.push(params.n))
  const logger = quietLogger()
  const client = (running.client = createPullClient({ bx, window: null, storage: null, logger, WebSocket: WebSocket as never, userId: 1 }))
  const seen: number[] = []
  client.subscribe({ moduleId: 'test', callback: (d: { params: { n: number } }) => void seen.push(d.params.n) })
  await client.start(config)
  // A client without a mid cannot catch up (1.x answers its poll's 304 with the newest stored mid, skipping what was
  // published between its polls), so the first message goes out while the server holds a poll of this client.
  if (transport === 'long polling') await waitFor('a poll held by the server', () => server.stats().longPolls === 1)
  const publish = (n: number): string => server.publish(channel, { module_id: 'test', command: 'n', params: { n }, extra: {} })
  return { server, client, channel, seen, viaBX, publish, logger }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('catch-up overlapping the live fan-out (1.x stores before it fans out)', () => {
  it.each(['websocket', 'long polling'] as const)('PULL-60 over %s: every message once, in order, and the next reconnect resumes after the newest', async (transport) => {
    const t = await setUp(transport)
    t.publish(0)
    await waitFor('the first message', () => t.seen.length === 1)
    // Published while the fan-out is held: stored at once, live only later.
    const release = t.server.faults.holdFanOut()
    for (const n of range(1, 30)) t.publish(n)
    // The client comes back with its mid and catches all 30 up from storage...
    t.server.faults.dropAll()
    await waitFor('the catch-up', () => t.seen.length === 31, 8_000)
    // ...then the same 30 arrive live, far outside Bitrix's 10-id window (long polling: to the poll the server holds
    // next, which gets the oldest of them).
    if (transport === 'long polling') await waitFor('the next poll', () => t.server.stats().longPolls === 1)
    expect(release()).toBe(30)
    await new Promise((r) => setTimeout(r, 300))
    t.publish(31)
    await waitFor('the next message', () => t.seen.includes(31), 8_000)
    await new Promise((r) => setTimeout(r, 200))
    expect(t.seen).toEqual(range(0, 31))
    expect(t.viaBX).toEqual(range(0, 31))
    // The position stayed on the newest message: another reconnect replays nothing.
    t.server.faults.dropAll()
    t.publish(32)
    await waitFor('the message published while away', () => t.seen.includes(32), 8_000)
    await new Promise((r) => setTimeout(r, 200))
    expect(t.seen).toEqual(range(0, 32))
  }, 20_000)
})

describe('a frame that is not JSON keeps the resume position', () => {
  it.each([
    ['a frame of broken JSON', (s: PushServer) => s.faults.sendMalformed()],
    ['a frame that is no JSON and has no frame markers', (s: PushServer) => s.faults.sendNonJson()],
  ])('PULL-60 after %s, a reconnect still resumes: what was published meanwhile arrives', async (_name, fault) => {
    const t = await setUp('websocket')
    t.publish(1)
    await waitFor('the first message', () => t.seen.length === 1)
    fault(t.server)
    await new Promise((r) => setTimeout(r, 100))
    expect(t.logger.lines.some((line) => line.includes('skipped') || line.includes('without messages'))).toBe(true)
    t.server.faults.dropAll()
    await waitFor('the drop', () => t.server.stats().websockets === 0)
    t.publish(2)
    await waitFor('the message published while away', () => t.seen.length === 2, 8_000)
    expect(t.seen).toEqual([1, 2])
  }, 15_000)

  it('PULL-60 over long polling: a junk 200 moves nothing, and what follows arrives', async () => {
    const t = await setUp('long polling')
    t.publish(1)
    await waitFor('the first message', () => t.seen.length === 1)
    await waitFor('a poll held by the server', () => t.server.stats().longPolls === 1)
    t.server.faults.sendNonJson()
    t.publish(2)
    await waitFor('the next message', () => t.seen.length === 2, 8_000)
    expect(t.seen).toEqual([1, 2])
  }, 15_000)
})
