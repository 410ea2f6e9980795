// Channel ids, signatures and message ids travel in protobuf as the raw bytes of their hex strings (Bitrix's
// `encodeId`/`decodeId`). These two are the only conversions between the two forms.

const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Lower-case hex, two digits per byte: how the client turns protobuf ids back into strings (PULL-35). */
export function bytesToHex(bytes: Uint8Array): string {
  // Runs for every message id and sender id; a table is several times faster than toString(16) per byte.
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i]]
  return out
}

/**
 * Bytes of a hex string, two digits per byte. Bitrix's `encodeId` parses pairs with parseInt and would send NaN
 * (as 0) for a bad pair; we refuse the string instead, so a mistyped id fails where it was made.
 */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('not a hex string of whole bytes')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}
