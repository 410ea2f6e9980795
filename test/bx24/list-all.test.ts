// BX24.shim.listAll / iterateAll (issue 11, point 5), against the dev portal's engine through the mock transport:
// BX24-66 the ID strategy (order by ID, filter >ID, start -1, up to 50 list calls per batch): 10,000 rows in at most
//         5 requests, where next() paging takes 200;
// BX24-67 the result shapes of crm.*.list, crm.item.list, tasks.task.list, user.get, entity.item.get, and paging
//         for methods (or orders) the ID strategy cannot serve;
// BX24-68 progress and cancellation;
// plus hostile answers and a property test over sizes, gaps and batch sizes.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import { createBX24 } from '../../src/bx24/full'
import { mockTransport } from '../../src/bx24/transports/mock'
import { portalSession } from '../../src/portal/index'
import type { MethodDef } from '../../src/portal/methods/types'
import type { PlainObject } from '../../src/portal/values'
import { keyedListMethod, portalWith, requestsOf, taskRows, type BigSeed } from './list-fixtures'

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
})

async function appOn(seed: BigSeed, extra: Record<string, MethodDef> = {}) {
  const portal = portalWith(seed, extra)
  const bx = createBX24({ transport: mockTransport(portalSession(portal)), limiter: false })
  cleanup.push(() => bx.shim.destroy())
  await new Promise<void>((resolve) => bx.init(() => resolve()))
  const before = requestsOf(portal)
  return { portal, bx, requests: () => requestsOf(portal) - before }
}

const idsOf = (rows: Array<Record<string, unknown>>, key = 'ID') => rows.map((r) => Number(r[key]))
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Naive paging as apps write it: callMethod, then next() until more() is false. */
function pageWithNext(bx: ReturnType<typeof createBX24>, method: string, params: Record<string, unknown>): Promise<unknown[]> {
  return new Promise((resolve) => {
    const rows: unknown[] = []
    bx.callMethod(method, params, function onPage(result: ajaxResult) {
      rows.push(...(result.data() as unknown[]))
      if (result.more()) result.next()
      else resolve(rows)
    })
  })
}

describe('BX24-66 the ID strategy', () => {
  it('10,000 deals in at most 5 requests (next() paging: 200), every row once, in ID order', async () => {
    const { bx, portal, requests } = await appOn({ deals: 10_000 })
    const rows = await bx.shim.listAll('crm.deal.list', { select: ['ID', 'TITLE'] })
    expect(requests()).toBeLessThanOrEqual(5)
    expect(idsOf(rows)).toEqual(range(1, 10_000))
    // Every list call asked for what the recipe says: ID order, >ID, start=-1 (no count).
    const listCalls = portal.calls.filter((c) => c.method === 'crm.deal.list')
    expect(listCalls.length).toBeGreaterThanOrEqual(200)
    for (const call of listCalls) {
      expect(call.params.order).toEqual({ ID: 'ASC' })
      expect(call.params.start).toBe('-1')
      expect(Object.keys(call.params.filter as PlainObject)).toEqual(['>ID'])
    }
    expect(portal.calls.filter((c) => c.method === 'batch').length).toBe(requests() - 1)

    const before = requests()
    expect((await pageWithNext(bx, 'crm.deal.list', { select: ['ID'] })).length).toBe(10_000)
    expect(requests() - before).toBe(200)
  }, 30_000) // the in-memory portal sorts 10,000 rows for each of 400 list calls: seconds on a loaded machine

  it.each([
    [0, 1], [1, 1], [49, 1], [50, 2], [51, 2], [2549, 2], [2550, 3], [5049, 3], [5050, 4],
  ])('%i rows take %i request(s) (a full last page costs one more to see the end)', async (count, expected) => {
    const { bx, requests } = await appOn({ deals: count })
    expect(idsOf(await bx.shim.listAll('crm.deal.list'))).toEqual(range(1, count))
    expect(requests()).toBe(expected)
  })

  it('keeps the caller\'s filter and lower bound, and adds ID to a select that lacks it', async () => {
    const { bx, portal } = await appOn({ deals: 400 })
    const rows = await bx.shim.listAll('crm.deal.list', { filter: { STAGE_ID: 'WON', '>ID': 100 }, select: ['TITLE'] })
    const expected = portal.records('crm.deal').filter((d) => d.STAGE_ID === 'WON' && Number(d.ID) > 100).map((d) => Number(d.ID))
    expect(idsOf(rows)).toEqual(expected)
    expect(Object.keys(rows[0]!).sort()).toEqual(['ID', 'TITLE'])
  })

  it('a batchSize that is not a number 1-50 is brought into range', async () => {
    const { bx, requests } = await appOn({ deals: 3000 })
    for (const batchSize of [Number.NaN, 0, -3, 500, 'x' as never]) {
      const before = requests()
      expect((await bx.shim.listAll('crm.deal.list', {}, { batchSize })).length).toBe(3000)
      expect(requests() - before).toBeLessThanOrEqual(batchSize === 0 || batchSize === -3 ? 61 : 3)
    }
  })

  it('a smaller batchSize means more, smaller batches', async () => {
    const { bx, portal, requests } = await appOn({ deals: 1000 })
    expect(idsOf(await bx.shim.listAll('crm.deal.list', {}, { batchSize: 5 }))).toEqual(range(1, 1000))
    expect(requests()).toBe(1 + Math.ceil((1000 - 50 + 1) / 250))
    expect(Math.max(...portal.calls.filter((c) => c.method === 'batch').map((c) => Object.keys(c.params.cmd as object).length))).toBe(5)
  })

  it('property: any size, any gaps in the ids, any batch size: every row exactly once, in order, in the fewest requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 7 }), async (count, batchSize, gap) => {
        const skip = (id: number) => id % gap === 0 && gap > 1
        const { bx, portal, requests } = await appOn({ deals: count, skip })
        const rows = await bx.shim.listAll('crm.deal.list', {}, { batchSize })
        expect(idsOf(rows)).toEqual(portal.records('crm.deal').map((d) => Number(d.ID)))
        // One first page, then batches of `batchSize` pages; a full last page costs one request more to see the end.
        expect(requests()).toBe(count < 50 ? 1 : 1 + Math.ceil((count - 50 + 1) / (50 * batchSize)))
        bx.shim.destroy()
      }),
      { numRuns: 25 },
    )
  }, 30_000)
})

