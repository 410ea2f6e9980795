// BX.Event.EventEmitter: the statics and instance API of Bitrix's main.core (event-emitter.js), argument shuffles,
// TypeErrors and console messages included, over the shim's Bus. Each bus gets its own subclass (createEventEmitter),
// so its statics (GLOBAL_TARGET, the store, the sequence) belong to that bus alone and tests never share state.

import { BaseEvent } from './base-event'
import { Bus, type BusOptions, type SubscribeOptions } from './bus'
import { IS_EMITTER, NAMESPACE, TARGET, eventTargetOf } from './emitter-symbols'
import { isFunction, isObject, isPlainObject, isStringFilled, type AnyFunction } from './type-checks'

/** @internal the Bus of an EventEmitter class */
export const BUS = Symbol('bus')
/** @internal the EventEmitter class an instance (or an observable object's hidden emitter) belongs to */
export const EMITTER_CLASS = Symbol('emitterClass')

export type Listener = (...args: any[]) => unknown
export type EmitOptions = { cloneData?: boolean; thisArg?: unknown; useGlobalNaming?: boolean }
export type AliasMap = Record<string, { eventName: string; namespace: string }>
type EmitterClass = typeof EventEmitter

function busOf(cls: EmitterClass): Bus {
  const bus = cls && cls[BUS]
  if (!bus) throw new TypeError('This EventEmitter has no bus; get one from createBX() or createEventEmitter().')
  return bus
}

function classOf(emitter: object): EmitterClass {
  return (emitter as Record<symbol, EmitterClass>)[EMITTER_CLASS]
}

