// Portals for the listAll tests: the dev portal's engine seeded with many rows, plus list methods in the shapes the
// dev portal does not implement itself, added through its extraMethods seam (tasks.task.list answers
// {tasks: [...]} with camelCase `id`; crm.item.list answers {items: [...]} and filters by `id`).
import { createMockPortal, defaultSeed, type MockPortalOptions, type PortalSeed } from '../../src/portal/index'
import type { MethodDef } from '../../src/portal/methods/types'
import { applyFilter, applyOrder, page, parseFilter } from '../../src/portal/records'
import { createObject, pick, type PlainObject } from '../../src/portal/values'

export interface BigSeed {
  deals?: number
  users?: number
  entityItems?: number
  /** Ids that do not exist (deleted rows): the cursor must step over gaps. */
  skip?: (id: number) => boolean
}

function ids(count: number, skip: (id: number) => boolean = () => false): number[] {
  const out: number[] = []
  for (let id = 1; out.length < count; id++) if (!skip(id)) out.push(id)
  return out
}

export function bigSeed(options: BigSeed): PortalSeed {
  const seed = defaultSeed()
  if (options.deals !== undefined) {
    seed.crm!.deal = ids(options.deals, options.skip).map((id) => ({
      ID: id, TITLE: `Deal ${String((id * 7919) % 10007).padStart(5, '0')}`, STAGE_ID: id % 3 ? 'NEW' : 'WON', OPPORTUNITY: id * 10,
    }))
  }
  if (options.users !== undefined) {
    seed.users = ids(options.users, options.skip).map((id) => ({ ID: id, NAME: `User ${id}`, ADMIN: id === 1, ACTIVE: id % 4 !== 0 }))
  }
  if (options.entityItems !== undefined) {
    seed.entities = [{ ENTITY: 'books', NAME: 'Books', items: ids(options.entityItems, options.skip).map((id) => ({ ID: id, NAME: `Book ${id}` })) }]
  }
  return seed
}

/**
 * A list method over rows keyed by a lower-case `id`, answering `{result: {<key>: rows}}` like tasks.task.list and
 * crm.item.list: ordered by `order`, filtered by `filter` (the id condition spelled `cursorKey`), paged by `start`.
 */
export function keyedListMethod(rows: PlainObject[], resultKey: string, cursorKey: string, seen: PlainObject[] = []): MethodDef {
  return {
    scope: [],
    run(ctx) {
      seen.push(ctx.params)
      // The method filters and orders by `cursorKey` but returns `id`: map the field name onto the stored rows.
      const rename = (source: unknown): PlainObject | undefined => {
        if (typeof source !== 'object' || source === null) return undefined
        const out = createObject()
        for (const [k, v] of Object.entries(source as PlainObject)) out[k.replace(new RegExp(`${cursorKey}$`), 'id')] = v
        return out
      }
      const filtered = applyFilter(rows, parseFilter(rename(pick(ctx.params, 'filter'))))
      const listed = page(applyOrder(filtered, rename(pick(ctx.params, 'order')), 'id'), pick(ctx.params, 'start'))
      return { ...listed, result: { [resultKey]: listed.result } as PlainObject }
    },
  }
}

export function taskRows(count: number, skip?: (id: number) => boolean): PlainObject[] {
  return ids(count, skip).map((id) => Object.assign(createObject(), { id: String(id), title: `Task ${id}`, responsibleId: String((id % 3) + 1) }))
}

export function portalWith(seed: BigSeed, extra: MockPortalOptions['extraMethods'] = {}) {
  return createMockPortal({ seed: bigSeed(seed), extraMethods: extra })
}

/** HTTP requests the portal answered (batch commands are not requests of their own). */
export function requestsOf(portal: ReturnType<typeof createMockPortal>): number {
  return portal.calls.filter((c) => !c.inBatch).length
}
