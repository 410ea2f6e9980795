// A cost model of main.core's emit, written from the spec's description of its algorithm (spec A.3), not from its
// code, to show what the shim saves: per emit it builds a BaseEvent, copies the global and the target's listener maps
// into a new array, sorts it by subscription sequence, checks each listener in the live maps and calls it with
// `apply`; secureParams clones per handler. Bitrix's real core is not on npm, so this model is the peer.
import { BaseEvent, clone } from '../dist/bx.mjs'

export function createBitrixModel() {
  const GLOBAL = { GLOBAL_TARGET: 'GLOBAL_TARGET' }
  const store = new WeakMap()
  let sequence = 1
  const mapOf = (target, name) => {
    let byName = store.get(target)
    if (!byName) store.set(target, (byName = new Map()))
    let listeners = byName.get(name)
    if (!listeners) byName.set(name, (listeners = new Map()))
    return listeners
  }
  return {
    addCustomEvent(target, name, fn) {
      if (typeof target === 'string') [target, name, fn] = [GLOBAL, target, name]
      mapOf(target, name.toLowerCase()).set(fn, { listener: fn, options: { compatMode: true }, sort: sequence++ })
    },
    onCustomEvent(target, name, params, secure) {
      if (typeof target === 'string') [target, name, params, secure] = [GLOBAL, target, name, params]
      name = name.toLowerCase()
      const event = new BaseEvent()
      event.setData(params)
      event.setCompatData(params)
      const globalListeners = store.get(GLOBAL)?.get(name) ?? new Map()
      const targetListeners = target === GLOBAL ? new Map() : store.get(target)?.get(name) ?? new Map()
      const listeners = [...globalListeners.values(), ...targetListeners.values()]
      listeners.sort((a, b) => a.sort - b.sort)
      event.setTarget(target).setType(name)
      for (let i = 0; i < listeners.length; i++) {
        if (event.isImmediatePropagationStopped()) break
        const { listener } = listeners[i]
        if (globalListeners.has(listener) || targetListeners.has(listener)) {
          const data = event.getCompatData()
          listener.apply(target, secure === true ? clone(data) : data)
        }
      }
    },
  }
}
