import { expect, it } from 'vitest'
import { bytesToHex, hexToBytes } from '../../../src/pull/codecs/hex'

it('bytes become two lower-case hex digits each, zero-padded', () => {
  expect(bytesToHex(Uint8Array.of(0, 1, 0x0f, 0x10, 0xab, 0xff))).toBe('00010f10abff')
  expect(bytesToHex(new Uint8Array(0))).toBe('')
})

it('hex strings become their bytes, either case', () => {
  expect([...hexToBytes('00010F10abFF')]).toEqual([0, 1, 0x0f, 0x10, 0xab, 0xff])
})

it.each(['abc', 'zz', '0x12', ' 1'])('refuses %j instead of sending NaN bytes', (hex) => {
  expect(() => hexToBytes(hex)).toThrow(TypeError)
})
