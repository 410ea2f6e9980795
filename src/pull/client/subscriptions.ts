// The subscribe() store and the emit that feeds it (B.2). Bitrix's shapes exactly: server/client subscriptions are
// kept per module with module-wide callbacks and per-command lists; other types are flat lists.

import { textOf } from '../codecs/text-of'
import { SubscriptionType, type SubscriptionTypeValue } from './constants'
import { copyJson } from './copy-json'
import type { LoggerLike } from './types'

export type Callback = (...args: any[]) => unknown
export type Unsubscribe = () => void

export interface SubscribeParams {
  type?: SubscriptionTypeValue | string
  moduleId?: string
  command?: string | null
  callback: Callback
}

/** A command handler object (B.2): `getModuleId()` and then `getMap()` or `handle<Command>` methods. */
export interface CommandHandler {
  getModuleId(): string
  getSubscriptionType?(): SubscriptionTypeValue | string
  getMap?(): Record<string, Callback | string>
  [method: string]: unknown
}

export interface MessageData {
  /** A string from every real producer; passed on as published. */
  command: string
  params: Record<string, unknown>
  extra: Record<string, unknown>
}

interface ModuleSlot {
  callbacks: Callback[]
  commands: Record<string, Callback[]>
}

const noop: Unsubscribe = () => {}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export class Subscriptions {
  private readonly modules: Record<string, Record<string, ModuleSlot>> = Object.create(null)
  private readonly flat: Record<string, Callback[]> = Object.create(null)

  constructor(private readonly logger: LoggerLike) {}

  /**
   * Bitrix keeps a missing moduleId as the key "undefined" and a missing callback as `undefined` that later throws
   * inside dispatch; we refuse both here with console.error and a no-op unsubscribe (issue: bad arguments are logged,
   * never a crash of the dispatch loop), which is what the original does for a null argument.
   */
  subscribe(params: unknown): Unsubscribe {
    if (params === null || params === undefined) {
      this.logger.error('Pull.subscribe: params are not specified')
      return noop
    }
    if (!isPlainObject(params)) return this.attachCommandHandler(params)
    const callback = params.callback
    if (typeof callback !== 'function') {
      this.logger.error('Pull.subscribe: callback is not a function')
      return noop
    }
    const type = typeof params.type === 'string' && params.type !== '' ? params.type : SubscriptionType.Server
    const cb = callback as Callback
    if (type === SubscriptionType.Server || type === SubscriptionType.Client) {
      if (typeof params.moduleId !== 'string' || params.moduleId === '') {
        this.logger.error('Pull.subscribe: parameter moduleId is not specified')
        return noop
      }
      const byModule = (this.modules[type] ??= Object.create(null) as Record<string, ModuleSlot>)
      const slot = (byModule[params.moduleId] ??= { callbacks: [], commands: Object.create(null) })
      const command = typeof params.command === 'string' && params.command !== '' ? params.command : null
      if (command !== null) {
        ;(slot.commands[command] ??= []).push(cb)
        return () => {
          slot.commands[command] = (slot.commands[command] ?? []).filter((item) => item !== cb)
        }
      }
      slot.callbacks.push(cb)
      return () => {
        slot.callbacks = slot.callbacks.filter((item) => item !== cb)
      }
    }
    ;(this.flat[type] ??= []).push(cb)
    return () => {
      this.flat[type] = (this.flat[type] ?? []).filter((item) => item !== cb)
    }
  }

  private attachCommandHandler(value: unknown): Unsubscribe {
    const handler = value as CommandHandler
    let moduleId: unknown
    try {
      moduleId = typeof handler?.getModuleId === 'function' ? handler.getModuleId() : undefined
    } catch (error) {
      this.logger.error('Pull.attachCommandHandler: handler.getModuleId() threw', error)
      return noop
    }
    if (typeof moduleId !== 'string') {
      this.logger.error('Pull.attachCommandHandler: result of handler.getModuleId() is not a string.')
      return noop
    }
    const type = typeof handler.getSubscriptionType === 'function' ? handler.getSubscriptionType() : SubscriptionType.Server
    return this.subscribe({
      type,
      moduleId,
      callback: (data: MessageData) => {
        const method = resolveHandlerMethod(handler, data.command)
        if (method) method.call(handler, data.params, data.extra, data.command)
      },
    })
  }

  /**
   * server/client: module-wide callbacks first, then the command's (B.2). Their `{command, params, extra}` is made
   * once, and only if a callback will run; `copy`: with copies of params and extra (made by copyJson) instead of the
   * message's own. Throws what a callback throws.
   *
   * Each callback is called as a plain function (`this` undefined in strict code, the global object in sloppy code)
   * with its own `{type, moduleId}`, as Bitrix's forEach does: never with our list as `this`, where a callback could
   * empty it, nor with one shared object another callback could change.
   */
  emitModule(type: 'server' | 'client', moduleId: string, command: unknown, params: unknown, extra: unknown, copy: boolean): void {
    const slot = this.modules[type]?.[moduleId]
    if (!slot) return
    // Bitrix's forEach: the length is fixed when the loop starts, and unsubscribe() puts a filtered copy in place, so
    // neither a callback added nor one removed meanwhile shifts the loop (no copy of the list needed).
    const callbacks = slot.callbacks
    const count = callbacks.length
    // Bitrix looks the command up as a property name, and skips the command callbacks when there is no command.
    const key = command === undefined ? undefined : textOf(command)
    // With no module-wide callback nothing can subscribe a command callback before the command list is read.
    if (count === 0 && !(key !== undefined && slot.commands[key]?.length)) return
    const message = {
      command, params: copy ? copyJson(params) : params, extra: copy ? copyJson(extra) : extra,
    } as MessageData
    for (let i = 0; i < count; i++) {
      const callback = callbacks[i]!
      callback(message, { type, moduleId })
    }
    const commandCallbacks = key === undefined ? undefined : slot.commands[key]
    if (commandCallbacks) {
      for (let i = 0, n = commandCallbacks.length; i < n; i++) {
        const callback = commandCallbacks[i]!
        callback(message.params, message.extra, message.command, { type, moduleId })
      }
    }
  }

  /** The flat types (online, status, revision): `data` is called once, and only if there is a callback. */
  emitFlat(type: string, data: () => unknown): void {
    const list = this.flat[type]
    if (!list || list.length === 0) return
    const message = data()
    for (let i = 0, n = list.length; i < n; i++) {
      const callback = list[i]!
      callback(message, { type })
    }
  }
}

/** `getMap()[command]` as a function or a method name, else `handle<Command>` (first letter upper-cased). */
function resolveHandlerMethod(handler: CommandHandler, command: unknown): Callback | undefined {
  const name = textOf(command) ?? ''
  if (typeof handler.getMap === 'function') {
    const map = handler.getMap()
    // Own entries only: a command named "constructor" or "toString" is not a map entry Object.prototype lends.
    if (map && typeof map === 'object' && Object.prototype.hasOwnProperty.call(map, name)) {
      const entry = map[name]
      if (typeof entry === 'function') return entry
      if (typeof entry === 'string' && typeof handler[entry] === 'function') return handler[entry] as Callback
    }
  }
  const method = 'handle' + name.charAt(0).toUpperCase() + name.slice(1)
  return typeof handler[method] === 'function' ? (handler[method] as Callback) : undefined
}
