// Connectors of the pull client: one file per transport, one contract (types.ts).
export * from './types'
export { webSocketTransport, type WebSocketLike, type WebSocketConstructor } from './websocket'
export { longPollingTransport, type FetchLike, type FetchResponseLike } from './long-polling'
export { pluggableTransport, postMessageSource, type PullSource, type PullSourceSink, type PostMessageSourceOptions } from './pluggable'
