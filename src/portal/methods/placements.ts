// placement.list, placement.bind, placement.get, placement.unbind with the checks, codes and texts of Bitrix's rest
// module (Bitrix\Rest\Api\Placement). Parameters are read upper-cased, as the server does.

import { accessDenied, argumentError, argumentNull, coreError, RestError, wrongAuthType } from '../errors'
import { createObject, isObject, phpInt, phpString, toPlain, upperKeys, type Plain } from '../values'
import { checkHandlerUrl } from './handler-url'
import type { CallContext, MethodTable } from './types'

const CRM = ['DEAL', 'LEAD', 'CONTACT', 'COMPANY', 'QUOTE', 'SMART_INVOICE']

export const KNOWN_PLACEMENTS: readonly string[] = [
  'DEFAULT', 'REST_APP_URI', 'LEFT_MENU', 'PAGE_BACKGROUND_WORKER', 'USER_PROFILE_MENU', 'USER_PROFILE_TOOLBAR',
  'IM_NAVIGATION', 'IM_TEXTAREA', 'IM_SIDEBAR', 'IM_CONTEXT_MENU', 'IM_SMILES_SELECTOR', 'CALL_CARD', 'TELEPHONY_ANALYTICS_MENU',
  'TASK_VIEW_TAB', 'TASK_VIEW_SIDEBAR', 'TASK_VIEW_TOP_PANEL', 'TASK_LIST_CONTEXT_MENU', 'TASK_USER_LIST_TOOLBAR',
  'TASK_GROUP_LIST_TOOLBAR', 'SONET_GROUP_DETAIL_TAB', 'SONET_GROUP_TOOLBAR', 'SONET_GROUP_ROBOT_DESIGNER_TOOLBAR',
  'CALENDAR_GRIDVIEW', 'CONTACT_CENTER', 'CRM_ANALYTICS_MENU', 'CRM_ROBOT_DESIGNER_TOOLBAR', 'CRM_FUNNELS_TOOLBAR',
  ...CRM.flatMap((t) => [
    `CRM_${t}_LIST_MENU`, `CRM_${t}_LIST_TOOLBAR`, `CRM_${t}_DETAIL_TAB`, `CRM_${t}_DETAIL_TOOLBAR`, `CRM_${t}_DETAIL_ACTIVITY`,
    `CRM_${t}_ACTIVITY_TIMELINE_MENU`, `CRM_${t}_DOCUMENTGENERATOR_BUTTON`, `CRM_${t}_ROBOT_DESIGNER_TOOLBAR`,
  ]),
]

// Bitrix's placement descriptions: REST_APP_URI and PAGE_BACKGROUND_WORKER take one handler per app; only a few
// placements may be bound for a single user ([inferred] from the placement.bind page: LEFT_MENU and the worker).
const MAX_ONE = new Set(['REST_APP_URI', 'PAGE_BACKGROUND_WORKER'])
const USER_MODE = new Set(['LEFT_MENU', 'PAGE_BACKGROUND_WORKER'])

function appOnly(ctx: CallContext): void {
  if (ctx.authKind !== 'oauth') throw wrongAuthType('Application context required')
}

function checkPermission(ctx: CallContext): void {
  appOnly(ctx)
  if (!ctx.isAdmin) throw accessDenied()
}

function langAll(ctx: CallContext, title: string, description: string, groupName: string): Plain {
  const all = createObject()
  all[ctx.state.lang] = toPlain({ TITLE: title, DESCRIPTION: description, GROUP_NAME: groupName })
  return all
}

export const placementMethods: MethodTable = {
  'placement.list': {
    scope: ['placement'],
    run(ctx) {
      appOnly(ctx)
      return { result: KNOWN_PLACEMENTS.filter((p) => p !== 'DEFAULT') }
    },
  },
  'placement.bind': {
    scope: ['placement'],
    run(ctx) {
      checkPermission(ctx)
      const p = upperKeys(ctx.params)
      const placement = phpString(p.PLACEMENT).toUpperCase()
      const handler = phpString(p.HANDLER)
      if (placement === '') throw argumentNull('PLACEMENT')
      if (placement === 'DEFAULT') throw argumentError('Wrong value', 'PLACEMENT')
      if (handler === '') throw argumentNull('HANDLER')
      checkHandlerUrl(handler)
      if (!KNOWN_PLACEMENTS.includes(placement)) throw new RestError('ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
      const userId = phpInt(p.USER_ID) > 0 ? phpInt(p.USER_ID) : 0
      if (userId !== 0 && !USER_MODE.has(placement)) throw new RestError('ERROR_PLACEMENT_USER_MODE', 'User mode is not available.')
      const bound = ctx.state.placements.filter((b) => b.placement === placement)
      if (MAX_ONE.has(placement) && bound.length >= 1) throw new RestError('ERROR_PLACEMENT_MAX_COUNT', 'Placement max count: 1')
      // PlacementTable keeps one row per app, placement and handler URL.
      if (bound.some((b) => b.handler === handler)) throw coreError('Unable to set placement handler: Handler already binded')
      ctx.state.placements.push({
        placement, handler, userId, title: phpString(p.TITLE).trim(), description: phpString(p.DESCRIPTION).trim(),
        groupName: phpString(p.GROUP_NAME).trim(), options: isObject(p.OPTIONS) ? toPlain(p.OPTIONS) : [],
      })
      return { result: true }
    },
  },
  'placement.get': {
    scope: ['placement'],
    run(ctx) {
      checkPermission(ctx)
      return {
        result: ctx.state.placements.map((b) => ({
          placement: b.placement, userId: b.userId, handler: b.handler, options: b.options, title: b.title,
          description: b.description, langAll: langAll(ctx, b.title, b.description, b.groupName),
        })),
      }
    },
  },
  'placement.unbind': {
    scope: ['placement'],
    run(ctx) {
      checkPermission(ctx)
      const p = upperKeys(ctx.params)
      // is_string() first: a missing PLACEMENT is a type error, only an empty one is "null or empty".
      if (typeof p.PLACEMENT !== 'string') {
        throw argumentError("The value of an argument 'PLACEMENT' must be of type string", 'PLACEMENT')
      }
      const placement = phpString(p.PLACEMENT).toUpperCase()
      if (placement === '') throw argumentNull('PLACEMENT')
      const handler = phpString(p.HANDLER)
      const matches = (b: (typeof ctx.state.placements)[number]) =>
        b.placement === placement && (handler === '' || b.handler === handler) && (p.USER_ID === undefined || b.userId === phpInt(p.USER_ID))
      const removed = ctx.state.placements.filter(matches).length
      ctx.state.placements = ctx.state.placements.filter((b) => !matches(b))
      // Bitrix's unbind counts every removed handler twice (once when found, once when deleted); apps see 2 per handler.
      return { result: { count: removed * 2 } }
    },
  },
}
