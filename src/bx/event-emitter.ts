// BX.Event.EventEmitter: the statics and instance API of Bitrix's main.core (event-emitter.js), argument shuffles,
// TypeErrors and console messages included, over the shim's Bus. Each bus gets its own subclass (createEventEmitter),
// so its statics (GLOBAL_TARGET, the store, the sequence) belong to that bus alone and tests never share state.

import { BaseEvent } from './base-event'
import { Bus, makeFullEventName, type SubscribeOptions } from './bus'
import { IS_EMITTER, NAMESPACE, TARGET, eventTargetOf } from './emitter-symbols'
import { isFunction, isObject, isPlainObject, isStringFilled, type AnyFunction } from './type-checks'

/** @internal the Bus of an EventEmitter class */
export const BUS: unique symbol = Symbol('bus')
/** @internal the EventEmitter class an instance (or an observable object's hidden emitter) belongs to */
export const EMITTER_CLASS: unique symbol = Symbol('emitterClass')

export type Listener = (...args: any[]) => unknown
export type EmitOptions = { cloneData?: boolean; thisArg?: unknown; useGlobalNaming?: boolean }
export type AliasMap = Record<string, { eventName: string; namespace: string }>
export type ListenerInfo = { listener: Listener; options: SubscribeOptions; sort: number }
type EmitterClass = typeof EventEmitter

function busOf(cls: EmitterClass): Bus {
  const bus = cls && cls[BUS]
  if (!bus) throw new TypeError('This EventEmitter has no bus; get one from createBX() or createEventEmitter().')
  return bus
}

const classOf = (emitter: object): EmitterClass => (emitter as Record<symbol, EmitterClass>)[EMITTER_CLASS]
const fail = (what: string, kind: string): never => {
  throw new TypeError(`The "${what}" argument must be ${kind}.`)
}
const mustBeObject = (target: unknown): object => (isObject(target) ? target : fail('target', 'an object'))
const mustBeName = (eventName: unknown): string => (isStringFilled(eventName) ? eventName : fail('eventName', 'a string'))
const mustBeFunction = (listener: unknown): AnyFunction =>
  isFunction(listener) ? listener : fail('listener', `of type Function. Received type ${typeof listener}`)
const optionsOf = (options: unknown): SubscribeOptions & EmitOptions => (isPlainObject(options) ? options : {})
/** A string first argument means the global target: (name, ...) -> (GLOBAL_TARGET, name, ...). */
const globalForm = (cls: EmitterClass, args: unknown[]): any[] =>
  typeof args[0] === 'string' ? [cls.GLOBAL_TARGET].concat(args) : args

export class EventEmitter {
  /** The target of global events, and `this` of global BX.addCustomEvent handlers. */
  static GLOBAL_TARGET: object
  static DEFAULT_MAX_LISTENERS = 10
  /** @internal */
  static [BUS]: Bus | undefined;
  /** @internal */
  [IS_EMITTER]: boolean;
  /** @internal */
  [NAMESPACE]: string | null;
  /** @internal */
  [TARGET]: object | null

  /**
   * @example class Popup extends BX.Event.EventEmitter { constructor() { super(); this.setEventNamespace('BX.Main.Popup') } }
   * @example const emitter = new BX.Event.EventEmitter(someObject, 'MyApp.Namespace')
   */
  constructor(...args: unknown[]) {
    this[NAMESPACE] = null
    this[IS_EMITTER] = true
    let target: object = this
    const cls = classOf(this)
    if (cls && Object.getPrototypeOf(this) === cls.prototype && args.length > 0) {
      target = mustBeObject(args[0])
      this.setEventNamespace(args[1] as string)
    }
    this[TARGET] = target
  }

