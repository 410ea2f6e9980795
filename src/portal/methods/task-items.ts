// The legacy task API (task.item.*, task.items.getlist): positional parameters, upper-case column names in and out,
// NAV_PARAMS paging, and the TASKS_ERROR_EXCEPTION texts of the old CTaskRestService.

import { coreError } from '../errors'
import { applyFilter, applyOrder, applySelect, page, parseFilter } from '../records'
import { arrayArg, positionalArgs } from '../positional'
import { createObject, isObject, phpInt, upperKeys, type Plain, type PlainObject } from '../values'
import { createTask, deleteTask, findTask, setStatus, taskTable, updateTask } from './task-store'
import type { CallContext, MethodDef, MethodTable } from './types'

const SCOPE = ['task']
const TASK_ID = ['TASKID']
/** nPageSize is capped: "to limit the load on pagination, a limit of 50 tasks is imposed". */
const MAX_PAGE = 50

// The legacy handlers' exception for a task that does not exist or that the user may not touch.
const actionFailed = () => coreError('TASKS_ERROR_EXCEPTION_#8; Action failed; 8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>')

function legacyRow(row: PlainObject): PlainObject {
  // REAL_STATUS is the stored status; STATUS adds the meta-statuses (-1 overdue, -2 unread) the portal never has.
  return Object.assign(createObject(), row, { REAL_STATUS: row.STATUS ?? '2' })
}

function task(ctx: CallContext, id: Plain | undefined): PlainObject {
  const row = findTask(ctx, phpInt(id))
  if (!row) throw actionFailed()
  return row
}

interface ListArgs {
  order: Plain | undefined
  filter: Plain | undefined
  select: Plain | undefined
  nav: Plain | undefined
}

function list(ctx: CallContext, args: ListArgs) {
  const order = arrayArg(args.order)
  const hasOrder = order !== null && Object.keys(order).length > 0
  // "Sorting must be specified for filtering. Filtering without sorting returns all tasks."
  const filter = hasOrder ? arrayArg(args.filter) : null
  const conditions = parseFilter(filter && !Array.isArray(filter) ? renameStatus(upperKeys(filter)) : filter ?? undefined)
  const rows = applyFilter(taskTable(ctx).rows.map(legacyRow), conditions)
  const sorted = applyOrder(rows, hasOrder ? upperKeys(order as PlainObject) : ({ ID: 'DESC' } as unknown as PlainObject))
  const nav = isObject(args.nav) ? upperKeys(args.nav) : null
  const navParams = nav && isObject(nav.NAV_PARAMS) ? nav.NAV_PARAMS : nav
  const size = Math.min(MAX_PAGE, Math.max(1, phpInt(navParams?.nPageSize) || MAX_PAGE))
  // Without iNumPage the REST `start` (what BX24's next() sends) picks the page.
  const number = navParams?.iNumPage !== undefined ? Math.max(1, phpInt(navParams.iNumPage)) : Math.floor(Math.max(0, phpInt(ctx.params.start)) / size) + 1
  const offset = (number - 1) * size
  const slice = sorted.slice(offset, offset + size)
  const out = { result: applySelect(slice, arrayArg(args.select) ?? undefined), total: sorted.length } as ReturnType<typeof page>
  if (offset + slice.length < sorted.length) out.next = offset + slice.length
  return out
}

/** REAL_STATUS filters the stored status. */
function renameStatus(filter: PlainObject): PlainObject {
  const out = createObject()
  for (const k of Object.keys(filter)) out[k.replace(/REAL_STATUS$/, 'STATUS')] = filter[k]!
  return out
}

function statusAction(status: number): MethodDef {
  return {
    scope: SCOPE,
    run(ctx) {
      setStatus(ctx, task(ctx, positionalArgs(ctx.params, TASK_ID)[0]), status)
      return { result: true }
    },
  }
}

export const taskItemMethods: MethodTable = {
  'task.item.list': {
    scope: SCOPE,
    run(ctx) {
      const [order, filter, nav, select] = positionalArgs(ctx.params, ['ORDER', 'FILTER', 'PARAMS', 'SELECT'])
      return list(ctx, { order, filter, nav, select })
    },
  },
  'task.items.getlist': {
    scope: SCOPE,
    run(ctx) {
      const [order, filter, select, nav] = positionalArgs(ctx.params, ['ORDER', 'FILTER', 'TASKDATA', 'NAV_PARAMS'])
      return list(ctx, { order, filter, select, nav: isObject(nav) ? { NAV_PARAMS: nav } : nav })
    },
  },
  'task.item.getdata': { scope: SCOPE, run: (ctx) => ({ result: legacyRow(task(ctx, positionalArgs(ctx.params, TASK_ID)[0])) }) },
  'task.item.add': {
    scope: SCOPE,
    run(ctx) {
      const data = arrayArg(positionalArgs(ctx.params, ['TASKDATA'])[0])
      return { result: Number(createTask(ctx, isObject(data) ? data : createObject()).ID) }
    },
  },
  'task.item.update': {
    scope: SCOPE,
    run(ctx) {
      const [id, data] = positionalArgs(ctx.params, ['TASKID', 'TASKDATA'])
      // [inferred] the reference shows no answer; the old handler returns true for a done update.
      updateTask(ctx, task(ctx, id), isObject(data) ? data : createObject())
      return { result: true }
    },
  },
  'task.item.delete': {
    scope: SCOPE,
    run(ctx) {
      deleteTask(ctx, task(ctx, positionalArgs(ctx.params, TASK_ID)[0]))
      return { result: true }
    },
  },
  'task.item.startexecution': statusAction(3),
  'task.item.pauseexecution': statusAction(2),
  'task.item.complete': statusAction(5),
  'task.item.defer': statusAction(6),
  'task.item.renew': statusAction(2),
}
