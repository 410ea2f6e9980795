// tasks.task.*: the current task API. Answers wrap rows in {task} / {tasks} with camelCase keys; filters, order and
// select use the table's upper-case names. Errors as the reference documents them (code "0" "wrong task id", ...).

import { RestError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import { createObject, isObject, phpInt, pick, upperKeys, type Plain, type PlainObject } from '../values'
import { camelRow, createTask, deleteTask, findTask, setStatus, taskTable, updateTask } from './task-store'
import type { CallContext, MethodDef, MethodTable } from './types'

const SCOPE = ['task']
const ORDERABLE = new Set(['ID', 'TITLE', 'DEADLINE', 'STATUS', 'PRIORITY', 'MARK', 'CREATED_BY', 'RESPONSIBLE_ID', 'GROUP_ID',
  'CREATED_DATE', 'CHANGED_DATE', 'CLOSED_DATE', 'START_DATE_PLAN', 'END_DATE_PLAN', 'PARENT_ID', 'TIME_ESTIMATE'])

const wrongId = () => new RestError('0', 'wrong task id')

function taskId(ctx: CallContext): number {
  const raw = pick(ctx.params, 'taskId') ?? pick(ctx.params, 'id')
  const id = phpInt(raw)
  if (id <= 0) throw wrongId()
  return id
}

function existing(ctx: CallContext, notFound: () => RestError): PlainObject {
  const row = findTask(ctx, taskId(ctx))
  if (!row) throw notFound()
  return row
}

const notAllowed = () => new RestError('0', 'Action on the task is not allowed')

function fieldsParam(ctx: CallContext): PlainObject {
  const fields = pick(ctx.params, 'fields')
  if (!isObject(fields)) throw new RestError('100', 'Invalid value {} to match with parameter {fields}. Should be value of type array. (internal error)')
  return fields
}

function list(ctx: CallContext) {
  const order = pick(ctx.params, 'order')
  const sort = createObject()
  if (isObject(order)) {
    for (const [k, v] of Object.entries(upperKeys(order))) {
      if (!ORDERABLE.has(k)) throw new RestError('0', 'Invalid sorting key (internal error)')
      sort[k] = v
    }
  }
  if (Object.keys(sort).length === 0) sort.ID = 'DESC'
  const filter = pick(ctx.params, 'filter')
  const rows = applyOrder(applyFilter(taskTable(ctx).rows, parseFilter(isObject(filter) ? upperKeys(filter) : filter)), sort)
  const nav = navStart(pick(ctx.params, 'params'))
  const out = page(rows, nav ?? ctx.params.start)
  const select = pick(ctx.params, 'select')
  return { ...out, result: { tasks: (out.result as PlainObject[]).map((r) => camelRow(r, select)) } }
}

/** params[NAV_PARAMS][iNumPage] as a start offset (50 a page), when given. */
function navStart(params: Plain | undefined): number | undefined {
  const nav = isObject(params) ? upperKeys(params).NAV_PARAMS : undefined
  if (!isObject(nav) || nav.iNumPage === undefined) return undefined
  return (Math.max(1, phpInt(nav.iNumPage)) - 1) * 50
}

function action(status: number, allowed: (row: PlainObject) => boolean): MethodDef {
  return {
    scope: SCOPE,
    run(ctx) {
      const row = existing(ctx, notAllowed)
      if (!allowed(row)) throw notAllowed()
      setStatus(ctx, row, status)
      return { result: { task: camelRow(row) } }
    },
  }
}

const FIELD_TITLES: [string, string, string][] = [
  ['ID', 'ID', 'integer'], ['PARENT_ID', 'Base task ID', 'integer'], ['TITLE', 'Title', 'string'], ['DESCRIPTION', 'Description', 'string'],
  ['MARK', 'Rating', 'enum'], ['PRIORITY', 'Priority', 'enum'], ['STATUS', 'Status', 'enum'], ['GROUP_ID', 'Project', 'integer'],
  ['CREATED_BY', 'Created by', 'integer'], ['RESPONSIBLE_ID', 'Assignee', 'integer'], ['ACCOMPLICES', 'Participants', 'array'],
  ['AUDITORS', 'Observers', 'array'], ['DEADLINE', 'Deadline', 'datetime'], ['START_DATE_PLAN', 'Planned start date', 'datetime'],
  ['END_DATE_PLAN', 'Planned end date', 'datetime'], ['CREATED_DATE', 'Created on', 'datetime'], ['CHANGED_DATE', 'Modified on', 'datetime'],
  ['CLOSED_DATE', 'Completed on', 'datetime'], ['TAGS', 'Tags', 'array'], ['TIME_ESTIMATE', 'Time estimate', 'integer'],
  ['UF_CRM_TASK', 'CRM items', 'array'],
]

function fields() {
  const out = createObject()
  for (const [code, title, type] of FIELD_TITLES) {
    const field: Record<string, unknown> = { title, type }
    if (code === 'ID') field.primary = true
    if (code === 'TITLE') field.required = true
    if (code === 'PRIORITY') Object.assign(field, { values: { 0: 'Low', 1: 'Medium', 2: 'High' }, default: 1 })
    if (code === 'STATUS') Object.assign(field, { values: { 2: 'Pending', 3: 'In progress', 4: 'Supposedly completed', 5: 'Completed', 6: 'Deferred' }, default: 2 })
    if (code === 'MARK') Object.assign(field, { values: { N: 'Negative', P: 'Positive' }, default: null })
    out[code] = field as PlainObject
  }
  return { result: { fields: out } }
}

export const taskMethods: MethodTable = {
  'tasks.task.add': { scope: SCOPE, run: (ctx) => ({ result: { task: camelRow(createTask(ctx, fieldsParam(ctx))) } }) },
  'tasks.task.update': {
    scope: SCOPE,
    run(ctx) {
      const row = existing(ctx, notAllowed)
      updateTask(ctx, row, fieldsParam(ctx))
      return { result: { task: camelRow(row) } }
    },
  },
  'tasks.task.get': { scope: SCOPE, run: (ctx) => ({ result: { task: camelRow(existing(ctx, wrongId), pick(ctx.params, 'select')) } }) },
  'tasks.task.list': { scope: SCOPE, run: list },
  'tasks.task.delete': {
    scope: SCOPE,
    run(ctx) {
      deleteTask(ctx, existing(ctx, () => new RestError('1048582', 'No access to delete the task')))
      return { result: { task: true } }
    },
  },
  'tasks.task.getfields': { scope: SCOPE, run: fields },
  'tasks.task.start': action(3, (r) => r.STATUS !== '5'),
  'tasks.task.pause': action(2, (r) => r.STATUS === '3'),
  'tasks.task.complete': action(5, (r) => r.STATUS !== '5'),
  'tasks.task.defer': action(6, (r) => r.STATUS !== '5'),
  'tasks.task.renew': action(2, (r) => r.STATUS === '5' || r.STATUS === '6'),
  'tasks.task.approve': action(5, (r) => r.STATUS === '4'),
  'tasks.task.disapprove': action(2, (r) => r.STATUS === '4'),
}

