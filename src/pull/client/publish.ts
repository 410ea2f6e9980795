// Client-to-client publishing (B.9, PULL-48/49): v5 sends a JSON-RPC `publish`, v4 a protobuf RequestBatch whose
// receivers are public channels (users are turned into theirs by the channel manager).

import type { RpcPublishParams } from '../codecs/json-rpc'
import type { ProtobufCodec } from '../codecs/types'
import type { ChannelManager } from './channel-manager'
import { RPC_TIMEOUT } from './constants'
import type { RpcCaller } from './rpc'

export type PublicChannel = string | { publicId: string; signature: string }

/**
 * PULL-49: only `"publicId.signature"` or `{publicId, signature}`; anything else throws, with the wording of
 * Bitrix's error so existing error handling keeps matching. (Whether the parts are hex is the encoder's business.)
 */
export function checkPublicChannels(channels: unknown): PublicChannel[] {
  if (!Array.isArray(channels)) throw new TypeError('publicChannels must be an array')
  for (const channel of channels) {
    const ok = typeof channel === 'string'
      ? channel.includes('.')
      : typeof channel === 'object' && channel !== null && typeof channel.publicId === 'string' && typeof channel.signature === 'string'
    if (!ok) {
      throw new TypeError(
        `Public channel MUST be either a string, formatted like "{publicId}.{signature}" or an object with fields 'publicId' and 'signature'`,
      )
    }
  }
  return channels as PublicChannel[]
}

export interface PublishRoute {
  jsonRpc: boolean
  rpc: RpcCaller
  channelManager: ChannelManager
  protobuf: ProtobufCodec | null
  /** Hands the protobuf bytes to the connection (a binary frame, or a long-polling POST). */
  send(data: Uint8Array): boolean
}

export async function publishMessage(message: RpcPublishParams, via: PublishRoute): Promise<unknown> {
  if (message.expiry === undefined) delete message.expiry
  if (via.jsonRpc) return via.rpc.call('publish', message, RPC_TIMEOUT)
  if (!via.protobuf) throw new Error('Pull: publishing on this server needs the protobuf codec')
  const userIds = [...new Set(message.userList ?? [])]
  const publicIds = await via.channelManager.getPublicIds(userIds)
  const channels: PublicChannel[] = userIds.map((userId) => {
    const ref = publicIds.get(userId)
    if (!ref) throw new Error(`Could not determine public id for user ${userId}`)
    return { publicId: ref.publicId, signature: ref.signature }
  })
  channels.push(...(message.channelList ?? []))
  return via.send(via.protobuf.encodePublish([{ channels, body: message.body, expiry: message.expiry ?? 0 }]))
}
