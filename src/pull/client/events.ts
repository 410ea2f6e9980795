// Where the client's BX events go (B.3, B.3.1): `BX.onCustomEvent(window, name, args, true)` on the BX it was given,
// whether that is the shim's own bus, Bitrix's core (an object or the function `BX`), or none at all.

import { ownRaiseOf, type OwnRaise } from '../../bx/own-raise'
import { copyJson } from './copy-json'
import type { BXEventsLike } from './types'

export interface PullEvents {
  /**
   * Raises `name` with Bitrix's per-handler copies (secureParams = true, PULL-29). `json`: the arguments hold the
   * client's own freshly parsed JSON, so our own BX may copy them with copyJson. Returns true when the arguments
   * themselves may have reached code that keeps them: a listener that got them uncopied, or a BX the client cannot
   * look into.
   */
  raise(name: string, args: unknown[], json: boolean): boolean
  /**
   * `prefix + moduleId`, the same string object each time for a module: the bus then finds the name by a hash it has
   * already computed instead of flattening and hashing a fresh concatenation for every message.
   */
  name(prefix: 'onPullEvent-' | 'onPullClientEvent-', moduleId: string): string
}

/** Module ids are wire data: the cache of their event names is dropped when it grows past this. */
const NAME_CACHE_SIZE = 256

/** `target`: the page's window, the global target of every pull event; null outside a browser. */
export function pullEvents(bx: BXEventsLike | null, target: object | null): PullEvents {
  const names = new Map<string, string>()
  const name = (prefix: string, moduleId: string): string => {
    const key = prefix === 'onPullEvent-' ? moduleId : '\u0000' + moduleId
    let full = names.get(key)
    if (full === undefined) {
      if (names.size >= NAME_CACHE_SIZE) names.clear()
      names.set(key, (full = prefix + moduleId))
    }
    return full
  }
  if (!bx) return { raise: () => false, name }
  const own: OwnRaise | undefined = ownRaiseOf(bx)
  const plain = (name: string, args: unknown[]): true => {
    if (target) bx.onCustomEvent(target, name, args, true)
    else (bx.onCustomEvent as unknown as (n: string, a: unknown[], s: boolean) => void)(name, args, true)
    return true
  }
  return { raise: own ? (event, args, json) => (json ? own(target, event, args, copyJson) : plain(event, args)) : plain, name }
}
