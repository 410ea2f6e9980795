// The parent's reading of an app → portal message (spec §2.2). Two shapes:
//   string: "<command>:<params JSON or empty>:<callback or empty>:<APP_SID>", split as first segment, last two, and
//           everything between re-joined (params JSON may contain ':'); b24jssdk drops the empty params segment,
//           so 3 segments are as valid as 4;
//   object: {method, params, callback, appSid} for commands whose name contains ':'.
// Anything else is malformed. The real parent would throw inside its listener on bad JSON; we drop silently, which
// looks the same to the app (no reply) without an uncaught error in the portal page.

export interface AppMessage {
  method: string
  /** Decoded params; `[]` when the app sent none, as the real parent hands them over. */
  params: unknown
  /** '' = no reply wanted. Opaque: 32 [0-9a-z] chars from BX24, a UUID from b24jssdk. */
  callback: string
  appSid: string
}

export function parseAppMessage(data: unknown): AppMessage | null {
  if (typeof data === 'string') return parseString(data)
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return parseObject(data as Record<string, unknown>)
  return null
}

function parseString(data: string): AppMessage | null {
  const parts = data.split(':')
  if (parts.length < 3) return null
  const method = parts[0]!
  if (method === '') return null
  const middle = parts.slice(1, -2).join(':')
  let params: unknown = []
  if (middle !== '') {
    try {
      params = JSON.parse(middle)
    } catch {
      return null
    }
  }
  return { method, params, callback: parts[parts.length - 2]!, appSid: parts[parts.length - 1]! }
}

function parseObject(data: Record<string, unknown>): AppMessage | null {
  const { method, params, callback, appSid } = data
  if (typeof method !== 'string' || method === '' || typeof appSid !== 'string') return null
  if (callback !== undefined && callback !== null && typeof callback !== 'string') return null
  return { method, params: params || [], callback: callback ?? '', appSid }
}
