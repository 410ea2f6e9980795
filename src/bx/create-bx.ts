// createBX(): one complete, isolated `BX` event bus object: what the UMD bundle installs as window.BX, and what
// tests build fresh.

import { BaseEvent } from './base-event'
import { clone } from './clone'
import { createCustomEvents, type CustomEvents } from './custom-events'
import { Bus } from './bus'
import { createEventEmitter, type EventEmitter } from './event-emitter'
import { createGlobalEvents, type BXLocalStorage } from './local-storage'
import { createMessage, type MessageFunction } from './message'
import { registerOwnRaise } from './own-raise'

export interface CreateBXOptions {
  /** The window whose `storage` events and localStorage carry BX.onGlobalCustomEvent. Default: the global window. */
  window?: Window
  /**
   * Gen-1/gen-2 semantics (spec A.6) for BX.*CustomEvent: `this === window` in global handlers, duplicate adds run
   * twice, removal removes every copy, non-array params call handlers with no arguments, bad arguments to
   * addCustomEvent are ignored silently. Default false: current main.core (gen 3).
   */
  legacy?: boolean
}

export interface BXBus extends CustomEvents {
  Event: { EventEmitter: typeof EventEmitter; BaseEvent: typeof BaseEvent }
  onGlobalCustomEvent(eventName: string, eventParams?: unknown, skipSelf?: boolean): void
  localStorage: BXLocalStorage
  message: MessageFunction
  /** `BX.clone`, the deep copy that `secureParams === true` makes. */
  clone<T>(value: T): T
  /** Detaches the `storage` listener (for tests and teardown). */
  destroy(): void
}

export function createBX(options: CreateBXOptions = {}): BXBus {
  const win = options.window ?? (typeof window !== 'undefined' ? window : undefined)
  const legacy = options.legacy === true
  const bus = new Bus({ legacy, legacyGlobalThis: win })
  const Emitter = createEventEmitter(bus)
  const events = createCustomEvents(bus, { win, legacy })
  const message = createMessage()
  const global = createGlobalEvents(win, events, message)
  const bx: BXBus = {
    ...events,
    Event: { EventEmitter: Emitter, BaseEvent },
    onGlobalCustomEvent: global.onGlobalCustomEvent,
    localStorage: global.localStorage,
    message,
    clone,
    destroy: global.detach,
  }
  registerOwnRaise(bx, bus, win)
  return bx
}