  /** Turns `target` into an emitter with `namespace`, keeping its own prototype chain below. */
  static makeObservable(this: EmitterClass, target: object, namespace: string): void {
    mustBeObject(target)
    if (!isStringFilled(namespace)) throw new TypeError('The "namespace" must be an non-empty string.')
    if (this.isEventEmitter(target)) throw new TypeError('The "target" is an event emitter already.')
    const emitter = new this() as EventEmitter & Record<string | symbol, unknown>
    emitter.setEventNamespace(namespace)
    emitter[EMITTER_CLASS] = this
    Object.setPrototypeOf(emitter, Object.getPrototypeOf(target))
    Object.setPrototypeOf(target, emitter)
    const proto = EventEmitter.prototype as unknown as Record<string, AnyFunction>
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (method !== 'constructor') {
        emitter[method] = function () {
          return proto[method].apply(target, arguments as unknown as unknown[])
        }
      }
    }
  }

  setEventNamespace(namespace: string): void {
    if (isStringFilled(namespace)) this[NAMESPACE] = namespace
  }

  getEventNamespace(): string | null {
    return this[NAMESPACE]
  }

  getFullEventName(eventName: string): string {
    return makeFullEventName(this.getEventNamespace(), mustBeName(eventName))
  }

  /**
   * @example BX.Event.EventEmitter.subscribe('onPullEvent-im', (event) => console.log(event.getData()))
   * @example BX.Event.EventEmitter.subscribe(popup, 'onClose', (event) => {})
   */
  static subscribe(target: object, eventName: string, listener: Listener, options?: SubscribeOptions): void
  static subscribe(eventName: string, listener: Listener, options?: SubscribeOptions): void
  static subscribe(this: EmitterClass, ...args: unknown[]): void {
    const [target, eventName, listener, options] = globalForm(this, args)
    mustBeObject(target)
    busOf(this).subscribe_(target, mustBeName(eventName), mustBeFunction(listener), optionsOf(options))
  }

  /**
   * Subscribes every `{eventName: listener}` of `options`; a name found in `aliases` subscribes its real name,
   * in compat mode unless `compatMode === false`.
   */
  subscribeFromOptions(options: Record<string, Listener>, aliases?: AliasMap, compatMode?: boolean): void {
    if (!isPlainObject(options)) return
    const known = isPlainObject(aliases) ? normalizeAliases(aliases) : Object.create(null)
    for (const key of Object.keys(options)) {
      const listener = mustBeFunction(options[key])
      const alias = known[key.toLowerCase()]
      const compat = alias ? compatMode !== false : compatMode === true
      classOf(this).subscribe(this, alias ? alias.eventName : key, listener, { compatMode: compat })
    }
  }

  static subscribeOnce(target: object, eventName: string, listener: Listener): void
  static subscribeOnce(eventName: string, listener: Listener): void
  static subscribeOnce(this: EmitterClass, ...args: unknown[]): void {
    const [target, eventName, listener] = globalForm(this, args)
    mustBeObject(target)
    mustBeName(eventName)
    mustBeFunction(listener)
    const bus = busOf(this)
    const fullName = bus.resolve_(eventName, target)
    const record = bus.recordOf_(target)
    let onceListeners = record.once_.get(fullName)
    if (record.events_.get(fullName)?.map_.has(listener) || onceListeners?.has(listener)) {
      return console.error(`You cannot subscribe the same "${fullName}" event listener twice.`)
    }
    if (!onceListeners) record.once_.set(fullName, (onceListeners = new Map()))
    const owner = onceListeners
    const cls = this
    const once = function () {
      cls.unsubscribe(target, eventName, once)
      owner.delete(listener)
      // Nothing is returned, as in Bitrix: emit() reports undefined for a once-listener and emitAsync does not wait.
      listener.apply(undefined, arguments)
    }
    owner.set(listener, once)
    this.subscribe(target, eventName, once)
  }

  static unsubscribe(target: object, eventName: string, listener: Listener, options?: SubscribeOptions): void
  static unsubscribe(eventName: string, listener: Listener): void
  static unsubscribe(this: EmitterClass, ...args: unknown[]): void {
    const [target, eventName, listener, options] = globalForm(this, args)
    mustBeName(eventName)
    mustBeFunction(listener)
    if (isObject(target)) busOf(this).unsubscribe_(target, eventName, listener, optionsOf(options).useGlobalNaming)
  }

  /** All listeners of `eventName` on `target`; with no name, all of the target's (refused for the global target). */
  static unsubscribeAll(target: object, eventName?: string, options?: SubscribeOptions): void
  static unsubscribeAll(eventName: string): void
  static unsubscribeAll(this: EmitterClass, ...args: unknown[]): void {
    const [target, eventName, options] = globalForm(this, args)
    busOf(this).unsubscribeAll_(target, eventName, optionsOf(options).useGlobalNaming)
  }

  /**
   * Calls the listeners and returns their results. A non-BaseEvent `event` becomes a BaseEvent's data.
   * @example const results = BX.Event.EventEmitter.emit(obj, 'onSave', new BX.Event.BaseEvent({ data: { id: 1 } }))
   */
  static emit(target: object, eventName: string, event?: unknown, options?: EmitOptions): unknown[]
  static emit(eventName: string, event?: unknown, options?: EmitOptions): unknown[]
  static emit(this: EmitterClass, ...args: unknown[]): unknown[] {
    const [target, eventName, event, options] = globalForm(this, args)
    mustBeObject(target)
    mustBeName(eventName)
    const bus = busOf(this)
    const opts = optionsOf(options)
    const fullName = bus.resolve_(eventName, target, opts.useGlobalNaming === true)
    const prepared = (event instanceof BaseEvent ? event : new BaseEvent().setData(event)).setTarget(eventTargetOf(target)).setType(fullName)
    const results: unknown[] = []
    bus.dispatch_(target, fullName, prepared, undefined, opts.cloneData === true, opts.thisArg, results)
    return results
  }

  /** `Promise.all` over the listeners' results. */
  static emitAsync(target: object, eventName: string, event?: unknown): Promise<unknown[]>
  static emitAsync(eventName: string, event?: unknown): Promise<unknown[]>
  static emitAsync(this: EmitterClass, ...args: unknown[]): Promise<unknown[]> {
    const [target, eventName, event] = globalForm(this, args)
    return Promise.all(this.emit(target, eventName, event))
  }

  /**
   * setMaxListeners(count) | (eventName, count) | (target, count) | (target, eventName, count)
   * @example BX.Event.EventEmitter.setMaxListeners('onPullEvent-im', 50)
   */
  static setMaxListeners(this: EmitterClass, ...args: unknown[]): void {
    let target: unknown = this.GLOBAL_TARGET
    let eventName: unknown = null
    let count: unknown = args[0]
    if (args.length === 2) {
      if (typeof args[0] === 'string') [eventName, count] = args
      else [target, count] = args
    } else if (args.length > 2) [target, eventName, count] = args
    mustBeObject(target)
    if (eventName !== null) mustBeName(eventName)
    if (typeof count !== 'number' || !(count >= 0)) {
      throw new TypeError(`The value of "count" is out of range. It must be a non-negative number. Received ${count}.`)
    }
    const bus = busOf(this)
    const record = bus.recordOf_(target as object)
    if (eventName) record.eventMax_.set(bus.resolve_(eventName, target as object), count)
    else record.max_ = count
  }

  static getMaxListeners(this: EmitterClass, target?: object | string | null, eventName?: string): number {
    if (typeof target === 'string') [target, eventName] = [this.GLOBAL_TARGET, target]
    return busOf(this).maxOf_(mustBeObject(target ?? this.GLOBAL_TARGET), eventName, this.DEFAULT_MAX_LISTENERS)
  }

  /** Adds `increment` (default 1, may be negative) to a max-listener count and returns the new count. */
  static addMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = maxListenersArgs(this, args)
    const max = Math.max(this.getMaxListeners(target, eventName ?? undefined) + increment, 0)
    if (eventName) this.setMaxListeners(target, eventName, max)
    else this.setMaxListeners(target, max)
    return max
  }

  static incrementMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = maxListenersArgs(this, args)
    return this.addMaxListeners(target, eventName, Math.abs(increment))
  }

  static decrementMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = maxListenersArgs(this, args)
    return this.addMaxListeners(target, eventName, -Math.abs(increment))
  }

  /**
   * The listeners of an event as Bitrix returns them: a Map of listener -> {listener, options, sort}. The shim
   * returns a copy; changing it does not change the subscriptions.
   */
  static getListeners(target: object, eventName: string): Map<Listener, ListenerInfo>
  static getListeners(eventName: string): Map<Listener, ListenerInfo>
  static getListeners(this: EmitterClass, ...args: unknown[]): Map<Listener, ListenerInfo> {
    const [target, eventName] = globalForm(this, args)
    mustBeObject(target)
    mustBeName(eventName)
    const bus = busOf(this)
    const list = bus.records_.get(target)?.events_.get(bus.resolve_(eventName, target))
    const out = new Map<Listener, ListenerInfo>()
    for (const e of list ? list.inOrder_() : []) out.set(e.fn_, { listener: e.fn_, options: e.options_, sort: e.sort_ })
    return out
  }

  /**
   * Old BX.onCustomEvent names for namespaced events; listeners already subscribed under an alias move over.
   * @example BX.Event.EventEmitter.registerAliases({ onPopupClose: { namespace: 'BX.Main.Popup', eventName: 'onClose' } })
   */
  static registerAliases(this: EmitterClass, aliases: AliasMap): void {
    const normalized = normalizeAliases(aliases)
    const bus = busOf(this)
    for (const alias of Object.keys(normalized)) {
      const { eventName, namespace } = normalized[alias]
      bus.aliases_.set(alias, { eventName, namespace })
      bus.mergeAlias_(alias, makeFullEventName(namespace, eventName))
    }
  }

  static isEventEmitter(target: unknown): boolean {
    return isObject(target) && (target as Record<symbol, unknown>)[IS_EMITTER] === true
  }
}

