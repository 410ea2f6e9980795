// The resume position (mid/tag/time, sent back on the next connect: PULL-34) and the duplicate filter over the last
// 10 mids (PULL-32). Bitrix updates the position before the duplicate check, so a duplicate still moves it.

import { MAX_IDS_TO_STORE } from './constants'

export interface SessionEvent {
  mid: string | null
  tag?: string
  time?: string
}

export class PullSession {
  mid: string | null = null
  tag: string | null = null
  time: string | null = null
  /** The kept mids, oldest first. A Set: mids share long prefixes, and a hash lookup beats ten string compares. */
  private readonly lastMessageIds = new Set<string>()
  /** Debug counters, shown by getDebugInfo(): `history[module][command]`. */
  history: Record<string, Record<string, number>> = {}
  messageCount = 0

  moveTo(event: SessionEvent): void {
    this.mid = event.mid || null
    this.tag = event.tag || null
    this.time = event.time || null
  }

  /** True for a mid seen among the kept ids; otherwise records it. Trimming happens once per batch (trim()). */
  isDuplicate(mid: string): boolean {
    if (this.lastMessageIds.has(mid)) return true
    this.lastMessageIds.add(mid)
    return false
  }

  /** Keeps the newest MAX_IDS_TO_STORE mids, as Bitrix's `slice(-10)` does. */
  trim(): void {
    if (this.lastMessageIds.size <= MAX_IDS_TO_STORE) return
    for (const mid of this.lastMessageIds) {
      if (this.lastMessageIds.size <= MAX_IDS_TO_STORE) break
      this.lastMessageIds.delete(mid)
    }
  }

  count(moduleId: string, command: string): void {
    const byModule = (this.history[moduleId] ??= {})
    byModule[command] = (byModule[command] ?? 0) + 1
    this.messageCount++
  }

  clearPosition(): void {
    this.mid = null
    this.tag = null
    this.time = null
  }
}
