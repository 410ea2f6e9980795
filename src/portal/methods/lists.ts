// lists.* (universal lists): information blocks found by IBLOCK_ID or IBLOCK_CODE, their fields (PROPERTY_<n>)
// and elements. Element property values come back as {valueId: value} maps, as the lists module returns them.
// Codes and texts from the REST reference; "Required parameter ... is missing" names the parameter ([inferred]
// from the reference's `X` placeholder).

import { atomDate } from '../envelope'
import { RestError } from '../errors'
import { applyFilter, applyOrder, applySelect, page, parseFilter } from '../records'
import { collectionFrom, normaliseRow, type ListInfo } from '../state'
import { createObject, isObject, own, phpInt, phpString, toPlain, upperKeys, type Plain, type PlainObject } from '../values'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['lists']
const TYPES = new Set(['lists', 'bitrix_processes', 'lists_socnet'])
const FIELD_TYPES = new Set(['S', 'N', 'L', 'F', 'E', 'G', 'S:Date', 'S:DateTime', 'S:HTML', 'E:EList', 'N:Sequence', 'S:employee', 'S:Money', 'S:DiskFile', 'S:ECrm'])

const missing = (name: string) => new RestError('ERROR_REQUIRED_PARAMETERS_MISSING', `Required parameter "${name}" is missing`)
const denied = () => new RestError('ACCESS_DENIED', 'Access denied', 403)

function required(p: PlainObject, name: string): string {
  const value = phpString(p[name]).trim()
  if (value === '') throw missing(name)
  return value
}

function iblockType(p: PlainObject): string {
  const type = required(p, 'IBLOCK_TYPE_ID')
  // [inferred] Another information block type is not a list: the module answers as for a missing list.
  if (!TYPES.has(type)) throw new RestError('ERROR_IBLOCK_NOT_FOUND', 'Iblock not found')
  return type
}

/** The list named by IBLOCK_ID or IBLOCK_CODE (one of them is required) within IBLOCK_TYPE_ID. */
function list(ctx: CallContext, p: PlainObject): ListInfo {
  const type = iblockType(p)
  const id = phpInt(p.IBLOCK_ID)
  const code = phpString(p.IBLOCK_CODE)
  if (id <= 0 && code === '') throw missing('IBLOCK_ID')
  const found = [...ctx.state.lists.values()].find((l) => l.typeId === type && (id > 0 ? l.id === id : l.code === code))
  if (!found) throw new RestError('ERROR_IBLOCK_NOT_FOUND', 'Iblock not found')
  return found
}

function admin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw denied()
}

function describeList(l: ListInfo): PlainObject {
  return toPlain({ ID: String(l.id), IBLOCK_TYPE_ID: l.typeId, CODE: l.code || null, NAME: l.name, ACTIVE: 'Y', SORT: '500', DESCRIPTION: '' }) as PlainObject
}

/** A property value as sent (scalar, list, or {id: value}) -> the stored {valueId: value} map. */
function propertyValue(value: Plain, l: ListInfo): PlainObject {
  const out = createObject()
  const values = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [value]
  for (const v of values) if (v !== '' && v !== null) out[String(l.nextValueId++)] = toPlain(v)
  return out
}

function elementFields(l: ListInfo, fields: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(fields)) {
    const upper = key.toUpperCase()
    if (upper === 'NAME' || upper === 'IBLOCK_SECTION_ID' || upper === 'SORT' || upper === 'ACTIVE') out[upper] = fields[key]
    else if (/^PROPERTY_\d+$/.test(upper) && l.fields.some((f) => f.FIELD_ID === upper)) out[upper] = propertyValue(fields[key]!, l)
  }
  return out
}

/** PROPERTY_<n> maps become lists for filtering: a multi-value field matches when any value does. */
function filterable(rows: PlainObject[]): PlainObject[] {
  return rows.map((row) => {
    const view = Object.assign(createObject(), row)
    for (const k of Object.keys(row)) if (k.startsWith('PROPERTY_') && isObject(row[k])) view[k] = Object.values(row[k] as PlainObject)
    return view
  })
}

function findElement(l: ListInfo, p: PlainObject): PlainObject {
  const id = phpInt(p.ELEMENT_ID)
  const code = phpString(p.ELEMENT_CODE)
  if (id <= 0 && code === '') throw missing('ELEMENT_ID')
  const row = l.elements.rows.find((r) => (id > 0 ? r.ID === String(id) : r.CODE === code))
  if (!row) throw new RestError('ERROR_ELEMENT_NOT_FOUND', 'Element not found')
  return row
}

