// The custom-event bus alone: BX.addCustomEvent / removeCustomEvent / removeAllCustomEvents / onCustomEvent over a
// fresh store, without BX.Event.EventEmitter's API or the localStorage bridge. This is the entry the 3 KB budget
// applies to (dist/bx-bus.mjs); createBX() builds the complete BX on the same pieces.

import { Bus } from './bus'
import { createCustomEvents, type CustomEvents, type CustomEventsOptions } from './custom-events'

export interface CustomEventBus extends CustomEvents {
  /** `this` of global handlers (gen 3), and the target that `window` or a string first argument stands for. */
  GLOBAL_TARGET: object
}

/** @example const bus = createCustomEventBus(); bus.addCustomEvent('onX', fn); bus.onCustomEvent('onX', [1]) */
export function createCustomEventBus(options: CustomEventsOptions = {}): CustomEventBus {
  const bus = new Bus({ legacy: options.legacy, legacyGlobalThis: options.win })
  return { ...createCustomEvents(bus, options), GLOBAL_TARGET: bus.global_ }
}
