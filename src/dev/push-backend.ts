// The dev portal's PullBackend: the local push server (Node). Channel ids are an HMAC of their seed under the
// signature key (without one, under a random key of this run): nobody without the key can name a channel (Bitrix's
// are random md5s), yet the same key and member id give the same channels after a restart. Signatures are the push
// server's own HMAC-SHA1.

import { createHmac, randomBytes } from 'node:crypto'
import { publicChannelSignature, type PushServer } from '../push-server/index'
import type { PullBackend } from './pull-methods'

const VERSION_OF = { text: 3, protobuf: 4, 'json-rpc': 5 } as const

export function pushServerBackend(push: PushServer, signatureKey?: string): PullBackend {
  const channelKey = signatureKey ?? randomBytes(32).toString('hex')
  return {
    version: VERSION_OF[push.protocol],
    hostname: new URL(push.url).host,
    endpoints: push.endpoints,
    channelId: (seed) => createHmac('sha256', channelKey).update(`channel:${seed}`).digest('hex').slice(0, 32),
    sign: (id) => push.signChannel(id),
    publicSignature: (publicId) => (signatureKey === undefined ? '' : publicChannelSignature(publicId, signatureKey)),
    publish: (channels, body) => push.publish(channels, body),
    channelToken: (channels, userId, ttlSec) => push.channelToken(channels, { userId, ttlSec }),
  }
}
