// crm.status.*: the CRM reference books (stages, sources, types). Rows live in the 'crm.status' collection; a new
// portal has the standard books (default-statuses.ts). Legacy CRM errors: empty code, status 400.

import { coreError, crmError } from '../errors'
import { applyFilter, applyOrder, parseFilter } from '../records'
import { normaliseRow, type Collection } from '../state'
import { isObject, phpInt, phpString, pick, upperKeys, type PlainObject } from '../values'
import { describeFields } from './crm-fields'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['crm']

const ENTITY_NAMES: Record<string, string> = {
  STATUS: 'Lead status', SOURCE: 'Source', CONTACT_TYPE: 'Contact type', COMPANY_TYPE: 'Company type', INDUSTRY: 'Industry',
  DEAL_TYPE: 'Deal type', DEAL_STAGE: 'Deal stages', DEAL_STAGE_1: 'Deal stages (pipeline 1)', EMPLOYEES: 'Employees', HONORIFIC: 'Salutation',
}

function statuses(ctx: CallContext): Collection {
  return ctx.state.collections.get('crm.status')!
}

function find(ctx: CallContext): PlainObject {
  const id = phpInt(pick(ctx.params, 'id'))
  if (id <= 0) throw crmError('ID is not defined or invalid.')
  const row = statuses(ctx).rows.find((r) => r.ID === String(id))
  if (!row) throw crmError('Not found')
  return row
}

function fieldsOf(ctx: CallContext): PlainObject {
  const fields = pick(ctx.params, 'fields')
  if (!isObject(fields)) throw crmError("Parameter 'fields' must be array.")
  return upperKeys(fields)
}

export const crmStatusMethods: MethodTable = {
  'crm.status.fields': { scope: SCOPE, run: () => ({ result: describeFields('status', [])! }) },
  'crm.status.entity.types': {
    scope: SCOPE,
    run: () => ({
      result: Object.entries(ENTITY_NAMES).map(([ID, NAME]) => ({
        ID, NAME, ...(ID.startsWith('DEAL_STAGE') || ID === 'STATUS' ? { SEMANTIC_INFO: { START_FIELD: ID === 'STATUS' ? 'NEW' : 'NEW', FINAL_SUCCESS_FIELD: ID === 'STATUS' ? 'CONVERTED' : 'WON', FINAL_UNSUCCESS_FIELD: ID === 'STATUS' ? 'JUNK' : 'LOSE' } } : {}),
        ...(ID === 'DEAL_STAGE_1' ? { PREFIX: 'C1', FIELD_ATTRIBUTE_SCOPE: 'category_1', CATEGORY_ID: 1 } : {}),
      })),
    }),
  },
  'crm.status.entity.items': {
    scope: SCOPE,
    run(ctx) {
      const entityId = phpString(pick(ctx.params, 'entityId'))
      const rows = applyOrder(statuses(ctx).rows.filter((r) => r.ENTITY_ID === entityId), { SORT: 'ASC' } as unknown as PlainObject)
      return { result: rows.map((r) => ({ NAME: r.NAME!, SORT: Number(r.SORT), STATUS_ID: r.STATUS_ID! })) }
    },
  },
  'crm.status.list': {
    scope: SCOPE,
    run(ctx) {
      // The status list is not paged: the whole book comes back.
      const filter = pick(ctx.params, 'filter')
      if (filter !== undefined && !isObject(filter) && !Array.isArray(filter)) throw crmError("Parameter 'filter' must be array.")
      const order = pick(ctx.params, 'order')
      if (order !== undefined && !isObject(order) && !Array.isArray(order)) throw crmError("Parameter 'order' must be array.")
      const rows = applyFilter(statuses(ctx).rows, parseFilter(filter))
      return { result: applyOrder(rows, isObject(order) ? order : ({ SORT: 'ASC' } as unknown as PlainObject)) }
    },
  },
  'crm.status.get': { scope: SCOPE, run: (ctx) => ({ result: find(ctx) }) },
  'crm.status.add': {
    scope: SCOPE,
    run(ctx) {
      if (!ctx.isAdmin) throw crmError('Access denied.')
      const f = fieldsOf(ctx)
      const missing = ['ENTITY_ID', 'STATUS_ID'].filter((k) => phpString(f[k]).trim() === '')
      if (missing.length) throw crmError(missing.map((k) => `The field ${k} is required.`).join(', '))
      const entityId = phpString(f.ENTITY_ID)
      if (!ENTITY_NAMES[entityId]) throw crmError('Specified entity type is not supported.')
      if (phpString(f.NAME).trim() === '') throw crmError('The field Title is required.')
      const rows = statuses(ctx).rows
      if (rows.some((r) => r.ENTITY_ID === entityId && r.STATUS_ID === phpString(f.STATUS_ID))) throw coreError('The specified status ID already exists.')
      const id = statuses(ctx).nextId++
      rows.push(normaliseRow({
        ID: id, ENTITY_ID: entityId, STATUS_ID: phpString(f.STATUS_ID), NAME: phpString(f.NAME), NAME_INIT: '', SORT: phpInt(f.SORT) || 10,
        SYSTEM: 'N', CATEGORY_ID: entityId === 'DEAL_STAGE_1' ? 1 : null, COLOR: f.COLOR ?? null, SEMANTICS: f.SEMANTICS ?? null,
      }))
      return { result: id }
    },
  },
  'crm.status.update': {
    scope: SCOPE,
    run(ctx) {
      if (!ctx.isAdmin) throw crmError('Access denied.')
      const row = find(ctx)
      const f = fieldsOf(ctx)
      for (const key of ['NAME', 'SORT', 'COLOR']) if (f[key] !== undefined) row[key] = phpString(f[key])
      return { result: true }
    },
  },
  'crm.status.delete': {
    scope: SCOPE,
    run(ctx) {
      if (!ctx.isAdmin) throw crmError('Access denied.')
      const row = find(ctx)
      const params = pick(ctx.params, 'params')
      // [inferred] System entries go only with params[FORCED]=Y, as the reference's parameter describes.
      if (row.SYSTEM === 'Y' && !(isObject(params) && phpString(upperKeys(params).FORCED) === 'Y')) throw crmError('Can not delete system status.')
      statuses(ctx).rows = statuses(ctx).rows.filter((r) => r !== row)
      return { result: true }
    },
  },
}