describe('BX24-67 method shapes and the paging fallback', () => {
  it('tasks.task.list: rows under result.tasks with a camelCase id, filtered and ordered by ID', async () => {
    const seen: PlainObject[] = []
    const tasks = taskRows(260, (id) => id % 5 === 0)
    const { bx, requests } = await appOn({}, { 'tasks.task.list': keyedListMethod(tasks, 'tasks', 'ID', seen) })
    const rows = await bx.shim.listAll('tasks.task.list', { filter: { '<ID': 1000 }, select: ['ID', 'TITLE'] })
    expect(rows.map((r) => r.id)).toEqual(tasks.map((t) => t.id))
    expect(requests()).toBe(2)
    expect(seen[0]).toMatchObject({ order: { ID: 'ASC' }, filter: { '<ID': '1000', '>ID': '0' }, start: '-1' })
    // Inside the batch each command starts after the last task of the one before it.
    expect(seen[2]!.filter).toMatchObject({ '>ID': tasks[99]!.id })
  })

  it('crm.item.list: rows under result.items, filtered by >id', async () => {
    const seen: PlainObject[] = []
    const items = taskRows(120)
    const { bx } = await appOn({}, { 'crm.item.list': keyedListMethod(items, 'items', 'id', seen) })
    const rows = await bx.shim.listAll('crm.item.list', { entityTypeId: 2 })
    expect(rows.map((r) => r.id)).toEqual(items.map((t) => t.id))
    expect(seen[0]).toMatchObject({ entityTypeId: '2', order: { id: 'ASC' }, filter: { '>id': '0' } })
  })

  it('user.get: sort/order strings, the filter in FILTER when the caller used it, else at the top level', async () => {
    const { bx, portal, requests } = await appOn({ users: 180 })
    const active = await bx.shim.listAll('user.get', { FILTER: { ACTIVE: true } })
    expect(idsOf(active)).toEqual(range(1, 180).filter((id) => id % 4 !== 0))
    const all = await bx.shim.listAll('user.get')
    expect(idsOf(all)).toEqual(range(1, 180))
    expect(requests()).toBe(4)
    const userCalls = portal.calls.filter((c) => c.method === 'user.get')
    expect(userCalls[0]!.params).toMatchObject({ sort: 'ID', order: 'ASC', start: '-1', FILTER: { ACTIVE: 'true', '>ID': '0' } })
    expect(userCalls.at(-1)!.params).toMatchObject({ sort: 'ID', order: 'ASC' })
    expect(Object.keys(userCalls.at(-1)!.params)).toContain('>ID')
  })

  it('entity.item.get: SORT and FILTER, in whatever case the caller wrote ENTITY', async () => {
    const { bx, requests } = await appOn({ entityItems: 130 })
    const rows = await bx.shim.listAll('entity.item.get', { ENTITY: 'books' })
    expect(idsOf(rows)).toEqual(range(1, 130))
    expect(requests()).toBe(2)
  })

  it('an order by another field falls back to paging: offsets from total, 50 pages to a batch, the caller\'s order kept', async () => {
    const { bx, portal, requests } = await appOn({ deals: 3000 })
    const rows = await bx.shim.listAll('crm.deal.list', { order: { TITLE: 'ASC' }, select: ['ID', 'TITLE'] })
    const expected = [...portal.records('crm.deal')].sort((a, b) => String(a.TITLE).localeCompare(String(b.TITLE))).map((d) => d.TITLE)
    expect(rows.map((r) => r.TITLE)).toEqual(expected)
    expect(requests()).toBe(1 + Math.ceil(59 / 50)) // 60 pages: the first alone, then 59 offsets in 2 batches
  })

  it('an unknown list method is paged; without a total it follows next() one page at a time', async () => {
    const rows = taskRows(120)
    const counted: MethodDef = { scope: [], run: (ctx) => keyedListMethod(rows, 'groups', 'id').run(ctx) }
    const uncounted: MethodDef = {
      scope: [],
      run(ctx) {
        const out = counted.run(ctx)
        delete (out as { total?: unknown }).total
        return out
      },
    }
    const { bx, requests } = await appOn({}, { 'sonet.group.list': counted, 'other.thing.list': uncounted })
    expect((await bx.shim.listAll('sonet.group.list')).map((r) => r.id)).toEqual(rows.map((r) => r.id))
    expect(requests()).toBe(2)
    expect((await bx.shim.listAll('other.thing.list')).map((r) => r.id)).toEqual(rows.map((r) => r.id))
    expect(requests()).toBe(2 + 3)
  })

  it('strategy: "paging" forces paging for a method the ID strategy knows', async () => {
    const { bx, portal } = await appOn({ deals: 120 })
    expect(idsOf(await bx.shim.listAll('crm.deal.list', {}, { strategy: 'paging' }))).toEqual(range(1, 120))
    expect(portal.calls.filter((c) => c.method === 'crm.deal.list').map((c) => c.params.start)).toEqual(['0', '50', '100'])
  })

  it('iterateAll yields the same rows one at a time; leaving the loop early sends nothing more', async () => {
    const { bx, requests } = await appOn({ deals: 6000 })
    const seen: number[] = []
    for await (const row of bx.shim.iterateAll('crm.deal.list')) {
      seen.push(Number(row.ID))
      if (seen.length === 60) break
    }
    expect(seen).toEqual(range(1, 60))
    expect(requests()).toBe(2)
  })
})

