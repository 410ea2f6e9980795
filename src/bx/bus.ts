// The storage and dispatch loop under BX.Event.EventEmitter and the BX.*CustomEvent functions.
//
// Semantics are Bitrix main.core's (event-emitter.js), observable detail for detail; the speed comes from three
// things Bitrix does not do: the listener order of a list is cached until the list changes (no copy and sort per
// emit), the global and target lists are merged only when both have listeners, and the BaseEvent of a
// BX.onCustomEvent call is built only if a listener can see it.
//
// Names ending in "_" are internal and shortened by the minifier (build.mjs mangleProps): the bus has a 3 KB budget.

import { BaseEvent } from './base-event'
import { clone } from './clone'
import { IS_EMITTER, eventTargetOf } from './emitter-symbols'
import { createLeakWarnings, type LeakWarnings } from './leak-warnings'
import { isArrayLike, isObject, isStringFilled, type AnyFunction } from './type-checks'

export interface SubscribeOptions {
  compatMode?: boolean
  useGlobalNaming?: boolean
}

export interface ListenerEntry {
  readonly fn_: AnyFunction
  /** The function itself, or (legacy duplicates only) a unique token so one function can be listed twice. */
  readonly key_: unknown
  readonly options_: SubscribeOptions
  /** options_.compatMode, read once: the dispatch loop checks it for every call */
  readonly compat_: boolean
  readonly sort_: number
}

/**
 * `fn.apply(context, args)`, with direct calls for short real arrays: V8 runs those several times faster, and the
 * handler still sees exactly `args.length` arguments.
 */
function applyArgs(fn: AnyFunction, context: unknown, args: ArrayLike<unknown>): unknown {
  if (Array.isArray(args)) {
    switch (args.length) {
      case 0: return fn.call(context)
      case 1: return fn.call(context, args[0])
      case 2: return fn.call(context, args[0], args[1])
      case 3: return fn.call(context, args[0], args[1], args[2])
      case 4: return fn.call(context, args[0], args[1], args[2], args[3])
    }
  }
  return fn.apply(context, args as unknown[])
}

const NONE: readonly ListenerEntry[] = []

/** `namespace:name` in lower case, or the name alone without a namespace ('' for nothing). */
export function makeFullEventName(namespace: unknown, eventName: string): string {
  return (isStringFilled(namespace) ? `${namespace}:${eventName}` : eventName || '').toLowerCase()
}

/** The listeners of one event name on one target. */
export class ListenerList {
  readonly map_ = new Map<unknown, ListenerEntry>()
  private ordered_: ListenerEntry[] | null = null
  dups_ = false
  /** Every listener is a BX.addCustomEvent one (valid after inOrder_): the dispatch can take its fast loop. */
  compatOnly_ = true

  add_(entry: ListenerEntry): void {
    this.map_.set(entry.key_, entry)
    this.ordered_ = null
  }

  /** Removes every entry of `fn` (more than one only for legacy duplicates). */
  remove_(fn: unknown): void {
    if (this.map_.delete(fn)) this.ordered_ = null
    if (this.dups_) {
      for (const [key, entry] of this.map_) if (entry.fn_ === fn) this.map_.delete(key), (this.ordered_ = null)
    }
  }

  /** Listeners in subscription order. The array is not changed afterwards, so a dispatch may keep it. */
  inOrder_(): readonly ListenerEntry[] {
    if (this.ordered_ === null) {
      this.ordered_ = [...this.map_.values()].sort((a, b) => a.sort_ - b.sort_)
      this.compatOnly_ = this.ordered_.every((entry) => entry.compat_)
    }
    return this.ordered_
  }
}

export interface TargetRecord {
  events_: Map<string, ListenerList>
  /** name -> (original listener -> its once-wrapper) */
  once_: Map<string, Map<AnyFunction, AnyFunction>>
  max_: number
  eventMax_: Map<string, number>
}

export interface BusOptions {
  /**
   * Gen-1/gen-2 BX.*CustomEvent behaviour (spec A.6): `this` is `legacyGlobalThis` (window) for global events,
   * adding a function twice lists it twice and it runs twice, removing it removes every copy, and a non-array-like
   * `eventParams` calls handlers with no arguments instead of `[BaseEvent]`.
   */
  legacy?: boolean
  legacyGlobalThis?: unknown
}

