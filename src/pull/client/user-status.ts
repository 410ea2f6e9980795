// v5 user status (B.9): the subscribeUserStatusChange callbacks, per user, and the one place they are called from.

export type UserStatusCallback = (data: { userId: number; isOnline: boolean }) => void

export class UserStatusCallbacks {
  private readonly byUser = new Map<number, UserStatusCallback[]>()

  add(userId: number, callback: UserStatusCallback): void {
    const list = this.byUser.get(userId) ?? []
    if (typeof callback === 'function') list.push(callback)
    this.byUser.set(userId, list)
  }

  /** Removes every identical callback; true when the user has none left (the server subscription can go). */
  remove(userId: number, callback: UserStatusCallback): boolean {
    const list = this.byUser.get(userId)
    if (!list) return false
    const rest = list.filter((item) => item !== callback)
    this.byUser.set(userId, rest)
    return rest.length === 0
  }

  /** Users with at least one callback: re-subscribed on the server after every open. */
  users(): number[] {
    return [...this.byUser].filter(([, list]) => list.length > 0).map(([userId]) => userId)
  }

  /** `userStatusChange` (PULL-27): each callback as a plain function, in order, over the list as it was. */
  emit(userId: unknown, isOnline: unknown): void {
    const list = this.byUser.get(Number(userId))
    if (!list) return
    for (const callback of [...list]) callback({ userId: userId as number, isOnline: isOnline as boolean })
  }
}
