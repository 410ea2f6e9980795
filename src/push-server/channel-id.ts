// Channel ids on the sub and pub endpoints (PULL-54): what push-server 1.x accepts, and the signatures it checks.

import { createHmac, timingSafeEqual } from 'node:crypto'

/** `id + '.' + hex(HMAC-SHA1(key, id))`: how Bitrix signs a subscription id (`CPullChannel::SignChannel`). */
export function signChannelId(id: string, key: string): string {
  return `${id}.${hmacHex(key, id)}`
}

/** The signature of a public channel, `HMAC-SHA1(key, 'public:' + publicId)` (spec B.5), without the id. */
export function publicChannelSignature(publicId: string, key: string): string {
  return hmacHex(key, `public:${publicId}`)
}

/** `hex(HMAC-SHA1(key, data))`, as Bitrix signs channel ids and (shared mode) published bodies. */
export function hmacHex(key: string, data: string | Uint8Array): string {
  return createHmac('sha1', key).update(data).digest('hex')
}

/**
 * Compares signatures in constant time; a different length is simply wrong. Lengths are compared in bytes: a given
 * signature with non-ASCII characters can have as many characters as the expected one and more bytes, and
 * timingSafeEqual throws on buffers of different lengths.
 */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

export interface ChannelIdRules {
  /** Set: every sub id must carry the right signature. Unset: signatures are neither required nor checked. */
  signatureKey?: string
  /** Check signatures (sub endpoints) or only the id shape (pub endpoint: 1.x trusts its network location). */
  checkSignature: boolean
  /**
   * Accept v4+ private subscription ids `<privateId>:<publicId>`. 1.x refuses the colon (captured: 400); the v4/v5
   * servers must take it, since the client subscribes with exactly that id. [inferred] The 2.x validator was not read.
   */
  allowPrivatePublicPair: boolean
}

export type ChannelIdResult =
  | { ok: true; channels: string[]; publicIds: string[] }
  | { ok: false; reason: 'missing' | 'invalid' }

// 32 letters or digits (upper-case and non-hex ids are held like any other, as captured), an optional `:` + 32 for
// the v4 pair, then an optional `.` + 40 characters, the length of a SHA-1 hex digest. Upper-case signature
// characters pass this shape but never equal the lower-case digest, so a checked signature refuses them (captured).
const ID = /^([a-zA-Z0-9]{32})(?::([a-zA-Z0-9]{32}))?(?:\.([a-zA-Z0-9]{40}))?$/

/**
 * Parses `CHANNEL_ID=<id>[.<sig>]/<id>[.<sig>]…`. Duplicate ids collapse into one. `channels` are the ids to deliver
 * from (a `private:public` pair subscribes to both halves), `publicIds` the public halves of such pairs.
 */
export function parseChannelIds(raw: string | null, rules: ChannelIdRules): ChannelIdResult {
  if (raw === null || raw === '') return { ok: false, reason: 'missing' }
  const channels: string[] = []
  const publicIds: string[] = []
  for (const part of raw.split('/')) {
    const match = ID.exec(part)
    if (!match) return { ok: false, reason: 'invalid' }
    const [, id, publicId, signature] = match as unknown as [string, string, string | undefined, string | undefined]
    if (publicId !== undefined && !rules.allowPrivatePublicPair) return { ok: false, reason: 'invalid' }
    if (rules.checkSignature && rules.signatureKey !== undefined) {
      const signed = publicId === undefined ? id : `${id}:${publicId}`
      if (signature === undefined || !signatureMatches(hmacHex(rules.signatureKey, signed), signature)) return { ok: false, reason: 'invalid' }
    }
    addSubscription(channels, publicIds, id, publicId)
  }
  return { ok: true, channels, publicIds }
}

/**
 * Adds one subscription id's channels, each once: the id, or both halves of a `private:public` pair, whose public
 * half also goes to `publicIds`. Shared by CHANNEL_ID and `token=` subscriptions (channel-token.ts).
 */
export function addSubscription(channels: string[], publicIds: string[], id: string, publicId: string | undefined): void {
  for (const channel of publicId === undefined ? [id] : [id, publicId]) if (!channels.includes(channel)) channels.push(channel)
  if (publicId !== undefined && !publicIds.includes(publicId)) publicIds.push(publicId)
}
