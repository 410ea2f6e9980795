// The client's publish for v4 servers (PULL-48): a RequestBatch with one `incomingMessages` request whose
// receivers are public channels as raw id and signature bytes.

import { hexToBytes } from './hex'
import { encodeRequestBatch, type PbChannelRef, type PbIncomingMessage } from './protobuf-schema'

/** A public channel as `sendMessageToChannels` accepts it: `"publicId.signature"` or `{publicId, signature}`. */
export type PublicChannel = string | { publicId: string; signature: string }

export interface PublishBody {
  module_id: string
  command: string
  params: Record<string, unknown>
  [key: string]: unknown
}

export interface ProtobufPublish {
  /** Already resolved: user ids are turned into public channels by the client's channel manager, not here. */
  channels: PublicChannel[]
  body: PublishBody
  /** Seconds; 0 or absent lets the server use its default. */
  expiry?: number
}

/**
 * A public channel as a protobuf Receiver. Throws TypeError for anything but the two accepted forms (PULL-49),
 * with the wording of Bitrix's error so existing error handling keeps matching.
 */
export function toReceiver(channel: PublicChannel): PbChannelRef {
  let publicId: string
  let signature: string
  if (typeof channel === 'string' && channel.includes('.')) {
    // Bitrix splits on '.' and takes parts 0 and 1.
    const parts = channel.split('.')
    publicId = parts[0] ?? ''
    signature = parts[1] ?? ''
  } else if (typeof channel === 'object' && channel !== null && typeof channel.publicId === 'string' && typeof channel.signature === 'string') {
    publicId = channel.publicId
    signature = channel.signature
  } else {
    throw new TypeError(
      `Public channel MUST be either a string, formatted like "{publicId}.{signature}" or an object with fields 'publicId' and 'signature'`,
    )
  }
  return { id: hexToBytes(publicId), isPrivate: false, signature: hexToBytes(signature) }
}

/**
 * Encodes client publishes as Bitrix's `encodeMessageBatch` does: body as a JSON string, `expiry || 0`, no `type`
 * and no sender (the server fills the sender in from the connection).
 *
 * @example
 * const bytes = encodePublishBatch([{channels: ['<publicId>.<signature>'], body: {module_id: 'app', command: 'hi', params: {}}}])
 * socket.send(bytes) // binary frame; on long polling, POST it to the publish URL
 */
export function encodePublishBatch(publishes: ProtobufPublish[]): Uint8Array {
  const messages: PbIncomingMessage[] = publishes.map((publish) => ({
    receivers: publish.channels.map(toReceiver),
    body: JSON.stringify(publish.body),
    expiry: publish.expiry ?? 0,
    type: '',
  }))
  return encodeRequestBatch([{ command: 'incomingMessages', messages }])
}
