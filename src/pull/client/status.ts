// onPullStatus (B.3.1, PULL-43): emitted only on a change; `offline` waits 5 s and is dropped if the status changes
// first, so a quick reconnect is invisible to the page; nothing is emitted while the page unloads.

import { OFFLINE_STATUS_DELAY_MS, PullStatus, type PullStatusValue } from './constants'
import type { Timers } from './clock'

export class StatusTracker {
  private current: PullStatusValue = PullStatus.Offline
  unloading = false

  constructor(
    private readonly timers: Timers<'offlineStatus' | string>,
    private readonly emit: (status: PullStatusValue) => void,
  ) {}

  get value(): PullStatusValue {
    return this.current
  }

  set(status: PullStatusValue): void {
    if (this.current === status) return
    this.current = status
    this.timers.clear('offlineStatus')
    if (status === PullStatus.Offline) this.timers.set('offlineStatus', () => this.send(status), OFFLINE_STATUS_DELAY_MS)
    else this.send(status)
  }

  private send(status: PullStatusValue): void {
    if (this.unloading) return
    this.emit(status)
  }
}
