// BX24.shim.listAll / iterateAll: every row of a list method, in few requests (spec §7.4, Bitrix's "huge data"
// recipe), built on BX24's own public callMethod/callBatch (so the limiter, token refresh and retries apply).
//
// The ID strategy, for methods known to filter and sort by a numeric id with start=-1:
//   1. one call: order by ID ascending, filter >ID (0, or the caller's own >ID), start -1 (no count, <= 50 rows);
//   2. while pages come back full: one `batch` of up to 50 such calls, each filtering >ID on the last row of the
//      previous command ($result[k-1][49][ID]), so one request brings up to 2,500 rows;
//   3. stop at the first page of fewer than 50 rows; commands after it in the same batch are discarded.
// 10,000 rows take 1 + 4 requests, where next() paging takes 200 (and, under the real library's limiter, ~55 s).
//
// Paging, for everything else (or when the caller orders by another field): the first page at start=0 gives `total`,
// then the remaining offsets are fetched 50 to a batch; without a total, next() is followed one page at a time.

import type { ajaxResult } from './ajax-result'
import { quietPromise } from './quiet-promise'
import { isRecord } from './safe-object'

export type Row = Record<string, unknown>

export interface ListAllProgress {
  /** Rows delivered so far. */
  rows: number
  /** HTTP requests sent so far by this listing. */
  requests: number
  /** The method's `total` when the paging strategy learned it; undefined under the ID strategy (no count). */
  total?: number
}

export interface ListAllOptions {
  /** 'auto' (default): the ID strategy for methods known to support it and no other order asked for; else paging. */
  strategy?: 'auto' | 'id' | 'paging'
  /** Where the rows are in `result`: '' when result is the list itself, 'tasks' (tasks.task.list), 'items' (crm.item.list). */
  resultKey?: string
  /** The id field of a returned row: 'ID', or 'id' for tasks.task.list and crm.item.list. */
  idKey?: string
  /** The id field in the request's order and filter: 'ID', or 'id' for crm.item.list. */
  cursorKey?: string
  /** List calls per batch request, 1-50 (50). */
  batchSize?: number
  /** Called after every page. */
  onProgress?(progress: ListAllProgress): void
  /** Stops the listing before its next request; the promise rejects (the iterator throws) with the signal's reason. */
  signal?: AbortSignal
}

/** The part of BX24 a listing uses: its public callMethod and callBatch (promise forms). */
export interface ListClient {
  callMethod(method: string, params?: unknown): Promise<ajaxResult> | undefined
  callBatch(calls: unknown, callback?: undefined, halt?: boolean): Promise<ajaxResult[] | Record<string, ajaxResult>> | undefined
}

/** How one family of list methods spells order and filter. */
interface Profile {
  resultKey: string
  idKey: string
  cursorKey: string
  /** The caller's params with the ID order, the `>cursorKey` condition and start=-1. */
  shape(params: Row, cursor: unknown, cursorKey: string): Row
  /** The caller's own order, when it asked for one (the ID strategy then cannot be used). */
  order(params: Row): unknown
}

const PAGE = 50
const MAX_BATCH = 50

/** A key of `params` matching `name` in any case (entity.item.get upper-cases its parameters). */
function keyOf(params: Row, name: string): string {
  return Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name
}

function withCondition(filter: unknown, key: string, cursor: unknown): Row {
  return { ...(isRecord(filter) ? filter : {}), ['>' + key]: cursor }
}

// crm.*.list, crm.item.list, tasks.task.list: `order: {ID: 'ASC'}`, `filter: {'>ID': n}`.
const filterOrder = (resultKey: string, idKey: string, cursorKey: string): Profile => ({
  resultKey, idKey, cursorKey,
  shape: (params, cursor, key) => ({ ...params, order: { [key]: 'ASC' }, filter: withCondition(params.filter, key, cursor), start: -1 }),
  order: (params) => params.order,
})

// user.get: `sort: 'ID', order: 'ASC'`; the filter is FILTER when the caller used it, else the top-level keys.
const userGet: Profile = {
  resultKey: '', idKey: 'ID', cursorKey: 'ID',
  shape(params, cursor, key) {
    const filterKey = keyOf(params, 'FILTER')
    const out: Row = { ...params, sort: key, order: 'ASC', start: -1 }
    if (isRecord(params[filterKey])) out[filterKey] = withCondition(params[filterKey], key, cursor)
    else out['>' + key] = cursor
    return out
  },
  order: (params) => (params.sort === undefined ? undefined : { [String(params.sort)]: params.order ?? 'ASC' }),
}

