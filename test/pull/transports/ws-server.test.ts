// @vitest-environment node
// The client over a real socket: a `ws` server on loopback replays frames captured from Bitrix push-server 1.x.

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { createBX } from '../../../src/bx/create-bx'
import { createPullClient, type PullClient, type PullConfig } from '../../../src/pull'
import { quietLogger } from '../client/helpers'

interface Captures {
  websocket: {
    duplicateWhenSubscribedToBothChannels: { frames: { data: string }[] }
    verbatimBodies: { frames: string[] }
    catchUpWithMid: { messages: { data: string }[] }
  }
}

const captures = JSON.parse(
  readFileSync(resolve(__dirname, '../codecs/fixtures/push-server-1x-captures.json'), 'utf8'),
) as Captures

let server: WebSocketServer | undefined
let client: PullClient | undefined
afterEach(async () => {
  client?.destroy()
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()))
  server = undefined
})

function config(port: number): PullConfig {
  const end = new Date(Date.now() + 3600_000).toISOString()
  return {
    server: { version: 3, websocket_enabled: true, websocket: `ws://127.0.0.1:${port}/bitrix/subws/`, config_timestamp: 0 },
    api: { revision_web: 19 },
    channels: { private: { id: 'ec36ef3ac13bbed7d1982ad9ac3abe2a.7f966f1d80f32f3afe8e427c5a192079cbfd33ec', end, type: 'private' } },
  }
}

const waitFor = async (check: () => boolean, ms = 3000): Promise<void> => {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('WebSocket transport against a loopback ws server', () => {
  it('replays captured 1.x frames: duplicates hidden, unparseable bodies skipped, catch-up batch delivered, mid resumed', async () => {
    const urls: string[] = []
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((r) => server?.once('listening', r))
    const port = (server.address() as AddressInfo).port
    server.on('connection', (socket, request) => {
      urls.push(request.url ?? '')
      if (urls.length > 1) return
      const dup = captures.websocket.duplicateWhenSubscribedToBothChannels.frames[0]?.data ?? ''
      socket.send(dup)
      socket.send(dup)
      for (const frame of captures.websocket.verbatimBodies.frames) socket.send(frame)
      socket.send(captures.websocket.catchUpWithMid.messages[0]?.data ?? '')
      setTimeout(() => socket.close(1011, 'restarting'), 50)
    })
    const bx = createBX({})
    const seen: unknown[] = []
    bx.addCustomEvent('onPullEvent-test', (_command: string, params: { n?: number; s?: string }) => seen.push(params.n ?? params.s))
    client = createPullClient({
      bx, window: null, storage: null, logger: quietLogger(), random: () => 0, userId: 1,
      WebSocket: WebSocket as never,
    })
    await client.start(config(port))
    await waitFor(() => urls.length === 2)
    expect(seen).toEqual([4, 'привет ✓ $& $1', 201, 202, 203])
    expect(urls[0]).toContain('CHANNEL_ID=ec36ef3ac13bbed7d1982ad9ac3abe2a.7f966f1d80f32f3afe8e427c5a192079cbfd33ec&revision=19')
    expect(urls[1]).toContain('mid=17954246100000000000000022')
  })
})
