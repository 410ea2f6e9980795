// placement.list, placement.bind, placement.get, placement.unbind. Bitrix reads these parameters upper-cased.

import { accessDenied, RestError } from '../errors'
import { createObject, pick, phpString, toPlain, type PlainObject } from '../values'
import type { CallContext, MethodTable } from './types'

export const KNOWN_PLACEMENTS: readonly string[] = [
  'DEFAULT', 'REST_APP_URI', 'LEFT_MENU', 'USER_PROFILE_MENU', 'USER_PROFILE_TOOLBAR', 'IM_NAVIGATION', 'IM_TEXTAREA',
  'IM_SIDEBAR', 'IM_CONTEXT_MENU', 'PAGE_BACKGROUND_WORKER', 'CALL_CARD', 'TASK_VIEW_TAB', 'TASK_VIEW_SIDEBAR',
  ...['DEAL', 'CONTACT', 'LEAD', 'COMPANY'].flatMap((t) => [`CRM_${t}_LIST_MENU`, `CRM_${t}_DETAIL_TAB`, `CRM_${t}_DETAIL_TOOLBAR`, `CRM_${t}_DETAIL_ACTIVITY`]),
]

function upper(params: PlainObject): PlainObject {
  const out = createObject()
  for (const k of Object.keys(params)) out[k.toUpperCase()] = params[k]!
  return out
}

function placementCode(params: PlainObject): string {
  const code = phpString(params.PLACEMENT).trim().toUpperCase()
  if (!KNOWN_PLACEMENTS.includes(code) || code === 'DEFAULT') throw new RestError('ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
  return code
}

function requireAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw accessDenied('Access denied! Application administrator rights required')
}

export const placementMethods: MethodTable = {
  'placement.list': { scope: ['placement'], run: () => ({ result: KNOWN_PLACEMENTS.filter((p) => p !== 'DEFAULT') }) },
  'placement.bind': {
    scope: ['placement'],
    run(ctx) {
      requireAdmin(ctx)
      const p = upper(ctx.params)
      const placement = placementCode(p)
      const handler = phpString(p.HANDLER).trim()
      if (!/^https?:\/\/[^\s/]+/i.test(handler)) throw new RestError('ERROR_PLACEMENT_HANDLER', 'Wrong handler URL')
      if (ctx.state.placements.some((b) => b.placement === placement && b.handler === handler)) {
        throw new RestError('ERROR_PLACEMENT_HANDLER', 'Handler already binded')
      }
      ctx.state.placements.push({
        placement, handler, title: phpString(p.TITLE), description: phpString(p.DESCRIPTION), options: toPlain(p.OPTIONS ?? []),
      })
      return { result: true }
    },
  },
  'placement.get': {
    scope: ['placement'],
    run: (ctx) => ({
      result: ctx.state.placements.map((b) => ({
        placement: b.placement, handler: b.handler, title: b.title, description: b.description, options: b.options,
      })),
    }),
  },
  'placement.unbind': {
    scope: ['placement'],
    run(ctx) {
      requireAdmin(ctx)
      const p = upper(ctx.params)
      const placement = placementCode(p)
      const handler = phpString(pick(p, 'HANDLER')).trim()
      const before = ctx.state.placements.length
      ctx.state.placements = ctx.state.placements.filter((b) => !(b.placement === placement && (handler === '' || b.handler === handler)))
      return { result: { count: before - ctx.state.placements.length } }
    },
  },
}
