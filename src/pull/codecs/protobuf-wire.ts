// The protobuf wire format, by hand: just what the pull schema needs (varint, 32-bit, length-delimited) and a
// skip for everything else. Every read is bounds-checked, so hostile bytes end in a WireError, never in a hang,
// an out-of-range read or a huge allocation.

export class WireError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`)
    this.name = 'WireError'
  }
}

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_LENGTH = 2
export const WIRE_FIXED32 = 5

export interface FieldTag {
  field: number
  wireType: number
}

// Made on first use, not at load: loading the bundle must not need them (a Node vm context, a bare test sandbox).
let decoder: TextDecoder | undefined
let encoder: TextEncoder | undefined
const utf8Decoder = () => (decoder ??= new TextDecoder())
const utf8Encoder = () => (encoder ??= new TextEncoder())

/** A cursor over one message's bytes. `end` bounds nested messages so they cannot read into their parent. */
export interface WireReader {
  readonly bytes: Uint8Array
  pos: number
  readonly end: number
}

export function createReader(bytes: Uint8Array, start = 0, end = bytes.length): WireReader {
  return { bytes, pos: start, end }
}

export function atEnd(reader: WireReader): boolean {
  return reader.pos >= reader.end
}

/**
 * An unsigned varint as a JS number. Values past 2^53 lose precision, which no field of this schema uses; a varint
 * longer than 10 bytes is an error (protobuf's own limit), so a run of 0x80 bytes cannot spin.
 */
export function readVarint(reader: WireReader): number {
  let result = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (reader.pos >= reader.end) throw new WireError('truncated varint', reader.pos)
    const byte = reader.bytes[reader.pos++] as number
    result += (byte & 0x7f) * scale
    if ((byte & 0x80) === 0) return result
    scale *= 128
  }
  throw new WireError('varint longer than 10 bytes', reader.pos)
}

/** uint32 / int32 / enum fields: protobuf keeps the low 32 bits of a longer varint. */
export function readUint32(reader: WireReader): number {
  return readVarint(reader) % 0x1_0000_0000
}

export function readBool(reader: WireReader): boolean {
  return readVarint(reader) !== 0
}

export function readFixed32(reader: WireReader): number {
  if (reader.end - reader.pos < 4) throw new WireError('truncated fixed32', reader.pos)
  const b = reader.bytes
  const p = reader.pos
  reader.pos += 4
  return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) + (b[p + 3] as number) * 0x100_0000
}

export function readTag(reader: WireReader): FieldTag {
  const at = reader.pos
  const key = readVarint(reader)
  const field = Math.floor(key / 8)
  if (field < 1 || field > 0x1fff_ffff) throw new WireError(`invalid field number ${field}`, at)
  return { field, wireType: key % 8 }
}

/** The bounds of a length-delimited field, checked against the enclosing message before anything is copied. */
export function readLengthDelimited(reader: WireReader): { start: number; end: number } {
  const at = reader.pos
  const length = readVarint(reader)
  if (length > reader.end - reader.pos) throw new WireError(`length ${length} past the end`, at)
  const start = reader.pos
  reader.pos += length
  return { start, end: reader.pos }
}

export function readBytes(reader: WireReader): Uint8Array {
  const { start, end } = readLengthDelimited(reader)
  return reader.bytes.slice(start, end)
}

export function readString(reader: WireReader): string {
  const { start, end } = readLengthDelimited(reader)
  return utf8Decoder().decode(reader.bytes.subarray(start, end))
}

/** A reader for the nested message in the next length-delimited field. */
export function readSubMessage(reader: WireReader): WireReader {
  const { start, end } = readLengthDelimited(reader)
  return createReader(reader.bytes, start, end)
}

/** Skips a field this schema does not know (forward compatibility, PULL-35). Groups (3/4) are long obsolete. */
export function skipField(reader: WireReader, wireType: number): void {
  switch (wireType) {
    case WIRE_VARINT:
      readVarint(reader)
      return
    case WIRE_FIXED64:
      skipBytes(reader, 8)
      return
    case WIRE_LENGTH:
      readLengthDelimited(reader)
      return
    case WIRE_FIXED32:
      skipBytes(reader, 4)
      return
    default:
      throw new WireError(`unsupported wire type ${wireType}`, reader.pos)
  }
}

function skipBytes(reader: WireReader, count: number): void {
  if (reader.end - reader.pos < count) throw new WireError(`truncated ${count}-byte field`, reader.pos)
  reader.pos += count
}

/** Throws when a known field arrives with a wire type its schema type cannot have. */
export function expectWireType(tag: FieldTag, wireType: number, reader: WireReader): void {
  if (tag.wireType !== wireType) {
    throw new WireError(`field ${tag.field} has wire type ${tag.wireType}, expected ${wireType}`, reader.pos)
  }
}

/** Appends fields to a growing list of chunks; `finish()` joins them once. */
export interface WireWriter {
  varint(field: number, value: number): WireWriter
  bool(field: number, value: boolean): WireWriter
  fixed32(field: number, value: number): WireWriter
  bytes(field: number, value: Uint8Array): WireWriter
  string(field: number, value: string): WireWriter
  message(field: number, inner: WireWriter): WireWriter
  finish(): Uint8Array
}

export function createWriter(): WireWriter {
  const chunks: Uint8Array[] = []
  const pushVarint = (value: number): void => {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`varint must be a non-negative integer, got ${value}`)
    const out: number[] = []
    let v = value
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80)
      v = Math.floor(v / 0x80)
    }
    out.push(v)
    chunks.push(Uint8Array.from(out))
  }
  const pushKey = (field: number, wireType: number): void => pushVarint(field * 8 + wireType)
  const pushLength = (field: number, payload: Uint8Array): void => {
    pushKey(field, WIRE_LENGTH)
    pushVarint(payload.length)
    chunks.push(payload)
  }
  const writer: WireWriter = {
    varint(field, value) {
      pushKey(field, WIRE_VARINT)
      pushVarint(value)
      return writer
    },
    bool(field, value) {
      return writer.varint(field, value ? 1 : 0)
    },
    fixed32(field, value) {
      pushKey(field, WIRE_FIXED32)
      const v = value >>> 0
      chunks.push(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24))
      return writer
    },
    bytes(field, value) {
      pushLength(field, value)
      return writer
    },
    string(field, value) {
      pushLength(field, utf8Encoder().encode(value))
      return writer
    },
    message(field, inner) {
      pushLength(field, inner.finish())
      return writer
    },
    finish() {
      let size = 0
      for (const chunk of chunks) size += chunk.length
      const out = new Uint8Array(size)
      let at = 0
      for (const chunk of chunks) {
        out.set(chunk, at)
        at += chunk.length
      }
      return out
    },
  }
  return writer
}
