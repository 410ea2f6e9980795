// @vitest-environment node
// Item 2 of issue 10, with Node's `ws`: a socket closed while it is still connecting emits `error` after close()
// returns, and an `error` event nobody listens to is thrown as an uncaught exception. The client must leave a
// listener on every socket it lets go of.
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createPullClient, type PullClient, type PullConfig } from '../../../src/pull'
import { quietLogger } from './helpers'

let server: Server | undefined
let client: PullClient | undefined
const sockets = new Set<Socket>()
afterEach(async () => {
  client?.destroy()
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
})

/** A TCP server that takes the connection and never answers the upgrade: the WebSocket stays CONNECTING. */
async function silentServer(): Promise<number> {
  server = createServer((socket) => void sockets.add(socket))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return (server!.address() as { port: number }).port
}

function config(port: number): PullConfig {
  const end = new Date(Date.now() + 3600_000).toISOString()
  const url = `ws://127.0.0.1:${port}/bitrix/subws/`
  return {
    server: { version: 3, websocket_enabled: true, websocket: url, websocket_secure: url, config_timestamp: 0 },
    api: { revision_web: 19 },
    channels: { private: { id: 'a'.repeat(32), end, type: 'private' } },
  }
}

it.each(['stop', 'destroy', 'restart'] as const)('PULL-39 %s() while a ws socket is still connecting raises no uncaught error', async (action) => {
  const port = await silentServer()
  const uncaught: unknown[] = []
  const record = (error: unknown) => void uncaught.push(error)
  process.on('uncaughtException', record)
  try {
    client = createPullClient({ bx: null, window: null, storage: null, logger: quietLogger(), WebSocket: WebSocket as never, userId: 1 })
    const started = client.start(config(port)).catch((error: unknown) => error)
    for (let i = 0; i < 100 && sockets.size === 0; i++) await new Promise((r) => setTimeout(r, 5))
    expect(sockets.size).toBe(1)
    if (action === 'restart') client.restart()
    else client[action]()
    expect(await started).toBeInstanceOf(Error)
    await new Promise((r) => setTimeout(r, 100))
    expect(uncaught).toEqual([])
  } finally {
    process.off('uncaughtException', record)
  }
})
