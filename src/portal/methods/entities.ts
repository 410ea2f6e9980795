// entity.* (app data storage): entities are created by an admin; items and sections are records in the generic
// store; entity.item.property.* declares the PROPERTY_VALUES keys items may hold, which filters reach as
// FILTER[PROPERTY_<CODE>]. Codes and texts from the REST reference.

import { atomDate } from '../envelope'
import { accessDenied, argumentError, argumentNull, RestError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import { collectionFrom, normaliseRow, type Collection, type EntityInfo } from '../state'
import { createObject, isObject, own, phpInt, phpString, toPlain, upperKeys, type PlainObject } from '../values'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['entity']
const ITEM_FIELDS = ['NAME', 'ACTIVE', 'SORT', 'CODE', 'PREVIEW_TEXT', 'DETAIL_TEXT', 'DATE_ACTIVE_FROM', 'DATE_ACTIVE_TO', 'SECTION']
const SECTION_FIELDS = ['NAME', 'ACTIVE', 'SORT', 'CODE', 'DESCRIPTION', 'SECTION']
const PROPERTY_TYPES = new Set(['S', 'N', 'F'])

function params(ctx: CallContext): PlainObject {
  // Storage belongs to an application; a webhook has none.
  if (ctx.authKind !== 'oauth') throw accessDenied('Application context required')
  return upperKeys(ctx.params)
}

function code(p: PlainObject): string {
  const c = phpString(p.ENTITY).trim()
  if (c === '') throw argumentNull('ENTITY')
  // The code names an information block type: 13 characters at most.
  if (c.length > 13) throw argumentError('Entity code is too long. Max length is 13 characters.', 'ENTITY')
  return c
}

function entity(ctx: CallContext, p: PlainObject): EntityInfo {
  const e = ctx.state.entities.get(code(p))
  if (!e) throw new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found')
  return e
}

function items(ctx: CallContext, e: EntityInfo): Collection {
  return ctx.state.collections.get(`entity.${e.code}`)!
}

function requireAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw accessDenied()
}

function id(p: PlainObject): number {
  const value = phpInt(p.ID)
  if (value <= 0) throw argumentNull('ID')
  return value
}

function pickFields(p: PlainObject, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const f of names) if (own(p, f) !== undefined) out[f] = p[f]
  return out
}

/** PROPERTY_VALUES keeps only declared properties, as the information block does. */
function propertyValues(e: EntityInfo, value: unknown, previous?: unknown): PlainObject {
  const out = createObject()
  if (isObject(previous)) Object.assign(out, previous)
  if (isObject(value as PlainObject)) {
    const given = upperKeys(value as PlainObject)
    for (const [name] of e.properties) if (own(given, name.toUpperCase()) !== undefined) out[name] = toPlain(given[name.toUpperCase()])
  }
  return out
}

/** FILTER[PROPERTY_<CODE>] and SORT[PROPERTY_<CODE>] read the item's PROPERTY_VALUES. */
function withProperties(rows: PlainObject[]): PlainObject[] {
  return rows.map((row) => {
    const values = row.PROPERTY_VALUES
    if (!isObject(values)) return row
    const flat = Object.assign(createObject(), row)
    for (const k of Object.keys(values)) flat[`PROPERTY_${k.toUpperCase()}`] = values[k]!
    return flat
  })
}

function listOf(collection: Collection, p: PlainObject, start: unknown) {
  const filter = p.FILTER === undefined ? undefined : isObject(p.FILTER) ? upperKeys(p.FILTER) : p.FILTER
  const ids = applyOrder(applyFilter(withProperties(collection.rows), parseFilter(filter)), isObject(p.SORT) ? upperKeys(p.SORT) : undefined)
    .map((r) => r.ID)
  const byId = new Map(collection.rows.map((r) => [r.ID, r]))
  return page(ids.map((i) => byId.get(i)!), start as never)
}

