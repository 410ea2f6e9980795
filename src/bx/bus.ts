// The storage and dispatch loop under BX.Event.EventEmitter and the BX.*CustomEvent functions.
//
// Semantics are Bitrix main.core's (event-emitter.js), observable detail for detail; the speed comes from three
// things Bitrix does not do: the listener order of a list is cached until the list changes (no copy and sort per
// emit), the global and target lists are merged only when both have listeners, and the BaseEvent of a
// BX.onCustomEvent call is built only if a listener can see it.

import { BaseEvent } from './base-event'
import { clone } from './clone'
import { eventTargetOf } from './emitter-symbols'
import { createLeakWarnings, type LeakWarnings } from './leak-warnings'
import { isArrayLike, type AnyFunction } from './type-checks'

export interface SubscribeOptions {
  compatMode?: boolean
  useGlobalNaming?: boolean
}

export interface ListenerEntry {
  readonly fn: AnyFunction
  /** The function itself, or (legacy duplicates only) a unique token so one function can be listed twice. */
  readonly key: unknown
  readonly options: SubscribeOptions
  readonly sort: number
}

const bySort = (a: ListenerEntry, b: ListenerEntry): number => a.sort - b.sort
const NONE: readonly ListenerEntry[] = []
const NO_ARGS: readonly unknown[] = []

/** The listeners of one event name on one target. */
export class ListenerList {
  readonly entries = new Map<unknown, ListenerEntry>()
  private ordered: ListenerEntry[] | null = null
  hasDuplicates = false

  get size(): number {
    return this.entries.size
  }

  has(key: unknown): boolean {
    return this.entries.has(key)
  }

  add(entry: ListenerEntry): void {
    this.entries.set(entry.key, entry)
    this.ordered = null
  }

  /** Removes every entry of `fn` (more than one only for legacy duplicates). */
  remove(fn: unknown): void {
    let changed = this.entries.delete(fn)
    if (this.hasDuplicates) {
      for (const [key, entry] of this.entries) {
        if (entry.fn === fn) {
          this.entries.delete(key)
          changed = true
        }
      }
    }
    if (changed) this.ordered = null
  }

  /** Listeners in subscription order. The array is not changed afterwards, so a dispatch may keep it. */
  inOrder(): readonly ListenerEntry[] {
    return (this.ordered ??= [...this.entries.values()].sort(bySort))
  }
}

export interface TargetRecord {
  events: Map<string, ListenerList>
  /** name -> (original listener -> its once-wrapper) */
  once: Map<string, Map<AnyFunction, AnyFunction>>
  maxListeners: number
  eventsMaxListeners: Map<string, number>
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

function mergeBySort(a: readonly ListenerEntry[], b: readonly ListenerEntry[]): readonly ListenerEntry[] {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const out: ListenerEntry[] = new Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) out[k++] = a[i].sort <= b[j].sort ? a[i++] : b[j++]
  while (i < a.length) out[k++] = a[i++]
  while (j < b.length) out[k++] = b[j++]
  return out
}

export class Bus {
  readonly globalTarget: object = { GLOBAL_TARGET: 'GLOBAL_TARGET' }
  readonly defaultMaxListeners = 10
  readonly records = new WeakMap<object, TargetRecord>()
  readonly aliases = new Map<string, { eventName: string; namespace: string }>()
  readonly warnings: LeakWarnings = createLeakWarnings()
  readonly legacy: boolean
  private readonly globalContext: unknown
  private sequence = 1

  constructor(options: BusOptions = {}) {
    this.legacy = options.legacy === true
    this.globalContext = this.legacy ? options.legacyGlobalThis : this.globalTarget
    this.records.set(this.globalTarget, this.newRecord(25))
  }

  private newRecord(maxListeners = this.defaultMaxListeners): TargetRecord {
    return { events: new Map(), once: new Map(), maxListeners, eventsMaxListeners: new Map() }
  }

  recordOf(target: object): TargetRecord {
    let record = this.records.get(target)
    if (!record) this.records.set(target, (record = this.newRecord()))
    return record
  }

