// A list that forgets its oldest entries past a count and a total weight (the size of the request that made an
// entry). The portal's `calls` and `deliveries` are such lists: a long-running dev portal must not keep every
// 7 MB body it was ever sent. The array stays the caller's to read (and even to empty).

export interface RecordedLogLimits {
  maxEntries: number
  /** Sum of entry weights kept; the newest entry is kept even when it alone weighs more. */
  maxWeight: number
}

export function createRecordedLog<T extends object>(list: T[], limits: RecordedLogLimits): (entry: T, weight?: number) => void {
  const weights = new WeakMap<T, number>()
  let total = 0
  let length = 0
  return (entry, weight = 0) => {
    // Someone emptied or trimmed the list: count again from what is there.
    if (list.length !== length) total = list.reduce((sum, e) => sum + (weights.get(e) ?? 0), 0)
    list.push(entry)
    weights.set(entry, weight)
    total += weight
    let drop = 0
    while (drop < list.length - 1 && (list.length - drop > limits.maxEntries || total > limits.maxWeight)) {
      total -= weights.get(list[drop]!) ?? 0
      drop++
    }
    if (drop > 0) list.splice(0, drop)
    length = list.length
  }
}