export const listMethods: MethodTable = {
  'lists.add': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      const p = upperKeys(ctx.params)
      const type = iblockType(p)
      const code = required(p, 'IBLOCK_CODE')
      const fields = isObject(p.FIELDS) ? upperKeys(p.FIELDS) : null
      if (!fields) throw missing('FIELDS')
      if ([...ctx.state.lists.values()].some((l) => l.typeId === type && l.code === code)) throw new RestError('ERROR_IBLOCK_ALREADY_EXISTS', 'Iblock already exists')
      const id = ctx.state.nextListId++
      ctx.state.lists.set(id, { id, typeId: type, code, name: phpString(fields.NAME) || code, fields: [], elements: collectionFrom([]), nextPropertyId: 1, nextValueId: 1 })
      return { result: id }
    },
  },
  'lists.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const type = iblockType(p)
      const id = phpInt(p.IBLOCK_ID)
      const code = phpString(p.IBLOCK_CODE)
      const rows = [...ctx.state.lists.values()].filter((l) => l.typeId === type && (id > 0 ? l.id === id : code === '' || l.code === code))
      return page(rows.map(describeList), own(ctx.params, 'start'))
    },
  },
  'lists.update': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      if (isObject(p.FIELDS) && phpString(upperKeys(p.FIELDS).NAME)) l.name = phpString(upperKeys(p.FIELDS).NAME)
      return { result: true }
    },
  },
  'lists.delete': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      ctx.state.lists.delete(list(ctx, upperKeys(ctx.params)).id)
      return { result: true }
    },
  },
  'lists.field.add': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const f = isObject(p.FIELDS) ? upperKeys(p.FIELDS) : null
      if (!f) throw missing('FIELDS')
      const type = phpString(f.TYPE)
      if (phpString(f.NAME).trim() === '' || !FIELD_TYPES.has(type)) throw new RestError('ERROR_SAVE_FIELD', 'Error saving the field')
      const code = phpString(f.CODE)
      if (code && l.fields.some((x) => x.CODE === code)) throw new RestError('ERROR_SAVE_FIELD', 'Property already exists')
      const fieldId = `PROPERTY_${l.nextPropertyId++}`
      l.fields.push(toPlain({
        FIELD_ID: fieldId, SORT: phpInt(f.SORT) || 500, NAME: phpString(f.NAME), IS_REQUIRED: phpString(f.IS_REQUIRED) === 'Y' ? 'Y' : 'N',
        MULTIPLE: phpString(f.MULTIPLE) === 'Y' ? 'Y' : 'N', DEFAULT_VALUE: f.DEFAULT_VALUE ?? '', TYPE: type,
        PROPERTY_TYPE: type.split(':')[0]!, CODE: code || null, ID: fieldId.slice('PROPERTY_'.length),
      }) as PlainObject)
      return { result: fieldId }
    },
  },
  'lists.field.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const wanted = phpString(p.FIELD_ID)
      const out = createObject()
      // One field comes back keyed by its type, all fields keyed by FIELD_ID (the reference's two examples).
      for (const f of l.fields) {
        if (wanted === '') out[phpString(f.FIELD_ID)] = f
        else if (f.FIELD_ID === wanted) out[phpString(f.TYPE)] = f
      }
      return { result: out }
    },
  },
  'lists.field.delete': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const wanted = required(p, 'FIELD_ID')
      l.fields = l.fields.filter((f) => f.FIELD_ID !== wanted)
      return { result: true }
    },
  },
  'lists.element.add': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const code = required(p, 'ELEMENT_CODE')
      if (!isObject(p.FIELDS)) throw missing('FIELDS')
      if (l.elements.rows.some((r) => r.CODE === code)) throw new RestError('ERROR_ELEMENT_ALREADY_EXISTS', 'Element already exists')
      const id = l.elements.nextId++
      const row = normaliseRow({ NAME: '', IBLOCK_SECTION_ID: null, CREATED_BY: ctx.userId, DATE_CREATE: atomDate(ctx.now), ...elementFields(l, p.FIELDS), ID: id, CODE: code })
      l.elements.rows.push(row)
      return { result: id }
    },
  },
  'lists.element.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      let rows = l.elements.rows
      if (phpInt(p.ELEMENT_ID) > 0 || phpString(p.ELEMENT_CODE) !== '') rows = [findElement(l, p)]
      const ids = applyOrder(applyFilter(filterable(rows), parseFilter(p.FILTER)), isObject(p.ELEMENT_ORDER) ? upperKeys(p.ELEMENT_ORDER) : undefined).map((r) => r.ID)
      const byId = new Map(rows.map((r) => [r.ID, r]))
      const out = page(ids.map((i) => byId.get(i)!), own(ctx.params, 'start'))
      return { ...out, result: applySelect(out.result as PlainObject[], p.SELECT) }
    },
  },
  'lists.element.update': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const row = findElement(l, p)
      if (!isObject(p.FIELDS)) throw missing('FIELDS')
      // The lists module replaces the element's fields: what FIELDS leaves out is cleared.
      for (const k of Object.keys(row)) if (k.startsWith('PROPERTY_')) delete row[k]
      Object.assign(row, normaliseRow(elementFields(l, p.FIELDS)), { TIMESTAMP_X: atomDate(ctx.now) })
      return { result: true }
    },
  },
  'lists.element.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const l = list(ctx, p)
      const row = findElement(l, p)
      l.elements.rows = l.elements.rows.filter((r) => r !== row)
      return { result: true }
    },
  },
}
