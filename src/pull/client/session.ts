// The resume position (mid/tag/time, sent back on the next connect: PULL-34) and the duplicate filter (PULL-32).
//
// Bitrix keeps the last 10 mids and moves the position to every event, duplicates and frames it could not read
// included. Two deliberate differences (docs/pull.md), both because Bitrix loses or repeats data there:
// - the position never moves backwards: a duplicate does not move it, and neither does a frame without messages;
// - push-server 1.x mids are ordered within a server run (10 digits of start time, 16 of counter), so a message
//   whose mid is not newer than the newest one delivered from the same run is a duplicate even when it has left the
//   10-id window. That is what a long-poll catch-up followed by the same messages arriving live looks like
//   (1.x stores a message before it fans it out), and a stale frame. Only text frames carry that layout; protobuf and
//   JSON-RPC mids have no documented order, so only the window applies to them.

import { textOf } from '../codecs/text-of'
import { MAX_IDS_TO_STORE } from './constants'

export interface SessionEvent {
  mid: string | null
  tag?: string
  time?: string
}

/** 26 digits: the server run (its start time, 10 digits) and a counter within it. */
const ORDERED_LENGTH = 26
const RUN_DIGITS = 10

export class PullSession {
  mid: string | null = null
  tag: string | null = null
  time: string | null = null
  /** The kept mids. A Set: mids share long prefixes, and a hash lookup beats ten string compares. */
  private readonly recent = new Set<string>()
  /** The same mids in arrival order, so trim() finds the oldest without an iterator. */
  private readonly order: string[] = []
  private oldest = 0
  /** The newest ordered (1.x) mid delivered; its first 10 digits name the server run. */
  private newestOrdered: string | null = null
  /** Debug counters for getDebugInfo(): module → command → count. Maps, because the keys are wire data. */
  readonly history = new Map<string, Map<string, number>>()
  messageCount = 0

  /**
   * Whether to deliver the event, and if so, the position moves to it. A duplicate is recorded nowhere and moves
   * nothing. `textFrame`: the event came in a 1.x text frame, whose mids are ordered within a server run. Trimming
   * the window happens once per batch (trim()), as Bitrix's does.
   */
  admit(event: SessionEvent, textFrame: boolean): boolean {
    const mid = event.mid
    if (mid !== null) {
      const ordered = textFrame && isOrdered(mid)
      if (this.recent.has(mid) || (ordered && this.isStale(mid))) return false
      this.recent.add(mid)
      this.order.push(mid)
      if (ordered) this.newestOrdered = mid
      this.mid = mid
    }
    // A server without mids (nginx push-stream) resumes by tag and time alone.
    this.tag = event.tag || null
    this.time = event.time || null
    return true
  }

  /**
   * A position told by the server without a message (the long-polling 304's Last-Message-Id). Taken unless it is an
   * older mid of the same 1.x run than the one the client already holds.
   */
  resumeFrom(mid: string): void {
    if (this.mid !== null && isOrdered(mid) && isOrdered(this.mid) && sameRun(mid, this.mid) && mid < this.mid) return
    this.mid = mid
  }

  /** Keeps the newest MAX_IDS_TO_STORE mids, as Bitrix's `slice(-10)` does. */
  trim(): void {
    const order = this.order
    while (this.recent.size > MAX_IDS_TO_STORE) this.recent.delete(order[this.oldest++]!)
    if (this.oldest > 64) {
      order.splice(0, this.oldest)
      this.oldest = 0
    }
  }

  count(moduleId: string, command: unknown): void {
    let byModule = this.history.get(moduleId)
    if (!byModule) this.history.set(moduleId, (byModule = new Map()))
    const key = textOf(command) ?? ''
    byModule.set(key, (byModule.get(key) ?? 0) + 1)
    this.messageCount++
  }

  /** Bitrix's `{module: {command: count}}` shape for debug output; own data properties whatever the names. */
  historySnapshot(): Record<string, Record<string, number>> {
    // Object.fromEntries defines each key as an own property, so a module named "__proto__" stays plain data.
    return Object.fromEntries([...this.history].map(([moduleId, commands]) => [moduleId, Object.fromEntries(commands)]))
  }

  private isStale(mid: string): boolean {
    const newest = this.newestOrdered
    // Equal length and digits only, so a string comparison is a numeric one.
    return newest !== null && sameRun(mid, newest) && mid <= newest
  }
}

function isOrdered(mid: string): boolean {
  if (mid.length !== ORDERED_LENGTH) return false
  // A loop, not /^\d{26}$/: this runs for every message, and the loop is several times faster.
  for (let i = 0; i < ORDERED_LENGTH; i++) {
    const code = mid.charCodeAt(i)
    if (code < 48 || code > 57) return false
  }
  return true
}
/** Both are ordered mids (26 digits): the same first 10 digits, compared in place (no substrings per message). */
function sameRun(a: string, b: string): boolean {
  for (let i = 0; i < RUN_DIGITS; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false
  return true
}