const mustBeObject = () => new TypeError('The "target" argument must be an object.')
const mustBeString = () => new TypeError('The "eventName" argument must be a string.')
const mustBeFunction = (listener: unknown) =>
  new TypeError(`The "listener" argument must be of type Function. Received type ${typeof listener}.`)

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
    this[TARGET] = null
    this[NAMESPACE] = null
    this[IS_EMITTER] = true
    let target: object = this
    const cls = classOf(this)
    if (cls && Object.getPrototypeOf(this) === cls.prototype && args.length > 0) {
      if (!isObject(args[0])) throw mustBeObject()
      target = args[0]
      this.setEventNamespace(args[1] as string)
    }
    this[TARGET] = target
  }

  /** Turns `target` into an emitter with `namespace`, keeping its own prototype chain below. */
  static makeObservable(this: EmitterClass, target: object, namespace: string): void {
    if (!isObject(target)) throw mustBeObject()
    if (!isStringFilled(namespace)) throw new TypeError('The "namespace" must be an non-empty string.')
    if (this.isEventEmitter(target)) throw new TypeError('The "target" is an event emitter already.')
    const emitter = new this() as EventEmitter & Record<string | symbol, unknown>
    emitter.setEventNamespace(namespace)
    emitter[EMITTER_CLASS] = this
    Object.setPrototypeOf(emitter, Object.getPrototypeOf(target))
    Object.setPrototypeOf(target, emitter)
    const proto = EventEmitter.prototype as unknown as Record<string, AnyFunction>
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (method === 'constructor') continue
      emitter[method] = function (this: unknown) {
        return proto[method].apply(target, arguments as unknown as unknown[])
      }
    }
  }

  setEventNamespace(namespace: string): void {
    if (isStringFilled(namespace)) this[NAMESPACE] = namespace
  }

  getEventNamespace(): string | null {
    return this[NAMESPACE]
  }

  /**
   * @example BX.Event.EventEmitter.subscribe('onPullEvent-im', (event) => console.log(event.getData()))
   * @example BX.Event.EventEmitter.subscribe(popup, 'onClose', (event) => {})
   */
  static subscribe(this: EmitterClass, target: object, eventName: string, listener: Listener, options?: SubscribeOptions): void
  static subscribe(this: EmitterClass, eventName: string, listener: Listener, options?: SubscribeOptions): void
  static subscribe(this: EmitterClass, target: unknown, eventName: unknown, listener?: unknown, options?: unknown): void {
    if (typeof target === 'string') {
      options = listener
      listener = eventName
      eventName = target
      target = this.GLOBAL_TARGET
    }
    if (!isObject(target)) throw mustBeObject()
    const name = this.normalizeEventName(eventName)
    if (!name) throw mustBeString()
    if (!isFunction(listener)) throw mustBeFunction(listener)
    const opts: SubscribeOptions = isPlainObject(options) ? options : {}
    const fullName = this.resolveEventName(name, target, opts.useGlobalNaming === true)
    const bus = busOf(this)
    const list = bus.subscribe(target, fullName, listener, opts)
    if (list.size > this.getMaxListeners(target, name)) bus.warnings.add(target, fullName, list.size)
  }

  subscribe(eventName: string, listener: Listener): this {
    classOf(this).subscribe(this, eventName, listener)
    return this
  }

  /**
   * Subscribes every `{eventName: listener}` of `options`; a name found in `aliases` subscribes its real name,
   * in compat mode unless `compatMode === false`.
   */
  subscribeFromOptions(options: Record<string, Listener>, aliases?: AliasMap, compatMode?: boolean): void {
    if (!isPlainObject(options)) return
    const cls = classOf(this)
    const normalized = isPlainObject(aliases) ? cls.normalizeAliases(aliases) : Object.create(null)
    for (const key of Object.keys(options)) {
      const listener = options[key]
      if (!isFunction(listener)) throw mustBeFunction(listener)
      const name = cls.normalizeEventName(key)
      if (normalized[name]) {
        cls.subscribe(this, normalized[name].eventName, listener, { compatMode: compatMode !== false })
      } else {
        cls.subscribe(this, name, listener, { compatMode: compatMode === true })
      }
    }
  }

  static subscribeOnce(this: EmitterClass, target: object, eventName: string, listener: Listener): void
  static subscribeOnce(this: EmitterClass, eventName: string, listener: Listener): void
  static subscribeOnce(this: EmitterClass, target: unknown, eventName: unknown, listener?: unknown): void {
    if (typeof target === 'string') {
      listener = eventName
      eventName = target
      target = this.GLOBAL_TARGET
    }
    if (!isObject(target)) throw mustBeObject()
    const name = this.normalizeEventName(eventName)
    if (!name) throw mustBeString()
    if (!isFunction(listener)) throw mustBeFunction(listener)
    const fullName = this.resolveEventName(name, target)
    const record = busOf(this).recordOf(target)
    let onceListeners = record.once.get(fullName)
    if (record.events.get(fullName)?.has(listener) || onceListeners?.has(listener)) {
      console.error(`You cannot subscribe the same "${fullName}" event listener twice.`)
      return
    }
    if (!onceListeners) record.once.set(fullName, (onceListeners = new Map()))
    const cls = this
    const owner = onceListeners
    const once = function (this: unknown) {
      cls.unsubscribe(target as object, name, once)
      owner.delete(listener)
      return listener.apply(undefined, arguments as unknown as unknown[])
    }
    onceListeners.set(listener, once)
    this.subscribe(target, name, once)
  }

  subscribeOnce(eventName: string, listener: Listener): this {
    classOf(this).subscribeOnce(this, eventName, listener)
    return this
  }

  static unsubscribe(this: EmitterClass, target: object, eventName: string, listener: Listener, options?: SubscribeOptions): void
  static unsubscribe(this: EmitterClass, eventName: string, listener: Listener): void
  static unsubscribe(this: EmitterClass, target: unknown, eventName: unknown, listener?: unknown, options?: unknown): void {
    if (typeof target === 'string') {
      listener = eventName
      eventName = target
      target = this.GLOBAL_TARGET
    }
    const name = this.normalizeEventName(eventName)
    if (!name) throw mustBeString()
    if (!isFunction(listener)) throw mustBeFunction(listener)
    if (!isObject(target)) return
    const opts: SubscribeOptions = isPlainObject(options) ? options : {}
    busOf(this).unsubscribe(target, this.resolveEventName(name, target, opts.useGlobalNaming === true), listener)
  }

  unsubscribe(eventName: string, listener: Listener): this {
    classOf(this).unsubscribe(this, eventName, listener)
    return this
  }

  /** All listeners of `eventName` on `target`; with no name, all of the target's (refused for the global target). */
  static unsubscribeAll(this: EmitterClass, target: object | string, eventName?: string, options?: SubscribeOptions): void {
    if (typeof target === 'string') {
      eventName = target
      target = this.GLOBAL_TARGET
    }
    const bus = busOf(this)
    if (isStringFilled(eventName)) {
      const record = isObject(target) ? bus.records.get(target) : undefined
      if (!record) return
      const opts: SubscribeOptions = isPlainObject(options) ? options : {}
      const fullName = this.resolveEventName(eventName, target, opts.useGlobalNaming === true)
      record.events.delete(fullName)
      record.once.delete(fullName)
    } else if (eventName === null || eventName === undefined) {
      if (target === this.GLOBAL_TARGET) console.error('You cannot unsubscribe all global listeners.')
      else if (isObject(target)) bus.records.delete(target)
    }
  }

  unsubscribeAll(eventName?: string): void {
    classOf(this).unsubscribeAll(this, eventName)
  }

  /**
   * Calls the listeners and returns their results. Non-BaseEvent `event` values become a BaseEvent's data.
   * @example const results = BX.Event.EventEmitter.emit(obj, 'onSave', new BX.Event.BaseEvent({ data: { id: 1 } }))
   */
  static emit(this: EmitterClass, target: object, eventName: string, event?: unknown, options?: EmitOptions): unknown[]
  static emit(this: EmitterClass, eventName: string, event?: unknown, options?: EmitOptions): unknown[]
  static emit(this: EmitterClass, target: unknown, eventName?: unknown, event?: unknown, options?: unknown): unknown[] {
    if (typeof target === 'string') {
      options = event
      event = eventName
      eventName = target
      target = this.GLOBAL_TARGET
    }
    if (!isObject(target)) throw mustBeObject()
    const name = this.normalizeEventName(eventName)
    if (!name) throw mustBeString()
    const opts: EmitOptions = isPlainObject(options) ? options : {}
    const fullName = this.resolveEventName(name, target, opts.useGlobalNaming === true)
    const prepared = this.prepareEvent(target, fullName, event)
    const results: unknown[] = []
    busOf(this).dispatch(target, fullName, prepared, undefined, opts.cloneData === true, opts.thisArg, results)
    return results
  }

  emit(eventName: string, event?: unknown): this {
    if (this.getEventNamespace() === null) warnNoNamespace()
    classOf(this).emit(this, eventName, event)
    return this
  }

  /** `Promise.all` over the listeners' results. */
  static emitAsync(this: EmitterClass, target: object, eventName: string, event?: unknown): Promise<unknown[]>
  static emitAsync(this: EmitterClass, eventName: string, event?: unknown): Promise<unknown[]>
  static emitAsync(this: EmitterClass, target: unknown, eventName?: unknown, event?: unknown): Promise<unknown[]> {
    if (typeof target === 'string') {
      event = eventName
      eventName = target
      target = this.GLOBAL_TARGET
    }
    return Promise.all(this.emit(target as object, eventName as string, event))
  }

  emitAsync(eventName: string, event?: unknown): Promise<unknown[]> {
    if (this.getEventNamespace() === null) warnNoNamespace()
    return classOf(this).emitAsync(this, eventName, event)
  }

  /** @internal */
  static prepareEvent(target: object, eventName: string, event?: unknown): BaseEvent {
    let prepared = event
    if (!(event instanceof BaseEvent)) {
      prepared = new BaseEvent()
      ;(prepared as BaseEvent).setData(event)
    }
    return (prepared as BaseEvent).setTarget(eventTargetOf(target)).setType(eventName)
  }

  /**
   * setMaxListeners(count) | (eventName, count) | (target, count) | (target, eventName, count)
   * @example BX.Event.EventEmitter.setMaxListeners('onPullEvent-im', 50)
   */
  static setMaxListeners(this: EmitterClass, ...args: unknown[]): void {
    let target: unknown = this.GLOBAL_TARGET
    let eventName: unknown = null
    let count: unknown
    if (args.length === 1) count = args[0]
    else if (args.length === 2) {
      if (typeof args[0] === 'string') [eventName, count] = args
      else [target, count] = args
    } else if (args.length >= 3) [target, eventName, count] = args
    if (!isObject(target)) throw mustBeObject()
    if (eventName !== null && !isStringFilled(eventName)) throw mustBeString()
    if (typeof count !== 'number' || Number.isNaN(count) || count < 0) {
      throw new TypeError(`The value of "count" is out of range. It must be a non-negative number. Received ${count}.`)
    }
    const record = busOf(this).recordOf(target)
    if (isStringFilled(eventName)) record.eventsMaxListeners.set(this.resolveEventName(eventName, target), count)
    else record.maxListeners = count
  }

  setMaxListeners(...args: unknown[]): this {
    classOf(this).setMaxListeners(this, ...args)
    return this
  }

  static getMaxListeners(this: EmitterClass, target?: object | string | null, eventName?: string): number {
    if (typeof target === 'string') {
      eventName = target
      target = this.GLOBAL_TARGET
    } else if (target === null || target === undefined) {
      target = this.GLOBAL_TARGET
    }
    if (!isObject(target)) throw mustBeObject()
    const record = busOf(this).records.get(target)
    if (!record) return this.DEFAULT_MAX_LISTENERS
    let max = record.maxListeners
    if (isStringFilled(eventName)) max = record.eventsMaxListeners.get(this.resolveEventName(eventName, target)) || max
    return max
  }

  getMaxListeners(eventName?: string): number {
    return classOf(this).getMaxListeners(this, eventName)
  }

  /** Adds `increment` (default 1, may be negative) to a max-listener count and returns the new count. */
  static addMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = this.destructMaxListenersArgs(...args)
    const max = Math.max(this.getMaxListeners(target, eventName ?? undefined) + increment, 0)
    if (isStringFilled(eventName)) this.setMaxListeners(target, eventName, max)
    else this.setMaxListeners(target, max)
    return max
  }

  static incrementMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = this.destructMaxListenersArgs(...args)
    return this.addMaxListeners(target, eventName, Math.abs(increment))
  }

  incrementMaxListeners(...args: unknown[]): number {
    return classOf(this).incrementMaxListeners(this, ...args)
  }

  static decrementMaxListeners(this: EmitterClass, ...args: unknown[]): number {
    const [target, eventName, increment] = this.destructMaxListenersArgs(...args)
    return this.addMaxListeners(target, eventName, -Math.abs(increment))
  }

  decrementMaxListeners(...args: unknown[]): number {
    return classOf(this).decrementMaxListeners(this, ...args)
  }

  /** @internal */
  static destructMaxListenersArgs(this: EmitterClass, ...args: unknown[]): [object, string | null, number] {
    let eventName: unknown = null
    let increment: unknown = 1
    let target: unknown = this.GLOBAL_TARGET
    if (args.length === 1) {
      if (typeof args[0] === 'number') increment = args[0]
      else if (typeof args[0] === 'string') eventName = args[0]
      else target = args[0]
    } else if (args.length === 2) {
      if (typeof args[0] === 'string') [eventName, increment] = args
      else if (typeof args[1] === 'string') [target, eventName] = args
      else [target, increment] = args
    } else if (args.length >= 3) [target, eventName, increment] = args
    if (!isObject(target)) throw mustBeObject()
    if (eventName !== null && !isStringFilled(eventName)) throw mustBeString()
    if (typeof increment !== 'number' || Number.isNaN(increment)) throw new TypeError('The value of "increment" must be a number.')
    return [target, eventName as string | null, increment]
  }

  /**
   * The listeners of an event as Bitrix returns them: a Map of listener -> {listener, options, sort}. The shim
   * returns a copy; changing it does not change the subscriptions.
   */
  static getListeners(this: EmitterClass, target: object | string, eventName?: string): Map<Listener, { listener: Listener; options: SubscribeOptions; sort: number }> {
    if (typeof target === 'string') {
      eventName = target
      target = this.GLOBAL_TARGET
    }
    if (!isObject(target)) throw mustBeObject()
    const name = this.normalizeEventName(eventName)
    if (!name) throw mustBeString()
    const list = busOf(this).records.get(target)?.events.get(this.resolveEventName(name, target))
    const out = new Map<Listener, { listener: Listener; options: SubscribeOptions; sort: number }>()
    if (list) for (const e of list.inOrder()) out.set(e.fn, { listener: e.fn, options: e.options, sort: e.sort })
    return out
  }

  getListeners(eventName: string): Map<Listener, { listener: Listener; options: SubscribeOptions; sort: number }> {
    return classOf(this).getListeners(this, eventName)
  }

  getFullEventName(eventName: string): string {
    if (!isStringFilled(eventName)) throw mustBeString()
    return EventEmitter.makeFullEventName(this.getEventNamespace(), eventName)
  }

  /**
   * Old BX.onCustomEvent names for namespaced events; listeners already subscribed under an alias move over.
   * @example BX.Event.EventEmitter.registerAliases({ onPopupClose: { namespace: 'BX.Main.Popup', eventName: 'onClose' } })
   */
  static registerAliases(this: EmitterClass, aliases: AliasMap): void {
    const normalized = this.normalizeAliases(aliases)
    const bus = busOf(this)
    for (const alias of Object.keys(normalized)) {
      const { eventName, namespace } = normalized[alias]
      bus.aliases.set(alias, { eventName, namespace })
      bus.mergeAlias(alias, this.makeFullEventName(namespace, eventName))
    }
  }

  /** @internal */
  static normalizeAliases(aliases: AliasMap): AliasMap {
    if (!isPlainObject(aliases)) throw new TypeError('The "aliases" argument must be an object.')
    const result: AliasMap = Object.create(null)
    for (const alias in aliases) {
      if (!isStringFilled(alias)) throw new TypeError('The alias must be an non-empty string.')
      const options = aliases[alias]
      if (!options || !isStringFilled(options.eventName) || !isStringFilled(options.namespace)) {
        throw new TypeError('The alias options must set the "eventName" and the "namespace".')
      }
      result[EventEmitter.normalizeEventName(alias)] = { eventName: options.eventName, namespace: options.namespace }
    }
    return result
  }

  static isEventEmitter(target: unknown): boolean {
    return isObject(target) && (target as Record<symbol, unknown>)[IS_EMITTER] === true
  }

  /** @internal lower case; '' for anything but a non-empty string */
  static normalizeEventName(eventName: unknown): string {
    return isStringFilled(eventName) ? eventName.toLowerCase() : ''
  }

  /** @internal the stored name: namespaced for emitters (unless global naming), an alias's real name, or the name */
  static resolveEventName(this: EmitterClass, eventName: string, target: object, useGlobalNaming = false): string {
    const name = this.normalizeEventName(eventName)
    if (!name) return ''
    if (this.isEventEmitter(target) && useGlobalNaming !== true) {
      const emitter = target as EventEmitter
      if (emitter.getEventNamespace() !== null && name.includes('.')) console.warn(`Possible the wrong event name "${name}".`)
      return emitter.getFullEventName(name)
    }
    const alias = busOf(this).aliases.get(name)
    return alias ? this.makeFullEventName(alias.namespace, alias.eventName) : name
  }

  /** @internal */
  static makeFullEventName(namespace: string | null, eventName: string): string {
    const full = isStringFilled(namespace) ? `${namespace}:${eventName}` : eventName
    return isStringFilled(full) ? full.toLowerCase() : ''
  }
}

function warnNoNamespace(): void {
  console.warn(
    'The instance of BX.Event.EventEmitter is supposed to have an event namespace. ' +
      'Use emitter.setEventNamespace() to make events more unique.',
  )
}

/** A fresh EventEmitter class with its own store, sequence and GLOBAL_TARGET. */
export function createEventEmitter(options: BusOptions = {}): EmitterClass {
  const bus = new Bus(options)
  const Base: EmitterClass = EventEmitter
  const BoundEventEmitter = class extends Base {}
  Object.defineProperty(BoundEventEmitter, 'name', { value: 'EventEmitter' })
  BoundEventEmitter[BUS] = bus
  BoundEventEmitter.GLOBAL_TARGET = bus.globalTarget
  ;(BoundEventEmitter.prototype as unknown as Record<symbol, unknown>)[EMITTER_CLASS] = BoundEventEmitter
  return BoundEventEmitter
}

/** @internal the bus behind an EventEmitter class made by createEventEmitter */
export function busOfEmitter(cls: EmitterClass): Bus {
  return busOf(cls)
}
