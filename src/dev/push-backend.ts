// The dev portal's PullBackend: the local push server (Node). Channel ids are md5 of their seed, so a restarted dev
// portal hands out the same channels; signatures are the push server's own HMAC-SHA1.

import { createHash } from 'node:crypto'
import { publicChannelSignature, type PushServer } from '../push-server/index'
import type { PullBackend } from './pull-methods'

const VERSION_OF = { text: 3, protobuf: 4, 'json-rpc': 5 } as const

export function pushServerBackend(push: PushServer, signatureKey?: string): PullBackend {
  return {
    version: VERSION_OF[push.protocol],
    hostname: new URL(push.url).host,
    endpoints: push.endpoints,
    channelId: (seed) => createHash('md5').update(seed).digest('hex'),
    sign: (id) => push.signChannel(id),
    publicSignature: (publicId) => (signatureKey === undefined ? '' : publicChannelSignature(publicId, signatureKey)),
    publish: (channels, body) => push.publish(channels, body),
    channelToken: (channels, userId, ttlSec) => push.channelToken(channels, { userId, ttlSec }),
  }
}
