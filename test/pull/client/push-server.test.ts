// @vitest-environment node
// End to end: this client, over the real `ws` WebSocket and Node's fetch, against the project's local push server
// (src/push-server) in each of its protocols. No window, no BX: subscribers and the Node-only paths are exercised.

import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createBX } from '../../../src/bx/create-bx'
import { createPullClient, type PullConfig } from '../../../src/pull'
import { publicChannelSignature, startPushServer, type PushProtocol } from '../../../src/push-server'
import { quietLogger } from './helpers'
import { waitFor } from '../../wait-for'
import { hex32, serverAndClient } from '../server-fixture'

const KEY = 'test-signature-key'

const running = serverAndClient()


async function setUp(protocol: PushProtocol, version: number, websocket = true) {
  const server = (running.server = await startPushServer({ protocol, signatureKey: KEY, log: () => {}, rpcPingMs: 200, longPollingHoldMs: 300 }))
  const privateId = hex32()
  const publicId = hex32()
  const sharedId = hex32()
  const end = new Date(Date.now() + 3600_000).toISOString()
  const config: PullConfig = {
    server: {
      version, server_enabled: true, mode: 'personal', websocket_enabled: websocket,
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
  const events: unknown[][] = []
  bx.addCustomEvent('onPullEvent', (...args: unknown[]) => void events.push(args))
  const client = (running.client = createPullClient({ bx, window: null, storage: null, logger: quietLogger(), WebSocket: WebSocket as never, userId: 1 }))
  const seen: unknown[] = []
  client.subscribe({ moduleId: 'im', callback: (d: { command: string; params: unknown }) => seen.push([d.command, d.params]) })
  await client.start(config)
  return { server, client, privateId, publicId, sharedId, seen, events, publicChannel: `${publicId}.${publicChannelSignature(publicId, KEY)}` }
}

describe('against the local push server', () => {
  it.each([
    ['text', 3],
    ['protobuf', 4],
    ['json-rpc', 5],
  ] as const)('%s (v%i): published messages arrive once each, in order, with garbage in between skipped', async (protocol, version) => {
    const t = await setUp(protocol, version)
    t.server.publish(t.privateId, { module_id: 'IM', command: 'first', params: { n: 1 }, extra: {} })
    await waitFor('the first message', () => t.seen.length >= 1)
    // Sent on its own: a JSON-RPC server splices the body into its batch frame, which would break its neighbours too.
    t.server.publish(t.privateId, 'not json at all')
    await new Promise((r) => setTimeout(r, 50))
    t.server.publish(t.sharedId, { module_id: 'im', command: 'second', params: { n: 2 }, extra: {} })
    await waitFor('two messages', () => t.seen.length >= 2)
    expect(t.seen).toEqual([['first', { n: 1 }], ['second', { n: 2 }]])
    expect(t.events.map((e) => e.slice(0, 2))).toEqual([['im', 'first'], ['im', 'second']])
    expect(t.client.isConnected()).toBe(true)
  })

  it('json-rpc: ping, listChannels and a publish to a public channel come back as a client event', async () => {
    const t = await setUp('json-rpc', 5)
    const clientEvents: unknown[] = []
    t.client.subscribe({ type: 'client', moduleId: 'app', callback: (d: { command: string }) => clientEvents.push(d.command) })
    await expect(t.client.ping()).resolves.toBeDefined()
    await expect(t.client.listChannels()).resolves.toBeDefined()
    await expect(t.client.sendMessageToChannels([t.publicChannel], 'app', 'hello', { x: 1 })).resolves.toBeTruthy()
    await waitFor('the client event', () => clientEvents.length >= 1)
    expect(clientEvents).toEqual(['hello'])
  })

  it('protobuf: sendMessageToChannels publishes a RequestBatch the server delivers as a client event', async () => {
    const t = await setUp('protobuf', 4)
    const clientEvents: unknown[] = []
    t.client.subscribe({ type: 'client', moduleId: 'app', callback: (d: { command: string; extra: { sender?: unknown } }) => clientEvents.push([d.command, d.extra.sender]) })
    await expect(t.client.sendMessageToChannels([t.publicChannel], 'app', 'hello', {})).resolves.toBe(true)
    await waitFor('the client event', () => clientEvents.length >= 1)
    expect(clientEvents[0]).toEqual(['hello', expect.objectContaining({ type: 1 })])
  })

  it('long polling (websocket_enabled false): messages arrive and the 304 hold is survived', async () => {
    const t = await setUp('text', 3, false)
    expect(t.client.isWebSoketConnected()).toBe(false)
    await new Promise((r) => setTimeout(r, 450)) // past one 300 ms hold: a 304 and a new request
    t.server.publish(t.privateId, { module_id: 'im', command: 'viaLongPolling', params: {}, extra: {} })
    await waitFor('the message', () => t.seen.length >= 1)
    t.server.publish(t.privateId, { module_id: 'im', command: 'next', params: {}, extra: {} })
    await waitFor('the second message', () => t.seen.length >= 2)
    expect(t.seen.map((s) => (s as unknown[])[0])).toEqual(['viaLongPolling', 'next'])
  })
})
