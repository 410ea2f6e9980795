// user.current, user.get, user.admin, profile, department.get.

import { argumentError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter } from '../records'
import { createObject, isObject, own, pick, type PlainObject } from '../values'
import { basic, type CallContext, type MethodTable } from './types'

const USER_SCOPE = ['user', 'user_brief', 'user_basic']
// Parameters of user.get that are not field filters.
const USER_GET_RESERVED = new Set(['sort', 'order', 'filter', 'admin_mode', 'start', 'auth', 'find'])

export function currentUser(ctx: CallContext): PlainObject {
  const user = ctx.state.users.find((u) => u.ID === String(ctx.userId))
  // A token always belongs to a seeded user; a missing one means the seed was edited underneath a live session.
  if (!user) throw argumentError('User not found')
  return user
}

function userGet(ctx: CallContext) {
  const filter = createObject()
  const nested = pick(ctx.params, 'FILTER')
  if (isObject(nested)) Object.assign(filter, nested)
  for (const key of Object.keys(ctx.params)) {
    if (!USER_GET_RESERVED.has(key.toLowerCase())) filter[key] = ctx.params[key]!
  }
  let rows = applyFilter(ctx.state.users, parseFilter(filter))
  const sort = pick(ctx.params, 'sort')
  if (typeof sort === 'string' && sort !== '') {
    const dir = String(pick(ctx.params, 'order') ?? 'ASC')
    const order = createObject()
    order[sort] = dir
    rows = applyOrder(rows, order)
  }
  return page(rows, own(ctx.params, 'start'))
}

export const userMethods: MethodTable = {
  'user.current': { scope: USER_SCOPE, run: (ctx) => ({ result: currentUser(ctx) }) },
  'user.get': { scope: USER_SCOPE, run: userGet },
  'user.admin': { scope: basic, run: (ctx) => ({ result: ctx.isAdmin }) },
  profile: {
    scope: basic,
    run(ctx) {
      const u = currentUser(ctx)
      return {
        result: {
          ID: u.ID, ADMIN: ctx.isAdmin, NAME: u.NAME ?? '', LAST_NAME: u.LAST_NAME ?? '', PERSONAL_GENDER: '',
          PERSONAL_PHOTO: u.PERSONAL_PHOTO ?? '', TIME_ZONE: '', TIME_ZONE_OFFSET: 0,
        },
      }
    },
  },
  'department.get': {
    scope: ['department'],
    run(ctx) {
      const filter = createObject()
      for (const key of Object.keys(ctx.params)) {
        if (!['sort', 'order', 'start', 'auth'].includes(key.toLowerCase())) filter[key] = ctx.params[key]!
      }
      const rows = ctx.state.collections.get('department')?.rows ?? []
      const sort = pick(ctx.params, 'sort')
      const order = createObject()
      if (typeof sort === 'string' && sort) order[sort] = String(pick(ctx.params, 'order') ?? 'ASC')
      return page(applyOrder(applyFilter(rows, parseFilter(filter)), order), own(ctx.params, 'start'))
    },
  },
}
