// crm.<type>.list/get/add/update/delete/fields and crm.<type>.userfield.* over the record store, for every CRM type
// the portal has rows (or an empty list) for. Field values come back as strings, as Bitrix returns them. The legacy
// CRM handlers answer their argument errors with an EMPTY error code and status 400 (apps compare the text).

import { atomDate } from '../envelope'
import { crmError } from '../errors'
import { applyFilter, applyOrder, applySelect, page, parseFilter } from '../records'
import { normaliseRow, type Collection } from '../state'
import { isObject, own, phpInt, pick, type Plain, type PlainObject } from '../values'
import { describeFields } from './crm-fields'
import { crmUserFieldMethod } from './crm-userfields'
import type { CallContext, MethodDef } from './types'

const ACTIONS = ['list', 'get', 'add', 'update', 'delete', 'fields'] as const
type Action = (typeof ACTIONS)[number]


function idParam(ctx: CallContext): number {
  const id = phpInt(pick(ctx.params, 'id'))
  if (id <= 0) throw crmError('ID is not defined or invalid.')
  return id
}

function arrayParam(ctx: CallContext, name: string, required: boolean): PlainObject | undefined {
  const value = pick(ctx.params, name)
  if (value === undefined && !required) return undefined
  // A JSON list is still a PHP array, which is all the handler asks for.
  if (Array.isArray(value)) return Object.assign(Object.create(null), value) as PlainObject
  if (!isObject(value)) throw crmError(`Parameter '${name}' must be array.`)
  return value
}

function find(collection: Collection, id: number): number {
  const index = collection.rows.findIndex((r) => r.ID === String(id))
  if (index < 0) throw crmError('Not found')
  return index
}

/** ONCRM<TYPE><ACTION> with data[FIELDS][ID], as the CRM module raises it. */
function emit(ctx: CallContext, type: string, action: string, id: number): void {
  ctx.emit(`ONCRM${type.toUpperCase()}${action}`, { FIELDS: { ID: id } })
}

/** Own keys only, into a null-prototype record (a `__proto__` field is data, nothing more). */
function copy(fields: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const k of Object.keys(fields)) out[k] = fields[k]
  return out
}

// What the CRM fills in on add when the caller leaves it out.
function defaults(type: string, ctx: CallContext, fields: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = { ASSIGNED_BY_ID: ctx.userId, OPENED: 'Y' }
  if (type === 'deal') {
    const category = phpInt(fields.CATEGORY_ID as Plain)
    Object.assign(base, { CATEGORY_ID: category, STAGE_ID: category > 0 ? `C${category}:NEW` : 'NEW', CLOSED: 'N', CURRENCY_ID: 'USD', OPPORTUNITY: '0.00' })
  } else if (type === 'lead') Object.assign(base, { STATUS_ID: 'NEW' })
  else if (type === 'activity') Object.assign(base, { RESPONSIBLE_ID: ctx.userId, COMPLETED: 'N', AUTHOR_ID: ctx.userId })
  return base
}

function run(action: Action, type: string, collection: Collection, ctx: CallContext) {
  switch (action) {
    case 'list': {
      const filter = arrayParam(ctx, 'filter', false)
      const order = arrayParam(ctx, 'order', false)
      const rows = applyOrder(applyFilter(collection.rows, parseFilter(filter)), order)
      const out = page(rows, own(ctx.params, 'start'))
      return { ...out, result: applySelect(out.result as PlainObject[], pick(ctx.params, 'select')) }
    }
    case 'get':
      return { result: collection.rows[find(collection, idParam(ctx))] }
    case 'fields': {
      const fields = describeFields(type, ctx.state.userFields.get(`CRM_${type.toUpperCase()}`) ?? [])
      // Types without a field table of ours (quote, invoice, ...) describe the columns their rows have.
      return { result: fields ?? Object.fromEntries(Object.keys(collection.rows[0] ?? { ID: '' }).map((k) => [k, { type: 'string', title: k }])) }
    }
    case 'add': {
      const fields = copy(arrayParam(ctx, 'fields', true)!)
      const id = collection.nextId++
      const stamp = atomDate(ctx.now)
      const row = normaliseRow({
        ...defaults(type, ctx, fields), ...fields, ID: id, DATE_CREATE: stamp, DATE_MODIFY: stamp, CREATED_BY_ID: ctx.userId, MODIFY_BY_ID: ctx.userId,
      })
      collection.rows.push(row)
      emit(ctx, type, 'ADD', id)
      return { result: id }
    }
    case 'update': {
      const index = find(collection, idParam(ctx))
      const fields = normaliseRow(copy(arrayParam(ctx, 'fields', true)!))
      delete fields.ID
      collection.rows[index] = Object.assign(collection.rows[index]!, fields, { DATE_MODIFY: atomDate(ctx.now), MODIFY_BY_ID: String(ctx.userId) })
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

export function resolveCrmMethod(name: string, collections: Map<string, Collection>): MethodDef | undefined {
  const userField = /^crm\.([a-z0-9_]+)\.userfield\.([a-z]+)$/.exec(name)
  if (userField) return collections.has(`crm.${userField[1]}`) ? crmUserFieldMethod(userField[1]!, userField[2]!) : undefined
  const m = /^crm\.([a-z0-9_]+)\.([a-z]+)$/.exec(name)
  if (!m || !(ACTIONS as readonly string[]).includes(m[2]!)) return undefined
  const key = `crm.${m[1]}`
  if (!collections.has(key)) return undefined
  return {
    scope: ['crm'],
    run: (ctx) => run(m[2] as Action, m[1]!, ctx.state.collections.get(key)!, ctx),
  }
}
