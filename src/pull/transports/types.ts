// The one contract every connector meets (the centrifuge-js seam, typed): the client creates a transport from a
// factory for each connection attempt, gives it the URLs and callbacks through a context, and never learns which
// transport it has. Once the client disconnects a transport, nothing that transport reports is heard any more.

import type { PullMessage } from '../codecs/types'
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
  /**
   * A frame arrived. True when it brought at least one new message: long polling waits before asking again a server
   * that answers at once with nothing new.
   */
  onMessage(frame: IncomingFrame): boolean
  /** Long polling only: a 304 told the last mid. */
  onLastMessageId(mid: string): void
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
  /** Opens the connection; called once, on a transport made for this one attempt. */
  connect(): void
  /** Closes (with this code where the wire has one) and stops every timer and request of the transport. */
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