// entity.item.get: `SORT: {ID: 'ASC'}`, `FILTER: {'>ID': n}`.
const entityItemGet: Profile = {
  resultKey: '', idKey: 'ID', cursorKey: 'ID',
  shape(params, cursor, key) {
    const filterKey = keyOf(params, 'FILTER')
    return { ...params, [keyOf(params, 'SORT')]: { [key]: 'ASC' }, [filterKey]: withCondition(params[filterKey], key, cursor), start: -1 }
  },
  order: (params) => params[keyOf(params, 'SORT')],
}

/** The ID-strategy profile of a method, or null when it is not known to filter by ID with start=-1. */
function profileOf(method: string): Profile | null {
  const name = method.toLowerCase()
  if (name === 'crm.item.list') return filterOrder('items', 'id', 'id')
  if (name === 'tasks.task.list') return filterOrder('tasks', 'id', 'ID')
  if (/^crm\.[a-z0-9_]+(\.[a-z0-9_]+)*\.list$/.test(name)) return filterOrder('', 'ID', 'ID')
  if (name === 'user.get') return userGet
  if (name === 'entity.item.get') return entityItemGet
  return null
}

/** An order the ID strategy can honour: none, or the cursor field ascending. */
function orderIsById(order: unknown, cursorKey: string): boolean {
  if (order === undefined || order === null || order === '') return true
  if (!isRecord(order)) return false
  const keys = Object.keys(order)
  return keys.every((k) => k.toLowerCase() === cursorKey.toLowerCase() && String(order[k]).toUpperCase() === 'ASC')
}

/** The rows of one page and the key they were under ('' for a list result). */
function rowsOf(data: unknown, preferred: string): { rows: Row[]; key: string } {
  if (preferred && isRecord(data) && Array.isArray(data[preferred])) return { rows: data[preferred] as Row[], key: preferred }
  if (Array.isArray(data)) return { rows: data as Row[], key: '' }
  if (isRecord(data)) {
    const lists = Object.keys(data).filter((k) => Array.isArray(data[k]))
    if (lists.length === 1) return { rows: data[lists[0]!] as Row[], key: lists[0]! }
  }
  // PHP encodes an empty list as [] but an empty keyed list as {} or []; no rows either way.
  if (isRecord(data) && Object.keys(data).length === 0) return { rows: [], key: preferred }
  throw new TypeError('BX24.shim.listAll: the method did not answer with a list of rows')
}

function idOf(row: unknown, idKey: string): number {
  return isRecord(row) ? Number.parseInt(String(row[idKey] ?? row[idKey.toUpperCase()] ?? row[idKey.toLowerCase()]), 10) : Number.NaN
}

function notPaging(method: string, cursorKey: string, id: number, after: number): Error {
  return new Error(`BX24.shim.listAll: ${method} did not page by ${cursorKey} (id ${String(id)} after ${after}); use strategy: 'paging'`)
}

function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason
  const error = new Error('The listing was aborted.')
  error.name = 'AbortError'
  return error
}

type Step = () => Promise<void>

/**
 * Pages of rows, in order, fetched as they are asked for. Written as a small state machine of async steps rather
 * than an async generator: the bundles target ES2017, where generators are lowered into several KB of helpers.
 */
export interface Pager {
  /** The next page, or undefined at the end. Rejects with the ajaxResult of a failed page, or the abort reason. */
  next(): Promise<Row[] | undefined>
  /** Stop: nothing more is sent or handed out. */
  stop(): void
}