function normalizeAliases(aliases: AliasMap): AliasMap {
  if (!isPlainObject(aliases)) fail('aliases', 'an object')
  const result: AliasMap = Object.create(null)
  for (const alias in aliases) {
    if (!isStringFilled(alias)) throw new TypeError('The alias must be an non-empty string.')
    const { eventName, namespace } = aliases[alias] || ({} as AliasMap[string])
    if (!isStringFilled(eventName) || !isStringFilled(namespace)) {
      throw new TypeError('The alias options must set the "eventName" and the "namespace".')
    }
    result[alias.toLowerCase()] = { eventName, namespace }
  }
  return result
}

/** ([target], [eventName], [increment]) of add/increment/decrementMaxListeners, read as Bitrix reads them. */
function maxListenersArgs(cls: EmitterClass, args: unknown[]): [object, string | null, number] {
  let eventName: unknown = null
  let increment: unknown = 1
  let target: unknown = cls.GLOBAL_TARGET
  const [a, b] = args
  if (args.length === 1) {
    if (typeof a === 'number') increment = a
    else if (typeof a === 'string') eventName = a
    else target = a
  } else if (args.length === 2) {
    if (typeof a === 'string') [eventName, increment] = args
    else if (typeof b === 'string') [target, eventName] = args
    else [target, increment] = args
  } else if (args.length > 2) [target, eventName, increment] = args
  mustBeObject(target)
  if (eventName !== null) mustBeName(eventName)
  if (typeof increment !== 'number' || increment !== increment) throw new TypeError('The value of "increment" must be a number.')
  return [target as object, eventName as string | null, increment]
}

