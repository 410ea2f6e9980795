// How much one client can make the push server hold. Defaults follow push-server 2.x where it has a limit (spec B.8:
// maxPayload 1 MiB, 100 messages / channels per request); the rest are ours, generous for a dev server.

export interface PushServerLimits {
  /** Largest WebSocket frame a subscriber may send (2.x: 1 MiB). Larger: the connection is closed (1009). */
  maxPayloadBytes: number
  /** Bytes queued for one WebSocket and not yet taken by the client; past this, the subscriber is cut off. */
  maxBufferedBytes: number
  /** Requests in one JSON-RPC frame, and channels / users in one publish (2.x: 100). */
  maxRpcBatch: number
  /** Characters of message bodies kept for catch-up; past this the oldest messages are dropped. */
  maxStoredChars: number
  /** Messages kept for catch-up; past this the oldest are dropped. */
  maxStoredMessages: number
}

export const DEFAULT_LIMITS: Readonly<PushServerLimits> = {
  maxPayloadBytes: 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxRpcBatch: 100,
  maxStoredChars: 64 * 1024 * 1024,
  maxStoredMessages: 100_000,
}
