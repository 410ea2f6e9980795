// JSON-RPC 2.0 over WebSocket (push server v5), client side: what a server frame means, and the frames the client
// sends. The server-side counterparts are in json-rpc-server.ts.

import { setSender, toMessageBody } from './body'
import { isPlainObject, type CodecIssue, type PullMessage } from './types'

export const RPC_PING = 'ping'
export const RPC_PONG = 'pong'
export const RPC_VERSION = '2.0'

export type RpcId = number | string

export interface RpcError {
  code: number
  message: string
  data?: unknown
}

export interface RpcResponse {
  id: RpcId | null
  result?: unknown
  error?: RpcError | unknown
}

export interface RpcFrameResult {
  messages: PullMessage[]
  issues: CodecIssue[]
  /**
   * Text frames to send back, in order: `pong` for a ping, `mack:<mid>` per incoming message (also for messages
   * the client then drops as duplicates, as Bitrix's web client does). Send them after dispatching `messages`.
   */
  replies: string[]
  /** The frame was the server's keep-alive `ping`: (re)arm the 20 s watchdog (PULL-36). */
  ping: boolean
  /** Answers to the client's own requests, to be matched to pending calls by `id`. */
  responses: RpcResponse[]
}

/**
 * Decodes one text frame from a v5 server (PULL-36): `ping`, a JSON-RPC request or response, or a batch of them.
 *
 * `incoming.message` requests become PullMessages: `sender` is written to `body.extra.sender` as sent, then
 * `user_params` and after it `dictionary` are shallow-merged into `body.params` (mergeParams). Requests for other methods are reported as
 * `unknown-method`; Bitrix builds a -32601 answer for them but never sends it, so neither do we.
 *
 * @example
 * const {messages, replies} = decodeRpcFrame(frame)
 * dispatch(messages); for (const reply of replies) socket.send(reply)
 */
export function decodeRpcFrame(frame: string): RpcFrameResult {
  const result: RpcFrameResult = { messages: [], issues: [], replies: [], ping: false, responses: [] }
  if (frame === RPC_PING) {
    result.ping = true
    result.replies.push(RPC_PONG)
    return result
  }
  let decoded: unknown
  try {
    decoded = JSON.parse(frame)
  } catch {
    result.issues.push({ kind: 'bad-json', message: `frame is not JSON (${frame.length} chars)` })
    return result
  }
  if (Array.isArray(decoded)) decoded.forEach((item, index) => readItem(item, index, result))
  else readItem(decoded, undefined, result)
  return result
}

function readItem(item: unknown, index: number | undefined, result: RpcFrameResult): void {
  const at = index === undefined ? {} : { index }
  const where = index === undefined ? 'frame' : `item ${index}`
  if (!isPlainObject(item) || typeof item.jsonrpc !== 'string' || item.jsonrpc === '') {
    result.issues.push({ kind: 'bad-shape', message: `${where} is not a JSON-RPC object`, ...at })
    return
  }
  if (typeof item.method === 'string' && item.method !== '') {
    if (item.method !== 'incoming.message') {
      result.issues.push({ kind: 'unknown-method', message: `${where}: method ${item.method.slice(0, 64)} not handled`, ...at })
      return
    }
    readIncomingMessage(item.params, where, at, result)
    return
  }
  if ('id' in item && ('result' in item || 'error' in item)) {
    const id = typeof item.id === 'number' || typeof item.id === 'string' ? item.id : null
    result.responses.push('error' in item ? { id, error: item.error } : { id, result: item.result })
    return
  }
  result.issues.push({ kind: 'unknown-response', message: `${where} is neither a request nor a response`, ...at })
}

function readIncomingMessage(params: unknown, where: string, at: { index?: number }, result: RpcFrameResult): void {
  if (!isPlainObject(params)) {
    result.issues.push({ kind: 'bad-shape', message: `${where}: incoming.message without params`, ...at })
    return
  }
  const mid = typeof params.mid === 'string' || typeof params.mid === 'number' ? String(params.mid) : null
  // Acknowledge whatever carries a mid, readable or not: redelivering a body we cannot read would not help.
  if (mid !== null) result.replies.push(`mack:${mid}`)
  const text = toMessageBody(params.body)
  if (typeof text === 'string') {
    result.issues.push({ kind: 'bad-shape', message: `${where}: ${text}`, ...at, ...(mid ? { mid } : {}) })
    return
  }
  // `text` is this frame's own parsed JSON: completed in place rather than copied (the hot path of every message).
  setSender(text, params.sender)
  if (isPlainObject(params.user_params)) mergeParams(text, params.user_params)
  if (isPlainObject(params.dictionary)) mergeParams(text, params.dictionary)
  result.messages.push({ mid, text })
}

/**
 * Bitrix's `Object.assign(body.params, source)`, with two differences. A `"__proto__"` key is defined as an own data
 * property: Object.assign *sets* it, which would replace the params' prototype. And params
 * that are missing or `null` become `{}` first: Bitrix's Object.assign throws there and the message is lost, though
 * the server sent these values for this recipient. Params that are a string or a number stay as they are (Object.assign
 * on a primitive changes nothing), an array gets the keys as Bitrix gives them.
 */
function mergeParams(body: { params: unknown }, source: Record<string, unknown>): void {
  if (body.params === undefined || body.params === null) body.params = {}
  const target = body.params
  if (typeof target !== 'object') return
  for (const key of Object.keys(source)) {
    const value = source[key]
    try {
      if (key !== '__proto__') (target as Record<string, unknown>)[key] = value
      else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
    } catch {
      // An array's `length` set to a non-length: Bitrix's assign throws there; we skip the one key.
    }
  }
}

// ---- client → server

/** What `sendMessage`/`sendMessageToChannels` publish on v5 (B.9). */
export interface RpcPublishParams {
  userList?: number[]
  channelList?: (string | { publicId: string; signature: string })[]
  body: { module_id: string; command: string; params: Record<string, unknown>; [key: string]: unknown }
  expiry?: number
}

/** The methods a v5 client calls, with their params. */
export interface RpcClientMethods {
  publish: RpcPublishParams
  getUsersLastSeen: { userList: number[] }
  ping: Record<string, never>
  listChannels: Record<string, never>
  subscribeStatusChange: { userId: number }
  unsubscribeStatusChange: { userId: number }
}

export interface RpcRequest<M extends keyof RpcClientMethods = keyof RpcClientMethods> {
  jsonrpc: typeof RPC_VERSION
  method: M
  params: RpcClientMethods[M]
  id: RpcId
}

/** One request as the client sends it; key order jsonrpc, method, params, id as Bitrix's `createRequest`. */
export function createRpcRequest<M extends keyof RpcClientMethods>(method: M, params: RpcClientMethods[M], id: RpcId): RpcRequest<M> {
  return { jsonrpc: RPC_VERSION, method, params, id }
}

/**
 * The frame text for one request or a batch.
 *
 * @example
 * socket.send(encodeRpcRequests(createRpcRequest('getUsersLastSeen', {userList: [1, 2]}, 7)))
 */
export function encodeRpcRequests(requests: RpcRequest | RpcRequest[]): string {
  return JSON.stringify(requests)
}
