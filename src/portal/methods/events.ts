// events, event.bind, event.unbind, event.get and the offline queue (event.offline.*), with the checks, codes and
// texts of Bitrix's rest module (Bitrix\Rest\Api\Event), spec §6.2.

import { accessDenied, argumentError, argumentNull, coreError, RestError, wrongAuthType } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import type { EventBinding, OfflineRecord } from '../state'
import { randomHex } from '../tokens'
import { createObject, isObject, lowerKeys, own, phpInt, phpString, toPlain, upperKeys, type Plain, type PlainObject } from '../values'
import { checkHandlerUrl } from './handler-url'
import { basic, type CallContext, type MethodTable } from './types'

/** The events the portal raises itself; event.bind also accepts every event the REST catalogue documents. */
export const KNOWN_EVENTS: readonly string[] = [
  'ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONAPPPAYMENT', 'ONAPPTEST', 'ONAPPMETHODCONFIRM', 'ONOFFLINEEVENT',
  'ONUSERADD', 'ONPLACEMENTBIND', 'ONPLACEMENTUNBIND', 'ONTASKADD', 'ONTASKUPDATE', 'ONTASKDELETE',
  ...['DEAL', 'CONTACT', 'LEAD', 'COMPANY', 'ACTIVITY'].flatMap((t) => ['ADD', 'UPDATE', 'DELETE'].map((a) => `ONCRM${t}${a}`)),
]

// ONOFFLINEEVENT is the queue's own signal: it cannot itself be queued ("disableOffline"), and it takes {minTimeout}.
const NO_OFFLINE = new Set(['ONOFFLINEEVENT'])

function appOnly(ctx: CallContext): void {
  if (ctx.authKind !== 'oauth') throw wrongAuthType()
}

function eventType(p: PlainObject): 'online' | 'offline' {
  const type = phpString(p.EVENT_TYPE).toLowerCase()
  if (type === '') return 'online'
  if (type !== 'online' && type !== 'offline') throw argumentError('Value must be one of {online|offline}', 'EVENT_TYPE')
  return type
}

function bind(ctx: CallContext) {
  appOnly(ctx)
  const p = upperKeys(ctx.params)
  const event = phpString(p.EVENT).toUpperCase()
  let authType = phpInt(p.AUTH_TYPE)
  let handler = phpString(p.HANDLER)
  if (authType > 0) {
    if (!ctx.isAdmin && authType !== ctx.userId) throw accessDenied('Event binding with AUTH_TYPE requires administrator access rights')
  } else if (!ctx.isAdmin) {
    // A user binds for themself: the handler always gets their token.
    authType = ctx.userId
  }
  if (event === '') throw argumentNull('EVENT')
  const type = eventType(p)
  if (type === 'offline') {
    if (!ctx.isAdmin) throw accessDenied('Offline events binding requires administrator access rights')
    handler = ''
    authType = 0
  } else if (handler === '') {
    throw argumentNull('HANDLER')
  }
  if (handler !== '') checkHandlerUrl(handler)
  if (!ctx.knownEvents.has(event)) throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found')
  if (type === 'offline' && NO_OFFLINE.has(event)) throw argumentError('Offline event cannot be registered for this event.')
  const options = createObject()
  if (event === 'ONOFFLINEEVENT' && isObject(p.OPTIONS) && own(p.OPTIONS, 'minTimeout') !== undefined) {
    options.minTimeout = phpInt(own(p.OPTIONS, 'minTimeout'))
  }
  // EventTable keeps one handler per event, URL, user and connector ("Handler already binded").
  const connectorId = type === 'offline' ? phpString(p.AUTH_CONNECTOR) : ''
  if (ctx.state.events.some((b) => b.event === event && b.handler === handler && b.authType === authType && b.connectorId === connectorId)) {
    throw coreError('Unable to set event handler: Handler already binded')
  }
  ctx.state.events.push({ id: ctx.state.nextEventHandlerId++, event, handler, authType, offline: type === 'offline', connectorId, options })
  return { result: true }
}

