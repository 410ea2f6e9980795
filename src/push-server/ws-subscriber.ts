// One WebSocket subscriber: a send queue flushed after the delivery delay (several messages → one frame),
// 1.x keepalive pings, the JSON-RPC text `ping`, and client frames handed to the server.

import type { RawData, WebSocket } from 'ws'
import type { Subscriber } from './hub'
import type { StoredMessage } from './message-store'
import { renderMessages, type WireMode } from './render'

/** Shared by every connection and changed at runtime by the slow-delivery fault. */
export interface DeliverySettings {
  delayMs: number
}

export interface WsSubscriberOptions {
  socket: WebSocket
  mode: WireMode
  channels: string[]
  publicIds: string[]
  settings: DeliverySettings
  /** WebSocket ping interval; 1.x: 120 s, and a client that missed two pings is cut at the third tick (360 s). */
  keepAliveMs: number
  /** JSON-RPC mode: interval of the text frame `ping` the client answers with `pong`. */
  rpcPingMs: number
  /** Past this many bytes queued and not taken by the client, it is cut off instead of buffered for ever. */
  maxBufferedBytes: number
  onFrame(subscriber: Subscriber, data: string | Uint8Array): void
  onClose(subscriber: Subscriber): void
  /** Where a cut-off slow reader and a frame the server failed on are reported. */
  log(event: string, detail: Record<string, unknown>): void
}

export function createWsSubscriber(options: WsSubscriberOptions): Subscriber {
  const { socket, mode, settings } = options
  let queue: StoredMessage[] = []
  let flushTimer: ReturnType<typeof setTimeout> | undefined
  let missedPongs = 0
  const timers: ReturnType<typeof setInterval>[] = []

  const send = (data: string | Uint8Array, then?: () => void): void => {
    if (socket.readyState !== socket.OPEN) return
    socket.send(data, then ? () => then() : undefined)
    // A client that stops reading would make us hold every later message in memory; the real server drops it too,
    // and the client resumes with its mid when it reconnects.
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      options.log('slow subscriber cut off', { bufferedBytes: socket.bufferedAmount })
      socket.terminate()
    }
  }
  const flush = (): void => {
    flushTimer = undefined
    const batch = queue
    queue = []
    if (batch.length > 0) send(renderMessages(mode, batch))
  }

  const subscriber: Subscriber = {
    kind: 'websocket',
    mode,
    channels: options.channels,
    publicIds: options.publicIds,
    deliver(message) {
      queue.push(message)
      // A zero delay still waits one macrotask, so messages published in the same tick share a frame, as 1.x's
      // send buffer does for publishes a few hundred ms apart.
      flushTimer ??= setTimeout(flush, settings.delayMs)
    },
    deliverAndDrop(message) {
      if (flushTimer) clearTimeout(flushTimer)
      queue.push(message)
      const batch = queue
      queue = []
      flushTimer = undefined
      if (socket.readyState === socket.OPEN) send(renderMessages(mode, batch), () => socket.terminate())
      else socket.terminate()
    },
    sendRaw: (data) => send(data),
    drop: () => socket.terminate(),
  }

  timers.push(setInterval(() => {
    if (missedPongs >= 2) {
      socket.terminate()
      return
    }
    missedPongs++
    socket.ping()
  }, options.keepAliveMs))
  if (mode === 'json-rpc') timers.push(setInterval(() => send('ping'), options.rpcPingMs))
  for (const timer of timers) timer.unref?.()

  socket.on('pong', () => {
    missedPongs = 0
  })
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    try {
      options.onFrame(subscriber, isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'))
    } catch (error) {
      // A frame we could not handle costs that frame, never the process or the other subscribers.
      options.log('client frame failed, skipped', { error: String(error), bytes: bytes.length })
    }
  })
  socket.on('close', () => {
    for (const timer of timers) clearInterval(timer)
    if (flushTimer) clearTimeout(flushTimer)
    options.onClose(subscriber)
  })
  socket.on('error', () => socket.terminate())
  return subscriber
}