function itemRow(ctx: CallContext, e: EntityInfo, p: PlainObject, itemId: number): PlainObject {
  const stamp = atomDate(ctx.now)
  const row = normaliseRow({
    ID: itemId, TIMESTAMP_X: stamp, MODIFIED_BY: ctx.userId, DATE_CREATE: stamp, CREATED_BY: ctx.userId, ACTIVE: 'Y',
    DATE_ACTIVE_FROM: '', DATE_ACTIVE_TO: '', SORT: 500, NAME: '', PREVIEW_PICTURE: null, PREVIEW_TEXT: null,
    DETAIL_PICTURE: null, DETAIL_TEXT: null, CODE: null, ENTITY: e.code, SECTION: null, ...pickFields(p, ITEM_FIELDS),
  })
  row.PROPERTY_VALUES = propertyValues(e, p.PROPERTY_VALUES)
  return row
}

function property(ctx: CallContext, p: PlainObject): { e: EntityInfo; name: string } {
  const e = entity(ctx, p)
  const name = phpString(p.PROPERTY).trim()
  if (name === '') throw argumentNull('PROPERTY')
  return { e, name }
}

function propertyType(p: PlainObject): string {
  const type = phpString(p.TYPE || 'S').toUpperCase()
  if (!PROPERTY_TYPES.has(type)) throw argumentError('Wrong entity item property type', 'TYPE')
  return type
}

function findRow(collection: Collection, rowId: number, notFound: RestError): PlainObject {
  const row = collection.rows.find((r) => r.ID === String(rowId))
  if (!row) throw notFound
  return row
}

const itemNotFound = () => new RestError('ERROR_ITEM_NOT_FOUND', 'Item not found')
const sectionNotFound = () => new RestError('ERROR_SECTION_NOT_FOUND', 'Section not found')

