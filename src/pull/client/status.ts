// onPullStatus (B.3.1, PULL-43): emitted only on a change; `offline` waits 5 s and is dropped if the status changes
// first, so a quick reconnect is invisible to the page; nothing is emitted while the page unloads or is hidden.

import { OFFLINE_STATUS_DELAY_MS, PullStatus, type PullStatusValue } from './constants'
import type { Timers } from './clock'

export class StatusTracker {
  private current: PullStatusValue = PullStatus.Offline
  /** beforeunload, or the page in the back-forward cache: status changes are kept but not announced. */
  quiet = false

  constructor(
    private readonly timers: Timers<'offlineStatus' | string>,
    private readonly emit: (status: PullStatusValue) => void,
  ) {}

  get value(): PullStatusValue {
    return this.current
  }

  /**
   * `now`: announce `offline` at once instead of in 5 s. Ours, for stop(): nothing will come back within 5 s, and
   * a stopped client leaves no timer behind (Bitrix's stop still announces it 5 s later).
   */
  set(status: PullStatusValue, now = false): void {
    if (this.current === status) {
      // An `offline` still waiting for its 5 s goes out now, so the page hears it before everything stops.
      if (now && this.timers.has('offlineStatus')) {
        this.timers.clear('offlineStatus')
        this.send(status)
      }
      return
    }
    this.current = status
    this.timers.clear('offlineStatus')
    if (status === PullStatus.Offline && !now) this.timers.set('offlineStatus', () => this.send(status), OFFLINE_STATUS_DELAY_MS)
    else this.send(status)
  }

  private send(status: PullStatusValue): void {
    if (this.quiet) return
    this.emit(status)
  }
}
