// Callback ids as the real library makes them: 32 random chars of [0-9a-z]. Unguessable ids are what bind a reply
// to this frame (replies carry no APP_SID), so crypto randomness is used when available.

const CHARS = '0123456789abcdefghijklmnopqrstuvwxyz'

export function callbackId(): string {
  const bytes = new Uint8Array(32)
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  let id = ''
  for (const byte of bytes) id += CHARS[byte % CHARS.length]
  return id
}
