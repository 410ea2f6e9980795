// Online event delivery (spec §6.2): when something a handler is bound to happens, the portal POSTs a form body to
// the handler URL with the event, its data and a fresh auth block. The engine only builds the deliveries; sending
// them (fetch from a Node dev server, or showing them in a demo page) is up to whoever passes `onEvent`.

import type { PortalState } from './state'
import type { Grant } from './tokens'

export interface EventDelivery {
  event: string
  handler: string
  /** application/x-www-form-urlencoded, as the portal posts it. */
  body: string
  data: Record<string, unknown>
}

/** Bracketed form encoding (brackets raw, values percent-encoded), the shape PHP handlers parse. */
export function encodeForm(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return []
  if (typeof value === 'object') {
    const out: string[] = []
    for (const k of Object.keys(value)) {
      const key = prefix ? `${prefix}[${encodeURIComponent(k)}]` : encodeURIComponent(k)
      out.push(...encodeForm((value as Record<string, unknown>)[k], key))
    }
    return out
  }
  return [`${prefix}=${encodeURIComponent(String(value))}`]
}

export function buildDeliveries(
  state: PortalState,
  event: string,
  data: Record<string, unknown>,
  triggeredBy: number,
  now: number,
  issue: (userId: number) => Grant,
): EventDelivery[] {
  // Events reach an app only once its installation has finished.
  if (!state.app.installed) return []
  return state.events
    .filter((b) => b.event === event && !b.offline)
    .map((b) => {
      // auth_type 0: the token of the user who caused the event; otherwise that user's.
      const grant = issue(b.authType || triggeredBy)
      const payload = {
        event,
        data,
        ts: Math.floor(now / 1000),
        auth: {
          access_token: grant.accessToken, expires_in: grant.expiresIn, scope: [...state.app.scope].join(','),
          domain: state.domain, server_endpoint: 'https://oauth.bitrix.info/rest/', status: state.app.status,
          client_endpoint: `https://${state.domain}${state.path}/`, member_id: state.memberId,
          refresh_token: grant.refreshToken, application_token: state.app.applicationToken,
        },
      }
      return { event, handler: b.handler, body: encodeForm(payload).join('&'), data }
    })
}