export class Bus {
  readonly global_: object = { GLOBAL_TARGET: 'GLOBAL_TARGET' }
  readonly records_ = new WeakMap<object, TargetRecord>()
  readonly aliases_ = new Map<string, { eventName: string; namespace: string }>()
  readonly warnings_: LeakWarnings = createLeakWarnings()
  readonly legacy_: boolean
  private readonly context_: unknown
  private seq_ = 1
  /** Counts every subscribe and removal, so a dispatch knows when it must re-check its listeners. */
  private mutations_ = 0
  /** The GLOBAL_TARGET's record (read by own-raise.ts as well). */
  readonly globalRecord_: TargetRecord
  /** Resolved names for the common case (plain target or global naming); cleared when aliases change. */
  private readonly names_ = new Map<string, string>()

  constructor(options: BusOptions = {}) {
    this.legacy_ = options.legacy === true
    this.context_ = this.legacy_ ? options.legacyGlobalThis : this.global_
    this.globalRecord_ = this.recordOf_(this.global_)
    this.globalRecord_.max_ = 25
  }

  /**
   * The name listeners are stored under: an emitter target namespaces it (unless global naming, as the BX.*
   * functions use), an alias registered with registerAliases maps to its real name, else the lower-cased name.
   */
  resolve_(eventName: unknown, target: object, useGlobalNaming?: boolean): string {
    const plain = useGlobalNaming === true || (target as Record<symbol, unknown>)[IS_EMITTER] !== true
    if (plain && typeof eventName === 'string') {
      const known = this.names_.get(eventName)
      if (known !== undefined) return known
    }
    const name = isStringFilled(eventName) ? eventName.toLowerCase() : ''
    if (!name) return ''
    if (!plain) {
      const emitter = target as { getEventNamespace(): unknown; getFullEventName(name: string): string }
      if (emitter.getEventNamespace() !== null && name.includes('.')) console.warn(`Possible the wrong event name "${name}".`)
      return emitter.getFullEventName(name)
    }
    const alias = this.aliases_.get(name)
    const resolved = alias ? makeFullEventName(alias.namespace, alias.eventName) : name
    // Bounded: event names come from code, but a page that builds them from data must not grow this forever.
    if (this.names_.size > 1000) this.names_.clear()
    this.names_.set(eventName as string, resolved)
    return resolved
  }

  /** Bitrix's getMaxListeners(target, eventName). */
  maxOf_(target: object, eventName?: unknown, fallback = 10): number {
    const record = this.records_.get(target)
    if (!record) return fallback
    return (isStringFilled(eventName) && record.eventMax_.get(this.resolve_(eventName, target))) || record.max_
  }

  recordOf_(target: object): TargetRecord {
    let record = this.records_.get(target)
    if (!record) this.records_.set(target, (record = { events_: new Map(), once_: new Map(), max_: 10, eventMax_: new Map() }))
    return record
  }

  /**
   * Adds a listener for the (lower-cased) `eventName`; a duplicate is refused with console.error, and passing the
   * max-listener count schedules a leak warning, as in Bitrix.
   */
  subscribe_(target: object, eventName: string, fn: AnyFunction, options: SubscribeOptions): void {
    const name = this.resolve_(eventName, target, options.useGlobalNaming === true)
    const list = this.add_(target, name, fn, options)
    if (list.map_.size > this.maxOf_(target, eventName)) this.warnings_.add(target, name, list.map_.size)
  }

  private add_(target: object, name: string, fn: AnyFunction, options: SubscribeOptions): ListenerList {
    const record = this.recordOf_(target)
    let list = record.events_.get(name)
    if (!list) record.events_.set(name, (list = new ListenerList()))
    let key: unknown = fn
    if (list.map_.has(fn) || record.once_.get(name)?.has(fn)) {
      if (!(this.legacy_ && options.compatMode)) {
        console.error(`You cannot subscribe the same "${name}" event listener twice.`)
        return list
      }
      key = {}
      list.dups_ = true
    }
    list.add_({ fn_: fn, key_: key, options_: options, compat_: !!options.compatMode, sort_: this.seq_++ })
    this.mutations_++
    return list
  }

  unsubscribe_(target: object, eventName: string, fn: AnyFunction, useGlobalNaming?: boolean): void {
    const name = this.resolve_(eventName, target, useGlobalNaming)
    const record = this.records_.get(target)
    const list = record?.events_.get(name)
    this.mutations_++
    list?.remove_(fn)
    const onceListeners = record?.once_.get(name)
    const wrapper = onceListeners?.get(fn)
    if (wrapper) {
      onceListeners!.delete(fn)
      list?.remove_(wrapper)
    }
  }