  /** Adds a listener (a duplicate is refused with console.error); returns its list, for the max-listener check. */
  subscribe(target: object, name: string, fn: AnyFunction, options: SubscribeOptions): ListenerList {
    const record = this.recordOf(target)
    let list = record.events.get(name)
    if (!list) record.events.set(name, (list = new ListenerList()))
    let key: unknown = fn
    if (list.has(fn) || record.once.get(name)?.has(fn)) {
      if (!(this.legacy && options.compatMode)) {
        console.error(`You cannot subscribe the same "${name}" event listener twice.`)
        return list
      }
      key = {}
      list.hasDuplicates = true
    }
    list.add({ fn, key, options, sort: this.sequence++ })
    return list
  }

  unsubscribe(target: object, name: string, fn: AnyFunction): void {
    const record = this.records.get(target)
    if (!record) return
    const list = record.events.get(name)
    list?.remove(fn)
    const onceListeners = record.once.get(name)
    const wrapper = onceListeners?.get(fn)
    if (wrapper) {
      onceListeners!.delete(fn)
      list?.remove(wrapper)
    }
  }

  /** Moves listeners registered under an alias to the full name (registerAliases after subscriptions). */
  mergeAlias(alias: string, fullName: string): void {
    const record = this.records.get(this.globalTarget)!
    const aliasList = record.events.get(alias)
    if (aliasList) {
      // A new list, as Bitrix builds a new Map: a dispatch already running keeps the lists it started with.
      const merged = new ListenerList()
      for (const list of [record.events.get(fullName), aliasList]) {
        if (!list) continue
        for (const entry of list.entries.values()) merged.add(entry)
        merged.hasDuplicates ||= list.hasDuplicates
      }
      record.events.set(fullName, merged)
      record.events.delete(alias)
    }
    const aliasOnce = record.once.get(alias)
    if (aliasOnce) {
      record.once.set(fullName, new Map([...(record.once.get(fullName) ?? []), ...aliasOnce]))
      record.once.delete(alias)
    }
    const aliasMax = record.eventsMaxListeners.get(alias)
    if (aliasMax) {
      record.eventsMaxListeners.set(fullName, Math.max(record.eventsMaxListeners.get(fullName) || 0, aliasMax))
      record.eventsMaxListeners.delete(alias)
    }
  }

  /**
   * Calls the global and the target's listeners of `name` in subscription order. `event` is the BaseEvent of an
   * `emit`; for BX.onCustomEvent it is null and one is made, from `data`, only when a listener would receive it.
   * Handler exceptions are not caught: they end the dispatch and reach the caller, as in Bitrix.
   */
  dispatch(
    target: object,
    name: string,
    event: BaseEvent | null,
    data: unknown,
    cloneData: boolean,
    thisArg: unknown,
    results: unknown[] | null,
  ): void {
    const globalList = this.records.get(this.globalTarget)!.events.get(name)
    const targetList = target === this.globalTarget ? undefined : this.records.get(target)?.events.get(name)
    const listeners = mergeBySort(globalList ? globalList.inOrder() : NONE, targetList ? targetList.inOrder() : NONE)
    const compatData = event !== null ? event.compatData : isArrayLike(data) ? data : null

    for (let i = 0; i < listeners.length; i++) {
      if (event !== null && event.immediatePropagationStopped) break
      const entry = listeners[i]
      // A listener removed by an earlier one is skipped; one added meanwhile is not in `listeners` at all.
      if (!(globalList?.has(entry.key) || targetList?.has(entry.key))) continue

      let result: unknown
      if (entry.options.compatMode) {
        let args: ArrayLike<unknown>
        if (compatData !== null) args = cloneData ? clone(compatData) : compatData
        else if (this.legacy) args = NO_ARGS
        else args = [(event ??= this.makeEvent(target, name, data))]
        const context = thisArg !== undefined ? thisArg : target === this.globalTarget ? this.globalContext : target
        result = entry.fn.apply(context, args as unknown[])
      } else {
        result = entry.fn.call(thisArg, (event ??= this.makeEvent(target, name, data)))
      }
      if (results !== null) results.push(result)
    }
  }

  makeEvent(target: object, name: string, data: unknown): BaseEvent {
    const event = new BaseEvent()
    event.setData(data)
    event.setCompatData(data)
    event.setTarget(eventTargetOf(target))
    event.setType(name)
    return event
  }
}
