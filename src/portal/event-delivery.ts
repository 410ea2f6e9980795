// Online event delivery (spec §6.2): when something a handler is bound to happens, the portal POSTs a form body to
// the handler URL with the event, its data and a fresh auth block. The engine only builds the deliveries; sending
// them (fetch from a Node dev server, or showing them in a demo page) is up to whoever passes `onEvent`.
// Offline bindings queue a record instead (event.offline.get reads it) and wake ONOFFLINEEVENT handlers.

import { atomDate } from './envelope'
import type { PortalState } from './state'
import { randomHex, type Grant } from './tokens'
import { toPlain, type PlainObject } from './values'

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
  // PHP's http_build_query writes booleans as 1 and 0.
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value)
  return [`${prefix}=${encodeURIComponent(text)}`]
}

function delivery(
  state: PortalState, event: string, handler: string, handlerId: number, data: Record<string, unknown>, grant: Grant, now: number,
): EventDelivery {
  // Field order of the documented payloads: event, event_handler_id, data, ts, auth.
  const payload = {
    event,
    event_handler_id: handlerId,
    data,
    ts: Math.floor(now / 1000),
    auth: {
      access_token: grant.accessToken, expires_in: grant.expiresIn, scope: [...state.app.scope].join(','),
      domain: state.domain, server_endpoint: 'https://oauth.bitrix.info/rest/', status: state.app.status,
      client_endpoint: `https://${state.domain}${state.path}/`, member_id: state.memberId,
      refresh_token: grant.refreshToken, application_token: state.app.applicationToken,
    },
  }
  return { event, handler, body: encodeForm(payload).join('&'), data }
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
    // auth_type 0: the token of the user who caused the event; otherwise that user's.
    .map((b) => delivery(state, event, b.handler, b.id, data, issue(b.authType || triggeredBy), now))
}

/**
 * ONAPPINSTALL when the installation finishes: to the app's install handler (event_handler_id 0: it is not a
 * binding) and to every handler bound to ONAPPINSTALL, each URL once.
 */
export function buildInstallDeliveries(state: PortalState, userId: number, now: number, issue: (userId: number) => Grant): EventDelivery[] {
  const data = { VERSION: String(state.app.version), ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: state.lang }
  const out: EventDelivery[] = []
  if (state.app.installHandler) out.push(delivery(state, 'ONAPPINSTALL', state.app.installHandler, 0, data, issue(userId), now))
  for (const d of buildDeliveries(state, 'ONAPPINSTALL', data, userId, now, issue)) {
    if (!out.some((o) => o.handler === d.handler)) out.push(d)
  }
  return out
}

/** The object an event is about (data[FIELDS][ID] for CRM and most others), for "one record per changed object". */
function objectKey(data: Record<string, unknown>): string {
  const fields = (data.FIELDS ?? data.FIELDS_AFTER ?? data.FIELDS_BEFORE) as Record<string, unknown> | undefined
  const id = fields && typeof fields === 'object' ? fields.ID : undefined
  return id === undefined ? '' : String(id)
}

/**
 * Offline bindings queue the event: one record per changed object, carrying the latest change (a record already
 * handed out by event.offline.get with clear=0 stays as it is). Returns the ONOFFLINEEVENT data to send, one per
 * connector whose queue changed.
 */
export function queueOffline(state: PortalState, event: string, data: Record<string, unknown>, userId: number, now: number): Record<string, unknown>[] {
  if (!state.app.installed) return []
  const connectors = new Set(state.events.filter((b) => b.event === event && b.offline).map((b) => b.connectorId))
  const key = objectKey(data)
  for (const connectorId of connectors) {
    const existing = key
      ? state.offlineEvents.find((r) => r.connectorId === connectorId && !r.processId && r.EVENT_NAME === event && objectKey(r.EVENT_DATA as Record<string, unknown>) === key)
      : undefined
    const record = existing ?? {
      ID: state.nextOfflineId++, TIMESTAMP_X: '', EVENT_NAME: event, EVENT_DATA: null, EVENT_ADDITIONAL: {} as PlainObject,
      MESSAGE_ID: randomHex(16), connectorId, processId: '', error: false,
    }
    record.TIMESTAMP_X = atomDate(now)
    record.EVENT_DATA = toPlain(data)
    record.EVENT_ADDITIONAL = toPlain({ user_id: String(userId) }) as PlainObject
    if (!existing) state.offlineEvents.push(record)
  }
  // ONOFFLINEEVENT carries no data: it only says "the queue has new records" (minTimeout throttling is not emulated).
  return connectors.size > 0 && event !== 'ONOFFLINEEVENT' ? [{}] : []
}
