// Watch tags (B.7): `pull.watch.extend {tags}` every 29 min, or 5 s after a forced extend, so the server keeps
// sending the tagged events; tags the server did not extend are dropped.

import { isPlainObject } from '../codecs/types'
import type { Timers } from './clock'
import { WATCH_FORCE_UPDATE_INTERVAL_MS, WATCH_UPDATE_INTERVAL_MS } from './constants'
import { callRest } from './rest'
import type { RestClientLike } from './types'

export class WatchTags {
  private readonly tags = new Set<string>()
  /** Bumped by stop(): an extend still in flight then neither drops tags nor arms the next one. */
  private generation = 0
  private running = false

  constructor(private readonly timers: Timers<'watch' | string>, private readonly rest: () => RestClientLike | undefined) {}

  extend(tag: string, force: boolean): void {
    if (typeof tag !== 'string' || tag === '' || this.tags.has(tag)) return
    this.tags.add(tag)
    if (force && this.running) this.schedule(true)
  }

  clear(tag: string): void {
    this.tags.delete(tag)
  }

  list(): string[] {
    return [...this.tags]
  }

  start(force = false): void {
    this.running = true
    this.schedule(force)
  }

  stop(): void {
    this.running = false
    this.generation++
    this.timers.clear('watch')
  }

  private schedule(force = false): void {
    const generation = this.generation
    this.timers.set('watch', () => {
      const tags = this.list()
      const rest = this.rest()
      if (tags.length === 0 || !rest) {
        this.schedule()
        return
      }
      callRest(rest, 'pull.watch.extend', { tags }).then(
        (result) => {
          if (generation !== this.generation) return
          if (isPlainObject(result)) for (const [tag, extended] of Object.entries(result)) if (!extended) this.clear(tag)
          this.schedule()
        },
        () => {
          if (generation === this.generation) this.schedule()
        },
      )
    }, force ? WATCH_FORCE_UPDATE_INTERVAL_MS : WATCH_UPDATE_INTERVAL_MS)
  }
}