function unbind(ctx: CallContext) {
  appOnly(ctx)
  const p = upperKeys(ctx.params)
  const event = phpString(p.EVENT).toUpperCase()
  let handler = phpString(p.HANDLER)
  if (event === '') throw argumentNull('EVENT')
  const type = eventType(p)
  if (type === 'offline') {
    if (!ctx.isAdmin) throw accessDenied('Offline events unbinding requires administrator access rights')
    handler = ''
  } else if (handler === '') {
    throw argumentNull('HANDLER')
  }
  let user: number | undefined
  if (type === 'online' && p.AUTH_TYPE !== undefined) {
    // Bitrix compares the raw parameter with the user id strictly (`!==` against an int), so a form body's string
    // never matches and only an admin (or a JSON number) gets through.
    if (!ctx.isAdmin && p.AUTH_TYPE !== ctx.userId) throw accessDenied('Event unbinding with AUTH_TYPE requires administrator access rights')
    user = phpInt(p.AUTH_TYPE)
  } else if (type === 'online' && !ctx.isAdmin) {
    user = ctx.userId
  }
  const connectorId = phpString(p.AUTH_CONNECTOR)
  const matches = (b: EventBinding) =>
    b.event === event && b.handler === handler && (type === 'offline' ? b.connectorId === connectorId : user === undefined || b.authType === user)
  const before = ctx.state.events.length
  ctx.state.events = ctx.state.events.filter((b) => !matches(b))
  return { result: { count: before - ctx.state.events.length } }
}

function get(ctx: CallContext) {
  appOnly(ctx)
  const mine = ctx.isAdmin ? ctx.state.events : ctx.state.events.filter((b) => b.authType === ctx.userId)
  return {
    result: mine.map((b) =>
      b.handler !== ''
        ? { event: b.event, handler: b.handler, auth_type: String(b.authType), offline: 0 }
        : { event: b.event, connector_id: b.connectorId, offline: 1 },
    ),
  }
}

// The fields event.offline.* filter and order on (EventOfflineTable's own columns).
const OFFLINE_FIELDS = new Set(['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'])

function offlineRows(records: OfflineRecord[]): PlainObject[] {
  return records.map((r) => toPlain({ ...r, ID: String(r.ID), EVENT_ADDITIONAL: r.EVENT_ADDITIONAL }) as PlainObject)
}

function sanitize(value: Plain | undefined, what: 'filter' | 'order'): PlainObject {
  const out = createObject()
  if (!isObject(value)) return what === 'order' ? Object.assign(out, { TIMESTAMP_X: 'ASC' }) : out
  for (const key of Object.keys(value)) {
    const field = key.replace(/^[=!<>%@]+/, '').toUpperCase()
    if (OFFLINE_FIELDS.has(field)) out[what === 'order' ? field : key.slice(0, key.length - field.length) + field] = value[key]!
  }
  return out
}

function adminApp(ctx: CallContext): PlainObject {
  appOnly(ctx)
  if (!ctx.isAdmin) throw accessDenied()
  return lowerKeys(ctx.params)
}

function ofConnector(ctx: CallContext, q: PlainObject): OfflineRecord[] {
  const connectorId = phpString(q.auth_connector)
  return ctx.state.offlineEvents.filter((r) => r.connectorId === connectorId)
}

