// Public channels of other users for v4 client publishing (B.9): seeded from `config.publicChannels`, misses fetched
// through REST `pull.channel.public.list`, each entry reused until its `end`.

import { textOf } from '../codecs/text-of'
import { isPlainObject } from '../codecs/types'
import { callRest } from './rest'
import type { PublicChannelEntry, RestClientLike } from './types'

export interface PublicChannelRef {
  userId: number
  publicId: string
  signature: string
  /** ms since epoch; NaN when the server gave no end (then the entry never expires). */
  end: number
}

export class ChannelManager {
  private readonly publicIds = new Map<number, PublicChannelRef>()

  constructor(
    private readonly rest: () => RestClientLike | undefined,
    private readonly method: string,
    private readonly now: () => number,
  ) {}

  /** Accepts the REST/config entry shape; entries without a user id or public id are skipped. */
  setPublicIds(list: unknown): void {
    if (!Array.isArray(list)) return
    for (const item of list) {
      if (!isPlainObject(item)) continue
      const entry = item as unknown as PublicChannelEntry
      const userId = Number(entry.user_id)
      if (!Number.isFinite(userId) || typeof entry.public_id !== 'string' || typeof entry.signature !== 'string') continue
      this.publicIds.set(userId, {
        userId,
        publicId: entry.public_id,
        signature: entry.signature,
        end: new Date(textOf(entry.end) ?? '').getTime(),
      })
    }
  }

  /** Cached refs for the users, fetching the missing or expired ones in one REST call. */
  async getPublicIds(userIds: number[]): Promise<Map<number, PublicChannelRef>> {
    const now = this.now()
    const result = new Map<number, PublicChannelRef>()
    const missing: number[] = []
    for (const userId of userIds) {
      const ref = this.publicIds.get(userId)
      if (ref && !(ref.end < now)) result.set(userId, ref)
      else missing.push(userId)
    }
    const rest = this.rest()
    if (missing.length === 0 || !rest) return result
    const data = await callRest(rest, this.method, { users: missing })
    if (isPlainObject(data)) this.setPublicIds(Object.values(data))
    for (const userId of missing) {
      const ref = this.publicIds.get(userId)
      if (ref) result.set(userId, ref)
    }
    return result
  }
}
