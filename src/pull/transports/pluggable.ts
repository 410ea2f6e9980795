// A transport over anything that pushes frames or decoded messages: a page fed by postMessage, a test, a mobile
// bridge. The source only has to call the sink; the client treats it like any other connection.

import type { WindowEventsLike } from '../client/types'
import type { IncomingFrame, Transport, TransportContext, TransportFactory } from './types'

export interface PullSourceSink {
  /** The source is delivering: the client goes online. Sources that are always ready call it inside open(). */
  open(): void
  message(frame: IncomingFrame): void
  /** The source stopped after it had opened; the client reconnects (or restarts for 4010) as after a socket close. */
  close(code?: number, reason?: string): void
  /** The source could not start; the client retries with backoff. */
  error(error: unknown): void
}

export interface PullSource {
  readonly name?: string
  /**
   * Start delivering to `sink`. `url` is the WebSocket URL the config gives (for sources that proxy a real server).
   * Returns a function that stops the delivery, called on disconnect.
   */
  open(sink: PullSourceSink, url: string): (() => void) | void
  /** Client publishes (v4 protobuf bytes, v5 JSON-RPC text). Without it, send() reports false. */
  send?(data: string | Uint8Array): boolean
}

export function pluggableTransport(source: PullSource): TransportFactory {
  return {
    kind: 'webSocket',
    name: source.name ?? 'pluggable',
    supported: () => true,
    create: (context) => new PluggableTransport(context, source),
  }
}

class PluggableTransport implements Transport {
  private open = false
  private generation = 0
  private stop: (() => void) | null = null

  constructor(private readonly ctx: TransportContext, private readonly source: PullSource) {}

  get connected(): boolean {
    return this.open
  }

  connect(): void {
    this.halt()
    const generation = ++this.generation
    // Each connect gets its own sink: a source that keeps calling an old sink after a reconnect is ignored.
    const live = (): boolean => generation === this.generation
    const { callbacks } = this.ctx
    const sink: PullSourceSink = {
      open: () => {
        if (!live() || this.open) return
        this.open = true
        callbacks.onOpen()
      },
      message: (frame) => {
        if (live()) callbacks.onMessage(frame)
      },
      close: (code = 1000, reason = '') => {
        if (!live()) return
        const wasOpen = this.open
        this.halt()
        if (wasOpen) callbacks.onClose({ code, reason })
        else callbacks.onError(new Error(`source closed before it opened (code ${code})`))
      },
      error: (error) => {
        if (!live()) return
        this.halt()
        callbacks.onError(error)
      },
    }
    let url = ''
    try {
      url = this.ctx.url()
    } catch {
      // A source does not need the server URL; a config without one is fine here.
    }
    try {
      const stop = this.source.open(sink, url)
      if (live() && typeof stop === 'function') this.stop = stop
    } catch (error) {
      sink.error(error)
    }
  }

  disconnect(): void {
    this.halt()
  }

  send(data: string | Uint8Array): boolean {
    if (!this.open || typeof this.source.send !== 'function') return false
    try {
      return this.source.send(data) !== false
    } catch (error) {
      this.ctx.logger.error('Pull: source send failed', error)
      return false
    }
  }

  private halt(): void {
    this.generation++
    this.open = false
    const stop = this.stop
    this.stop = null
    if (stop) {
      try {
        stop()
      } catch (error) {
        this.ctx.logger.error('Pull: source stop failed', error)
      }
    }
  }
}

export interface PostMessageSourceOptions {
  /** Where `message` events arrive (the window). */
  target: WindowEventsLike
  /** Exact origins allowed to feed messages; anything else is ignored (and logged once). */
  origins: string[]
  /** The key of the data object that holds the frame: `{bxPull: <frame>}`. */
  key?: string
}

/**
 * A source for a page whose parent (or a worker) relays pull traffic by postMessage: `{bxPull: frame}` where frame is
 * a text payload, bytes, or an array of decoded messages. It is ready as soon as it listens.
 */
export function postMessageSource(options: PostMessageSourceOptions): PullSource {
  const key = options.key ?? 'bxPull'
  let warned = false
  return {
    name: 'postMessage',
    open(sink) {
      const listener = (event: unknown): void => {
        const { origin, data } = event as { origin?: string; data?: unknown }
        if (typeof origin !== 'string' || !options.origins.includes(origin)) {
          if (!warned) console.warn(`Pull: postMessage from ${String(origin)} ignored`)
          warned = true
          return
        }
        if (data === null || typeof data !== 'object' || !(key in data)) return
        const frame = (data as Record<string, unknown>)[key]
        if (typeof frame === 'string' || frame instanceof ArrayBuffer || frame instanceof Uint8Array || Array.isArray(frame)) {
          sink.message(frame as IncomingFrame)
        }
      }
      options.target.addEventListener('message', listener)
      sink.open()
      return () => options.target.removeEventListener('message', listener)
    },
  }
}
