// The v4 protobuf codec as one pluggable object: what the client needs of protobuf-response.ts and
// protobuf-request.ts, and nothing of the server-side encoders.

import { encodePublishBatch, type ProtobufPublish } from './protobuf-request'
import { decodeResponseBatch } from './protobuf-response'
import type { ProtobufCodec } from './types'

/** @example createPullClient({protobuf: protobufCodec}) */
export const protobufCodec: ProtobufCodec = {
  decode: decodeResponseBatch,
  encodePublish: (publishes) => encodePublishBatch(publishes as ProtobufPublish[]),
}
