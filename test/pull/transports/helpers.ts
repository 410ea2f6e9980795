// A scripted fetch for the long-polling connector, and a recording callbacks object for any transport.

import type { FetchLike, FetchResponseLike, IncomingFrame, TransportCallbacks, TransportContext } from '../../../src/pull'
import { manualClock, quietLogger, type ManualClock } from '../client/helpers'

export interface FetchCall {
  url: string
  method: string
  body?: string | Uint8Array
  aborted(): boolean
  respond(status: number, body?: string | Uint8Array, headers?: Record<string, string>): void
  fail(error: unknown): void
}

export function fakeFetch() {
  const calls: FetchCall[] = []
  const fetchImpl: FetchLike = (url, init) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      let aborted = false
      init.signal?.addEventListener('abort', () => {
        aborted = true
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
      })
      calls.push({
        url,
        method: init.method,
        body: init.body,
        aborted: () => aborted,
        respond(status, body = '', headers = {}) {
          const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
          resolve({
            status,
            headers: { get: (name) => lower[name.toLowerCase()] ?? null },
            text: async () => (typeof body === 'string' ? body : new TextDecoder().decode(body)),
            arrayBuffer: async () => (typeof body === 'string' ? new TextEncoder().encode(body) : body).slice().buffer as ArrayBuffer,
          })
        },
        fail: reject,
      })
    })
  return { fetch: fetchImpl, calls, last: () => calls[calls.length - 1] as FetchCall }
}

export interface Recorder extends TransportCallbacks {
  log: unknown[][]
  frames: IncomingFrame[]
}

export function recorder(): Recorder {
  const log: unknown[][] = []
  const frames: IncomingFrame[] = []
  return {
    log,
    frames,
    onOpen: () => void log.push(['open']),
    onClose: (info) => void log.push(['close', info.code, info.reason]),
    onError: (error) => void log.push(['error', error instanceof Error ? error.message : String(error)]),
    onMessage: (frame) => {
      frames.push(frame)
      log.push(['message'])
      return true
    },
    onLastMessageId: (mid) => void log.push(['mid', mid]),
  }
}

export function context(overrides: Partial<TransportContext> = {}): TransportContext & { clock: ManualClock; callbacks: Recorder } {
  const clock = manualClock()
  let n = 0
  return {
    url: () => `http://push.example/bitrix/sub/?CHANNEL_ID=abc&n=${++n}`,
    publishUrl: () => 'http://push.example/bitrix/pubweb/?CHANNEL_ID=abc',
    binary: () => false,
    callbacks: recorder(),
    clock,
    logger: quietLogger(),
    ...overrides,
  } as TransportContext & { clock: ManualClock; callbacks: Recorder }
}
