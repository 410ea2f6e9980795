// Who is listening on which channel, and the one fan-out rule for a published message.

import type { StoredMessage } from './message-store'
import type { WireMode } from './render'

/** A live subscription: one WebSocket, or one held long-polling request. */
export interface Subscriber {
  readonly kind: 'websocket' | 'long-polling'
  readonly mode: WireMode
  readonly channels: readonly string[]
  /** Public halves of `private:public` subscription ids (v4+): the sender id of this connection's publishes. */
  readonly publicIds: readonly string[]
  /** Queue a message; it goes out after the server's delivery delay, batched with others queued meanwhile. */
  deliver(message: StoredMessage): void
  /** Send this message at once, then cut the connection (server_restart). */
  deliverAndDrop(message: StoredMessage): void
  /** Send bytes as they are (fault injection). */
  sendRaw(data: string | Uint8Array): void
  /** Cut the connection without a close handshake: the client sees 1006 / a network error. */
  drop(): void
}

export interface Hub {
  add(subscriber: Subscriber): void
  remove(subscriber: Subscriber): void
  all(): Subscriber[]
  /** Subscribers of a channel. */
  on(channel: string): Subscriber[]
  /**
   * Delivers a message to everyone on its channels. A 1.x text WebSocket subscribed to several of the message's
   * channels gets it once per channel, with the same mid (captured; the client's dedupe hides it). Long polling and
   * the binary/JSON-RPC modes get it once. [inferred for the latter two]
   */
  fanOut(message: StoredMessage): number
}

export function createHub(): Hub {
  const byChannel = new Map<string, Set<Subscriber>>()
  const everyone = new Set<Subscriber>()
  return {
    add(subscriber) {
      everyone.add(subscriber)
      for (const channel of subscriber.channels) {
        const set = byChannel.get(channel) ?? new Set<Subscriber>()
        set.add(subscriber)
        byChannel.set(channel, set)
      }
    },
    remove(subscriber) {
      everyone.delete(subscriber)
      for (const channel of subscriber.channels) {
        const set = byChannel.get(channel)
        set?.delete(subscriber)
        if (set?.size === 0) byChannel.delete(channel)
      }
    },
    all: () => [...everyone],
    on: (channel) => [...(byChannel.get(channel) ?? [])],
    fanOut(message) {
      const hits = new Map<Subscriber, number>()
      for (const channel of new Set(message.channels)) {
        for (const subscriber of byChannel.get(channel) ?? []) hits.set(subscriber, (hits.get(subscriber) ?? 0) + 1)
      }
      for (const [subscriber, count] of hits) {
        const copies = subscriber.kind === 'websocket' && subscriber.mode === 'text' ? count : 1
        for (let i = 0; i < copies; i++) subscriber.deliver(message)
      }
      return hits.size
    },
  }
}
