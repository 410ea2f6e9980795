// retryingTransport: sends a REST call again, after a backoff, when the portal said it did not run it or no answer
// came at all, and only when sending it again cannot change anything twice.
//
// The rule (docs/bx24.md): a request is repeated only if
//   - the portal refused it before running it: 503 QUERY_LIMIT_EXCEEDED (the leaky bucket) or 429 OPERATION_TIME_LIMIT
//     (the method's operating-time budget), or no answer arrived (a network error), and
//   - every method in it only reads (isReadOnlyMethod; a batch only when all its commands do).
// A write is never repeated: after a network error nobody knows whether the portal ran it. Everything else (4xx,
// other 5xx, errors inside a batch) goes to the app at once, as before.

import type { BX24Transport, Clock, Logger, RestCall, RestExchange } from './types'

export interface RetryOptions {
  /** Sends after the first one (3). */
  retries?: number
  /** First backoff in ms (1000); it doubles on every retry, with full jitter, up to `maxDelay`. */
  baseDelay?: number
  /** Longest backoff in ms (30000). */
  maxDelay?: number
  /** Shortest wait after OPERATION_TIME_LIMIT in ms (10000): the method's budget frees up by the minute. */
  operationLimitDelay?: number
  /** Which methods only read. Default: isReadOnlyMethod. */
  isReadOnly?(method: string): boolean
  clock?: Clock
  log?: Logger
  /** [0, 1) source for the jitter (tests pass a fixed one). */
  random?(): number
}

/** Methods whose name says "read" but that change state: event.offline.get removes what it returns by default. */
const WRITES_DESPITE_THEIR_NAME = new Set(['event.offline.get'])
const READ_NAMES = new Set(['profile', 'methods', 'scope', 'events', 'server.time', 'app.info', 'user.admin', 'access.name', 'feature.get'])
const READ_ACTION = /^(get\w*|list|fields|current|search|count)$/

/** Whether a REST method only reads, judged by its name: `*.get*`, `*.list`, `*.fields`, `*.current`, ... */
export function isReadOnlyMethod(method: string): boolean {
  const name = method.toLowerCase()
  if (WRITES_DESPITE_THEIR_NAME.has(name)) return false
  if (READ_NAMES.has(name)) return true
  const action = name.slice(name.lastIndexOf('.') + 1)
  return name.includes('.') && READ_ACTION.test(action)
}

/** The methods of a `batch` call's commands, from its encoded tail (cmd[key]=method?query). */
export function batchMethods(tail: string): string[] {
  const methods: string[] = []
  for (const [key, value] of new URLSearchParams(tail)) {
    if (!/^cmd\[[^\]]*\]$/.test(key)) continue
    const q = value.indexOf('?')
    methods.push((q < 0 ? value : value.slice(0, q)).trim())
  }
  return methods
}

type Refusal = 'network error' | 'QUERY_LIMIT_EXCEEDED' | 'OPERATION_TIME_LIMIT'

/** Why the portal did not run the call, if it said so (or never answered). */
function refusalOf(exchange: RestExchange | null): Refusal | null {
  if (!exchange || exchange.text === null) return 'network error'
  if (exchange.status !== 503 && exchange.status !== 429) return null
  try {
    const error = (JSON.parse(exchange.text) as { error?: unknown } | null)?.error
    if (error === 'QUERY_LIMIT_EXCEEDED' || error === 'OPERATION_TIME_LIMIT') return error
  } catch {
    // An unreadable 503 page is not the portal's "not executed"; it goes to the app as it is.
  }
  return null
}

function setting(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && value >= min && Number.isFinite(value) ? value : fallback
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^attempt)). */
export function backoff(attempt: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt))
}

/**
 * @example
 * createBX24Core({ wrapTransport: (t) => retryingTransport(t, { retries: 5 }) })
 */
export function retryingTransport(transport: BX24Transport, options: RetryOptions = {}): BX24Transport {
  // Options may come from page config (bx24ShimConfig.retry): a wrong type keeps the default, never "retry for ever".
  const retries = Math.min(10, Math.floor(setting(options.retries, 3, 0)))
  const base = setting(options.baseDelay, 1000, 1)
  const max = setting(options.maxDelay, 30_000, 1)
  const operationLimitDelay = setting(options.operationLimitDelay, 10_000, 0)
  const isReadOnly = typeof options.isReadOnly === 'function' ? options.isReadOnly : isReadOnlyMethod
  const log = options.log ?? console
  const random = typeof options.random === 'function' ? options.random : Math.random
  const setTimer = (fn: () => void, ms: number): unknown => (options.clock ? options.clock.setTimeout(fn, ms) : setTimeout(fn, ms))
  let destroyed = false

  const repeatable = (call: RestCall): boolean => {
    if (call.method.toLowerCase() !== 'batch') return isReadOnly(call.method)
    const methods = batchMethods(call.tail)
    return methods.length > 0 && methods.every((m) => isReadOnly(m))
  }

  async function attempt(call: RestCall): Promise<{ exchange: RestExchange | null; failure?: unknown }> {
    try {
      return { exchange: await transport.rest(call) }
    } catch (failure) {
      return { exchange: null, failure }
    }
  }

  async function rest(call: RestCall): Promise<RestExchange> {
    for (let n = 0; ; n++) {
      const { exchange, failure } = await attempt(call)
      const refusal = refusalOf(exchange)
      if (!refusal || n >= retries || destroyed || !repeatable(call)) {
        if (exchange) return exchange
        throw failure
      }
      let wait = backoff(n, base, max, random)
      if (refusal === 'OPERATION_TIME_LIMIT') wait = Math.max(wait, operationLimitDelay)
      log.warn(`BX24: ${call.method} was not run (${refusal}); sending it again in ${wait} ms (retry ${n + 1} of ${retries})`)
      await new Promise<void>((done) => setTimer(done, wait))
    }
  }

  return {
    kind: transport.kind,
    domain: transport.domain,
    protocol: transport.protocol,
    tokenless: transport.tokenless,
    send: (command, params, callback) => transport.send(command, params, callback),
    rest,
    destroy() {
      destroyed = true
      transport.destroy()
    },
  }
}
