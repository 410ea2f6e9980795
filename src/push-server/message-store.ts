// Per-channel message storage with a TTL and catch-up after a mid: the part of 1.x that lives in Redis.

import type { PullSender } from '../pull/codecs/types'

export const MAX_TTL_SEC = 86_400

export interface StoredMessage {
  mid: string
  /** The counter part of the mid (text frames carry it as `id`). */
  id: number
  /** The publish request's channels, in request order; text frames name the first one. */
  channels: string[]
  /** The body exactly as published. */
  body: string
  createdMs: number
  ttlSec: number
  sender?: PullSender
  userParams?: Record<string, unknown>
  dictionary?: Record<string, unknown>
}

/**
 * `Message-Expiry` as 1.x applies it: it can only lower the TTL. Garbage, zero or negative → the default (captured:
 * `abc` and `999999` both stored for 86400 s).
 */
export function messageTtl(expiry: string | number | undefined, maxTtlSec = MAX_TTL_SEC): number {
  const value = typeof expiry === 'number' ? expiry : Number.parseInt(expiry ?? '', 10)
  return Number.isFinite(value) && value > 0 ? Math.min(Math.floor(value), maxTtlSec) : maxTtlSec
}

export interface MessageStore {
  add(message: StoredMessage): void
  /** Live messages on any of `channels` published after `mid`, oldest first, each once. */
  after(channels: readonly string[], mid: string): StoredMessage[]
  /** The newest live mid on any of `channels` (the 304's `Last-Message-Id`), or ''. */
  newestMid(channels: readonly string[]): string
  forgetChannel(channel: string): void
  size(): number
}

/** `now` is injectable so that TTL tests do not wait; mids are fixed-width, so string order is publish order. */
export function createMessageStore(now: () => number): MessageStore {
  const byChannel = new Map<string, StoredMessage[]>()
  const alive = (m: StoredMessage, at: number): boolean => m.createdMs + m.ttlSec * 1000 > at

  const live = (channel: string): StoredMessage[] => {
    const list = byChannel.get(channel)
    if (!list) return []
    const at = now()
    const kept = list.filter((m) => alive(m, at))
    if (kept.length === 0) byChannel.delete(channel)
    else if (kept.length !== list.length) byChannel.set(channel, kept)
    return kept
  }

  return {
    add(message) {
      for (const channel of new Set(message.channels)) {
        const list = byChannel.get(channel)
        if (list) list.push(message)
        else byChannel.set(channel, [message])
      }
    },
    after(channels, mid) {
      const found = new Map<string, StoredMessage>()
      for (const channel of channels) for (const m of live(channel)) if (m.mid > mid) found.set(m.mid, m)
      return [...found.values()].sort((a, b) => (a.mid < b.mid ? -1 : 1))
    },
    newestMid(channels) {
      let newest = ''
      for (const channel of channels) for (const m of live(channel)) if (m.mid > newest) newest = m.mid
      return newest
    },
    forgetChannel(channel) {
      byChannel.delete(channel)
    },
    size() {
      let count = 0
      for (const channel of [...byChannel.keys()]) count += live(channel).length
      return count
    },
  }
}
