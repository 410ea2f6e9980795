// Fault injection for tests and the demo: the ways a real push server misbehaves, on demand.

import type { Hub } from './hub'
import type { MessageStore, StoredMessage } from './message-store'
import type { WireMode } from './render'
import type { DeliverySettings } from './ws-subscriber'

export interface ExpireChannelParams {
  /** `reconnect`: the client swaps in `new_channel` and reconnects in 1 s; `get_config`: it reloads its config. */
  action?: 'reconnect' | 'get_config'
  new_channel?: { id: string; start: string; end: string; type: string }
  channel?: { id: string; type: string }
}

export interface PushServerFaults {
  /** Cut every WebSocket and held long poll without a close handshake (the client sees 1006 / a network error). */
  dropAll(): void
  /** Send `pull/server_restart` to every subscriber, then cut each connection once it is written. Returns its mid. */
  restart(): string
  /** Send `pull/channel_expire` on a channel and forget its stored messages. Returns the system message's mid. */
  expireChannel(channel: string, params?: ExpireChannelParams): string
  /** Deliver the last published message again, with the same mid (the client's dedupe must hide it). */
  duplicateLast(): string | null
  /** Send every subscriber one frame that cannot be decoded, in its own encoding. */
  sendMalformed(): void
  /**
   * Send every subscriber a frame that is not JSON at all and has no frame markers (what a proxy's error page looks
   * like on the wire): a text WebSocket frame, or a long poll's 200 body.
   */
  sendNonJson(text?: string): void
  /**
   * Store what is published from now on but hold its fan-out until the returned `release()`, which delivers it live
   * and returns how many messages it let go. Push-server 1.x stores a message before it fans it out, so a client that
   * catches up with `mid=` in between gets the message from storage and then again live: this makes that overlap
   * as wide as a test needs.
   */
  holdFanOut(): () => number
  /** Delay (and batch) every delivery by `ms`; 0 restores prompt delivery. */
  setDelay(ms: number): void
}

/** Frames each codec must report and skip: a text frame holding broken JSON, a protobuf length past the end, a cut-off JSON-RPC object. */
export const MALFORMED: Record<WireMode, string | Uint8Array> = {
  text: '#!NGINXNMS!#{"id":0,"mid":#!NGINXNME!#',
  protobuf: Uint8Array.of(0x0a, 0xff, 0xff, 0x03, 0x0a),
  'json-rpc': '{"jsonrpc":"2.0","method":"incoming.message","params":',
}

/** Where held messages wait (holdFanOut); the server fans a message out only while `held` is null. */
export interface FanOutGate {
  held: StoredMessage[] | null
}

export interface FaultContext {
  hub: Hub
  store: MessageStore
  settings: DeliverySettings
  gate: FanOutGate
  /** Builds a `pull` system message with a fresh mid, without storing it (a reconnect must not replay it). */
  systemMessage(channels: string[], command: string, params: Record<string, unknown>): StoredMessage
  lastPublished(): StoredMessage | undefined
}

export function createFaults(ctx: FaultContext): PushServerFaults {
  return {
    dropAll() {
      for (const subscriber of ctx.hub.all()) subscriber.drop()
    },
    restart() {
      const subscribers = ctx.hub.all()
      const channels = [...new Set(subscribers.flatMap((s) => s.channels))]
      const message = ctx.systemMessage(channels, 'server_restart', {})
      for (const subscriber of subscribers) subscriber.deliverAndDrop(message)
      return message.mid
    },
    expireChannel(channel, params = { action: 'reconnect' }) {
      const message = ctx.systemMessage([channel], 'channel_expire', { ...params })
      ctx.hub.fanOut(message)
      ctx.store.forgetChannel(channel)
      return message.mid
    },
    duplicateLast() {
      const last = ctx.lastPublished()
      if (!last) return null
      ctx.hub.fanOut(last)
      return last.mid
    },
    sendMalformed() {
      for (const subscriber of ctx.hub.all()) subscriber.sendRaw(MALFORMED[subscriber.mode])
    },
    sendNonJson(text = '<html><body>502 Bad Gateway</body></html>') {
      for (const subscriber of ctx.hub.all()) subscriber.sendRaw(text)
    },
    holdFanOut() {
      const held: StoredMessage[] = (ctx.gate.held ??= [])
      return () => {
        if (ctx.gate.held === held) ctx.gate.held = null
        for (const message of held) ctx.hub.fanOut(message)
        return held.length
      }
    },
    setDelay(ms) {
      ctx.settings.delayMs = Math.max(0, ms)
    },
  }
}
