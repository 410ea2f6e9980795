// JSON-RPC 2.0, server side: the frames a v5 server sends (`incoming.message` notifications, answers) and what
// it makes of a client frame (`pong`, `mack:<mid>`, requests).

import { isPlainObject } from './types'
import { RPC_PONG, RPC_VERSION, type RpcError, type RpcId } from './json-rpc'

export interface RpcOutgoingMessage {
  mid: string
  /** The message JSON exactly as published; spliced in, so a body that is not JSON gives a broken frame. */
  bodyJson: string
  sender?: { type: number; id?: string }
  user_params?: Record<string, unknown>
  dictionary?: Record<string, unknown>
}

/**
 * One `incoming.message` as a notification (no `id`): the client answers with `mack:<mid>`, not with a JSON-RPC
 * response. [inferred] The v5 server's source was not read; the params are the ones the client reads (B.6).
 */
export function encodeRpcIncomingMessage(message: RpcOutgoingMessage): string {
  const tail: Record<string, unknown> = {}
  if (message.sender) tail.sender = message.sender
  if (message.user_params) tail.user_params = message.user_params
  if (message.dictionary) tail.dictionary = message.dictionary
  const rest = JSON.stringify(tail)
  const params = `{"mid":${JSON.stringify(message.mid)},"body":${message.bodyJson}${rest === '{}' ? '' : ',' + rest.slice(1, -1)}}`
  return `{"jsonrpc":"${RPC_VERSION}","method":"incoming.message","params":${params}}`
}

/** Several encoded items as one batch frame; a single item is sent as itself. */
export function encodeRpcBatchFrame(items: string[]): string {
  return items.length === 1 ? (items[0] as string) : `[${items.join(',')}]`
}

export function encodeRpcResult(id: RpcId | null, result: unknown): string {
  return JSON.stringify({ jsonrpc: RPC_VERSION, result, id })
}

export function encodeRpcError(id: RpcId | null, error: RpcError): string {
  return JSON.stringify({ jsonrpc: RPC_VERSION, error, id })
}

export const RpcErrors = {
  ParseError: { code: -32700, message: 'Parse error' },
  InvalidRequest: { code: -32600, message: 'Invalid Request' },
  MethodNotFound: { code: -32601, message: 'Method not found' },
  InvalidParams: { code: -32602, message: 'Invalid params' },
} as const satisfies Record<string, RpcError>

export interface RpcIncomingRequest {
  method: string
  params: Record<string, unknown>
  /** Absent for notifications, which get no answer. */
  id?: RpcId
}

export type RpcClientFrame =
  | { kind: 'pong' }
  | { kind: 'mack'; mid: string }
  | { kind: 'requests'; requests: RpcIncomingRequest[]; invalid: number; batch: boolean }
  | { kind: 'invalid'; reason: string }

/** Classifies a text frame a v5 client sent. Invalid batch items are counted, the valid ones still returned. */
export function decodeRpcClientFrame(frame: string): RpcClientFrame {
  if (frame === RPC_PONG) return { kind: 'pong' }
  if (frame.startsWith('mack:')) return { kind: 'mack', mid: frame.slice(5) }
  let decoded: unknown
  try {
    decoded = JSON.parse(frame)
  } catch {
    return { kind: 'invalid', reason: `not JSON (${frame.length} chars)` }
  }
  const batch = Array.isArray(decoded)
  const items: unknown[] = Array.isArray(decoded) ? decoded : [decoded]
  const requests: RpcIncomingRequest[] = []
  let invalid = 0
  for (const item of items) {
    if (!isPlainObject(item) || item.jsonrpc !== RPC_VERSION || typeof item.method !== 'string') {
      invalid++
      continue
    }
    const request: RpcIncomingRequest = { method: item.method, params: isPlainObject(item.params) ? item.params : {} }
    if (typeof item.id === 'number' || typeof item.id === 'string') request.id = item.id
    requests.push(request)
  }
  if (requests.length === 0 && invalid > 0 && !batch) return { kind: 'invalid', reason: 'not a JSON-RPC request' }
  return { kind: 'requests', requests, invalid, batch }
}
