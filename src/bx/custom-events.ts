// BX.addCustomEvent / removeCustomEvent / removeAllCustomEvents / onCustomEvent, the compat layer of Bitrix's
// main.core (core-compatibility.js), straight over the Bus that BX.Event.EventEmitter also uses.

import type { BXEventHandler, BXEventShortHandler } from '../types/pull-events'
import type { Bus } from './bus'
import { isFunction, isObject, isStringFilled } from './type-checks'

export interface CustomEvents {
  /**
   * Handlers of the pull events (and of names added to BXEventMap) get their arguments typed; other names take any
   * function (src/types/pull-events.ts).
   * @example BX.addCustomEvent('onPullEvent-im', (command, params, extra) => {})
   */
  addCustomEvent<N extends string>(eventName: N, handler: BXEventHandler<N>): void
  addCustomEvent<N extends string>(eventName: N, handler: BXEventShortHandler<N>): void
  /** With a target (`window` is the global one) the same names have the same types. */
  addCustomEvent<N extends string>(eventObject: object, eventName: N, handler: BXEventHandler<N>): void
  addCustomEvent<N extends string>(eventObject: object, eventName: N, handler: BXEventShortHandler<N>): void
  /** @example BX.removeCustomEvent('onPullEvent-im', handler) */
  removeCustomEvent<N extends string>(eventName: N, handler: BXEventHandler<N>): void
  removeCustomEvent<N extends string>(eventName: N, handler: BXEventShortHandler<N>): void
  removeCustomEvent<N extends string>(eventObject: object, eventName: N, handler: BXEventHandler<N>): void
  removeCustomEvent<N extends string>(eventObject: object, eventName: N, handler: BXEventShortHandler<N>): void
  /** @example BX.removeAllCustomEvents(popup, 'onClose') */
  removeAllCustomEvents(eventObject: object, eventName: string): void
  removeAllCustomEvents(eventName: string): void
  /**
   * Raises an event: `eventParams` is spread into each handler; `secureParams === true` gives each its own deep copy.
   * @example BX.onCustomEvent(window, 'onMyEvent', [1, 2], true)
   */
  onCustomEvent(eventObject: object, eventName: string, eventParams?: ArrayLike<unknown> | unknown, secureParams?: boolean): void
  onCustomEvent(eventName: string, eventParams?: ArrayLike<unknown> | unknown, secureParams?: boolean): void
}

export interface CustomEventsOptions {
  /** The page's window: passed as the target it means the global target, as in Bitrix. */
  win?: unknown
  /** gen-2 argument handling: bad arguments to addCustomEvent are ignored silently. */
  legacy?: boolean
}

/** The BX.*CustomEvent functions over `bus`, the same store BX.Event.EventEmitter uses. */
export function createCustomEvents(bus: Bus, options: CustomEventsOptions = {}): CustomEvents {
  const GLOBAL = bus.global_
  const win = options.win
  const legacy = options.legacy === true

  // Bitrix lets `eventName.toLowerCase()` throw a bare TypeError for a non-string name in on/remove/removeAll.
  // The shim logs and ignores instead (issue 3: bad arguments are logged, never thrown); see README, Known differences.
  const badName = (): void => console.error('The "eventName" argument must be a string.')
  const badHandler = (handler: unknown): void =>
    console.error(`The "eventHandler" argument must be a function. Received type ${typeof handler}.`)

  function addCustomEvent(eventObject: unknown, eventName?: unknown, handler?: unknown): void {
    if (typeof eventObject === 'string') {
      handler = eventName
      eventName = eventObject
      eventObject = GLOBAL
    }
    if (eventObject === win) eventObject = GLOBAL
    if (legacy && !(isObject(eventObject) && isStringFilled(eventName) && isFunction(handler))) return
    if (!isObject(eventObject)) {
      return console.error(`The "eventObject" argument must be an object. Received type ${typeof eventObject}.`)
    }
    if (!isStringFilled(eventName)) return badName()
    if (!isFunction(handler)) return badHandler(handler)
    bus.subscribe_(eventObject, eventName, handler, { compatMode: true, useGlobalNaming: true })
  }

  function removeCustomEvent(eventObject: unknown, eventName?: unknown, handler?: unknown): void {
    if (typeof eventObject === 'string') {
      handler = eventName
      eventName = eventObject
      eventObject = GLOBAL
    }
    if (!isFunction(handler)) return badHandler(handler)
    if (eventObject === win) eventObject = GLOBAL
    if (!isStringFilled(eventName)) return badName()
    if (isObject(eventObject)) bus.unsubscribe_(eventObject, eventName, handler, true)
  }

  function removeAllCustomEvents(eventObject: unknown, eventName?: unknown): void {
    if (typeof eventObject === 'string') {
      eventName = eventObject
      eventObject = GLOBAL
    }
    if (eventObject === win) eventObject = GLOBAL
    // An empty name is a silent no-op in Bitrix too (unsubscribeAll ignores it).
    if (typeof eventName !== 'string') return badName()
    bus.unsubscribeAll_(eventObject as object, eventName, true)
  }

  function onCustomEvent(eventObject: unknown, eventName?: unknown, eventParams?: unknown, secureParams?: unknown): void {
    if (typeof eventObject === 'string') {
      secureParams = eventParams
      eventParams = eventName
      eventName = eventObject
      eventObject = GLOBAL
    }
    if (!isObject(eventObject) || eventObject === win) eventObject = GLOBAL
    if (!isStringFilled(eventName)) return badName()
    // Same as EventEmitter.emit(target, name, BaseEvent{data, compatData: params}, {cloneData, useGlobalNaming}),
    // without building the BaseEvent unless a listener receives it.
    const target = eventObject as object
    bus.dispatch_(target, bus.resolve_(eventName, target, true), null, eventParams || [], secureParams === true, undefined, null)
  }

  return { addCustomEvent, removeCustomEvent, removeAllCustomEvents, onCustomEvent } as CustomEvents
}
