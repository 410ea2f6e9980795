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
  /** Live messages, counted once per channel they are stored on. */
  size(): number
  /** Characters of the bodies held (each message once). */
  storedChars(): number
}

export interface MessageStoreLimits {
  /** Past this many characters of bodies, the oldest messages are dropped. */
  maxChars: number
  /** Past this many messages, the oldest are dropped. */
  maxMessages: number
  /** Expired messages are swept out at most this often (ms), on the next add. Default 60 000. */
  sweepEveryMs?: number
}

const UNBOUNDED: MessageStoreLimits = { maxChars: Number.POSITIVE_INFINITY, maxMessages: Number.POSITIVE_INFINITY }

/**
 * `now` is injectable so that TTL tests do not wait; mids are fixed-width, so string order is publish order.
 * Memory is bounded: expired messages are swept out even from channels nobody reads again, and past `limits` the
 * oldest messages go first (a client that resumes from them gets what is left, as after a TTL).
 */
export function createMessageStore(now: () => number, limits: MessageStoreLimits = UNBOUNDED): MessageStore {
  const byChannel = new Map<string, StoredMessage[]>()
  // Every held message once, in publish order (a Map keeps insertion order): the eviction queue.
  const held = new Map<string, StoredMessage>()
  let chars = 0
  let nextSweep = now() + (limits.sweepEveryMs ?? 60_000)
  const alive = (m: StoredMessage, at: number): boolean => m.createdMs + m.ttlSec * 1000 > at

  const drop = (m: StoredMessage): void => {
    if (!held.delete(m.mid)) return
    chars -= m.body.length
    for (const channel of new Set(m.channels)) {
      const list = byChannel.get(channel)
      if (!list) continue
      const index = list[0] === m ? 0 : list.indexOf(m)
      if (index >= 0) list.splice(index, 1)
      if (list.length === 0) byChannel.delete(channel)
    }
  }
  const sweep = (at: number): void => {
    for (const m of [...held.values()]) if (!alive(m, at)) drop(m)
  }

  const live = (channel: string): StoredMessage[] => {
    const list = byChannel.get(channel)
    if (!list) return []
    const at = now()
    for (const m of list.filter((m) => !alive(m, at))) drop(m)
    return byChannel.get(channel) ?? []
  }

  return {
    add(message) {
      const at = now()
      if (at >= nextSweep) {
        nextSweep = at + (limits.sweepEveryMs ?? 60_000)
        sweep(at)
      }
      held.set(message.mid, message)
      chars += message.body.length
      for (const channel of new Set(message.channels)) {
        const list = byChannel.get(channel)
        if (list) list.push(message)
        else byChannel.set(channel, [message])
      }
      for (const oldest of held.values()) {
        if (chars <= limits.maxChars && held.size <= limits.maxMessages) break
        drop(oldest)
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
      const list = byChannel.get(channel)
      byChannel.delete(channel)
      // A message now on no stored channel is not needed any more.
      for (const m of list ?? []) if (!m.channels.some((c) => byChannel.get(c)?.includes(m))) drop(m)
    },
    size() {
      let count = 0
      for (const channel of [...byChannel.keys()]) count += live(channel).length
      return count
    },
    storedChars: () => chars,
  }
}
