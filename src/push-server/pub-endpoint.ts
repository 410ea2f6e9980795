// /bitrix/pub/ as 1.x serves it (PULL-54): POST a message JSON to `?CHANNEL_ID=a/b`, GET channel stats. Ids are
// checked for shape only: 1.x does not check signatures here, it trusts its network location.
// With a publish key, a POST must carry `signature=hex(HMAC-SHA1(key, body))`, as the shared-mode servers require of
// Bitrix's backend (spec B.10, "shared mode adds signature=HMAC(body)"): on a laptop, "the network" includes every
// local process and, through the browser, every website, so the dev portal always sets one.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { decodeRequestBatch } from '../pull/codecs/protobuf-schema'
import { bytesToHex } from '../pull/codecs/hex'
import { hmacHex, parseChannelIds, signatureMatches } from './channel-id'
import { sendJson, sendPubReply } from './http-replies'

/** 1.x counts characters, not bytes (captured: 1,200,054 bytes of Cyrillic in 600,054 characters pass). */
export const MAX_BODY_CHARS = 1_000_000
// No UTF-8 character takes more than 4 bytes, so past this many bytes the body is too long whatever it holds,
// and we stop keeping it in memory.
const MAX_BODY_BYTES = MAX_BODY_CHARS * 4

export interface PubContext {
  /** Set: POST bodies must be signed with it (`signature=` in the query). */
  publishKey?: string
  publish(channels: string[], body: string, expiry: string | number | undefined): void
  subscriberCount(channel: string): number
  log(event: string, detail: Record<string, unknown>): void
}

export function handlePub(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PubContext): void {
  const parsed = parseChannelIds(url.searchParams.get('CHANNEL_ID'), { checkSignature: false, allowPrivatePublicPair: false })
  const binary = url.searchParams.get('binaryMode') === 'true'
  if (req.method === 'GET') {
    if (!parsed.ok) return sendPubReply(res, 400, parsed.reason === 'missing' ? 'No channel id provided.' : 'Channel id is not correct.')
    const infos = parsed.channels
      .map((channel) => ({ channel, subscribers: ctx.subscriberCount(channel) }))
      .filter((info) => info.subscribers > 0)
      .map((info) => JSON.stringify(info))
    // The odd spacing is 1.x's own (captured).
    return sendJson(res, `{ "infos": [${infos.join(',')}]}`)
  }
  if (!binary && !parsed.ok) {
    req.resume()
    return sendPubReply(res, 400, parsed.reason === 'missing' ? 'No channel id provided.' : 'Channel id is not correct.')
  }

  const chunks: Buffer[] = []
  let bytes = 0
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk)
  })
  req.on('error', () => res.destroy())
  req.on('end', () => {
    if (bytes > MAX_BODY_BYTES) return sendPubReply(res, 413)
    const raw = Buffer.concat(chunks)
    if (ctx.publishKey !== undefined && !signatureMatches(hmacHex(ctx.publishKey, raw), url.searchParams.get('signature') ?? '')) {
      // [inferred] The status and text of the real server's refusal were not captured.
      ctx.log('pub: refused, bad or missing signature', { bytes: raw.length })
      return sendPubReply(res, 403, 'Signature is not correct.')
    }
    if (binary) return publishBatch(raw, res, ctx)
    // The whole body is decoded at once: 1.x decoded each TCP read on its own and turned a character split between
    // two reads into U+FFFD (captured on bodies over ~64 KiB). We do not copy that.
    const body = new TextDecoder().decode(raw)
    if (body.length === 0) return sendPubReply(res, 400, 'Empty post requests are not allowed.')
    if (body.length > MAX_BODY_CHARS) return sendPubReply(res, 413)
    if (!parsed.ok) return
    ctx.publish(parsed.channels, body, req.headers['message-expiry'] as string | undefined)
    sendPubReply(res, 200)
  })
}

/** v4 backend publish: `POST ?binaryMode=true` with a protobuf RequestBatch (spec B.10). */
function publishBatch(raw: Buffer, res: ServerResponse, ctx: PubContext): void {
  let requests
  try {
    requests = decodeRequestBatch(new Uint8Array(raw))
  } catch (error) {
    ctx.log('pub: unreadable RequestBatch', { error: String(error), bytes: raw.length })
    return sendPubReply(res, 400, 'Request is not correct.')
  }
  for (const request of requests) {
    if (request.command !== 'incomingMessages') continue
    for (const message of request.messages) {
      const channels = message.receivers.map((receiver) => bytesToHex(receiver.id)).filter((id) => id.length > 0)
      if (channels.length > 0 && message.body !== '') ctx.publish(channels, message.body, message.expiry)
    }
  }
  sendPubReply(res, 200)
}
