// app.option.* and user.option.* (spec §10): both take {options: {k: v}} or flat k=v; app.option.set is admin only.

import { accessDenied } from '../errors'
import { PhpArray } from '../php-array'
import { createObject, isObject, own, pick, type PlainObject } from '../values'
import { basic, type CallContext, type MethodTable } from './types'

const NOT_OPTIONS = new Set(['auth', 'options', 'start'])

function optionsToSet(ctx: CallContext): PlainObject {
  const nested = pick(ctx.params, 'options')
  if (isObject(nested)) return nested
  const flat = createObject()
  for (const k of Object.keys(ctx.params)) if (!NOT_OPTIONS.has(k.toLowerCase())) flat[k] = ctx.params[k]!
  return flat
}

function read(store: PlainObject, ctx: CallContext) {
  const name = pick(ctx.params, 'option')
  if (typeof name === 'string' && name !== '') return { result: own(store, name) ?? null }
  // A PHP array: an empty store is `[]` on the wire, not `{}`.
  const all = new PhpArray()
  for (const k of Object.keys(store)) all.set(k, store[k]!)
  return { result: all }
}

export function userOptionsOf(ctx: { state: CallContext['state'] }, userId: number): PlainObject {
  let store = ctx.state.userOptions.get(userId)
  if (!store) {
    store = createObject()
    ctx.state.userOptions.set(userId, store)
  }
  return store
}

export const optionMethods: MethodTable = {
  'app.option.get': { scope: basic, run: (ctx) => read(ctx.state.appOptions, ctx) },
  'app.option.set': {
    scope: basic,
    run(ctx) {
      if (!ctx.isAdmin) throw accessDenied('Application administrator rights required')
      Object.assign(ctx.state.appOptions, optionsToSet(ctx))
      return { result: true }
    },
  },
  'user.option.get': { scope: basic, run: (ctx) => read(userOptionsOf(ctx, ctx.userId), ctx) },
  'user.option.set': {
    scope: basic,
    run(ctx) {
      Object.assign(userOptionsOf(ctx, ctx.userId), optionsToSet(ctx))
      return { result: true }
    },
  },
}
