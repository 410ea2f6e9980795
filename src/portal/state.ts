// The portal's mutable state, built from a seed. Everything a REST method or the frame host reads or writes lives
// here; there are no module-level globals, so two portals in one test never share anything.

import { defaultStatuses } from './default-statuses'
import type { PortalSeed, SeedEntity } from './seed'
import { randomHex } from './tokens'
import { createObject, toPlain, isObject, type Plain, type PlainObject } from './values'

export interface Collection {
  rows: PlainObject[]
  nextId: number
}

export interface EventBinding {
  /** event_handler_id in deliveries. */
  id: number
  event: string
  handler: string
  authType: number
  offline: boolean
  /** auth_connector of an offline binding. */
  connectorId: string
  /** options, e.g. {minTimeout} for ONOFFLINEEVENT. */
  options: PlainObject
}

/** One record of the offline event queue (event.offline.get): the latest change per object. */
export interface OfflineRecord {
  ID: number
  TIMESTAMP_X: string
  EVENT_NAME: string
  EVENT_DATA: Plain
  EVENT_ADDITIONAL: PlainObject
  MESSAGE_ID: string
  connectorId: string
  processId: string
  error: boolean
}

export interface PlacementBinding {
  placement: string
  handler: string
  title: string
  description: string
  groupName: string
  userId: number
  options: Plain
}

export interface EntityProperty {
  NAME: string
  TYPE: string
  SORT: number
}

export interface EntityInfo {
  code: string
  name: string
  /** entity.item.property.*: PROPERTY_VALUES keys of the entity's items. */
  properties: Map<string, EntityProperty>
  /** entity.section.*: sections are records like items. */
  sections: Collection
}

/** A user field (UF_*) of an entity: crm.<type>.userfield.*, shown by .fields. */
export interface UserField {
  ID: number
  ENTITY_ID: string
  FIELD_NAME: string
  USER_TYPE_ID: string
  XML_ID: string | null
  SORT: string
  MULTIPLE: 'Y' | 'N'
  MANDATORY: 'Y' | 'N'
  SHOW_FILTER: string
  SHOW_IN_LIST: 'Y' | 'N'
  EDIT_IN_LIST: 'Y' | 'N'
  IS_SEARCHABLE: 'Y' | 'N'
  SETTINGS: PlainObject
  EDIT_FORM_LABEL: string
  LIST_COLUMN_LABEL: string
  LIST_FILTER_LABEL: string
  LIST?: PlainObject[]
}

/** A universal list (lists.*): an information block with its fields and elements. */
export interface ListInfo {
  id: number
  typeId: string
  code: string
  name: string
  fields: PlainObject[]
  elements: Collection
  /** The next PROPERTY_<n> id for custom fields. */
  nextPropertyId: number
  /** The next id of a stored property value ({valueId: value}). */
  nextValueId: number
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
    /** Where ONAPPINSTALL goes when the install finishes ('' = nowhere but bound handlers). */
    installHandler: string
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
  // Added for the method families of issue 15; each is a plain store the methods read and write.
  nextEventHandlerId: number
  offlineEvents: OfflineRecord[]
  nextOfflineId: number
  /** Keyed by ENTITY_ID (CRM_DEAL, CRM_LEAD, …). */
  userFields: Map<string, UserField[]>
  nextUserFieldId: number
  lists: Map<number, ListInfo>
  nextListId: number
  userFieldTypes: PlainObject[]
  robots: PlainObject[]
  im: { notifications: PlainObject[]; messages: PlainObject[]; nextNotifyId: number; nextMessageId: number }
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
  collections.set('task', collectionFrom(seed.tasks))
  if (!collections.has('crm.status')) collections.set('crm.status', collectionFrom(defaultStatuses()))
  if (!collections.has('crm.activity')) collections.set('crm.activity', collectionFrom([]))
  const entities = new Map<string, EntityInfo>()
  for (const e of seed.entities ?? []) {
    entities.set(e.ENTITY, { code: e.ENTITY, name: e.NAME, properties: propertiesFrom(e.properties), sections: collectionFrom([]) })
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
      scope: new Set(app.scope ?? ['crm', 'user', 'user_brief', 'user_basic', 'department', 'placement', 'entity', 'im', 'pull', 'task', 'lists', 'bizproc']),
      status: app.status ?? 'L',
      installed: app.installed !== false,
      applicationToken: app.applicationToken ?? randomHex(16),
      installHandler: app.installHandler ?? '',
    },
    users,
    admins: new Set((seed.users ?? []).filter((u) => u.ADMIN).map((u) => u.ID)),
    collections,
    appOptions: plainObject(seed.appOptions),
    userOptions,
    installedFor: new Set(seed.installedFor ?? []),
    events: (seed.events ?? []).map((e, i) => ({
      id: i + 1, event: e.event.toUpperCase(), handler: e.offline ? '' : e.handler, authType: e.auth_type ?? 0,
      offline: !!e.offline, connectorId: '', options: createObject(),
    })),
    placements: (seed.placements ?? []).map((p) => ({
      placement: p.placement.toUpperCase(), handler: p.handler, title: p.title ?? '', description: p.description ?? '',
      groupName: '', userId: 0, options: toPlain(p.options ?? []),
    })),
    entities,
    webhooks: (seed.webhooks ?? []).map((w) => ({ userId: w.userId, secret: w.secret, scope: w.scope ? new Set(w.scope) : null })),
    nextEventHandlerId: (seed.events?.length ?? 0) + 1,
    offlineEvents: [],
    nextOfflineId: 1,
    userFields: new Map(),
    nextUserFieldId: 1,
    lists: listsFrom(seed.lists),
    nextListId: (seed.lists ?? []).reduce((m, l) => Math.max(m, l.ID), 0) + 1,
    userFieldTypes: [],
    robots: [],
    im: { notifications: [], messages: [], nextNotifyId: 1, nextMessageId: 1 },
  }
}

function propertiesFrom(seed: SeedEntity['properties']): Map<string, EntityProperty> {
  const out = new Map<string, EntityProperty>()
  for (const p of seed ?? []) out.set(p.PROPERTY, { NAME: p.NAME ?? p.PROPERTY, TYPE: p.TYPE ?? 'S', SORT: p.SORT ?? 500 })
  return out
}

function listsFrom(seed: PortalSeed['lists']): Map<number, ListInfo> {
  const out = new Map<number, ListInfo>()
  for (const l of seed ?? []) {
    out.set(l.ID, {
      id: l.ID, typeId: l.IBLOCK_TYPE_ID ?? 'lists', code: l.CODE ?? '', name: l.NAME, fields: [],
      elements: collectionFrom(l.elements), nextPropertyId: 1, nextValueId: 1,
    })
  }
  return out
}
