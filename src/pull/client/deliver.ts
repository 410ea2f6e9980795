// The last steps of the inbound pipeline (B.3, broadcastMessage): which way a message goes (routeMessage, pure apart
// from Bitrix's in-place completion of the message), then the BX events, the mobile re-emission and the subscribe()
// callbacks in Bitrix's order, inside one try/catch per message so a throwing handler costs only that message
// (PULL-24..30). System messages (`module_id: 'pull'`) are the client's own business and never come here.

import { textOf } from '../codecs/text-of'
import type { PullMessageBody } from '../codecs/types'
import { ONLINE_EVENT_MAX_AGE, SENDER_CLIENT, SubscriptionType } from './constants'
import { copyJson } from './copy-json'
import type { PullEvents } from './events'
import type { MobileBridge } from './mobile'
import type { Subscriptions } from './subscriptions'
import type { LoggerLike } from './types'
import type { UserStatusCallbacks } from './user-status'

export const Route = { Server: 0, Client: 1, Online: 2, System: 3 } as const
export type RouteValue = (typeof Route)[keyof typeof Route]

/**
 * B.3 steps 1-2, in place as Bitrix does them: `module_id` lower-cased and `extra.server_time_ago` computed. Then the
 * route: a client publish (sender type 1) first, whatever its module, so no other browser can send a system message.
 */
export function routeMessage(message: PullMessageBody, nowMs: number, timeShift: number): RouteValue {
  const moduleId = (message.module_id = message.module_id.toLowerCase())
  const extra = message.extra
  const unix = extra.server_time_unix
  if (unix) {
    const ago = (nowMs - Number(typeof unix === 'number' ? unix : textOf(unix)) * 1000) / 1000 - timeShift
    extra.server_time_ago = Math.max(ago, 0)
  }
  const sender = extra.sender
  if (sender && typeof sender === 'object' && sender.type === SENDER_CLIENT) return Route.Client
  if (moduleId === 'pull') return Route.System
  return moduleId === 'online' ? Route.Online : Route.Server
}

/** Where delivered messages go: each outlet is an object with its own job, none a way back into the client. */
export interface Outlets {
  events: PullEvents
  subscriptions: Subscriptions
  userStatus: UserStatusCallbacks
  mobile: MobileBridge | null
  log: LoggerLike
}

/**
 * Delivers one routed (non-system) message and returns the `revision_web` to check afterwards (0: none).
 * `ownJson`: the message is a codec's freshly parsed JSON that nothing else refers to (not the objects a pluggable
 * source handed over).
 *
 * Bitrix gives every BX handler a copy of the params and the subscribe() callbacks one more copy, made after the BX
 * handlers ran. When nobody has seen the message's own params and extra by then (BX handlers got copies, no
 * BX.Event.EventEmitter listener got the BaseEvent, no debug log or mobile bridge holds them), the callbacks get
 * those objects instead of a copy of them: equal content, shared by the callbacks as the copy would be, and nothing
 * can tell the difference. With no callback for the message no copy is made at all.
 */
export function deliverMessage(message: PullMessageBody, route: RouteValue, out: Outlets, ownJson: boolean, debug: boolean): number {
  const moduleId = message.module_id
  const command = message.command
  const params = message.params
  const extra = message.extra
  if (debug) logMessage(out.log, route, moduleId, command, params, extra)
  const events = out.events
  // `seen`: the message's own params and extra may have reached code that keeps them (see above).
  let seen = !ownJson || debug || out.mobile !== null
  // Callbacks may get `extra` itself; what one of them writes into it must not reach the revision check below.
  const revisionBefore = extra.revision_web
  try {
    if (route === Route.Client) {
      if (events.raise(events.name('onPullClientEvent-', moduleId), [command, params, extra], ownJson)) seen = true
      if (events.raise('onPullClientEvent', [moduleId, command, params, extra], ownJson)) seen = true
      out.mobile?.client({ moduleId, command, params, extra })
      out.subscriptions.emitModule(SubscriptionType.Client, moduleId, command, params, extra, seen)
    } else if (route === Route.Online) {
      // Bitrix compares `undefined < 240` when server_time_unix is missing, which is false: such online events are
      // dropped. b24jssdk delivers them; we keep the original's behaviour (the PHP producer always sets the field).
      const ago = extra.server_time_ago
      if (typeof ago === 'number' && ago < ONLINE_EVENT_MAX_AGE) {
        events.raise('onPullOnlineEvent', [command, params, extra], ownJson)
        out.mobile?.online({ moduleId, command, params, extra })
        // The user status below is read from params after the callbacks: they get copies, as in Bitrix.
        seen = true
        out.subscriptions.emitFlat(SubscriptionType.Online, () => ({ command, params: copyJson(params), extra: copyJson(extra) }))
      }
      if (command === 'userStatusChange') out.userStatus.emit(params.user_id, params.online)
    } else {
      if (events.raise(events.name('onPullEvent-', moduleId), [command, params, extra], ownJson)) seen = true
      if (events.raise('onPullEvent', [moduleId, command, params, extra], ownJson)) seen = true
      out.mobile?.server({ moduleId, command, params, extra })
      out.subscriptions.emitModule(SubscriptionType.Server, moduleId, command, params, extra, seen)
    }
  } catch (error) {
    // Never the params: they may carry tokens or personal data.
    out.log.error(`PULL ERROR: broadcastMessages execute error (${moduleId}/${textOf(command) ?? '?'})`, error)
  }
  return revisionOf(seen ? extra.revision_web : revisionBefore)
}

/** Bitrix's `Text.toInteger(extra.revision_web)` when it is set; 0 for none. */
export function revisionOf(value: unknown): number {
  return value ? Number.parseInt(textOf(value) ?? '', 10) || 0 : 0
}

function logMessage(logger: LoggerLike, route: RouteValue, moduleId: string, command: unknown, params: unknown, extra: unknown): void {
  if (route === Route.Client) logger.info('onPullClientEvent-' + moduleId, command, params, extra)
  else if (route === Route.Online) logger.info('onPullOnlineEvent', command, params, extra)
  else logger.info('onPullEvent', moduleId, command, params, extra)
}
