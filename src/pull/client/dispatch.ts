// broadcastMessage (B.3): one message to BX events, the mobile re-emission and subscribe callbacks, in Bitrix's order,
// inside one try/catch per message so a throwing handler costs only that message (PULL-24..30).

import type { PullMessageBody } from '../codecs'
import { ONLINE_EVENT_MAX_AGE, SENDER_CLIENT, SubscriptionType } from './constants'
import type { MobileBridge } from './mobile'
import { copyJson } from './copy-json'
import type { MessageData, Subscriptions } from './subscriptions'
import type { LoggerLike } from './types'

export interface DispatchContext {
  /**
   * BX.onCustomEvent(window, name, args, true). `copy` is given when `args` hold the message's own freshly parsed
   * JSON: the handlers' copies may then be made with it. Returns true when `args` may have reached code that keeps
   * them: a listener that got them uncopied, or a BX the client cannot look into.
   */
  raise(name: string, args: unknown[], copy?: (data: any) => any): boolean
  subscriptions: Subscriptions
  now(): number
  timeShift(): number
  logger: LoggerLike
  debug(): boolean
  mobile: MobileBridge | null
  onSystemMessage(command: string, params: Record<string, unknown>): void
  emitUserStatusChange(userId: unknown, isOnline: unknown): void
  checkRevision(revision: number): void
}

/**
 * Broadcasts one message. `ownJson`: the message is a codec's freshly parsed JSON that nothing else refers to (not
 * the objects a pluggable source handed over).
 *
 * Bitrix gives every BX handler a copy of the params and the subscribe() callbacks one more copy, made after the BX
 * handlers ran. When nobody has seen the message's own params and extra by then (BX handlers got copies, no
 * BX.Event.EventEmitter listener got the BaseEvent, no debug log or mobile bridge holds them), the callbacks get
 * those objects instead of a copy of them: equal content, shared by the callbacks as the copy would be, and nothing
 * can tell the difference. With no callback for the message no copy is made at all.
 */
export function dispatchMessage(ctx: DispatchContext, message: PullMessageBody, ownJson = false): void {
  const moduleId = (message.module_id = message.module_id.toLowerCase())
  const command = message.command
  if (!message.extra || typeof message.extra !== 'object') message.extra = {}
  const extra = message.extra
  if (extra.server_time_unix) {
    const ago = (ctx.now() - Number(extra.server_time_unix) * 1000) / 1000 - ctx.timeShift()
    extra.server_time_ago = Math.max(ago, 0)
  }
  const params = message.params
  const debug = ctx.debug()
  if (debug) logMessage(ctx.logger, moduleId, command, params, extra)
  const copy = ownJson ? copyJson : undefined
  let seen = !ownJson || debug || ctx.mobile !== null
  const raise = (name: string, args: unknown[]): void => {
    if (ctx.raise(name, args, copy)) seen = true
  }
  const forCallbacks = (): MessageData =>
    seen ? { command, params: copyJson(params), extra: copyJson(extra) } : { command, params, extra }
  // Callbacks may get `extra` itself; what one of them writes into it must not reach the revision check below.
  const revisionBefore = extra.revision_web
  try {
    const sender = extra.sender
    if (sender && typeof sender === 'object' && sender.type === SENDER_CLIENT) {
      raise('onPullClientEvent-' + moduleId, [command, params, extra])
      raise('onPullClientEvent', [moduleId, command, params, extra])
      ctx.mobile?.client({ moduleId, command, params, extra })
      ctx.subscriptions.emitModule(SubscriptionType.Client, moduleId, command, forCallbacks)
    } else if (moduleId === 'pull') {
      ctx.onSystemMessage(command, params)
    } else if (moduleId === 'online') {
      // Bitrix compares `undefined < 240` when server_time_unix is missing, which is false: such online events are
      // dropped. b24jssdk delivers them; we keep the original's behaviour (the PHP producer always sets the field).
      const ago = extra.server_time_ago
      if (typeof ago === 'number' && ago < ONLINE_EVENT_MAX_AGE) {
        raise('onPullOnlineEvent', [command, params, extra])
        ctx.mobile?.online({ moduleId, command, params, extra })
        // The user status below is read from params after the callbacks: they get copies, as in Bitrix.
        seen = true
        ctx.subscriptions.emitFlat(SubscriptionType.Online, forCallbacks)
      }
      if (command === 'userStatusChange') ctx.emitUserStatusChange(params.user_id, params.online)
    } else {
      raise('onPullEvent-' + moduleId, [command, params, extra])
      raise('onPullEvent', [moduleId, command, params, extra])
      ctx.mobile?.server({ moduleId, command, params, extra })
      ctx.subscriptions.emitModule(SubscriptionType.Server, moduleId, command, forCallbacks)
    }
  } catch (error) {
    // Never the params: they may carry tokens or personal data.
    ctx.logger.error(`PULL ERROR: broadcastMessages execute error (${moduleId}/${command})`, error)
  }
  const revision = seen ? extra.revision_web : revisionBefore
  if (revision) ctx.checkRevision(Number.parseInt(String(revision), 10) || 0)
}

function logMessage(logger: LoggerLike, moduleId: string, command: string, params: unknown, extra: Record<string, unknown>): void {
  const sender = extra.sender as { type?: number } | undefined
  if (sender?.type === SENDER_CLIENT) logger.info('onPullClientEvent-' + moduleId, command, params, extra)
  else if (moduleId === 'online') logger.info('onPullOnlineEvent', command, params, extra)
  else logger.info('onPullEvent', moduleId, command, params, extra)
}
