import { describe, expect, it } from 'vitest'
import {
  createReader, createWriter, readBytes, readFixed32, readString, readTag, readVarint, skipField, WireError,
} from '../../../src/pull/codecs/protobuf-wire'

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)

describe('protobuf wire reader', () => {
  it.each([0, 1, 127, 128, 300, 16_384, 0xffff_ffff, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER])('varint %d round-trips', (value) => {
    const encoded = createWriter().varint(1, value).finish()
    const reader = createReader(encoded)
    expect(readTag(reader)).toEqual({ field: 1, wireType: 0 })
    expect(readVarint(reader)).toBe(value)
    expect(reader.pos).toBe(encoded.length)
  })

  it('reads the textbook example 150 = 96 01', () => {
    expect(readVarint(createReader(bytes(0x96, 0x01)))).toBe(150)
  })

  it('fixed32 round-trips including the high bit', () => {
    for (const value of [0, 1, 1_700_000_000, 0xffff_ffff]) {
      const reader = createReader(createWriter().fixed32(4, value).finish())
      readTag(reader)
      expect(readFixed32(reader)).toBe(value)
    }
  })

  it('strings are UTF-8', () => {
    const reader = createReader(createWriter().string(2, 'привет ✓').finish())
    readTag(reader)
    expect(readString(reader)).toBe('привет ✓')
  })

  it.each([
    ['a truncated varint', bytes(0x80, 0x80), readVarint, /truncated varint/],
    ['a varint of 11 bytes', new Uint8Array(11).fill(0x80), readVarint, /longer than 10 bytes/],
    ['a terminated varint of 11 bytes', Uint8Array.of(...new Array<number>(10).fill(0x80), 0x01), readVarint, /longer than 10 bytes/],
    ['a length past the end', bytes(0x05, 0x61), readBytes, /past the end/],
    ['a huge length (2^32-1) on 3 bytes', bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00), readBytes, /past the end/],
    ['a truncated fixed32', bytes(0x01, 0x02), readFixed32, /truncated fixed32/],
    ['field number 0', bytes(0x00), readTag, /invalid field number 0/],
  ])('%s throws a WireError', (_name, input, read, message) => {
    const attempt = (): unknown => read(createReader(input))
    expect(attempt).toThrow(WireError)
    expect(attempt).toThrow(message)
  })

  it.each([3, 4, 6, 7])('skipping wire type %d (groups, invalid) throws instead of guessing', (wireType) => {
    expect(() => skipField(createReader(bytes(0x01, 0x02)), wireType)).toThrow(/unsupported wire type/)
  })

  it('skips fixed64 and fixed32 fields by size, and refuses to skip past the end', () => {
    const reader = createReader(new Uint8Array(12))
    skipField(reader, 1)
    skipField(reader, 5)
    expect(reader.pos).toBe(12)
    expect(() => skipField(createReader(new Uint8Array(7)), 1)).toThrow(/truncated 8-byte field/)
  })

  it('a nested reader cannot read past its own end into the parent', () => {
    // field 1, length 1, containing the start of a 3-byte string that would run into the parent's bytes.
    const parent = bytes(0x0a, 0x01, 0x12, 0x61, 0x62)
    const outer = createReader(parent)
    readTag(outer)
    const len = readVarint(outer)
    const inner = createReader(parent, outer.pos, outer.pos + len)
    readTag(inner)
    expect(() => readBytes(inner)).toThrow(WireError)
  })

  it('the writer refuses negative and fractional varints', () => {
    expect(() => createWriter().varint(1, -1)).toThrow(RangeError)
    expect(() => createWriter().varint(1, 1.5)).toThrow(RangeError)
  })
})
