// Long-polling connector (B.5, PULL-51) over an injected `fetch`.
//
// fetch rather than Bitrix's reusable XHR: it exists in browsers, Node ≥ 18 and workers alike, can be injected as a
// plain function, and AbortController gives the 60 s abort-and-retry without XHR's readyState bookkeeping. The
// headers the client needs are readable cross-origin: `Expires` is CORS-safelisted and push-server exposes
// `Last-Message-Id`.

import { LONG_POLLING_FAILURE_TIMEOUT_MS, LONG_POLLING_MAGIC_EXPIRES, LONG_POLLING_TIMEOUT } from '../client/constants'
import type { TimerId } from '../client/types'
import type { Transport, TransportContext, TransportFactory } from './types'

export interface FetchResponseLike {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
}

export type FetchLike = (
  url: string,
  init: { method: string; signal?: AbortSignal; body?: string | Uint8Array; cache?: 'no-store' },
) => Promise<FetchResponseLike>

/**
 * Ours: a poll that comes back sooner than this with nothing new (a 304, an empty or unreadable 200, only
 * duplicates) is "at once". A working server holds a poll for about 40 s, so only a broken or hostile one does that,
 * and asking it again at once would be a busy loop of requests (Bitrix's client makes thousands a second there).
 * It also caps empty polls at four a second from a server that answers just slower than this.
 */
export const LONG_POLLING_QUICK_MS = 250
/** The waits before the next poll after 1, 2, 3... such quick empty answers in a row: 1, 2, 4, 8, 16, then 30 s. */
export function quickAnswerDelay(count: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, count - 1))
}

function defaultFetch(): FetchLike | undefined {
  return typeof fetch === 'function' ? (fetch as unknown as FetchLike) : undefined
}

/** `fetchImpl` undefined: the global fetch; null: none (the transport then reports an error on connect). */
export function longPollingTransport(fetchImpl?: FetchLike | null): TransportFactory {
  const doFetch = fetchImpl === undefined ? defaultFetch() : fetchImpl ?? undefined
  return {
    kind: 'longPolling',
    name: 'longPolling',
    supported: () => typeof doFetch === 'function' && typeof AbortController === 'function',
    create: (context) => new LongPollingTransport(context, doFetch),
  }
}

class LongPollingTransport implements Transport {
  private active = false
  private open = false
  /** Bumped by every new request and by disconnect: an answer to an older request is ignored. */
  private request = 0
  private controller: AbortController | null = null
  private failureTimer: TimerId | null = null
  private requestTimer: TimerId | null = null
  private quickAnswers = 0

  constructor(private readonly ctx: TransportContext, private readonly fetchImpl: FetchLike | undefined) {}

  get connected(): boolean {
    return this.open
  }

  connect(): void {
    if (!this.fetchImpl) {
      this.ctx.callbacks.onError(new Error('fetch is not available in this environment'))
      return
    }
    this.active = true
    this.perform()
  }

  disconnect(): void {
    this.active = false
    this.open = false
    this.abortRequest()
  }

  send(data: string | Uint8Array): boolean {
    const path = this.ctx.publishUrl()
    if (!path || !this.fetchImpl) {
      this.ctx.logger.error('Pull: publication path is empty')
      return false
    }
    // Fire and forget, as Bitrix's XHR POST: the publish has no answer the client waits for. Called through a local
    // so `this` is not the transport: a browser's fetch throws "Illegal invocation" when called as another's method.
    const doFetch = this.fetchImpl
    try {
      doFetch(path, { method: 'POST', body: data }).catch((error: unknown) => {
        this.ctx.logger.error('Pull: long-polling publish failed', error)
      })
    } catch (error) {
      this.ctx.logger.error('Pull: long-polling publish failed', error)
      return false
    }
    return true
  }

  private perform(): void {
    if (!this.active || !this.fetchImpl) return
    this.abortRequest()
    const id = this.request
    const controller = new AbortController()
    this.controller = controller
    const { clock } = this.ctx
    const startedAt = clock.now()
    // A request that is still pending after 5 s means the server holds it: that is a working connection.
    this.failureTimer = clock.setTimeout(() => this.markOpen(), LONG_POLLING_FAILURE_TIMEOUT_MS)
    this.requestTimer = clock.setTimeout(() => this.perform(), LONG_POLLING_TIMEOUT * 1000)
    let url: string
    let request: Promise<FetchResponseLike>
    try {
      url = this.ctx.url()
      const doFetch = this.fetchImpl
      request = doFetch(url, { method: 'GET', signal: controller.signal, cache: 'no-store' })
    } catch (error) {
      this.fail(error)
      return
    }
    request.then(
      (response) => this.onResponse(id, response, startedAt),
      (error: unknown) => {
        if (id === this.request) this.fail(error)
      },
    )
  }

  private async onResponse(id: number, response: FetchResponseLike, startedAt: number): Promise<void> {
    if (id !== this.request) return
    let news = false
    if (response.status === 200) {
      let body: string | ArrayBuffer
      try {
        body = this.ctx.binary() ? await response.arrayBuffer() : await response.text()
      } catch (error) {
        if (id === this.request) this.fail(error)
        return
      }
      if (id !== this.request) return
      this.settle()
      const empty = typeof body === 'string' ? body === '' : body.byteLength === 0
      // An empty body moves nothing: Bitrix clears the resume position there (PULL-33), and a reconnect then misses
      // what was published meanwhile.
      if (!empty) news = this.ctx.callbacks.onMessage(body)
    } else if (response.status === 304) {
      this.settle()
      if (response.headers.get('Expires') === LONG_POLLING_MAGIC_EXPIRES) {
        const mid = response.headers.get('Last-Message-Id')
        if (mid) this.ctx.callbacks.onLastMessageId(mid)
      }
    } else {
      this.fail(new Error('Could not connect to the server'))
      return
    }
    if (id !== this.request || !this.active) return
    if (news || this.ctx.clock.now() - startedAt >= LONG_POLLING_QUICK_MS) {
      this.quickAnswers = 0
      this.perform()
      return
    }
    this.quickAnswers++
    this.requestTimer = this.ctx.clock.setTimeout(() => this.perform(), quickAnswerDelay(this.quickAnswers))
  }

  /** An answer came: the request is done, and the connection works. */
  private settle(): void {
    this.controller = null
    this.clearTimers()
    this.markOpen()
  }

  private markOpen(): void {
    if (this.open || !this.active) return
    this.open = true
    this.ctx.callbacks.onOpen()
  }

  /** Any failure ends this connection; the client decides when to try again. */
  private fail(error: unknown): void {
    this.disconnect()
    this.ctx.callbacks.onError(error)
  }

  private abortRequest(): void {
    this.clearTimers()
    this.request++
    const controller = this.controller
    this.controller = null
    controller?.abort()
  }

  private clearTimers(): void {
    if (this.failureTimer !== null) this.ctx.clock.clearTimeout(this.failureTimer)
    if (this.requestTimer !== null) this.ctx.clock.clearTimeout(this.requestTimer)
    this.failureTimer = null
    this.requestTimer = null
  }
}
