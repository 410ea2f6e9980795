// Positional parameters of the legacy task methods (task.item.*, task.items.*): the handler reads its arguments by
// position ("the order of parameters in the request must be followed"), whatever their names. BX24 sends an array
// `[5, {TITLE: 'x'}]` as `0=5&1[TITLE]=x`; a named body (`TASKID=5&TASKDATA[TITLE]=x`) works in the same order.

import { isObject, type Plain, type PlainObject } from './values'

/**
 * The arguments in order. Keys that look like list indexes come first, by index (a JS object keeps them that way;
 * PHP keeps insertion order, which is the same for anything BX24 or b24jssdk sends); named keys follow in the order
 * they were sent. The server takes `start` out before the handler runs.
 */
export function positionalArgs(params: PlainObject): Plain[] {
  return Object.keys(params).filter((k) => k !== 'start').map((k) => params[k]!)
}

/** An argument that should be a PHP array: `''` (how BX24 sends `[]`) and absent ones are empty. */
export function arrayArg(value: Plain | undefined): PlainObject | Plain[] | null {
  if (Array.isArray(value) || isObject(value)) return value
  return null
}
