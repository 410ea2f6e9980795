// The portal's mutable state, built from a seed. Everything a REST method or the frame host reads or writes lives
// here; there are no module-level globals, so two portals in one test never share anything.

import type { PortalSeed } from './seed'
import { randomHex } from './tokens'
import { createObject, toPlain, isObject, type Plain, type PlainObject } from './values'

export interface Collection {
  rows: PlainObject[]
  nextId: number
}

export interface EventBinding {
  event: string
  handler: string
  authType: number
  offline: boolean
}

export interface PlacementBinding {
  placement: string
  handler: string
  title: string
  description: string
  options: Plain
}

export interface EntityInfo {
  code: string
  name: string
}

export interface PortalState {
  domain: string
  memberId: string
  lang: string
  path: string
  app: {
    clientId: string
    code: string
    version: number
    scope: Set<string>
    status: string
    installed: boolean
    applicationToken: string
  }
  users: PlainObject[]
  admins: Set<number>
  /** 'crm.deal', 'department', 'entity.<CODE>' … */
  collections: Map<string, Collection>
  appOptions: PlainObject
  userOptions: Map<number, PlainObject>
  installedFor: Set<number>
  events: EventBinding[]
  placements: PlacementBinding[]
  entities: Map<string, EntityInfo>
  webhooks: { userId: number; secret: string; scope: Set<string> | null }[]
}

/** Bitrix hands every scalar field back as a string ("ID": "7"), so stored rows are normalised that way. */
export function normaliseRow(row: Record<string, unknown>): PlainObject {
  const out = createObject()
  for (const key of Object.keys(row)) {
    const v = toPlain(row[key])
    out[key] = typeof v === 'number' ? String(v) : v
  }
  return out
}

export function collectionFrom(rows: Record<string, unknown>[] | undefined): Collection {
  const normalised = (rows ?? []).map(normaliseRow)
  const maxId = normalised.reduce((m, r) => Math.max(m, Number(r.ID) || 0), 0)
  return { rows: normalised, nextId: maxId + 1 }
}

function plainObject(value: unknown): PlainObject {
  const p = toPlain(value ?? {})
  return isObject(p) ? p : createObject()
}

export function createState(seed: PortalSeed): PortalState {
  const users = (seed.users ?? []).map((u) => {
    const row = normaliseRow(u)
    delete row.ADMIN
    row.ACTIVE = u.ACTIVE !== false
    row.UF_DEPARTMENT = (u.UF_DEPARTMENT ?? []).map((d) => Number(d))
    return row
  })
  const collections = new Map<string, Collection>()
  for (const [type, rows] of Object.entries(seed.crm ?? {})) collections.set(`crm.${type.toLowerCase()}`, collectionFrom(rows))
  collections.set('department', collectionFrom(seed.departments))
  const entities = new Map<string, EntityInfo>()
  for (const e of seed.entities ?? []) {
    entities.set(e.ENTITY, { code: e.ENTITY, name: e.NAME })
    collections.set(`entity.${e.ENTITY}`, collectionFrom(e.items))
  }
  const userOptions = new Map<number, PlainObject>()
  for (const [id, opts] of Object.entries(seed.userOptions ?? {})) userOptions.set(Number(id), plainObject(opts))
  const app = seed.app ?? {}
  return {
    domain: seed.portal?.domain ?? 'dev-portal.bitrix24.test',
    // Not pinned by the seed: random, as the default seed's (seed.ts says why).
    memberId: seed.portal?.memberId ?? randomHex(16),
    lang: seed.portal?.lang ?? 'en',
    path: seed.portal?.path ?? '/rest',
    app: {
      clientId: app.clientId ?? 'local.0000000000000.00000000',
      code: app.code ?? 'local.app',
      version: app.version ?? 1,
      scope: new Set(app.scope ?? ['crm', 'user', 'user_brief', 'department', 'placement', 'entity', 'im', 'pull']),
      status: app.status ?? 'L',
      installed: app.installed !== false,
      applicationToken: app.applicationToken ?? randomHex(16),
    },
    users,
    admins: new Set((seed.users ?? []).filter((u) => u.ADMIN).map((u) => u.ID)),
    collections,
    appOptions: plainObject(seed.appOptions),
    userOptions,
    installedFor: new Set(seed.installedFor ?? []),
    events: (seed.events ?? []).map((e) => ({
      event: e.event.toUpperCase(), handler: e.handler, authType: e.auth_type ?? 0, offline: !!e.offline,
    })),
    placements: (seed.placements ?? []).map((p) => ({
      placement: p.placement.toUpperCase(), handler: p.handler, title: p.title ?? '', description: p.description ?? '',
      options: toPlain(p.options ?? []),
    })),
    entities,
    webhooks: (seed.webhooks ?? []).map((w) => ({ userId: w.userId, secret: w.secret, scope: w.scope ? new Set(w.scope) : null })),
  }
}
