// The one contract every connector meets (the centrifuge-js seam, typed): the client creates a transport from a
// factory, gives it the URLs and callbacks through a context, and never learns which transport it has.

import type { PullMessage } from '../codecs'
import type { Clock, LoggerLike } from '../client/types'

/**
 * What a transport hands the client: a text payload (text frames or a JSON-RPC frame), binary (a protobuf
 * ResponseBatch), or messages some other layer has already decoded (a pluggable source).
 */
export type IncomingFrame = string | ArrayBuffer | Uint8Array | readonly PullMessage[]

export interface CloseInfo {
  code: number
  reason: string
}

export interface TransportCallbacks {
  /** The connection is usable. */
  onOpen(): void
  /** A connection that was open went away (also after a manual disconnect, with its code). */
  onClose(info: CloseInfo): void
  /** The connection could not be made or failed before it was open; the client schedules a retry. */
  onError(error: unknown): void
  onMessage(frame: IncomingFrame): void
  /** Long polling only: a 304 told the last mid (string), or an empty 200 reset it (null). */
  onLastMessageId(mid: string | null): void
}

export interface TransportContext {
  /** The subscribe URL for this transport's kind, rebuilt on each call so it carries the latest mid/tag/time. */
  url(): string
  /** Where long polling POSTs a publish; '' when the config has none. */
  publishUrl(): string
  /** True when the server speaks protobuf (v4, not JSON-RPC): long polling then reads bodies as bytes. */
  binary(): boolean
  callbacks: TransportCallbacks
  clock: Clock
  logger: LoggerLike
}

export interface Transport {
  readonly connected: boolean
  connect(): void
  /** Closes without reconnecting by itself; reports onClose with this code when it was connected. */
  disconnect(code: number, reason: string): void
  /** False when the data could not be handed to the connection (not open). */
  send(data: string | Uint8Array): boolean
}

export interface TransportFactory {
  /** Which of the config's URLs the client builds for it; a pluggable source gets the WebSocket one for reference. */
  readonly kind: 'webSocket' | 'longPolling'
  /** For debug output: 'webSocket', 'longPolling', or the source's own name. */
  readonly name: string
  supported(): boolean
  create(context: TransportContext): Transport
}
