// Sends the portal's event deliveries to their handlers, as a Bitrix24 portal does: an HTTP POST of the form body
// a short while after the event (the real queue runs "after some time, depending on the load"), one attempt, no
// retries. Every delivery goes to the live log with its URL, status, duration and body.

import type { EventDelivery } from '../portal/index'

export interface DeliveryLogEntry {
  kind: 'event'
  at: number
  event: string
  url: string
  /** HTTP status of the handler's answer; 0 when it could not be reached. */
  status: number
  ms: number
  body: string
  error?: string
}

export interface EventSenderOptions {
  /** Milliseconds between the event and its POST (default 500). */
  delayMs?: number
  /** Give up on a handler after this many milliseconds (default 10 000). */
  timeoutMs?: number
  /** POSTs in flight at once (default 64); more wait their turn, as the real queue's workers do. */
  concurrency?: number
  emit(entry: DeliveryLogEntry): void
  fetch?: typeof fetch
}

export interface EventSender {
  send(delivery: EventDelivery): void
  /** Resolves when every delivery sent so far has finished (answered, failed or timed out). */
  settled(): Promise<void>
  /** Cancels what is still waiting for its delay. */
  close(): void
}

export function createEventSender(options: EventSenderOptions): EventSender {
  const delay = options.delayMs ?? 500
  const timeout = options.timeoutMs ?? 10_000
  const doFetch = options.fetch ?? fetch
  const concurrency = options.concurrency ?? 64
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const running = new Set<Promise<void>>()
  const waiting: EventDelivery[] = []

  function start(delivery: EventDelivery): void {
    if (running.size >= concurrency) return void waiting.push(delivery)
    const done: Promise<void> = post(delivery).finally(() => {
      running.delete(done)
      const next = waiting.shift()
      if (next) start(next)
    })
    running.add(done)
  }

  async function post(delivery: EventDelivery): Promise<void> {
    const started = performance.now()
    const entry: DeliveryLogEntry = { kind: 'event', at: Date.now(), event: delivery.event, url: delivery.handler, status: 0, ms: 0, body: delivery.body }
    try {
      const response = await doFetch(delivery.handler, {
        method: 'POST', body: delivery.body, redirect: 'manual', signal: AbortSignal.timeout(timeout),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Bitrix24 Webhook Engine (bx24-shim dev portal)' },
      })
      entry.status = response.status
      await response.arrayBuffer().catch(() => undefined)
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error)
    }
    entry.ms = Math.round(performance.now() - started)
    options.emit(entry)
  }

  return {
    send(delivery) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        start(delivery)
      }, delay)
      timers.add(timer)
    },
    async settled() {
      while (timers.size > 0 || running.size > 0 || waiting.length > 0) {
        await (running.size > 0 ? Promise.all(running) : new Promise((r) => setTimeout(r, Math.max(5, Math.min(delay, 50)))))
      }
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      waiting.length = 0
    },
  }
}
