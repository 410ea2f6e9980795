// Message ids. 1.x: 26 decimal digits, the server's start time in unix seconds (10) and a 16-digit counter.
// Binary and JSON-RPC modes: 32 lower-case hex digits (16 id bytes on the protobuf wire), start time (8) and
// counter (24). [inferred] The 2.x id layout was not read; the client only needs ids that are unique, and we need them
// fixed-width so that "after mid X" is a plain string comparison.

export type MidFormat = 'decimal' | 'hex'

export interface MidSource {
  next(): { mid: string; id: number }
  /** Whether `mid` has this source's shape. A malformed mid is ignored on resume, as 1.x does (captured). */
  isValid(mid: string): boolean
}

export function createMidSource(format: MidFormat, startMs: number): MidSource {
  const start = Math.floor(startMs / 1000)
  let counter = 0
  const shape = format === 'decimal' ? /^\d{26}$/ : /^[0-9a-f]{32}$/
  return {
    next() {
      counter++
      const mid = format === 'decimal'
        ? String(start).padStart(10, '0') + String(counter).padStart(16, '0')
        : start.toString(16).padStart(8, '0') + counter.toString(16).padStart(24, '0')
      return { mid, id: counter }
    },
    isValid: (mid) => shape.test(mid),
  }
}
