// crm.<type>.list/get/add/update/delete over the generic record store, for every CRM type the seed has rows (or an
// empty list) for. Field values come back as strings, as Bitrix returns them.

import { atomDate } from '../envelope'
import { RestError } from '../errors'
import { applyFilter, applyOrder, applySelect, page, parseFilter } from '../records'
import { normaliseRow, type Collection } from '../state'
import { createObject, isObject, own, phpInt, pick, type PlainObject } from '../values'
import type { CallContext, MethodDef } from './types'

const ACTIONS = ['list', 'get', 'add', 'update', 'delete'] as const
type Action = (typeof ACTIONS)[number]

function idParam(ctx: CallContext): number {
  const id = phpInt(pick(ctx.params, 'id'))
  if (id <= 0) throw new RestError('ERROR_ARGUMENT', 'ID is not defined or invalid.')
  return id
}

function fieldsParam(ctx: CallContext): PlainObject {
  const fields = pick(ctx.params, 'fields')
  // A JSON list is still a PHP array, which is all the handler asks for.
  if (Array.isArray(fields)) return Object.assign(createObject(), fields) as PlainObject
  if (!isObject(fields)) throw new RestError('ERROR_ARGUMENT', "Parameter 'fields' must be array.")
  return fields
}

function find(collection: Collection, id: number): number {
  const index = collection.rows.findIndex((r) => r.ID === String(id))
  // The legacy CRM handlers answer an empty error code here; a named code is kept so clients can tell it apart.
  if (index < 0) throw new RestError('NOT_FOUND', 'Not found')
  return index
}

/** ONCRM<TYPE><ACTION> with data[FIELDS][ID], as the CRM module raises it. */
function emit(ctx: CallContext, type: string, action: string, id: number): void {
  ctx.emit(`ONCRM${type.toUpperCase()}${action}`, { FIELDS: { ID: id } })
}

function run(action: Action, type: string, collection: Collection, ctx: CallContext) {
  switch (action) {
    case 'list': {
      const rows = applyOrder(applyFilter(collection.rows, parseFilter(pick(ctx.params, 'filter'))), pick(ctx.params, 'order'))
      const out = page(rows, own(ctx.params, 'start'))
      return { ...out, result: applySelect(out.result as PlainObject[], pick(ctx.params, 'select')) }
    }
    case 'get':
      return { result: collection.rows[find(collection, idParam(ctx))] }
    case 'add': {
      const fields = fieldsParam(ctx)
      const id = collection.nextId++
      const row = normaliseRow({ ...copy(fields), ID: id, DATE_CREATE: atomDate(ctx.now), CREATED_BY_ID: ctx.userId })
      collection.rows.push(row)
      emit(ctx, type, 'ADD', id)
      return { result: id }
    }
    case 'update': {
      const index = find(collection, idParam(ctx))
      const fields = normaliseRow(copy(fieldsParam(ctx)))
      delete fields.ID
      collection.rows[index] = Object.assign(collection.rows[index]!, fields, { DATE_MODIFY: atomDate(ctx.now) })
      emit(ctx, type, 'UPDATE', Number(collection.rows[index]!.ID))
      return { result: true }
    }
    case 'delete': {
      const id = idParam(ctx)
      collection.rows.splice(find(collection, id), 1)
      emit(ctx, type, 'DELETE', id)
      return { result: true }
    }
  }
}

/** Own keys only, into a null-prototype record (a `__proto__` field is data, nothing more). */
function copy(fields: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const k of Object.keys(fields)) out[k] = fields[k]
  return out
}

export function resolveCrmMethod(name: string, collections: Map<string, Collection>): MethodDef | undefined {
  const m = /^crm\.([a-z0-9_]+)\.([a-z]+)$/.exec(name)
  if (!m || !(ACTIONS as readonly string[]).includes(m[2]!)) return undefined
  const key = `crm.${m[1]}`
  if (!collections.has(key)) return undefined
  return {
    scope: ['crm'],
    run: (ctx) => run(m[2] as Action, m[1]!, ctx.state.collections.get(key)!, ctx),
  }
}
