// broadcastMessage (B.3): one message to BX events, the mobile re-emission and subscribe callbacks, in Bitrix's order,
// inside one try/catch per message so a throwing handler costs only that message (PULL-24..30).

import type { PullMessageBody } from '../codecs'
import { ONLINE_EVENT_MAX_AGE, SENDER_CLIENT, SubscriptionType } from './constants'
import type { MobileBridge } from './mobile'
import type { Subscriptions } from './subscriptions'
import type { LoggerLike } from './types'

export interface DispatchContext {
  /** BX.onCustomEvent(window, name, args, true). */
  raise(name: string, args: unknown[]): void
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

/** A deep copy of JSON-like data; what subscribe callbacks get, made once per message (B.2). */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneData) as T
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return value
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = cloneData(item)
    return out as T
  }
  return value
}

export function dispatchMessage(ctx: DispatchContext, message: PullMessageBody): void {
  const moduleId = (message.module_id = message.module_id.toLowerCase())
  const command = message.command
  if (!message.extra || typeof message.extra !== 'object') message.extra = {}
  const extra = message.extra
  if (extra.server_time_unix) {
    const ago = (ctx.now() - Number(extra.server_time_unix) * 1000) / 1000 - ctx.timeShift()
    extra.server_time_ago = Math.max(ago, 0)
  }
  const params = message.params
  if (ctx.debug()) logMessage(ctx.logger, moduleId, command, params, extra)
  try {
    const sender = extra.sender
    if (sender && typeof sender === 'object' && sender.type === SENDER_CLIENT) {
      ctx.raise('onPullClientEvent-' + moduleId, [command, params, extra])
      ctx.raise('onPullClientEvent', [moduleId, command, params, extra])
      ctx.mobile?.client({ moduleId, command, params, extra })
      ctx.subscriptions.emitModule(SubscriptionType.Client, moduleId, { command, params: cloneData(params), extra: cloneData(extra) })
    } else if (moduleId === 'pull') {
      ctx.onSystemMessage(command, params)
    } else if (moduleId === 'online') {
      // Bitrix compares `undefined < 240` when server_time_unix is missing, which is false: such online events are
      // dropped. b24jssdk delivers them; we keep the original's behaviour (the PHP producer always sets the field).
      const ago = extra.server_time_ago
      if (typeof ago === 'number' && ago < ONLINE_EVENT_MAX_AGE) {
        ctx.raise('onPullOnlineEvent', [command, params, extra])
        ctx.mobile?.online({ moduleId, command, params, extra })
        ctx.subscriptions.emitFlat(SubscriptionType.Online, { command, params: cloneData(params), extra: cloneData(extra) })
      }
      if (command === 'userStatusChange') ctx.emitUserStatusChange(params.user_id, params.online)
    } else {
      ctx.raise('onPullEvent-' + moduleId, [command, params, extra])
      ctx.raise('onPullEvent', [moduleId, command, params, extra])
      ctx.mobile?.server({ moduleId, command, params, extra })
      ctx.subscriptions.emitModule(SubscriptionType.Server, moduleId, { command, params: cloneData(params), extra: cloneData(extra) })
    }
  } catch (error) {
    // Never the params: they may carry tokens or personal data.
    ctx.logger.error(`PULL ERROR: broadcastMessages execute error (${moduleId}/${command})`, error)
  }
  if (extra.revision_web) ctx.checkRevision(Number.parseInt(String(extra.revision_web), 10) || 0)
}

function logMessage(logger: LoggerLike, moduleId: string, command: string, params: unknown, extra: Record<string, unknown>): void {
  const sender = extra.sender as { type?: number } | undefined
  if (sender?.type === SENDER_CLIENT) logger.info('onPullClientEvent-' + moduleId, command, params, extra)
  else if (moduleId === 'online') logger.info('onPullOnlineEvent', command, params, extra)
  else logger.info('onPullEvent', moduleId, command, params, extra)
}