export const entityMethods: MethodTable = {
  'entity.add': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const c = code(p)
      if (ctx.state.entities.has(c)) throw new RestError('ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists')
      ctx.state.entities.set(c, { code: c, name: phpString(p.NAME).trim() || c, properties: new Map(), sections: collectionFrom([]) })
      ctx.state.collections.set(`entity.${c}`, collectionFrom([]))
      return { result: true }
    },
  },
  'entity.get': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const describe = (e: EntityInfo, i: number) => ({ ID: String(i + 1), IBLOCK_TYPE_ID: 'rest_entity', ENTITY: e.code, NAME: e.name })
      const all = [...ctx.state.entities.values()]
      if (own(p, 'ENTITY') === undefined) return { result: all.map(describe) }
      const e = entity(ctx, p)
      return { result: describe(e, all.indexOf(e)) }
    },
  },
  'entity.update': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const e = entity(ctx, p)
      if (phpString(p.NAME).trim()) e.name = phpString(p.NAME).trim()
      const renamed = phpString(p.ENTITY_NEW).trim()
      if (renamed && renamed !== e.code) {
        if (ctx.state.entities.has(renamed)) throw new RestError('ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists')
        const rows = items(ctx, e)
        ctx.state.entities.delete(e.code)
        ctx.state.collections.delete(`entity.${e.code}`)
        e.code = renamed
        ctx.state.entities.set(renamed, e)
        ctx.state.collections.set(`entity.${renamed}`, rows)
      }
      return { result: true }
    },
  },
  'entity.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const e = entity(ctx, p)
      ctx.state.entities.delete(e.code)
      ctx.state.collections.delete(`entity.${e.code}`)
      return { result: true }
    },
  },
  'entity.item.add': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const collection = items(ctx, e)
      const itemId = collection.nextId++
      collection.rows.push(itemRow(ctx, e, p, itemId))
      return { result: itemId }
    },
  },
  'entity.item.get': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      return listOf(items(ctx, entity(ctx, p)), p, own(ctx.params, 'start'))
    },
  },
  'entity.item.update': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const row = findRow(items(ctx, e), id(p), itemNotFound())
      Object.assign(row, normaliseRow(pickFields(p, ITEM_FIELDS)), { TIMESTAMP_X: atomDate(ctx.now), MODIFIED_BY: String(ctx.userId) })
      if (p.PROPERTY_VALUES !== undefined) row.PROPERTY_VALUES = propertyValues(e, p.PROPERTY_VALUES, row.PROPERTY_VALUES)
      return { result: true }
    },
  },
  'entity.item.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const collection = items(ctx, entity(ctx, p))
      const row = findRow(collection, id(p), itemNotFound())
      collection.rows = collection.rows.filter((r) => r !== row)
      return { result: true }
    },
  },
  'entity.item.property.add': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const { e, name } = property(ctx, p)
      const type = propertyType(p)
      if (e.properties.has(name)) throw new RestError('ERROR_PROPERTY_ALREADY_EXISTS', 'Property already exists')
      e.properties.set(name, { NAME: phpString(p.NAME).trim() || name, TYPE: type, SORT: phpInt(p.SORT) || 500 })
      return { result: true }
    },
  },
  'entity.item.property.get': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const describe = (name: string) => {
        const prop = e.properties.get(name)!
        return { PROPERTY: name, NAME: prop.NAME, TYPE: prop.TYPE, SORT: String(prop.SORT) }
      }
      const name = phpString(p.PROPERTY).trim()
      if (name === '') return { result: [...e.properties.keys()].map(describe) }
      if (!e.properties.has(name)) throw new RestError('ERROR_PROPERTY_NOT_FOUND', 'Property not found')
      return { result: describe(name) }
    },
  },
  'entity.item.property.update': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const { e, name } = property(ctx, p)
      const prop = e.properties.get(name)
      if (!prop) throw new RestError('ERROR_PROPERTY_NOT_FOUND', 'Property not found')
      if (p.TYPE !== undefined) {
        const type = propertyType(p)
        if (type === 'F' && prop.TYPE !== 'F') throw argumentError('Cannot change property type to File', 'TYPE')
        prop.TYPE = type
      }
      if (p.NAME !== undefined) prop.NAME = phpString(p.NAME)
      if (p.SORT !== undefined) prop.SORT = phpInt(p.SORT)
      const renamed = phpString(p.PROPERTY_NEW).trim()
      if (renamed && renamed !== name) {
        if (e.properties.has(renamed)) throw new RestError('ERROR_PROPERTY_ALREADY_EXISTS', `Property ${renamed} already exists`)
        e.properties.delete(name)
        e.properties.set(renamed, prop)
        for (const row of items(ctx, e).rows) {
          const values = row.PROPERTY_VALUES
          if (isObject(values) && own(values, name) !== undefined) {
            values[renamed] = values[name]!
            delete values[name]
          }
        }
      }
      return { result: true }
    },
  },
  'entity.item.property.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      requireAdmin(ctx)
      const { e, name } = property(ctx, p)
      if (!e.properties.delete(name)) throw new RestError('ERROR_PROPERTY_NOT_FOUND', 'Property not found')
      for (const row of items(ctx, e).rows) if (isObject(row.PROPERTY_VALUES)) delete row.PROPERTY_VALUES[name]
      return { result: true }
    },
  },
  'entity.section.add': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const sectionId = e.sections.nextId++
      const stamp = atomDate(ctx.now)
      e.sections.rows.push(normaliseRow({
        ID: sectionId, CODE: null, TIMESTAMP_X: stamp, DATE_CREATE: stamp, CREATED_BY: ctx.userId, MODIFIED_BY: ctx.userId,
        ACTIVE: 'Y', SORT: 500, NAME: '', DESCRIPTION: null, ENTITY: e.code, SECTION: null, ...pickFields(p, SECTION_FIELDS),
      }))
      return { result: sectionId }
    },
  },
  'entity.section.get': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      return listOf(entity(ctx, p).sections, p, own(ctx.params, 'start'))
    },
  },
  'entity.section.update': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const row = findRow(e.sections, id(p), sectionNotFound())
      Object.assign(row, normaliseRow(pickFields(p, SECTION_FIELDS)), { TIMESTAMP_X: atomDate(ctx.now) })
      return { result: true }
    },
  },
  'entity.section.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = params(ctx)
      const e = entity(ctx, p)
      const row = findRow(e.sections, id(p), sectionNotFound())
      e.sections.rows = e.sections.rows.filter((r) => r !== row)
      return { result: true }
    },
  },
}
