// entity.* (app data storage): entities are created by an admin, items are records in the generic store.

import { atomDate } from '../envelope'
import { accessDenied, RestError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import { collectionFrom, normaliseRow, type Collection } from '../state'
import { createObject, isObject, own, phpInt, phpString, type PlainObject } from '../values'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['entity']
const ITEM_FIELDS = ['NAME', 'ACTIVE', 'SORT', 'PREVIEW_TEXT', 'DETAIL_TEXT', 'DATE_ACTIVE_FROM', 'DATE_ACTIVE_TO', 'SECTION', 'PROPERTY_VALUES', 'CODE']

function upper(params: PlainObject): PlainObject {
  const out = createObject()
  for (const k of Object.keys(params)) out[k.toUpperCase()] = params[k]!
  return out
}

function code(p: PlainObject): string {
  const c = phpString(p.ENTITY).trim()
  // The real storage keeps the code in a 13-character column of an iblock type; anything else is refused.
  if (!/^[a-zA-Z0-9_]{1,13}$/.test(c)) throw new RestError('ERROR_ARGUMENT', 'Entity code is invalid or not defined')
  return c
}

function items(ctx: CallContext, p: PlainObject): Collection {
  const c = code(p)
  const collection = ctx.state.entities.has(c) ? ctx.state.collections.get(`entity.${c}`) : undefined
  if (!collection) throw new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found')
  return collection
}

function requireAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw accessDenied('Access denied! Application administrator rights required')
}

function itemFields(p: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const f of ITEM_FIELDS) if (own(p, f) !== undefined) out[f] = p[f]
  if (out.PROPERTY_VALUES !== undefined && !isObject(out.PROPERTY_VALUES)) delete out.PROPERTY_VALUES
  return out
}

function findItem(collection: Collection, id: number): number {
  const index = collection.rows.findIndex((r) => r.ID === String(id))
  if (index < 0) throw new RestError('ERROR_ITEM_NOT_FOUND', 'Item not found')
  return index
}

export const entityMethods: MethodTable = {
  'entity.add': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const p = upper(ctx.params)
      const c = code(p)
      if (ctx.state.entities.has(c)) throw new RestError('ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists')
      const name = phpString(p.NAME).trim()
      if (!name) throw new RestError('ERROR_ARGUMENT', 'Entity name is required')
      ctx.state.entities.set(c, { code: c, name })
      ctx.state.collections.set(`entity.${c}`, collectionFrom([]))
      return { result: true }
    },
  },
  'entity.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upper(ctx.params)
      const describe = (e: { code: string; name: string }) => ({ ENTITY: e.code, NAME: e.name })
      if (own(p, 'ENTITY') === undefined) return { result: [...ctx.state.entities.values()].map(describe) }
      const e = ctx.state.entities.get(code(p))
      if (!e) throw new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found')
      return { result: describe(e) }
    },
  },
  'entity.update': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const p = upper(ctx.params)
      const e = ctx.state.entities.get(code(p))
      if (!e) throw new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found')
      if (phpString(p.NAME).trim()) e.name = phpString(p.NAME).trim()
      return { result: true }
    },
  },
  'entity.delete': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const c = code(upper(ctx.params))
      if (!ctx.state.entities.delete(c)) throw new RestError('ERROR_ENTITY_NOT_FOUND', 'Entity not found')
      ctx.state.collections.delete(`entity.${c}`)
      return { result: true }
    },
  },
  'entity.item.add': {
    scope: SCOPE,
    run(ctx) {
      const p = upper(ctx.params)
      const collection = items(ctx, p)
      const id = collection.nextId++
      collection.rows.push(normaliseRow({
        ACTIVE: 'Y', SORT: 500, ...itemFields(p), ID: id, ENTITY: code(p), DATE_CREATE: atomDate(ctx.now), CREATED_BY: ctx.userId,
      }))
      return { result: id }
    },
  },
  'entity.item.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upper(ctx.params)
      const rows = applyFilter(items(ctx, p).rows, parseFilter(p.FILTER))
      return page(applyOrder(rows, p.SORT), own(ctx.params, 'start'))
    },
  },
  'entity.item.update': {
    scope: SCOPE,
    run(ctx) {
      const p = upper(ctx.params)
      const collection = items(ctx, p)
      const index = findItem(collection, phpInt(p.ID))
      Object.assign(collection.rows[index]!, normaliseRow(itemFields(p)))
      return { result: true }
    },
  },
  'entity.item.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = upper(ctx.params)
      const collection = items(ctx, p)
      collection.rows.splice(findItem(collection, phpInt(p.ID)), 1)
      return { result: true }
    },
  },
}
