// The task table both task APIs share: tasks.task.* (camelCase answers) and the legacy task.item.* (upper-case
// answers, positional parameters). Rows keep the table's upper-case column names, values as strings.

import { atomDate } from '../envelope'
import { coreError } from '../errors'
import { normaliseRow, type Collection } from '../state'
import { createObject, isObject, own, phpInt, phpString, toPlain, upperKeys, type Plain, type PlainObject } from '../values'
import type { CallContext } from './types'

/** Columns an app may write; the rest (ID, CREATED_*, CHANGED_*, CLOSED_*) is the portal's. */
export const WRITABLE = new Set(['TITLE', 'DESCRIPTION', 'DEADLINE', 'START_DATE_PLAN', 'END_DATE_PLAN', 'PRIORITY', 'STATUS',
  'MARK', 'RESPONSIBLE_ID', 'CREATED_BY', 'GROUP_ID', 'PARENT_ID', 'ACCOMPLICES', 'AUDITORS', 'TAGS', 'ALLOW_CHANGE_DEADLINE',
  'TASK_CONTROL', 'TIME_ESTIMATE', 'ADD_IN_REPORT', 'UF_CRM_TASK', 'SITE_ID', 'XML_ID', 'DEPENDS_ON'])
const STATUSES = new Set(['1', '2', '3', '4', '5', '6', '7'])
/** Array columns: come back as lists of strings. */
const LISTS = new Set(['ACCOMPLICES', 'AUDITORS', 'TAGS', 'UF_CRM_TASK', 'DEPENDS_ON'])

export function taskTable(ctx: CallContext): Collection {
  return ctx.state.collections.get('task')!
}

export function findTask(ctx: CallContext, id: number): PlainObject | undefined {
  return id > 0 ? taskTable(ctx).rows.find((r) => r.ID === String(id)) : undefined
}

function listValue(value: Plain | undefined): string[] {
  const list = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : value === undefined || value === null || value === '' ? [] : [value]
  return list.map((v) => phpString(v))
}

function writable(ctx: CallContext, given: PlainObject, current?: PlainObject): Record<string, unknown> {
  const fields = upperKeys(given)
  const out: Record<string, unknown> = Object.create(null)
  for (const k of Object.keys(fields)) {
    if (WRITABLE.has(k) || k.startsWith('UF_')) out[k] = LISTS.has(k) ? listValue(fields[k]) : fields[k]
  }
  const title = out.TITLE === undefined ? phpString(current?.TITLE) : phpString(out.TITLE as Plain).trim()
  if (title === '') throw coreError('Task title not specified')
  if (out.RESPONSIBLE_ID !== undefined) {
    const responsible = phpInt(out.RESPONSIBLE_ID as Plain)
    if (!ctx.state.users.some((u) => u.ID === String(responsible))) throw coreError('User specified in the "Responsible" field not found')
  }
  if (out.STATUS !== undefined && !STATUSES.has(phpString(out.STATUS as Plain))) throw coreError('Incorrect status')
  const parent = phpInt(out.PARENT_ID as Plain)
  if (parent > 0 && !findTask(ctx, parent)) throw coreError('Task specified in the "Parent Task" field not found')
  return out
}

/** The task events' data: FIELDS_BEFORE/AFTER carry the id only, the other half is the text 'undefined'. */
function eventData(before: number | null, after: number | null): Record<string, unknown> {
  return {
    FIELDS_BEFORE: before === null ? 'undefined' : { ID: before }, FIELDS_AFTER: after === null ? 'undefined' : { ID: after },
    IS_ACCESSIBLE_BEFORE: before === null ? 'N' : 'undefined', IS_ACCESSIBLE_AFTER: after === null ? 'N' : 'undefined',
  }
}

export function createTask(ctx: CallContext, given: PlainObject): PlainObject {
  const fields = writable(ctx, given)
  const table = taskTable(ctx)
  const id = table.nextId++
  const stamp = atomDate(ctx.now)
  const row = normaliseRow({
    DESCRIPTION: '', PRIORITY: 1, STATUS: 2, GROUP_ID: 0, PARENT_ID: 0, MARK: null, DEADLINE: null, START_DATE_PLAN: null,
    END_DATE_PLAN: null, CLOSED_DATE: null, CLOSED_BY: null, RESPONSIBLE_ID: ctx.userId, CREATED_BY: ctx.userId,
    ACCOMPLICES: [], AUDITORS: [], TAGS: [], ...fields, ID: id, CREATED_DATE: stamp, CHANGED_DATE: stamp, CHANGED_BY: ctx.userId,
  })
  table.rows.push(row)
  ctx.emit('ONTASKADD', eventData(null, id))
  return row
}

export function updateTask(ctx: CallContext, row: PlainObject, given: PlainObject): void {
  const fields = writable(ctx, given, row)
  Object.assign(row, normaliseRow(fields), { CHANGED_DATE: atomDate(ctx.now), CHANGED_BY: String(ctx.userId) })
  if (fields.STATUS !== undefined) setStatus(ctx, row, phpInt(fields.STATUS as Plain), false)
  ctx.emit('ONTASKUPDATE', eventData(Number(row.ID), Number(row.ID)))
}

export function setStatus(ctx: CallContext, row: PlainObject, status: number, raise = true): void {
  row.STATUS = String(status)
  row.CLOSED_DATE = status === 5 ? atomDate(ctx.now) : null
  row.CLOSED_BY = status === 5 ? String(ctx.userId) : null
  if (raise) {
    row.CHANGED_DATE = atomDate(ctx.now)
    ctx.emit('ONTASKUPDATE', eventData(Number(row.ID), Number(row.ID)))
  }
}

export function deleteTask(ctx: CallContext, row: PlainObject): void {
  const table = taskTable(ctx)
  table.rows = table.rows.filter((r) => r !== row)
  ctx.emit('ONTASKDELETE', eventData(Number(row.ID), null))
}

/** RESPONSIBLE_ID -> responsibleId, UF_CRM_TASK -> ufCrmTask: the tasks.task.* names of the table's columns. */
export function camelName(column: string): string {
  return column.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** A row for tasks.task.*: selected columns (all when `select` is empty or has '*'), camelCase keys, ID always. */
export function camelRow(row: PlainObject, select?: Plain): PlainObject {
  const wanted = Array.isArray(select) || isObject(select) ? Object.values(select).map((s) => phpString(s).toUpperCase()) : []
  const all = wanted.length === 0 || wanted.includes('*')
  const out = createObject()
  for (const k of Object.keys(row)) if (all || k === 'ID' || wanted.includes(k)) out[camelName(k)] = toPlain(own(row, k))
  return out
}
