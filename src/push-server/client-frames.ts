// What the server does with frames a subscriber sends: protobuf RequestBatch publishes and channel stats (v4),
// JSON-RPC requests, `pong` and `mack:<mid>` (v5). 1.x text subscribers send nothing meaningful.

import { bytesToHex } from '../pull/codecs/hex'
import { decodeRpcClientFrame, encodeRpcBatchFrame, encodeRpcError, encodeRpcResult, RpcErrors, type RpcIncomingRequest } from '../pull/codecs/json-rpc-server'
import { encodeResponseBatch, decodeRequestBatch, type PbChannelRef } from '../pull/codecs/protobuf-schema'
import { isPlainObject, type PullSender } from '../pull/codecs/types'
import { publicChannelSignature, signatureMatches } from './channel-id'
import type { Subscriber } from './hub'

export interface ClientFrameContext {
  signatureKey?: string
  publish(channels: string[], body: string, expiry: number | undefined, sender: PullSender): string
  isOnline(channel: string): boolean
  /** Resolves a user id to its public channel id, for `userList` and `getUsersLastSeen`. */
  userChannel?(userId: number): string | undefined
  log(event: string, detail: Record<string, unknown>): void
  /** Most requests in one JSON-RPC frame, and most channels / users in one publish (2.x: 100). */
  maxRpcBatch: number
}

function senderOf(subscriber: Subscriber): PullSender {
  const id = subscriber.publicIds[0]
  return id ? { type: 1, id } : { type: 1 }
}

export function handleClientFrame(subscriber: Subscriber, data: string | Uint8Array, ctx: ClientFrameContext): void {
  if (subscriber.mode === 'protobuf' && typeof data !== 'string') return handleRequestBatch(subscriber, data, ctx)
  if (subscriber.mode === 'json-rpc' && typeof data === 'string') return handleRpc(subscriber, data, ctx)
  ctx.log('client frame ignored', { mode: subscriber.mode, binary: typeof data !== 'string', size: data.length })
}

/** A public receiver is accepted when no key is set, or when its signature is HMAC(key, 'public:' + id). */
function receiverAllowed(id: string, signature: string | undefined, key: string | undefined): boolean {
  if (key === undefined) return true
  return signature !== undefined && signatureMatches(publicChannelSignature(id, key), signature)
}

function handleRequestBatch(subscriber: Subscriber, data: Uint8Array, ctx: ClientFrameContext): void {
  let requests
  try {
    requests = decodeRequestBatch(data)
  } catch (error) {
    ctx.log('client RequestBatch unreadable, skipped', { error: String(error), bytes: data.length })
    return
  }
  for (const request of requests) {
    if (request.command === 'incomingMessages') {
      for (const message of request.messages) {
        const channels = message.receivers
          .filter((r) => receiverAllowed(bytesToHex(r.id), r.signature ? bytesToHex(r.signature) : undefined, ctx.signatureKey))
          .map((r) => bytesToHex(r.id))
        if (channels.length < message.receivers.length) ctx.log('client publish: receivers with a bad signature dropped', { dropped: message.receivers.length - channels.length })
        if (channels.length > 0) ctx.publish(channels, message.body, message.expiry, senderOf(subscriber))
      }
    } else if (request.command === 'channelStats') {
      const stats = request.channels.map((c: PbChannelRef) => ({ id: c.id, isPrivate: c.isPrivate, isOnline: ctx.isOnline(bytesToHex(c.id)) }))
      subscriber.sendRaw(encodeResponseBatch([{ command: 'channelStats', channels: stats }]))
    }
  }
}

function handleRpc(subscriber: Subscriber, frame: string, ctx: ClientFrameContext): void {
  const decoded = decodeRpcClientFrame(frame)
  if (decoded.kind === 'pong' || decoded.kind === 'mack') return
  if (decoded.kind === 'invalid') {
    ctx.log('client JSON-RPC frame unreadable, skipped', { reason: decoded.reason })
    subscriber.sendRaw(encodeRpcError(null, RpcErrors.InvalidRequest))
    return
  }
  if (decoded.requests.length + decoded.invalid > ctx.maxRpcBatch) {
    // [inferred] 2.x limits a request to 100 messages; how it answers more was not read. One error, nothing run.
    ctx.log('client JSON-RPC batch too large, refused', { requests: decoded.requests.length + decoded.invalid })
    subscriber.sendRaw(encodeRpcError(null, RpcErrors.InvalidRequest))
    return
  }
  const answers: string[] = []
  for (const request of decoded.requests) {
    const answer = answerRpc(subscriber, request, ctx)
    if (request.id !== undefined) answers.push(answer.error ? encodeRpcError(request.id, answer.error) : encodeRpcResult(request.id, answer.result))
  }
  for (let i = 0; i < decoded.invalid; i++) answers.push(encodeRpcError(null, RpcErrors.InvalidRequest))
  if (answers.length > 0) subscriber.sendRaw(decoded.batch ? `[${answers.join(',')}]` : encodeRpcBatchFrame(answers))
}

type RpcAnswer = { result: unknown; error?: undefined } | { error: { code: number; message: string } }

/** [inferred] Result shapes of the v5 server; the client only reads what B.9 lists. */
function answerRpc(subscriber: Subscriber, request: RpcIncomingRequest, ctx: ClientFrameContext): RpcAnswer {
  const { params } = request
  switch (request.method) {
    case 'publish': {
      if (!isPlainObject(params.body)) return { error: RpcErrors.InvalidParams }
      const listed = (Array.isArray(params.channelList) ? params.channelList.length : 0) + (Array.isArray(params.userList) ? params.userList.length : 0)
      if (listed > ctx.maxRpcBatch) return { error: RpcErrors.InvalidParams }
      const channels: string[] = []
      for (const entry of Array.isArray(params.channelList) ? params.channelList : []) {
        const [id, signature] = typeof entry === 'string' ? entry.split('.') : isPlainObject(entry) ? [entry.publicId, entry.signature] : []
        if (typeof id === 'string' && receiverAllowed(id, typeof signature === 'string' ? signature : undefined, ctx.signatureKey)) channels.push(id)
      }
      for (const userId of Array.isArray(params.userList) ? params.userList : []) {
        const channel = typeof userId === 'number' ? ctx.userChannel?.(userId) : undefined
        if (channel) channels.push(channel)
      }
      if (channels.length === 0) return { error: RpcErrors.InvalidParams }
      const expiry = typeof params.expiry === 'number' ? params.expiry : undefined
      let body: string
      try {
        body = JSON.stringify(params.body)
      } catch {
        // Nested deeper than the stack allows: JSON.parse took it, JSON.stringify cannot give it back.
        return { error: RpcErrors.InvalidParams }
      }
      ctx.publish(channels, body, expiry, senderOf(subscriber))
      return { result: true }
    }
    case 'getUsersLastSeen': {
      // 0 = online now; users the server knows nothing about are left out (the client asks REST for them).
      const result: Record<string, number> = {}
      for (const userId of Array.isArray(params.userList) ? params.userList : []) {
        const channel = typeof userId === 'number' ? ctx.userChannel?.(userId) : undefined
        if (channel && ctx.isOnline(channel)) result[String(userId)] = 0
      }
      return { result }
    }
    case 'ping':
      return { result: {} }
    case 'listChannels':
      return { result: { channels: subscriber.channels } }
    case 'subscribeStatusChange':
    case 'unsubscribeStatusChange':
      return { result: {} }
    default:
      return { error: RpcErrors.MethodNotFound }
  }
}
