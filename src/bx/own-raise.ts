// What our own BX offers our own pull client on its hot path, as a capability of the BX object itself (no registry):
// createBX() defines it under a registered symbol, the pull client reads it off the BX it was given, and any other BX
// (Bitrix's core on a portal page, a page's own object) simply lacks it and is raised through BX.onCustomEvent.
//
// Why: the pull client raises every message with `BX.onCustomEvent(window, name, [command, params, extra], true)`, and
// Bitrix copies the arguments for each compat handler with BX.clone, the general copy that keeps shared references
// and cycles. A message the pull client decoded itself is a fresh JSON tree (no sharing, no cycles, plain objects and
// arrays only), so a plain tree copy gives every handler exactly what BX.clone would give it, for less. The raise also
// tells whether a listener received the arguments themselves rather than a copy: a BX.Event.EventEmitter.subscribe()
// listener gets the BaseEvent, whose data is `args` (Bitrix copies only the compat arguments). While nothing has seen
// the message's own objects, the pull client hands them to its subscribe() callbacks instead of one more copy.
//
// Kept out of custom-events.ts so the 3 KB bus entry does not carry it.

import type { Bus, ListenerList } from './bus'
import { isObject } from './type-checks'

/** onCustomEvent(target, name, args, true) with `copy` for BX.clone; true if a listener got `args` uncopied. */
export type OwnRaise = (target: unknown, name: string, args: unknown[], copy: (data: any) => any) => boolean

/** A registered symbol: a pull client from another bundle of this library (ESM next to the UMD) finds it too. */
export const OWN_RAISE: unique symbol = Symbol.for('bx24-shim.ownRaise') as never

/** The raise of a BX made by createBX(), or undefined for any other value. */
export function ownRaiseOf(bx: unknown): OwnRaise | undefined {
  if (!isObject(bx)) return undefined
  const raise = (bx as { [OWN_RAISE]?: unknown })[OWN_RAISE]
  return typeof raise === 'function' ? (raise as OwnRaise) : undefined
}

/** Gives `bx` (made by createBX over `bus`) its raise; `win` stands for the global target, as in its onCustomEvent. */
export function registerOwnRaise(bx: object, bus: Bus, win: unknown): void {
  const raise: OwnRaise = (target, name, args, copy) => {
    // The same target and name resolution as custom-events.ts onCustomEvent.
    const on = !isObject(target) || target === win ? bus.global_ : target
    const fullName = bus.resolve_(name, on, true)
    const globalList = bus.globalRecord_.events_.get(fullName)
    const targetList = on === bus.global_ ? undefined : bus.records_.get(on)?.events_.get(fullName)
    // Most pull events have no listener at all (onPullEvent, onPullClientEvent-*): nothing to dispatch.
    if (globalList === undefined && targetList === undefined) return false
    const handedOut = handsOut(globalList) || handsOut(targetList)
    bus.dispatch_(on, fullName, null, args, copy, undefined, null)
    return handedOut
  }
  // Not enumerable, not writable: invisible to code that walks BX, and no page script can swap it.
  Object.defineProperty(bx, OWN_RAISE, { value: raise })
}

/** A listener of `list` would get the BaseEvent, whose data is the arguments themselves. */
function handsOut(list: ListenerList | undefined): boolean {
  // inOrder_() first: it brings compatOnly_ up to date (and the dispatch reuses the order it caches).
  return list !== undefined && list.inOrder_().length > 0 && !list.compatOnly_
}