describe('BX24-68 progress and cancellation', () => {
  it('onProgress reports rows and requests after every page; total only when paging counted', async () => {
    const { bx } = await appOn({ deals: 2600 })
    const progress = vi.fn()
    await bx.shim.listAll('crm.deal.list', {}, { onProgress: progress })
    const calls = progress.mock.calls.map((c) => c[0])
    expect(calls[0]).toEqual({ rows: 50, requests: 1, total: undefined })
    expect(calls.at(-1)).toEqual({ rows: 2600, requests: 3, total: undefined })
    expect(calls.map((c) => c.rows)).toEqual([...calls.map((c) => c.rows)].sort((a, b) => a - b))
    const paged = vi.fn()
    await bx.shim.listAll('crm.deal.list', { order: { TITLE: 'DESC' } }, { onProgress: paged })
    expect(paged.mock.calls.at(-1)![0]).toEqual({ rows: 2600, requests: 3, total: 2600 })
  })

  it('an AbortSignal stops the listing before its next request; the promise rejects with the reason', async () => {
    const { bx, requests } = await appOn({ deals: 10_000 })
    const controller = new AbortController()
    const reason = new Error('user left the page')
    const listing = bx.shim.listAll('crm.deal.list', {}, {
      signal: controller.signal,
      onProgress: ({ requests: sent }) => sent === 2 && controller.abort(reason),
    })
    await expect(listing).rejects.toBe(reason)
    expect(requests()).toBe(2)
  })

  it('an already aborted signal sends nothing; without a reason the error is an AbortError', async () => {
    const { bx, requests } = await appOn({ deals: 10 })
    const controller = new AbortController()
    controller.abort()
    await expect(bx.shim.listAll('crm.deal.list', {}, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(requests()).toBe(0)
  })
})

describe('BX24-67 listAll with errors and hostile answers', () => {
  it('a REST error rejects with the ajaxResult of the failing page', async () => {
    const { bx } = await appOn({})
    const error = await bx.shim.listAll('no.such.list').catch((e: ajaxResult) => e)
    expect((error as ajaxResult).error()!.getError().error).toBe('ERROR_METHOD_NOT_FOUND')
  })

  it('a method that ignores the >ID filter ends in an error, not an endless loop', async () => {
    const rows = taskRows(200).map((r) => Object.assign(r, { ID: r.id }))
    const ignoresFilter: MethodDef = { scope: [], run: () => ({ result: rows.slice(0, 50), total: 0 }) }
    const { bx, requests } = await appOn({}, { 'crm.stubborn.list': ignoresFilter })
    await expect(bx.shim.listAll('crm.stubborn.list')).rejects.toThrow(/did not page by ID/)
    expect(requests()).toBe(2)
  })

  it('answers that are not lists of rows, or rows without numeric ids, are clear errors', async () => {
    const notAList: MethodDef = { scope: [], run: () => ({ result: 'nope' }) }
    const noIds: MethodDef = { scope: [], run: () => ({ result: Array.from({ length: 50 }, () => ({ ID: 'x' })) }) }
    const { bx } = await appOn({}, { 'crm.odd.list': notAList, 'crm.noids.list': noIds })
    await expect(bx.shim.listAll('crm.odd.list')).rejects.toThrow(/did not answer with a list of rows/)
    await expect(bx.shim.listAll('crm.noids.list')).rejects.toThrow(/did not page by ID/)
    await expect(bx.shim.listAll('')).rejects.toThrow(TypeError)
    await expect(bx.shim.listAll('crm.deal.list', 'start=5')).rejects.toThrow(TypeError)
  })

  it('listAll is in BX24.shim only: BX24 gets no new enumerable name', async () => {
    const { bx } = await appOn({})
    expect(Object.keys(bx)).not.toContain('listAll')
    expect(Object.keys(bx)).not.toContain('shim')
    expect(typeof bx.shim.listAll).toBe('function')
    expect(typeof bx.shim.iterateAll).toBe('function')
  })
})

describe('BX24-67 listAll against arbitrary answers', () => {
  it('property: whatever a list method answers, listAll settles (rows or an error) in a bounded number of requests', async () => {
    const answer = fc.record({
      result: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.record({ ID: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.string({ maxLength: 4 })) }), { maxLength: 60 })),
      total: fc.option(fc.integer({ min: -10, max: 5000 }), { nil: undefined }),
      next: fc.option(fc.integer({ min: -10, max: 200 }), { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 8 }), fc.constantFrom('crm.fuzz.list', 'fuzz.thing.get'), async (answers, method) => {
        let i = 0
        const fuzz: MethodDef = {
          scope: [],
          run: () => {
            const a = answers[Math.min(i++, answers.length - 1)]!
            return { result: a.result as PlainObject, ...(a.total === undefined ? {} : { total: a.total }), ...(a.next === undefined ? {} : { next: a.next }) }
          },
        }
        const { bx, requests } = await appOn({}, { [method]: fuzz })
        const outcome = await bx.shim.listAll(method).then((rows) => rows, (error: unknown) => error)
        expect(Array.isArray(outcome) || outcome instanceof Error || typeof (outcome as ajaxResult).error === 'function').toBe(true)
        expect(requests()).toBeLessThanOrEqual(120)
        bx.shim.destroy()
      }),
      { numRuns: 150 },
    )
  }, 30_000)
})