function offlineGet(ctx: CallContext) {
  const q = adminApp(ctx)
  // The extended handshake (clear=0) needs the rest_offline_extended feature; the dev portal has every feature on.
  const clear = q.clear === undefined ? true : phpInt(q.clear) !== 0
  const given = q.process_id === undefined ? null : phpString(q.process_id).trim()
  const limit = q.limit === undefined ? 50 : phpInt(q.limit)
  if (limit <= 0) throw argumentError('Value must be positive integer', 'LIMIT')
  const errors = phpInt(q.error) === 1
  const filter = parseFilter(sanitize(q.filter, 'filter'))
  const order = sanitize(q.order, 'order')
  const mine = ofConnector(ctx, q).filter((r) => r.error === errors)
  let processId = given
  if (processId === null) {
    // Reserve the next records for a new process: parallel callers get disjoint sets.
    processId = randomHex(16)
    const free = mine.filter((r) => r.processId === '')
    const chosen = applyOrder(applyFilter(offlineRows(free), filter), order).slice(0, limit).map((r) => Number(r.ID))
    for (const r of free) if (chosen.includes(r.ID)) r.processId = processId
  }
  const taken = mine.filter((r) => r.processId === processId)
  const events = applyOrder(offlineRows(taken), order).slice(0, limit).map((r) => {
    const out = createObject()
    for (const k of ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID']) out[k] = r[k] ?? null
    return out
  })
  if (clear && events.length > 0) ctx.state.offlineEvents = ctx.state.offlineEvents.filter((r) => r.processId !== processId)
  return { result: { process_id: !clear || given !== null ? processId : null, events } }
}

function messageIds(value: Plain | undefined, argument: string): string[] {
  if (!Array.isArray(value) && !isObject(value)) throw argumentError('Value must be array of MESSAGE_ID values', argument)
  const ids = Object.values(value).map((v) => phpString(v).trim())
  if (ids.some((id) => id.length !== 32)) throw argumentError('Value must be array of MESSAGE_ID values', argument)
  return ids
}

function offlineClear(ctx: CallContext) {
  const q = adminApp(ctx)
  if (q.process_id === undefined) throw argumentNull('PROCESS_ID')
  const processId = phpString(q.process_id).trim()
  const mine = new Set(ofConnector(ctx, q).filter((r) => r.processId === processId))
  let drop = (r: OfflineRecord) => mine.has(r)
  if (q.message_id !== undefined) {
    const ids = messageIds(q.message_id, 'message_id')
    drop = (r) => mine.has(r) && ids.includes(r.MESSAGE_ID)
  } else if (q.id !== undefined) {
    const ids = (Array.isArray(q.id) || isObject(q.id) ? Object.values(q.id) : [q.id]).map(phpInt)
    drop = (r) => mine.has(r) && ids.includes(r.ID)
  }
  ctx.state.offlineEvents = ctx.state.offlineEvents.filter((r) => !drop(r))
  return { result: true }
}

function offlineError(ctx: CallContext) {
  const q = adminApp(ctx)
  if (q.process_id === undefined) throw argumentNull('PROCESS_ID')
  const processId = phpString(q.process_id).trim()
  const ids = q.message_id === undefined ? [] : messageIds(q.message_id, 'message_id')
  for (const r of ofConnector(ctx, q)) {
    if (r.processId === processId && ids.includes(r.MESSAGE_ID)) {
      r.error = true
      r.processId = ''
    }
  }
  return { result: true }
}

function offlineList(ctx: CallContext) {
  const q = adminApp(ctx)
  const rows = offlineRows(ofConnector(ctx, q)).map((r) => {
    const out = createObject()
    for (const k of ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID']) out[k] = r[k] ?? null
    out.PROCESS_ID = r.processId ?? ''
    out.ERROR = r.error ? '1' : '0'
    return out
  })
  return page(applyOrder(applyFilter(rows, parseFilter(sanitize(q.filter, 'filter'))), sanitize(q.order, 'order')), q.start)
}

export const eventMethods: MethodTable = {
  events: {
    scope: basic,
    run(ctx) {
      appOnly(ctx)
      return { result: [...ctx.knownEvents] }
    },
  },
  'event.bind': { scope: basic, run: bind },
  'event.unbind': { scope: basic, run: unbind },
  'event.get': { scope: basic, run: get },
  'event.offline.get': { scope: basic, run: offlineGet },
  'event.offline.clear': { scope: basic, run: offlineClear },
  'event.offline.error': { scope: basic, run: offlineError },
  'event.offline.list': { scope: basic, run: offlineList },
}
