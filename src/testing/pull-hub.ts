// An in-memory push server for tests: a PullBackend for the portal's pull.application.* methods (src/dev/pull-methods.ts)
// and a PullSource for every client that connects (the pull client's pluggable transport). Messages travel as
// push-server 1.x text frames, so the client decodes them with its real codec, and a string crosses from Node into
// a happy-dom window's realm unchanged. Delivery is synchronous: after publish() returns, every connected client's
// BX handlers and subscribe() callbacks have run.

import { encodeTextFrame } from '../pull/codecs/text-frames'
import type { PullSource, PullSourceSink } from '../pull/transports/pluggable'
import type { PullBackend } from '../dev/pull-methods'

export interface PullHubConnection {
  /** Channel ids (unsigned) from the connection URL's CHANNEL_ID. */
  readonly channels: readonly string[]
  readonly url: string
}

export interface PublishedPullMessage {
  mid: string
  channels: string[]
  body: Record<string, unknown>
  /** How many connections it reached. */
  delivered: number
}

export interface PullHub {
  /** For createPullMethods(): the config points at the hub (protocol version 3, text frames). */
  readonly backend: PullBackend
  /** A source for one pull client: `pluggableTransport(hub.source())`. */
  source(name?: string): PullSource
  /** Connections open now. */
  readonly connections: readonly PullHubConnection[]
  /** Every message published so far. */
  readonly published: readonly PublishedPullMessage[]
  /** Resolves once at least `count` connections are open (now, or when they open). */
  whenConnected(count?: number): Promise<void>
  /** Drops every connection as a restarting server would (code 1001): clients reconnect with their backoff. */
  dropConnections(code?: number, reason?: string): void
}

interface Client extends PullHubConnection {
  sink: PullSourceSink
}

const HOST = 'pull-hub.test'

function channelsOf(url: string): string[] {
  let value: string | null = null
  try {
    value = new URL(url).searchParams.get('CHANNEL_ID')
  } catch {
    return []
  }
  // `id.signature` when signed; the hub signs nothing, but a client may keep an old signed id.
  return (value ?? '').split('/').filter(Boolean).map((id) => id.split('.')[0]!)
}

export function createPullHub(): PullHub {
  const clients = new Set<Client>()
  const published: PublishedPullMessage[] = []
  const waiters = new Set<{ count: number; done: () => void }>()
  let counter = 0
  let ids = 0
  const channelIds = new Map<string, string>()

  function notifyConnected(): void {
    for (const waiter of [...waiters]) {
      if (clients.size >= waiter.count) {
        waiters.delete(waiter)
        waiter.done()
      }
    }
  }

  const backend: PullBackend = {
    version: 3,
    hostname: HOST,
    endpoints: { websocket: `ws://${HOST}/bitrix/subws/`, longPolling: `http://${HOST}/bitrix/sub/`, publish: `http://${HOST}/bitrix/pub/` },
    channelId(seed) {
      let id = channelIds.get(seed)
      if (!id) {
        // 32 hex characters, distinct per seed and stable for the hub's lifetime.
        id = (++ids).toString(16).padStart(32, '0')
        channelIds.set(seed, id)
      }
      return id
    },
    sign: (id) => id,
    publicSignature: () => '',
    publish(channels, body) {
      counter++
      // Text-frame mids are 26 decimal digits; the id is the counter part (spec B.5).
      const mid = String(counter).padStart(26, '0')
      const text = JSON.stringify(body)
      let delivered = 0
      for (const client of [...clients]) {
        if (!client.channels.some((id) => channels.includes(id))) continue
        delivered++
        const frame = encodeTextFrame({ id: counter, mid, channel: channels[0] ?? '', tag: String(counter), time: new Date().toUTCString(), text })
        client.sink.message(frame)
      }
      published.push({ mid, channels: [...channels], body, delivered })
      return mid
    },
  }

  return {
    backend,
    source(name = 'test-pull-hub') {
      return {
        name,
        open(sink, url) {
          const client: Client = { sink, url, channels: channelsOf(url) }
          clients.add(client)
          sink.open()
          notifyConnected()
          return () => void clients.delete(client)
        },
      }
    },
    get connections() {
      return [...clients].map(({ channels, url }) => ({ channels, url }))
    },
    published,
    whenConnected(count = 1) {
      if (clients.size >= count) return Promise.resolve()
      return new Promise((done) => waiters.add({ count, done }))
    },
    dropConnections(code = 1001, reason = 'server restart') {
      for (const client of [...clients]) {
        clients.delete(client)
        client.sink.close(code, reason)
      }
    },
  }
}
