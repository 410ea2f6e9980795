// WebSocket connector (B.5). The constructor is injected (browser WebSocket, `ws` in Node, a fake in tests).

import type { Transport, TransportContext, TransportFactory } from './types'

/** The subset of the WebSocket API used here; both the DOM WebSocket and `ws` satisfy it. */
export interface WebSocketLike {
  binaryType: string
  readonly readyState: number
  onopen: ((event: any) => void) | null
  onclose: ((event: any) => void) | null
  onerror: ((event: any) => void) | null
  onmessage: ((event: any) => void) | null
  send(data: string | ArrayBufferLike | ArrayBufferView): void
  close(code?: number, reason?: string): void
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

const OPEN = 1
const ignore = (): void => {}

function defaultWebSocket(): WebSocketConstructor | undefined {
  return typeof WebSocket === 'function' ? (WebSocket as unknown as WebSocketConstructor) : undefined
}

/** `WebSocketCtor` undefined: the global WebSocket; null: none (the transport then reports an error on connect). */
export function webSocketTransport(WebSocketCtor?: WebSocketConstructor | null): TransportFactory {
  const Ctor = WebSocketCtor === undefined ? defaultWebSocket() : WebSocketCtor ?? undefined
  return {
    kind: 'webSocket',
    name: 'webSocket',
    supported: () => typeof Ctor === 'function',
    create: (context) => new WebSocketTransport(context, Ctor),
  }
}

class WebSocketTransport implements Transport {
  private socket: WebSocketLike | null = null
  private open = false

  constructor(private readonly ctx: TransportContext, private readonly Ctor: WebSocketConstructor | undefined) {}

  get connected(): boolean {
    return this.open
  }

  connect(): void {
    if (!this.Ctor) {
      this.ctx.callbacks.onError(new Error('WebSocket is not available in this environment'))
      return
    }
    let socket: WebSocketLike
    try {
      socket = new this.Ctor(this.ctx.url())
    } catch (error) {
      this.ctx.callbacks.onError(error)
      return
    }
    this.socket = socket
    socket.binaryType = 'arraybuffer'
    socket.onopen = () => {
      this.open = true
      this.ctx.callbacks.onOpen()
    }
    socket.onmessage = (event: { data: unknown }) => {
      const data = event.data
      if (typeof data === 'string' || data instanceof ArrayBuffer || data instanceof Uint8Array) this.ctx.callbacks.onMessage(data)
      else this.ctx.logger.warn('Pull: WebSocket frame of an unexpected type skipped')
    }
    socket.onerror = (event: unknown) => {
      // Browsers follow an error with a close; an error after open is reported by that close instead.
      if (this.open) return
      this.release()
      this.ctx.callbacks.onError(event)
    }
    socket.onclose = (event: { code?: number; reason?: string }) => {
      const wasOpen = this.open
      this.release()
      // A socket that never opened ends in the error path, not the disconnect path (B.5, [inferred]).
      if (wasOpen) this.ctx.callbacks.onClose({ code: event.code ?? 1006, reason: event.reason ?? '' })
      else this.ctx.callbacks.onError(new Error(`WebSocket closed before it opened (code ${event.code ?? 1006})`))
    }
  }

  disconnect(code: number, reason: string): void {
    const socket = this.socket
    this.release()
    if (socket) safeClose(socket, code, reason)
  }

  send(data: string | Uint8Array): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) {
      this.ctx.logger.error('Pull: WebSocket is not connected')
      return false
    }
    try {
      this.socket.send(data)
    } catch (error) {
      this.ctx.logger.error('Pull: WebSocket send failed', error instanceof Error ? error.message : String(error))
      return false
    }
    return true
  }

  /**
   * Done with the socket: its handlers become no-ops rather than null. Node's `ws` emits `error` on a socket closed
   * while it is still connecting, and an `error` with no listener left is thrown as an uncaught exception.
   */
  private release(): void {
    const socket = this.socket
    this.socket = null
    this.open = false
    if (!socket) return
    socket.onopen = ignore
    socket.onmessage = ignore
    socket.onerror = ignore
    socket.onclose = ignore
  }
}

function safeClose(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason)
  } catch {
    // Browsers accept only 1000 and 3000-4999 from scripts; any other code still has to close the socket.
    try {
      socket.close()
    } catch {
      // already closed
    }
  }
}
