// Properties an EventEmitter instance carries. `isEmitter` uses Symbol.for with Bitrix's own key, so emitters made by
// Bitrix's core and by the shim recognise each other on a page that has both.
export const IS_EMITTER: unique symbol = Symbol.for('BX.Event.EventEmitter.isEmitter')
export const NAMESPACE: unique symbol = Symbol('namespace')
export const TARGET: unique symbol = Symbol('target')

/** The object a BaseEvent reports as its target: an emitter's wrapped target, or the target itself. */
export function eventTargetOf(target: object): unknown {
  return (target as Record<symbol, unknown>)[IS_EMITTER] === true ? (target as Record<symbol, unknown>)[TARGET] : target
}
