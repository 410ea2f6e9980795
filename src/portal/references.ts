// `$result[key][path]` references inside batch commands (spec §5.2). Names: result, next, total, time, error (any
// case). A reference that is the whole value is replaced by the raw value (arrays stay arrays); one inside a longer
// string is replaced by its PHP string form. A path segment that does not exist stops the walk and the value reached
// so far is used, which is the server's behaviour, not an error.

import { createObject, isObject, phpString, type Plain } from './values'

export type Buckets = Record<'result' | 'next' | 'total' | 'time' | 'error', Map<string, Plain>>

const WHOLE = /^\$(result|next|total|time|error)((?:\[[^\]]+\])+)$/i
const INNER = /\$(result|next|total|time|error)((?:\[[^\]]+\])+)/gi

function bucketValue(bucket: Map<string, Plain>): Plain {
  const out = createObject()
  for (const [k, v] of bucket) out[k] = v
  return out
}

export function resolveReference(name: string, path: string, buckets: Buckets): Plain {
  const bucket = buckets[name.toLowerCase() as keyof Buckets]
  const segments = [...path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!)
  const first = segments.shift()!
  if (!bucket.has(first)) return bucketValue(bucket)
  let value: Plain = bucket.get(first)!
  for (const seg of segments) {
    if (Array.isArray(value) && /^\d+$/.test(seg) && Number(seg) < value.length) value = value[Number(seg)]!
    else if (isObject(value) && Object.prototype.hasOwnProperty.call(value, seg)) value = value[seg]!
    else break
  }
  return value
}

function substituteString(text: string, buckets: Buckets): Plain {
  const whole = WHOLE.exec(text)
  if (whole) return resolveReference(whole[1]!, whole[2]!, buckets)
  if (!text.includes('$')) return text
  return text.replace(INNER, (_m, name: string, path: string) => phpString(resolveReference(name, path, buckets)))
}

/** Substitute in keys and values, recursively. */
export function substitute(value: Plain, buckets: Buckets): Plain {
  if (typeof value === 'string') return substituteString(value, buckets)
  if (Array.isArray(value)) return value.map((v) => substitute(v, buckets))
  if (isObject(value)) {
    const out = createObject()
    for (const k of Object.keys(value)) out[phpString(substituteString(k, buckets))] = substitute(value[k]!, buckets)
    return out
  }
  return value
}
