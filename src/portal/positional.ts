// Positional parameters of the legacy task methods (task.item.*, task.items.*). The handler's arguments have names
// (ORDER, FILTER, PARAMS, SELECT for task.item.list) and a position. Three request shapes reach it:
//   BX24 with an array:   [{ID: 'asc'}, {}, {NAV_PARAMS: ...}]  ->  0[ID]=asc&2[NAV_PARAMS][...]=...
//                         (BX24 drops an empty object, so index 1 is simply absent: that argument is empty);
//   by name:              ORDER[ID]=asc&FILTER[]=&PARAMS[NAV_PARAMS][...]=...;
//   anything else:        the values in the order they were sent ("the order of parameters must be followed").
// [inferred] Bitrix's old CTaskRestService was not read; indexes are honoured as indexes, so an app's empty `{}`
// argument does not shift the ones after it.

import { isObject, type Plain, type PlainObject } from './values'

const INDEX = /^(0|[1-9]\d{0,2})$/

export function positionalArgs(params: PlainObject, names: readonly string[]): (Plain | undefined)[] {
  const keys = Object.keys(params).filter((k) => k !== 'start')
  if (keys.some((k) => INDEX.test(k))) return names.map((_, i) => params[String(i)])
  const byName = new Map(keys.map((k) => [k.toUpperCase(), k]))
  if (names.some((n) => byName.has(n))) return names.map((n) => (byName.has(n) ? params[byName.get(n)!] : undefined))
  return names.map((_, i) => (keys[i] === undefined ? undefined : params[keys[i]!]))
}

/** An argument that should be a PHP array: `''` (how BX24 sends `[]`, and `X[]=` gives `['']`) counts as empty. */
export function arrayArg(value: Plain | undefined): PlainObject | Plain[] | null {
  if (Array.isArray(value)) return value.filter((v) => v !== '')
  if (isObject(value)) return value
  return null
}