export function createPager(client: ListClient, method: string, params: unknown = {}, options: ListAllOptions = {}): Pager {
  if (typeof method !== 'string' || method === '') throw new TypeError('BX24.shim.listAll: the method must be a non-empty string')
  if (params !== undefined && params !== null && !isRecord(params)) throw new TypeError('BX24.shim.listAll: params must be an object')
  const base: Row = { ...(params ?? {}) }
  const asked = Number(options.batchSize ?? MAX_BATCH)
  const batchSize = Number.isFinite(asked) ? Math.max(1, Math.min(MAX_BATCH, Math.floor(asked))) : MAX_BATCH
  const ready: Row[][] = []
  let requests = 0
  let delivered = 0
  let total: number | undefined
  let key = ''
  // What fetches the next pages into `ready`; null once the listing has ended.
  let more: Step | null

  const check = (): void => {
    if (options.signal?.aborted) throw abortReason(options.signal)
  }
  const call = async (p: Row): Promise<ajaxResult> => {
    check()
    requests++
    return client.callMethod(method, p)!
  }
  const batch = async (commands: Array<[string, Row]>): Promise<ajaxResult[]> => {
    check()
    requests++
    return (await client.callBatch(commands, undefined, false)) as ajaxResult[]
  }
  /** One page for the caller (queued when it has rows); errors and answers it cannot read stop the listing. */
  function take(result: ajaxResult | undefined): Row[] {
    if (!result) throw new Error('BX24.shim.listAll: a page is missing from the batch answer')
    if (result.error()) throw result
    const { rows } = rowsOf(result.data(), key)
    delivered += rows.length
    options.onProgress?.({ rows: delivered, requests, total })
    if (rows.length > 0) ready.push(rows)
    return rows
  }

  const profile = options.strategy === 'paging' ? null : profileOf(method) ?? (options.strategy === 'id' ? filterOrder('', 'ID', 'ID') : null)
  const cursorKey = options.cursorKey ?? profile?.cursorKey ?? 'ID'

  function byIds(profile: Profile): Step {
    // The caller's own lower bound (>ID) is where the cursor starts; it is the same filter key, so it must merge.
    const filter = isRecord(base.filter) ? base.filter : isRecord(base.FILTER) ? base.FILTER : base
    const own = Number(filter['>' + cursorKey])
    let cursor: number = Number.isFinite(own) ? own : 0
    // The cursor needs the id in every row: add it to an explicit select that lacks it.
    const selectKey = keyOf(base, 'select')
    const select = base[selectKey]
    if (Array.isArray(select) && select.length > 0 && !select.some((s) => s === '*' || String(s).toLowerCase() === cursorKey.toLowerCase())) {
      base[selectKey] = [...select, cursorKey]
    }
    let idKey = options.idKey ?? profile.idKey
    let last: Row[] = []
    // Each command of a batch starts after the last row of the command before it.
    const previousLastId = (): string => `[${key ? key + '][' : ''}${PAGE - 1}][${idKey}]`

    async function nextBatch(): Promise<void> {
      const next = idOf(last[last.length - 1], idKey)
      // A non-numeric id cannot drive a cursor; one that does not grow means the method ignored the filter.
      if (!Number.isFinite(next) || next <= cursor) throw notPaging(method, cursorKey, next, cursor)
      cursor = next
      const commands: Array<[string, Row]> = []
      for (let k = 0; k < batchSize; k++) {
        commands.push([method, profile.shape(base, k === 0 ? cursor : `$result[${k - 1}]${previousLastId()}`, cursorKey)])
      }
      const results = await batch(commands)
      let previous = cursor
      for (let k = 0; k < commands.length; k++) {
        const page = take(results[k])
        const firstId = idOf(page[0], idKey)
        if (page.length > 0 && !(firstId > previous)) throw notPaging(method, cursorKey, firstId, previous)
        last = page
        // The first page shorter than a full one is the end; the commands after it are discarded.
        if (page.length < PAGE) return
        previous = idOf(page[page.length - 1], idKey)
      }
      more = nextBatch
    }

    return async () => {
      const first = await call(profile.shape(base, cursor, cursorKey))
      const found = rowsOf(first.data(), options.resultKey ?? profile.resultKey)
      key = found.key
      const sample = found.rows[0]
      if (!options.idKey && isRecord(sample) && !(idKey in sample) && cursorKey in sample) idKey = cursorKey
      last = take(first)
      if (last.length >= PAGE) more = nextBatch
    }
  }

  function byOffsets(): Step {
    // Paging: offsets from `total` when the method counts, else next() one page at a time.
    let offset = Number(base.start) > 0 ? Math.floor(Number(base.start)) : 0
    let result: ajaxResult

    async function offsets(): Promise<void> {
      const commands: Array<[string, Row]> = []
      for (; commands.length < batchSize && offset < total!; offset += PAGE) commands.push([method, { ...base, start: offset }])
      const results = await batch(commands)
      for (let k = 0; k < commands.length; k++) {
        // Fewer rows than `total` promised (rows were deleted meanwhile): the end has come early.
        if (take(results[k]).length === 0) return
      }
      if (offset < total!) more = offsets
    }

    async function following(): Promise<void> {
      const next = Number(result.answer.next)
      // A `next` that does not move forward would page for ever.
      if (!(next > offset)) throw new Error(`BX24.shim.listAll: ${method} answered next=${String(result.answer.next)} after start=${offset}`)
      offset = next
      result = await call({ ...base, start: next })
      take(result)
      if (result.more()) more = following
    }

    return async () => {
      result = await call({ ...base, start: offset })
      const counted = result.total()
      total = Number.isFinite(counted) ? counted : undefined
      key = rowsOf(result.data(), options.resultKey ?? '').key
      take(result)
      if (!result.more()) return
      if (total === undefined) more = following
      else {
        offset = Number(result.answer.next)
        more = offsets
      }
    }
  }

  more = profile !== null && (options.strategy === 'id' || orderIsById(profile.order(base), cursorKey)) ? byIds(profile) : byOffsets()

  return {
    async next() {
      for (;;) {
        check()
        if (ready.length > 0) return ready.shift()
        const step = more
        if (!step) return undefined
        more = null
        await step()
      }
    },
    stop() {
      more = null
      ready.length = 0
    },
  }
}

