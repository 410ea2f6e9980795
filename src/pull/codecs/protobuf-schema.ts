// The push server v4 protobuf schema (field numbers as in Bitrix's `protobuf/model.js`, spec B.6) as typed
// encoders and decoders, both directions: the server writes ResponseBatch and reads RequestBatch, the client the
// reverse. Decoders throw WireError on unreadable bytes and skip unknown fields; the tolerant, message-by-message
// decode the client uses lives in protobuf-response.ts.

import {
  atEnd, createReader, createWriter, expectWireType, readBool, readBytes, readFixed32, readString, readSubMessage,
  readTag, readUint32, skipField, WIRE_FIXED32, WIRE_LENGTH, WIRE_VARINT, type FieldTag, type WireReader, type WireWriter,
} from './protobuf-wire'

/** `SenderType`: UNKNOWN 0, CLIENT 1 (another browser published it), BACKEND 2. */
export const SenderType = { UNKNOWN: 0, CLIENT: 1, BACKEND: 2 } as const

export interface PbSender {
  type: number
  id?: Uint8Array
}

/** `Receiver` and `ChannelId` share fields 1-3. */
export interface PbChannelRef {
  id: Uint8Array
  isPrivate: boolean
  signature?: Uint8Array
}

export interface PbIncomingMessage {
  receivers: PbChannelRef[]
  sender?: PbSender
  /** The message JSON as a string. */
  body: string
  expiry: number
  /** `<module>_<command>` on server-side publishes; empty from the browser client. */
  type: string
}

export type PbRequest =
  | { command: 'incomingMessages'; messages: PbIncomingMessage[] }
  | { command: 'channelStats'; channels: PbChannelRef[] }
  | { command: 'serverStats' }
  | { command: 'unknown' }

export interface PbOutgoingMessage {
  id: Uint8Array
  body: string
  expiry: number
  /** Unix seconds. */
  created: number
  sender?: PbSender
}

export interface PbChannelStats {
  id: Uint8Array
  isPrivate: boolean
  isOnline: boolean
}

export type PbResponse =
  | { command: 'outgoingMessages'; messages: PbOutgoingMessage[] }
  | { command: 'channelStats'; channels: PbChannelStats[] }
  | { command: 'serverStats'; json: string }
  | { command: 'unknown' }

/** Calls `onField` for every field; fields it does not take (returns false) are skipped by wire type. */
export function forEachField(reader: WireReader, onField: (tag: FieldTag) => boolean): void {
  while (!atEnd(reader)) {
    const tag = readTag(reader)
    if (!onField(tag)) skipField(reader, tag.wireType)
  }
}

function take<T>(tag: FieldTag, wireType: number, reader: WireReader, read: (r: WireReader) => T, store: (v: T) => void): true {
  expectWireType(tag, wireType, reader)
  store(read(reader))
  return true
}

// ---- shared sub-messages

export function decodeSender(reader: WireReader): PbSender {
  const sender: PbSender = { type: 0 }
  forEachField(reader, (tag) => {
    if (tag.field === 1) return take(tag, WIRE_VARINT, reader, readUint32, (v) => (sender.type = v))
    if (tag.field === 2) return take(tag, WIRE_LENGTH, reader, readBytes, (v) => (sender.id = v))
    return false
  })
  return sender
}

function encodeSender(sender: PbSender): WireWriter {
  const w = createWriter()
  if (sender.type !== 0) w.varint(1, sender.type)
  if (sender.id && sender.id.length > 0) w.bytes(2, sender.id)
  return w
}

function decodeChannelRef(reader: WireReader): PbChannelRef {
  const ref: PbChannelRef = { id: new Uint8Array(0), isPrivate: false }
  forEachField(reader, (tag) => {
    if (tag.field === 1) return take(tag, WIRE_LENGTH, reader, readBytes, (v) => (ref.id = v))
    if (tag.field === 2) return take(tag, WIRE_VARINT, reader, readBool, (v) => (ref.isPrivate = v))
    if (tag.field === 3) return take(tag, WIRE_LENGTH, reader, readBytes, (v) => (ref.signature = v))
    return false
  })
  return ref
}

function encodeChannelRef(ref: PbChannelRef): WireWriter {
  const w = createWriter()
  if (ref.id.length > 0) w.bytes(1, ref.id)
  if (ref.isPrivate) w.bool(2, true)
  if (ref.signature && ref.signature.length > 0) w.bytes(3, ref.signature)
  return w
}

// ---- requests (client → server)

function decodeIncomingMessage(reader: WireReader): PbIncomingMessage {
  const message: PbIncomingMessage = { receivers: [], body: '', expiry: 0, type: '' }
  forEachField(reader, (tag) => {
    if (tag.field === 1) return take(tag, WIRE_LENGTH, reader, readSubMessage, (r) => message.receivers.push(decodeChannelRef(r)))
    if (tag.field === 2) return take(tag, WIRE_LENGTH, reader, readSubMessage, (r) => (message.sender = decodeSender(r)))
    if (tag.field === 3) return take(tag, WIRE_LENGTH, reader, readString, (v) => (message.body = v))
    if (tag.field === 4) return take(tag, WIRE_VARINT, reader, readUint32, (v) => (message.expiry = v))
    if (tag.field === 5) return take(tag, WIRE_LENGTH, reader, readString, (v) => (message.type = v))
    return false
  })
  return message
}

function encodeIncomingMessage(message: PbIncomingMessage): WireWriter {
  const w = createWriter()
  for (const receiver of message.receivers) w.message(1, encodeChannelRef(receiver))
  if (message.sender) w.message(2, encodeSender(message.sender))
  if (message.body !== '') w.string(3, message.body)
  // Always written, also when 0: Bitrix's client sets `expiry: expiry || 0` explicitly and protobufjs then emits it,
  // so writing it keeps our publish byte-identical to theirs.
  w.varint(4, message.expiry)
  if (message.type !== '') w.string(5, message.type)
  return w
}