// Instance methods: each calls the static of the emitter's own class with the instance as target. Generated, to keep
// the bundle small; `emit`/`emitAsync` warn when the emitter has no namespace, as Bitrix's do.
export interface EventEmitter {
  subscribe(eventName: string, listener: Listener): this
  subscribeOnce(eventName: string, listener: Listener): this
  unsubscribe(eventName: string, listener: Listener): this
  unsubscribeAll(eventName?: string): void
  emit(eventName: string, event?: unknown): this
  emitAsync(eventName: string, event?: unknown): Promise<unknown[]>
  setMaxListeners(...args: unknown[]): this
  getMaxListeners(eventName?: string): number
  incrementMaxListeners(...args: unknown[]): number
  decrementMaxListeners(...args: unknown[]): number
  getListeners(eventName: string): Map<Listener, ListenerInfo>
}
const CHAINED = ['subscribe', 'subscribeOnce', 'unsubscribe', 'emit', 'setMaxListeners']
for (const method of CHAINED.concat('unsubscribeAll emitAsync getMaxListeners incrementMaxListeners decrementMaxListeners getListeners'.split(' '))) {
  ;(EventEmitter.prototype as unknown as Record<string, AnyFunction>)[method] = function (this: EventEmitter) {
    if (method.startsWith('emit') && this.getEventNamespace() === null) {
      console.warn(
        'The instance of BX.Event.EventEmitter is supposed to have an event namespace. ' +
          'Use emitter.setEventNamespace() to make events more unique.',
      )
    }
    const cls = classOf(this) as unknown as Record<string, AnyFunction>
    const result = cls[method].apply(cls, [this].concat(Array.prototype.slice.call(arguments)))
    return CHAINED.includes(method) ? this : result
  }
}

/** A fresh EventEmitter class over `bus`, with its own statics (GLOBAL_TARGET is the bus's global target). */
export function createEventEmitter(bus: Bus = new Bus()): EmitterClass {
  const Base: EmitterClass = EventEmitter
  const BoundEventEmitter = class extends Base {}
  Object.defineProperty(BoundEventEmitter, 'name', { value: 'EventEmitter' })
  BoundEventEmitter[BUS] = bus
  BoundEventEmitter.GLOBAL_TARGET = bus.global_
  ;(BoundEventEmitter.prototype as unknown as Record<symbol, unknown>)[EMITTER_CLASS] = BoundEventEmitter
  return BoundEventEmitter
}
