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
  private request = 0
  private controller: AbortController | null = null
  private failureTimer: TimerId | null = null
  private requestTimer: TimerId | null = null

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
    if (this.controller === null) this.perform()
  }

  disconnect(code: number, reason: string): void {
    this.active = false
    this.abortRequest()
    const wasOpen = this.open
    this.open = false
    if (wasOpen) this.ctx.callbacks.onClose({ code, reason })
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
    this.clearTimers()
    const id = ++this.request
    const controller = new AbortController()
    this.controller = controller
    const { clock } = this.ctx
    // A request that is still pending after 5 s means the server holds it: that is a working connection.
    this.failureTimer = clock.setTimeout(() => this.markOpen(), LONG_POLLING_FAILURE_TIMEOUT_MS)
    this.requestTimer = clock.setTimeout(() => {
      this.abortRequest()
      this.perform()
    }, LONG_POLLING_TIMEOUT * 1000)
    let url: string
    try {
      url = this.ctx.url()
    } catch (error) {
      this.fail(error)
      return
    }
    const doFetch = this.fetchImpl
    let request: Promise<FetchResponseLike>
    try {
      request = doFetch(url, { method: 'GET', signal: controller.signal, cache: 'no-store' })
    } catch (error) {
      this.fail(error)
      return
    }
    request.then(
      (response) => this.onResponse(id, response),
      (error: unknown) => {
        if (id !== this.request) return
        this.fail(error)
      },
    )
  }

  private async onResponse(id: number, response: FetchResponseLike): Promise<void> {
    if (id !== this.request) return
    if (response.status === 200) {
      let body: string | ArrayBuffer
      try {
        body = this.ctx.binary() ? await response.arrayBuffer() : await response.text()
      } catch (error) {
        if (id === this.request) this.fail(error)
        return
      }
      if (id !== this.request) return
      this.controller = null
      this.clearTimers()
      this.markOpen()
      const empty = typeof body === 'string' ? body === '' : body.byteLength === 0
      if (empty) this.ctx.callbacks.onLastMessageId(null)
      else this.ctx.callbacks.onMessage(body)
      this.perform()
    } else if (response.status === 304) {
      this.controller = null
      this.clearTimers()
      this.markOpen()
      if (response.headers.get('Expires') === LONG_POLLING_MAGIC_EXPIRES) {
        const mid = response.headers.get('Last-Message-Id')
        if (mid) this.ctx.callbacks.onLastMessageId(mid)
      }
      this.perform()
    } else {
      this.fail(new Error('Could not connect to the server'))
    }
  }

  private markOpen(): void {
    if (this.open || !this.active) return
    this.open = true
    this.ctx.callbacks.onOpen()
  }

  /** Any failure ends this connection; the client decides when to try again. */
  private fail(error: unknown): void {
    this.active = false
    this.abortRequest()
    this.open = false
    this.ctx.callbacks.onError(error)
  }

  private abortRequest(): void {
    this.clearTimers()
    this.request++
    if (this.controller) {
      const controller = this.controller
      this.controller = null
      controller.abort()
    }
  }

  private clearTimers(): void {
    if (this.failureTimer !== null) this.ctx.clock.clearTimeout(this.failureTimer)
    if (this.requestTimer !== null) this.ctx.clock.clearTimeout(this.requestTimer)
    this.failureTimer = null
    this.requestTimer = null
  }
}