function decodeRequest(reader: WireReader): PbRequest {
  // A oneof: protobuf keeps the last member seen.
  let request: PbRequest = { command: 'unknown' }
  forEachField(reader, (tag) => {
    if (tag.field < 1 || tag.field > 3) return false
    expectWireType(tag, WIRE_LENGTH, reader)
    const inner = readSubMessage(reader)
    if (tag.field === 1) {
      request = { command: 'incomingMessages', messages: decodeRepeated(inner, decodeIncomingMessage) }
    } else if (tag.field === 2) {
      request = { command: 'channelStats', channels: decodeRepeated(inner, decodeChannelRef) }
    } else {
      forEachField(inner, () => false)
      request = { command: 'serverStats' }
    }
    return true
  })
  return request
}

function decodeRepeated<T>(reader: WireReader, decode: (r: WireReader) => T): T[] {
  const out: T[] = []
  forEachField(reader, (tag) => tag.field === 1 && take(tag, WIRE_LENGTH, reader, readSubMessage, (r) => out.push(decode(r))))
  return out
}

/** RequestBatch → bytes. The browser client sends this to publish (PULL-48); so does a v4 backend. */
export function encodeRequestBatch(requests: PbRequest[]): Uint8Array {
  const batch = createWriter()
  for (const request of requests) {
    const w = createWriter()
    if (request.command === 'incomingMessages') {
      const inner = createWriter()
      for (const message of request.messages) inner.message(1, encodeIncomingMessage(message))
      w.message(1, inner)
    } else if (request.command === 'channelStats') {
      const inner = createWriter()
      for (const channel of request.channels) inner.message(1, encodeChannelRef(channel))
      w.message(2, inner)
    } else if (request.command === 'serverStats') {
      w.message(3, createWriter())
    }
    batch.message(1, w)
  }
  return batch.finish()
}

/** Bytes → RequestBatch. Throws WireError on unreadable input; unknown fields are skipped. */
export function decodeRequestBatch(bytes: Uint8Array): PbRequest[] {
  return decodeRepeated(createReader(bytes), decodeRequest)
}

// ---- responses (server → client)

export function decodeOutgoingMessage(reader: WireReader): PbOutgoingMessage {
  const message: PbOutgoingMessage = { id: new Uint8Array(0), body: '', expiry: 0, created: 0 }
  forEachField(reader, (tag) => {
    if (tag.field === 1) return take(tag, WIRE_LENGTH, reader, readBytes, (v) => (message.id = v))
    if (tag.field === 2) return take(tag, WIRE_LENGTH, reader, readString, (v) => (message.body = v))
    if (tag.field === 3) return take(tag, WIRE_VARINT, reader, readUint32, (v) => (message.expiry = v))
    if (tag.field === 4) return take(tag, WIRE_FIXED32, reader, readFixed32, (v) => (message.created = v))
    if (tag.field === 5) return take(tag, WIRE_LENGTH, reader, readSubMessage, (r) => (message.sender = decodeSender(r)))
    return false
  })
  return message
}

function encodeOutgoingMessage(message: PbOutgoingMessage): WireWriter {
  const w = createWriter()
  if (message.id.length > 0) w.bytes(1, message.id)
  if (message.body !== '') w.string(2, message.body)
  if (message.expiry !== 0) w.varint(3, message.expiry)
  if (message.created !== 0) w.fixed32(4, message.created)
  if (message.sender) w.message(5, encodeSender(message.sender))
  return w
}

function decodeChannelStats(reader: WireReader): PbChannelStats {
  const stats: PbChannelStats = { id: new Uint8Array(0), isPrivate: false, isOnline: false }
  forEachField(reader, (tag) => {
    if (tag.field === 1) return take(tag, WIRE_LENGTH, reader, readBytes, (v) => (stats.id = v))
    if (tag.field === 2) return take(tag, WIRE_VARINT, reader, readBool, (v) => (stats.isPrivate = v))
    if (tag.field === 3) return take(tag, WIRE_VARINT, reader, readBool, (v) => (stats.isOnline = v))
    return false
  })
  return stats
}

/** The non-message responses, decoded whole (the client ignores them, but tests and tools read them). */
export function decodeOtherResponse(field: number, inner: WireReader): PbResponse {
  if (field === 2) return { command: 'channelStats', channels: decodeRepeated(inner, decodeChannelStats) }
  let json = ''
  forEachField(inner, (tag) => tag.field === 1 && take(tag, WIRE_LENGTH, inner, readString, (v) => (json = v)))
  return { command: 'serverStats', json }
}

/** ResponseBatch → bytes: what the server sends in binary mode. */
export function encodeResponseBatch(responses: PbResponse[]): Uint8Array {
  const batch = createWriter()
  for (const response of responses) {
    const w = createWriter()
    const inner = createWriter()
    if (response.command === 'outgoingMessages') {
      for (const message of response.messages) inner.message(1, encodeOutgoingMessage(message))
      w.message(1, inner)
    } else if (response.command === 'channelStats') {
      for (const stats of response.channels) {
        const s = createWriter()
        if (stats.id.length > 0) s.bytes(1, stats.id)
        if (stats.isPrivate) s.bool(2, true)
        if (stats.isOnline) s.bool(3, true)
        inner.message(1, s)
      }
      w.message(2, inner)
    } else if (response.command === 'serverStats') {
      if (response.json !== '') inner.string(1, response.json)
      w.message(3, inner)
    }
    batch.message(1, w)
  }
  return batch.finish()
}
