// events, event.bind, event.unbind, event.get (spec §6.2).

import { accessDenied, RestError } from '../errors'
import type { EventBinding } from '../state'
import { phpInt, phpString, pick } from '../values'
import { basic, type CallContext, type MethodTable } from './types'

/** The events the dev portal knows. Bitrix answers ERROR_EVENT_NOT_FOUND for anything it has no handler type for. */
export const KNOWN_EVENTS: readonly string[] = [
  'ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONAPPPAYMENT', 'ONAPPTEST', 'ONAPPMETHODCONFIRM', 'ONOFFLINEEVENT',
  'ONUSERADD', 'ONPLACEMENTBIND', 'ONPLACEMENTUNBIND',
  ...['DEAL', 'CONTACT', 'LEAD', 'COMPANY'].flatMap((t) => ['ADD', 'UPDATE', 'DELETE'].map((a) => `ONCRM${t}${a}`)),
]

function eventName(ctx: CallContext): string {
  const name = phpString(pick(ctx.params, 'event')).trim().toUpperCase()
  if (!KNOWN_EVENTS.includes(name)) throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found')
  return name
}

function isOffline(ctx: CallContext): boolean {
  return phpString(pick(ctx.params, 'event_type')).toLowerCase() === 'offline'
}

export const eventMethods: MethodTable = {
  events: { scope: basic, run: () => ({ result: [...KNOWN_EVENTS] }) },
  'event.bind': {
    scope: basic,
    run(ctx) {
      // Event handlers belong to an application; an inbound webhook has none.
      if (ctx.authKind === 'webhook') throw new RestError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method')
      const event = eventName(ctx)
      const offline = isOffline(ctx)
      const handler = offline ? '' : phpString(pick(ctx.params, 'handler')).trim()
      if (!offline && handler === '') throw new RestError('ERROR_HANDLER_URL_MISMATCH', 'Handler URL is required')
      if (!offline && !/^https?:\/\/[^\s/]+/i.test(handler)) throw new RestError('ERROR_HANDLER_URL_MISMATCH', 'Wrong handler URL')
      const authType = phpInt(pick(ctx.params, 'auth_type'))
      if (!ctx.isAdmin && (offline || (authType !== 0 && authType !== ctx.userId))) throw accessDenied()
      const exists = ctx.state.events.some((b) => b.event === event && b.handler === handler && b.authType === authType && b.offline === offline)
      if (exists) throw new RestError('ERROR_CORE', 'Handler already binded')
      ctx.state.events.push({ event, handler, authType, offline })
      return { result: true }
    },
  },
  'event.unbind': {
    scope: basic,
    run(ctx) {
      if (ctx.authKind === 'webhook') throw new RestError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method')
      const event = eventName(ctx)
      const offline = isOffline(ctx)
      const handler = phpString(pick(ctx.params, 'handler')).trim()
      const rawAuth = pick(ctx.params, 'auth_type')
      const authType = phpInt(rawAuth)
      const matches = (b: EventBinding) =>
        b.event === event && b.offline === offline && (offline || handler === '' || b.handler === handler) &&
        // auth_type 0/empty targets the handlers bound without a user; it is a filter only when sent.
        (rawAuth === undefined || b.authType === authType)
      if (!ctx.isAdmin && (offline || (rawAuth !== undefined && authType !== 0 && authType !== ctx.userId))) throw accessDenied()
      const before = ctx.state.events.length
      ctx.state.events = ctx.state.events.filter((b) => !matches(b))
      return { result: { count: before - ctx.state.events.length } }
    },
  },
  'event.get': {
    scope: basic,
    run: (ctx) => ({
      result: ctx.state.events.map((b) => ({ event: b.event, handler: b.handler, auth_type: String(b.authType), offline: b.offline ? 1 : 0 })),
    }),
  },
}