  /** Every listener of `eventName` on `target`, or with no name all of the target's (refused for the global target). */
  unsubscribeAll_(target: object, eventName: unknown, useGlobalNaming?: boolean): void {
    this.mutations_++
    if (isStringFilled(eventName)) {
      const record = isObject(target) ? this.records_.get(target) : undefined
      const name = record ? this.resolve_(eventName, target, useGlobalNaming) : ''
      record?.events_.delete(name)
      record?.once_.delete(name)
    } else if (eventName == null) {
      if (target === this.global_) console.error('You cannot unsubscribe all global listeners.')
      else if (isObject(target)) this.records_.delete(target)
    }
  }

  /** Moves listeners registered under an alias to the full name (registerAliases after subscriptions). */
  mergeAlias_(alias: string, fullName: string): void {
    this.mutations_++
    this.names_.clear()
    const { events_, once_, eventMax_ } = this.recordOf_(this.global_)
    const aliasList = events_.get(alias)
    if (aliasList) {
      // A new list, as Bitrix builds a new Map: a dispatch already running keeps the lists it started with.
      const merged = new ListenerList()
      for (const list of [events_.get(fullName), aliasList]) {
        if (list) for (const entry of list.map_.values()) merged.add_(entry), (merged.dups_ ||= list.dups_)
      }
      events_.set(fullName, merged)
      events_.delete(alias)
    }
    const aliasOnce = once_.get(alias)
    if (aliasOnce) {
      once_.set(fullName, new Map([...(once_.get(fullName) ?? []), ...aliasOnce]))
      once_.delete(alias)
    }
    const aliasMax = eventMax_.get(alias)
    if (aliasMax) {
      eventMax_.set(fullName, Math.max(eventMax_.get(fullName) || 0, aliasMax))
      eventMax_.delete(alias)
    }
  }

  /**
   * Calls the global and the target's listeners of `name` in subscription order. `event` is the BaseEvent of an
   * `emit`; for BX.onCustomEvent it is null and one is made, from `data`, only when a listener would receive it.
   * Handler exceptions are not caught: they end the dispatch and reach the caller, as in Bitrix. `cloneData` true
   * copies the compat arguments with BX.clone for each compat listener; a function copies them with that function
   * instead (own-raise.ts: the pull client's JSON messages, where a plain tree copy gives the same result faster).
   */
  dispatch_(
    target: object,
    name: string,
    event: BaseEvent | null,
    data: unknown,
    cloneData: boolean | ((data: any) => any),
    thisArg: unknown,
    results: unknown[] | null,
  ): void {
    const globalList = this.globalRecord_.events_.get(name)
    const targetList = target === this.global_ ? undefined : this.records_.get(target)?.events_.get(name)
    const a = globalList ? globalList.inOrder_() : NONE
    const b = targetList ? targetList.inOrder_() : NONE
    const listeners = b.length === 0 ? a : a.length === 0 ? b : [...a, ...b].sort((x, y) => x.sort_ - y.sort_)
    const compatData = event !== null ? event.compatData : isArrayLike(data) ? data : null
    const context = thisArg !== undefined ? thisArg : target === this.global_ ? this.context_ : target
    const mutations = this.mutations_
    let i = 0

    // The common BX.onCustomEvent case (positional params, no clone, only compat listeners) in a tight loop. It stops
    // at the first subscribe or removal made by a handler, and the general loop below carries on from there.
    if (event === null && !cloneData && Array.isArray(compatData) && (globalList?.compatOnly_ ?? true) && (targetList?.compatOnly_ ?? true)) {
      for (; i < listeners.length && this.mutations_ === mutations; i++) applyArgs(listeners[i].fn_, context, compatData)
    }

    for (; i < listeners.length; i++) {
      if (event !== null && event.immediatePropagationStopped) break
      const entry = listeners[i]
      // A listener removed by an earlier one is skipped (one added meanwhile is not in `listeners` at all). While
      // nothing at all was subscribed or removed since the dispatch began, every listener is still there.
      if (this.mutations_ !== mutations && !(globalList?.map_.has(entry.key_) || targetList?.map_.has(entry.key_))) continue

      let result: unknown
      if (entry.compat_) {
        if (compatData !== null) result = applyArgs(entry.fn_, context, cloneData ? (cloneData === true ? clone : cloneData)(compatData) : compatData)
        else result = entry.fn_.apply(context, this.legacy_ ? [] : [(event ??= this.event_(target, name, data))])
      } else {
        result = entry.fn_.call(thisArg, (event ??= this.event_(target, name, data)))
      }
      if (results !== null) results.push(result)
    }
  }

  /** The BaseEvent BX.onCustomEvent would have built: data and compatData are the params. */
  private event_(target: object, name: string, data: unknown): BaseEvent {
    return new BaseEvent({ data, compatData: data as ArrayLike<unknown> }).setTarget(eventTargetOf(target)).setType(name)
  }
}
