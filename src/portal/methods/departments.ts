// department.get/add/update/delete/fields: the company structure (intranet's REST handlers). One top-level
// department; add, update and delete need an administrator.

import { coreError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import { normaliseRow, type Collection } from '../state'
import { createObject, phpInt, phpString, upperKeys, type PlainObject } from '../values'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['department']
const FIELDS = ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']

function departments(ctx: CallContext): Collection {
  return ctx.state.collections.get('department')!
}

function requireAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw coreError('Access denied')
}

function find(ctx: CallContext, id: number): PlainObject {
  const row = departments(ctx).rows.find((r) => r.ID === String(id))
  if (!row) throw coreError('Department not found')
  return row
}

function fields(p: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const f of ['NAME', 'SORT', 'PARENT', 'UF_HEAD']) if (p[f] !== undefined) out[f] = p[f]
  return out
}

export const departmentMethods: MethodTable = {
  'department.get': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const filter = createObject()
      for (const f of FIELDS) if (p[f] !== undefined) filter[f] = p[f]
      const order = createObject()
      if (phpString(p.SORT) !== '' && FIELDS.includes(phpString(p.SORT).toUpperCase()) && p.ORDER !== undefined) {
        order[phpString(p.SORT).toUpperCase()] = phpString(p.ORDER)
      }
      // SORT doubles as a filter field and the sort key, as in intranet's handler: a field name means "sort by".
      if (FIELDS.includes(phpString(p.SORT).toUpperCase())) delete filter.SORT
      return page(applyOrder(applyFilter(departments(ctx).rows, parseFilter(filter)), order), p.START)
    },
  },
  'department.fields': {
    scope: SCOPE,
    run: () => ({ result: { ID: 'ID', NAME: 'Department name', SORT: 'Sort order', PARENT: 'Parent department', UF_HEAD: 'Head' } }),
  },
  'department.add': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const p = upperKeys(ctx.params)
      if (phpString(p.NAME).trim() === '') throw coreError('Department name not provided.<br>')
      const parent = phpInt(p.PARENT)
      const rows = departments(ctx).rows
      if (parent <= 0 && rows.some((r) => phpInt(r.PARENT) <= 0)) throw coreError('There can only be one top-level department in the company structure')
      if (parent > 0) find(ctx, parent)
      const id = departments(ctx).nextId++
      rows.push(normaliseRow({ SORT: 500, ...fields(p), ID: id }))
      return { result: id }
    },
  },
  'department.update': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const p = upperKeys(ctx.params)
      const row = find(ctx, phpInt(p.ID))
      Object.assign(row, normaliseRow(fields(p)))
      return { result: true }
    },
  },
  'department.delete': {
    scope: SCOPE,
    run(ctx) {
      requireAdmin(ctx)
      const row = find(ctx, phpInt(upperKeys(ctx.params).ID))
      departments(ctx).rows = departments(ctx).rows.filter((r) => r !== row)
      return { result: true }
    },
  },
}
