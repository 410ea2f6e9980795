// @vitest-environment node
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startPushServer, type PushServer } from '../../src/push-server/server'
import { channelId, openSocket, sleep } from './helpers'

// 1.x pings every 120 s and cuts a client that answered none at the third tick (captured: pings at 120 and 240 s,
// close 1006 at 360 s). Scaled down to 60 ms here.
let server: PushServer
beforeEach(async () => {
  server = await startPushServer({ keepAliveMs: 60, log: () => {} })
})
afterEach(() => server.close())

it('a client that never answers pings gets two pings, then is cut at the third tick (1006)', async () => {
  const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${channelId(1)}`, { autoPong: false })
  let pings = 0
  socket.ws.on('ping', () => pings++)
  const started = Date.now()
  const closed = await socket.closed
  expect(closed.code).toBe(1006)
  expect(pings).toBe(2)
  expect(Date.now() - started).toBeGreaterThanOrEqual(150)
})

it('a client that answers pings stays connected', async () => {
  const socket = await openSocket(`${server.endpoints.websocket}?CHANNEL_ID=${channelId(1)}`)
  let pings = 0
  socket.ws.on('ping', () => pings++)
  await sleep(400)
  expect(pings).toBeGreaterThanOrEqual(4)
  expect(socket.ws.readyState).toBe(socket.ws.OPEN)
  socket.ws.close()
})
