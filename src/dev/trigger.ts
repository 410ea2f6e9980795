// "Trigger event": raises a portal event as if someone had done it, with the data the documentation shows for that
// event (the catalogue), its object id replaced by a real one. A series (count, rate) reports the rate it reached.

import type { RestCatalog } from '../catalog/types'
import type { EventDelivery, MockPortal } from '../portal/index'

export interface TriggerRequest {
  event: string
  /** The object's id (default: the first record of that kind, else 1). */
  id?: number
  /** Events in the series (default 1, at most 100 000). */
  count?: number
  /** Events per second (default: as fast as possible). */
  rate?: number
}

export interface TriggerReport {
  event: string
  triggered: number
  /** Events per second actually raised (count over the time the series took). */
  rate: number
  elapsedMs: number
  deliveries: number
  delivered: number
  failed: number
  /** Deliveries finished per second, from the first POST to the last answer. */
  deliveryRate: number
}

const MAX_COUNT = 100_000

function crmType(event: string): string | undefined {
  return /^ONCRM(DEAL|LEAD|CONTACT|COMPANY|ACTIVITY|QUOTE)(ADD|UPDATE|DELETE)$/.exec(event)?.[1]?.toLowerCase()
}

/** The first stored id of what the event is about, so the handler can read it back. */
function defaultId(portal: MockPortal, event: string): number {
  const type = crmType(event)
  const rows = type ? portal.records(`crm.${type}`) : event.startsWith('ONTASK') ? portal.records('task') : []
  return Number(rows[0]?.ID ?? 1) || 1
}

/** Replaces every `ID` inside the FIELDS* parts (and a top-level one) with `id`. */
function withId(data: unknown, id: number, depth = 0): unknown {
  if (Array.isArray(data)) return data.map((v) => withId(v, id, depth + 1))
  if (typeof data !== 'object' || data === null) return data
  const out: Record<string, unknown> = Object.create(null)
  for (const [k, v] of Object.entries(data)) out[k] = k === 'ID' && depth <= 2 ? id : withId(v, id, depth + 1)
  return out
}

export function eventData(event: string, id: number, catalog: RestCatalog | undefined): Record<string, unknown> {
  if (crmType(event)) return { FIELDS: { ID: id } }
  const documented = catalog && Object.prototype.hasOwnProperty.call(catalog.events, event) ? catalog.events[event]!.data : undefined
  const data = withId(documented ?? {}, id)
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {}
}

export function normalizeTrigger(body: Record<string, unknown>): TriggerRequest {
  const event = typeof body.event === 'string' ? body.event.trim().toUpperCase() : ''
  if (!/^[A-Z0-9_.]{1,100}$/.test(event)) throw new Error('event: an event name such as ONCRMDEALUPDATE')
  const count = body.count === undefined ? 1 : Number(body.count)
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new Error(`count: a whole number from 1 to ${MAX_COUNT}`)
  const rate = body.rate === undefined || body.rate === null ? undefined : Number(body.rate)
  if (rate !== undefined && !(rate > 0 && rate <= 100_000)) throw new Error('rate: events per second, more than 0')
  const id = body.id === undefined || body.id === null ? undefined : Number(body.id)
  if (id !== undefined && !(Number.isInteger(id) && id > 0)) throw new Error('id: a positive record id')
  return { event, count, ...(rate === undefined ? {} : { rate }), ...(id === undefined ? {} : { id }) }
}

export interface SeriesDeps {
  portal: MockPortal
  catalog: RestCatalog | undefined
  /** Waits until every delivery of the series has been answered. */
  settled(): Promise<void>
  /** Results of the deliveries as the sender logs them (status 0 = unreachable). */
  onDelivered(listener: (ok: boolean, at: number) => void): () => void
  sleep?: (ms: number) => Promise<void>
}

export async function runSeries(request: TriggerRequest, deps: SeriesDeps): Promise<TriggerReport> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const count = request.count ?? 1
  const id = request.id ?? defaultId(deps.portal, request.event)
  const data = eventData(request.event, id, deps.catalog)
  let delivered = 0
  let failed = 0
  let first = Infinity
  let last = 0
  const deliveries: EventDelivery[] = []
  const stop = deps.onDelivered((ok, at) => {
    if (ok) delivered++
    else failed++
    first = Math.min(first, at)
    last = Math.max(last, at)
  })
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    if (request.rate) {
      const due = started + (i * 1000) / request.rate
      const wait = due - performance.now()
      if (wait > 1) await sleep(wait)
    }
    deliveries.push(...deps.portal.raise(request.event, data))
  }
  const elapsedMs = performance.now() - started
  await deps.settled()
  stop()
  const span = (last - first) / 1000
  return {
    event: request.event, triggered: count, elapsedMs: Math.round(elapsedMs),
    rate: Math.round((count / Math.max(elapsedMs, 1)) * 1000 * 10) / 10,
    deliveries: deliveries.length, delivered, failed,
    deliveryRate: deliveries.length === 0 ? 0 : Math.round((deliveries.length / Math.max(span, 0.001)) * 10) / 10,
  }
}
