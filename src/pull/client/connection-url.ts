// The push server URLs (B.5 getConnectionPath, B.9 publication path). Pure functions of config and session.

import { REVISION, ServerMode } from './constants'
import type { PullConfig } from './types'

export type ConnectionKind = 'webSocket' | 'longPolling'

export interface SessionPosition {
  mid: string | null
  tag: string | null
  time: string | null
}

/** Feature gates of B.1: protobuf only on v4 exactly, JSON-RPC from v5, publishing above v3. */
export function serverVersion(config: PullConfig | null | undefined): number {
  const version = Number(config?.server?.version)
  return Number.isFinite(version) ? version : 0
}
export const isJsonRpc = (config: PullConfig | null | undefined): boolean => serverVersion(config) >= 5
export const isProtobufSupported = (config: PullConfig | null | undefined): boolean => serverVersion(config) === 4
export const isSharedMode = (config: PullConfig | null | undefined): boolean => config?.server?.mode === ServerMode.Shared

/** Bitrix's buildQueryString: encodeURIComponent on keys and values, arrays as `k[i]=v`, insertion order kept. */
export function buildQueryString(params: Record<string, string | number | boolean | (string | number)[]>): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => parts.push(`${encodeURIComponent(`${key}[${i}]`)}=${encodeURIComponent(item)}`))
    } else {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    }
  }
  return parts.join('&')
}

/** Private then shared channel ids, those that exist. */
export function channelIds(config: PullConfig): string[] {
  const ids: string[] = []
  const privateId = config.channels?.private?.id
  const sharedId = config.channels?.shared?.id
  if (privateId) ids.push(privateId)
  if (sharedId) ids.push(sharedId)
  return ids
}

/**
 * The subscribe URL in Bitrix's parameter order (PULL-37): token or CHANNEL_ID, jsonRpc/binaryMode, clientId, mid,
 * tag, time, revision. Throws where b24jssdk throws (no path, no channel, shared mode without clientId); the ES5
 * line returned false, which only moved the failure to `new WebSocket(false)`. `binary`: ask for protobuf frames
 * (v4 with the protobuf codec at hand; a client built without it asks for text frames, which v4 servers also send).
 *
 * @example connectionPath(config, {mid: null, tag: null, time: null}, 'webSocket', true)
 * // 'wss://h/bitrix/subws/?CHANNEL_ID=a%2Fb&binaryMode=true&revision=19'
 */
export function connectionPath(config: PullConfig, session: SessionPosition, kind: ConnectionKind, secure: boolean, binary = isProtobufSupported(config)): string {
  const server = config.server ?? {}
  const base = kind === 'webSocket'
    ? (secure ? server.websocket_secure : server.websocket)
    : (secure ? server.long_pooling_secure : server.long_polling)
  if (!base) throw new Error(`Pull: ${kind} path is not defined in the config`)
  const params: Record<string, string> = {}
  if (config.jwt) {
    params.token = config.jwt
  } else {
    const ids = channelIds(config)
    if (ids.length === 0) throw new Error('Pull: the config has no channels')
    params.CHANNEL_ID = ids.join('/')
  }
  if (isJsonRpc(config)) params.jsonRpc = 'true'
  else if (binary) params.binaryMode = 'true'
  if (isSharedMode(config)) {
    if (!config.clientId) throw new Error('Pull: clientId is not set in shared mode')
    params.clientId = config.clientId
  }
  if (session.mid) params.mid = session.mid
  if (session.tag) params.tag = session.tag
  if (session.time) params.time = session.time
  params.revision = String(REVISION)
  return base + '?' + buildQueryString(params)
}

/** Where long polling POSTs a client publish (B.9): `publish[_secure]?CHANNEL_ID=<ids>`; '' when there is none. */
export function publicationPath(config: PullConfig, secure: boolean): string {
  const path = secure ? config.server?.publish_secure : config.server?.publish
  if (!path) return ''
  return path + '?' + buildQueryString({ CHANNEL_ID: channelIds(config).join('/') })
}
