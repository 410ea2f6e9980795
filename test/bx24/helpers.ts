// Test harness for BX24: a fake portal parent that speaks the real postMessage protocol (replies are dispatched as
// MessageEvents with an explicit origin, spec §11), a fake fetch, and a small fake REST handler in wire form.
import { afterEach, beforeEach, vi } from 'vitest'
import type { RestHandler, RestRequest } from '../../src/rest/contract'
import { createBX24, type CreateFullBX24Options as CreateBX24Options } from '../../src/bx24/full'
import { parentFrameTransport } from '../../src/bx24/transports/parent-frame'
import type { FetchLike } from '../../src/bx24/transports/http'

export const PORTAL = 'portal.example.test'
export const ORIGIN = `https://${PORTAL}`
export const SID = '9c33468728e1d2c8c97562475edfd96a'

export interface Sent {
  raw: unknown
  origin: string
  command: string
  params: unknown
  callback: string
  appSid: string
}

/** Split an app → parent message as the portal does (§2.2): first segment, joined middle, last two. */
export function parseSent(raw: unknown, origin: string): Sent {
  if (typeof raw === 'object' && raw !== null) {
    const o = raw as { method: string; params: unknown; callback: string; appSid: string }
    return { raw, origin, command: o.method, params: o.params, callback: o.callback, appSid: o.appSid }
  }
  const parts = String(raw).split(':')
  const command = parts[0]!
  const appSid = parts[parts.length - 1]!
  const callback = parts[parts.length - 2]!
  const middle = parts.slice(1, -2).join(':')
  return { raw, origin, command, params: middle ? JSON.parse(middle) : [], callback, appSid }
}

export function initData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    LANG: 'de', DOMAIN: PORTAL, PROTOCOL: 1, PATH: '/rest', AUTH_ID: 'TOKEN1', AUTH_EXPIRES: '3600', REFRESH_ID: 'REFRESH1',
    MEMBER_ID: 'member1', FIRST_RUN: false, IS_ADMIN: true, INSTALL: false, USER_OPTIONS: [], APP_OPTIONS: { color: 'red' },
    PLACEMENT: 'DEFAULT', PLACEMENT_OPTIONS: { any: 'thing' }, ...overrides,
  }
}

/** Dispatch a reply on the app window as the portal would (postMessage cannot set an origin in happy-dom). */
export function deliver(data: unknown, origin = ORIGIN): void {
  window.dispatchEvent(new window.MessageEvent('message', { data, origin }))
}

export function reply(callback: string, payload?: unknown, origin = ORIGIN): void {
  deliver(callback + ':' + (payload === undefined ? '' : JSON.stringify(payload)), origin)
}

export interface FetchCall { url: string; body: string; headers: Record<string, string>; redirect: string; credentials: string }

/** A fetch that records calls and answers from a queue (or a function). */
export function fakeFetch(answer: (call: FetchCall, index: number) => { status: number; body: string } | Promise<{ status: number; body: string }> | 'network-error') {
  const calls: FetchCall[] = []
  const fetch: FetchLike = async (url, init) => {
    const call = { url, body: init.body, headers: init.headers, redirect: init.redirect, credentials: init.credentials }
    calls.push(call)
    const a = await answer(call, calls.length - 1)
    if (a === 'network-error') throw new TypeError('Failed to fetch')
    return { status: a.status, text: async () => a.body }
  }
  return { fetch, calls }
}

export const ok = (result: unknown, extra: Record<string, unknown> = {}) => ({ status: 200, body: JSON.stringify({ result, ...extra }) })

export interface FrameHarnessOptions {
  name?: string
  autoInit?: Record<string, unknown> | false
  fetch?: FetchLike
  bx?: Omit<CreateBX24Options, 'transport' | 'window'>
}