/** Every row, one at a time (the async iterator form of listAll). */
export function iterateRows(client: ListClient, method: string, params?: unknown, options?: ListAllOptions): AsyncIterableIterator<Row> {
  const pager = createPager(client, method, params, options)
  let page: Row[] = []
  let index = 0
  const iterator: AsyncIterableIterator<Row> = {
    async next() {
      while (index >= page.length) {
        const next = await pager.next()
        if (!next) return { done: true, value: undefined }
        page = next
        index = 0
      }
      return { done: false, value: page[index++]! }
    },
    // Leaving a for-await loop early: nothing more is fetched.
    async return() {
      pager.stop()
      page = []
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}

/** Every row in one array. Like every promise BX24 returns, nobody has to read it (quiet-promise.ts). */
export function listAll(client: ListClient, method: string, params?: unknown, options?: ListAllOptions): Promise<Row[]> {
  return quietPromise((resolve, reject) => {
    const rows: Row[] = []
    const collect = async (): Promise<Row[]> => {
      const pager = createPager(client, method, params, options)
      for (let page = await pager.next(); page; page = await pager.next()) for (const row of page) rows.push(row)
      return rows
    }
    collect().then(resolve, reject)
  })
}

export interface ListAllShim {
  /**
   * Every row of a list method (crm.*.list, crm.item.list, tasks.task.list, user.get, entity.item.get, or any other
   * by paging), in as few requests as Bitrix allows.
   * @example
   * const deals = await BX24.shim.listAll('crm.deal.list', { filter: { STAGE_ID: 'WON' }, select: ['ID', 'TITLE'] })
   */
  listAll(method: string, params?: unknown, options?: ListAllOptions): Promise<Row[]>
  /**
   * The same rows as an async iterator, fetched as the loop asks for them.
   * @example
   * for await (const task of BX24.shim.iterateAll('tasks.task.list', { filter: { RESPONSIBLE_ID: 1 } })) show(task)
   */
  iterateAll(method: string, params?: unknown, options?: ListAllOptions): AsyncIterableIterator<Row>
}

/** Put listAll and iterateAll into a BX24's own namespace (never onto BX24 itself: apps probe its names). */
export function withListAll<T extends ListClient & { shim: object }>(bx: T): T & { shim: T['shim'] & ListAllShim } {
  const shim = bx.shim as T['shim'] & ListAllShim
  shim.listAll = (method, params, options) => listAll(bx, method, params, options)
  shim.iterateAll = (method, params, options) => iterateRows(bx, method, params, options)
  return bx as T & { shim: T['shim'] & ListAllShim }
}
