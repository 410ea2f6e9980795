// How a portal page opens an app (spec §1.1-1.3): the iframe's name carries host, protocol and APP_SID; the handler
// URL gets DOMAIN/PROTOCOL/LANG/APP_SID in its query; the auth fields travel in a POST body targeted at the frame.

import type { Grant } from '../tokens'
import { randomHex } from '../tokens'

/** A fresh APP_SID: 32 hex chars, new on every render of the layout (md5(uniqid()) on the real portal). */
export function createAppSid(): string {
  return randomHex(16)
}

/** `host[:port]|0|1|APP_SID`: the frame name the BX24 library parses at load. */
export function frameName(host: string, https: boolean, appSid: string): string {
  return `${host}|${https ? 1 : 0}|${appSid}`
}

export interface HandlerUrlOptions {
  domain: string
  https: boolean
  lang: string
  appSid: string
}

export function handlerUrl(handler: string, o: HandlerUrlOptions): string {
  const query = `DOMAIN=${encodeURIComponent(o.domain)}&PROTOCOL=${o.https ? 1 : 0}&LANG=${encodeURIComponent(o.lang)}&APP_SID=${o.appSid}`
  const hash = handler.indexOf('#')
  const base = hash < 0 ? handler : handler.slice(0, hash)
  const fragment = hash < 0 ? '' : handler.slice(hash)
  return base + (base.includes('?') ? '&' : '?') + query + fragment
}

export interface PostFieldsOptions {
  grant: Grant
  memberId: string
  status: string
  placement?: string
  /** Serialised as JSON; left out when empty, as the portal does. */
  placementOptions?: Record<string, unknown>
  applicationToken?: string
  scope?: string[]
  serverEndpoint?: string
}

/** The POST body fields of the current portal (the three last ones are missing on older cores). */
export function postFields(o: PostFieldsOptions): Record<string, string> {
  const fields: Record<string, string> = {
    AUTH_ID: o.grant.accessToken,
    AUTH_EXPIRES: String(o.grant.expiresIn),
    REFRESH_ID: o.grant.refreshToken,
    member_id: o.memberId,
    status: o.status,
    PLACEMENT: (o.placement ?? 'DEFAULT').toUpperCase(),
  }
  if (o.placementOptions && Object.keys(o.placementOptions).length > 0) fields.PLACEMENT_OPTIONS = JSON.stringify(o.placementOptions)
  fields.SERVER_ENDPOINT = o.serverEndpoint ?? 'https://oauth.bitrix.info/rest/'
  if (o.applicationToken) fields.APPLICATION_TOKEN = o.applicationToken
  if (o.scope) fields.APPLICATION_SCOPE = o.scope.join(',')
  return fields
}