/** An app window in a portal frame: window.name set, a fake parent recording every message. */
export function frameApp(options: FrameHarnessOptions = {}) {
  window.name = options.name ?? `${PORTAL}|1|${SID}`
  const sent: Sent[] = []
  const parent = {
    postMessage(data: unknown, origin: string) {
      const message = parseSent(data, origin)
      sent.push(message)
      if (message.command === 'getInitData' && options.autoInit !== false) {
        queueMicrotask(() => reply(message.callback, initData(options.autoInit || {})))
      }
    },
  }
  const log = { warn: vi.fn(), error: vi.fn() }
  const fetchImpl = options.fetch ?? fakeFetch(() => ok(true)).fetch
  const transport = parentFrameTransport({ window, target: parent, fetch: fetchImpl, log })
  const bx = createBX24({ window, transport, log, ...options.bx })
  const find = (command: string) => sent.filter((m) => m.command === command)
  return { bx, sent, find, log, transport }
}

export interface FakePortalOptions {
  /** Tokens accepted; others get 401 expired_token. */
  tokens?: string[]
  rows?: number
}

/** A tiny REST handler in wire form (for the mock transport): user.current, a 120-row crm.deal.list, batch. */
export function fakePortal(options: FakePortalOptions = {}) {
  const requests: RestRequest[] = []
  const tokens = options.tokens
  const rows = Array.from({ length: options.rows ?? 120 }, (_, i) => ({ ID: String(i + 1) }))
  const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) })

  function run(method: string, params: URLSearchParams): { status: number; value: Record<string, unknown> } {
    switch (method) {
      case 'user.current':
        return { status: 200, value: { result: { ID: '1', NAME: 'Ann' } } }
      case 'crm.deal.list': {
        const start = Number(params.get('start') ?? 0)
        const page = rows.slice(Math.max(start, 0), Math.max(start, 0) + 50)
        const next = start + page.length < rows.length ? start + page.length : undefined
        return { status: 200, value: { result: page, total: rows.length, ...(next === undefined ? {} : { next }) } }
      }
      case 'echo':
        return { status: 200, value: { result: Object.fromEntries(params) } }
      default:
        return { status: 404, value: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } }
    }
  }

  const handler: RestHandler = async (request) => {
    requests.push(request)
    const params = new URLSearchParams(request.body)
    if (tokens && !tokens.includes(params.get('auth') ?? '')) {
      return json(401, { error: 'expired_token', error_description: 'The access token provided has expired.' })
    }
    if (request.method !== 'batch') {
      const { status, value } = run(request.method, params)
      return json(status, value)
    }
    const result: Record<string, unknown> = {}
    const errors: Record<string, unknown> = {}
    const totals: Record<string, unknown> = {}
    const nexts: Record<string, unknown> = {}
    for (const [key, value] of params) {
      const match = /^cmd\[([^\]]*)\]$/.exec(key)
      if (!match) continue
      const [method, query = ''] = value.split('?')
      const sub = run(method!, new URLSearchParams(query))
      if (sub.value.error) errors[match[1]!] = { error: sub.value.error, error_description: sub.value.error_description }
      else {
        result[match[1]!] = sub.value.result
        if (sub.value.total !== undefined) totals[match[1]!] = sub.value.total
        if (sub.value.next !== undefined) nexts[match[1]!] = sub.value.next
      }
      if (params.get('halt') === '1' && sub.value.error) break
    }
    const bucket = (o: Record<string, unknown>) => (Object.keys(o).length ? o : [])
    return json(200, { result: { result: bucket(result), result_error: bucket(errors), result_total: bucket(totals), result_next: bucket(nexts), result_time: [] } })
  }
  return { handler, requests }
}

/**
 * Fake timers for every test of the calling file, and a list of undo steps (destroy this BX24, restore that stub)
 * run after each test, before the real timers come back and window.name is reset.
 */
export function fakeTimersAndCleanup(): Array<() => void> {
  const cleanup: Array<() => void> = []
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn()
    vi.useRealTimers()
    window.name = ''
  })
  return cleanup
}

/** Let the 10 ms deferrals and the replies queued behind them run. */
export const flush = () => vi.advanceTimersByTimeAsync(20)
