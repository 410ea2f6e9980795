// @vitest-environment node
import { afterEach, expect, it } from 'vitest'
import { signChannelId } from '../../src/push-server/channel-id'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { channelId, openSocket, sleep } from './helpers'

let server: PushServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

it('listens on 127.0.0.1 and a free port by default, and names its endpoints', async () => {
  server = await startPushServer({ log: () => {} })
  const { port, hostname } = new URL(server.url)
  expect(hostname).toBe('127.0.0.1')
  expect(Number(port)).toBeGreaterThan(0)
  expect(server.endpoints).toEqual({
    websocket: `ws://127.0.0.1:${port}/bitrix/subws/`,
    longPolling: `http://127.0.0.1:${port}/bitrix/sub/`,
    publish: `http://127.0.0.1:${port}/bitrix/pub/`,
  })
  expect(server.protocol).toBe('text')
})

it('signChannel signs with the key, and leaves ids alone without one', async () => {
  server = await startPushServer({ signatureKey: 'k', log: () => {} })
  expect(server.signChannel(channelId(1))).toBe(signChannelId(channelId(1), 'k'))
  await server.close()
  server = await startPushServer({ log: () => {} })
  expect(server.signChannel(channelId(1))).toBe(channelId(1))
})

it('publish refuses malformed channel ids with a TypeError, accepts signed ones', async () => {
  server = await startPushServer({ signatureKey: 'k', log: () => {} })
  expect(() => server!.publish('short', { module_id: 'a', command: 'b' })).toThrow(TypeError)
  expect(server.publish(server.signChannel(channelId(1)), { module_id: 'a', command: 'b' })).toMatch(/^\d{26}$/)
})

it('refused subscriptions are logged without the signature', async () => {
  const logs: string[] = []
  server = await startPushServer({ signatureKey: 'k', log: (entry) => logs.push(JSON.stringify(entry)) })
  const wrong = `${channelId(1)}.${'a'.repeat(40)}`
  await expect(openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${wrong}`)).rejects.toThrow()
  expect(logs).toHaveLength(1)
  expect(logs[0]).toContain('subscription refused')
  expect(logs[0]).not.toContain('a'.repeat(40))
})

it('close() ends live connections and frees the port', async () => {
  server = await startPushServer({ log: () => {} })
  const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${channelId(1)}`)
  await sleep(10)
  const url = server.url
  await server.close()
  server = undefined
  expect((await socket.closed).code).toBe(1006)
  await expect(fetch(`${url}/bitrix/pub/?CHANNEL_ID=${channelId(1)}`)).rejects.toThrow()
})
