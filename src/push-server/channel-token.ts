// v5 subscriptions by token (spec B.5, "Channel id security"): a v5 config carries `jwt`, and the client subscribes
// with `?token=<jwt>` instead of `CHANNEL_ID=`. The token is a JWT signed with the same key as channel ids, with the
// claims iss (host id), iat, exp, sub (user id) and chan (the channel ids, comma-joined).
//
// [inferred] The algorithm: HS256, the default of Bitrix's Main\Web\JWT; the push server's own check was not read.
// [inferred] `chan` holds the ids unsigned (the token's signature covers them), each `id` or `id:publicId` as in
// CHANNEL_ID; the server checks the signature, `exp` and the ids' shape, and does not look at iss or sub.

import { createHmac } from 'node:crypto'
import { addSubscription, signatureMatches, type ChannelIdResult } from './channel-id'

export interface ChannelTokenClaims {
  /** Host id of the portal. */
  iss: string
  /** Issued at, seconds since the epoch. */
  iat: number
  /** Expires at, seconds since the epoch. */
  exp: number
  /** The user id. */
  sub: string | number
  /** Channel ids, comma-joined. */
  chan: string
}

/** Longer than any honest token (a few hundred characters); refused before any decoding. */
export const MAX_TOKEN_LENGTH = 8192

const HEADER = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))
const ID = /^([a-zA-Z0-9]{32})(?::([a-zA-Z0-9]{32}))?$/

export function signChannelToken(claims: ChannelTokenClaims, key: string): string {
  const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`
  return `${unsigned}.${hmac(key, unsigned)}`
}

export type ChannelTokenResult = ChannelIdResult | { ok: false; reason: 'expired' }

/**
 * The channels a `token=` subscription may read, as the CHANNEL_ID parser gives them, or why it is refused. A
 * refusal never says which part was wrong beyond `invalid` or `expired`: the log gets the reason, the client a 400.
 */
export function readChannelToken(token: string, key: string, nowSec: number): ChannelTokenResult {
  if (token === '') return { ok: false, reason: 'missing' }
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' }
  const parts = token.split('.')
  if (parts.length !== 3) return { ok: false, reason: 'invalid' }
  const [header, payload, signature] = parts as [string, string, string]
  // The signature first: nothing an unsigned token says is worth parsing.
  if (!signatureMatches(hmac(key, `${header}.${payload}`), signature)) return { ok: false, reason: 'invalid' }
  const head = decodeJson(header)
  if (head === undefined || head.alg !== 'HS256') return { ok: false, reason: 'invalid' }
  const claims = decodeJson(payload)
  if (claims === undefined || typeof claims.chan !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'invalid' }
  if (claims.exp <= nowSec) return { ok: false, reason: 'expired' }
  const channels: string[] = []
  const publicIds: string[] = []
  for (const part of claims.chan.split(',')) {
    const match = ID.exec(part)
    if (!match) return { ok: false, reason: 'invalid' }
    const [, id, publicId] = match as unknown as [string, string, string | undefined]
    addSubscription(channels, publicIds, id, publicId)
  }
  return { ok: true, channels, publicIds }
}

function hmac(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url')
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  // Buffer's base64url decoder skips characters outside the alphabet; a part with any is not ours.
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
