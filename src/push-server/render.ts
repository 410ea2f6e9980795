// Stored messages → the bytes one subscriber gets, in its connection's encoding. Several messages go into one
// frame: 1.x concatenates text frames, protobuf puts them in one ResponseBatch, JSON-RPC sends a batch array.

import { encodeRpcBatchFrame, encodeRpcIncomingMessage } from '../pull/codecs/json-rpc-server'
import { hexToBytes } from '../pull/codecs/hex'
import { encodeResponseBatch, type PbSender } from '../pull/codecs/protobuf-schema'
import { encodeTextFrame } from '../pull/codecs/text-frames'
import type { StoredMessage } from './message-store'

export type WireMode = 'text' | 'protobuf' | 'json-rpc'

export function renderMessages(mode: WireMode, messages: readonly StoredMessage[]): string | Uint8Array {
  if (mode === 'protobuf') {
    return encodeResponseBatch([{
      command: 'outgoingMessages',
      messages: messages.map((m) => ({
        id: idBytes(m.mid),
        body: m.body,
        expiry: m.ttlSec,
        created: Math.floor(m.createdMs / 1000),
        sender: toPbSender(m),
      })),
    }])
  }
  if (mode === 'json-rpc') {
    return encodeRpcBatchFrame(messages.map((m) => encodeRpcIncomingMessage({
      mid: m.mid,
      bodyJson: m.body,
      sender: m.sender ?? { type: 2 },
      ...(m.userParams ? { user_params: m.userParams } : {}),
      ...(m.dictionary ? { dictionary: m.dictionary } : {}),
    })))
  }
  return messages.map((m) => encodeTextFrame({
    id: m.id,
    mid: m.mid,
    channel: m.channels[0] ?? '',
    // 1.x: the last three digits of the creation time in ms, and that time as a UTC string.
    tag: String(m.createdMs % 1000).padStart(3, '0'),
    time: new Date(m.createdMs).toUTCString(),
    text: m.body,
  })).join('')
}

/** Ids travel as the bytes of their hex; anything that is not whole-byte hex goes as its UTF-8 bytes instead. */
function idBytes(id: string): Uint8Array {
  return id.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(id) ? hexToBytes(id) : new TextEncoder().encode(id)
}

function toPbSender(m: StoredMessage): PbSender {
  const sender = m.sender ?? { type: 2 }
  return sender.id ? { type: sender.type, id: idBytes(sender.id) } : { type: sender.type }
}
