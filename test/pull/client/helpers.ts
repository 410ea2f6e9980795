// Test doubles for the pull client: a manual clock, a scripted WebSocket, a fake REST client, memory storage, a fake
// window, and a factory that wires a client to all of them with the shim's own BX bus.

import { createBX, type BXBus } from '../../../src/bx/create-bx'
import { encodeTextFrame } from '../../../src/pull/codecs'
import { PullClient, type Clock, type PullClientParams, type PullConfig, type RestResultLike, type StorageLike } from '../../../src/pull'

// ---------------------------------------------------------------- clock

export interface ManualClock extends Clock {
  advance(ms: number): void
  /** Lets pending promise callbacks run, then advances. */
  tick(ms: number): Promise<void>
  pending(): number
}

export function manualClock(start = Date.UTC(2026, 10, 23, 10, 0, 0)): ManualClock {
  let now = start
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void; every: number }>()
  const clock: ManualClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), fn, every: 0 })
      return id
    },
    clearTimeout: (id) => void timers.delete(id as number),
    setInterval: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + ms, fn, every: ms })
      return id
    },
    clearInterval: (id) => void timers.delete(id as number),
    advance(ms) {
      const end = now + ms
      for (;;) {
        let nextKey = -1
        let next: { at: number; fn: () => void; every: number } | undefined
        for (const [key, timer] of timers) if (timer.at <= end && (!next || timer.at < next.at)) { next = timer; nextKey = key }
        if (!next) break
        now = next.at
        if (next.every > 0) next.at += next.every
        else timers.delete(nextKey)
        next.fn()
      }
      now = end
    },
    async tick(ms) {
      await flush()
      clock.advance(ms)
      await flush()
    },
    pending: () => timers.size,
  }
  return clock
}

/** Lets every queued promise callback (several levels deep) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

// ---------------------------------------------------------------- WebSocket

export class FakeWebSocket {
  static instances: FakeWebSocket[] = []
  static reset(): void {
    FakeWebSocket.instances = []
  }
  static last(): FakeWebSocket {
    const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1]
    if (!socket) throw new Error('no socket was created')
    return socket
  }

  binaryType = 'blob'
  readyState = 0
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onmessage: ((event: unknown) => void) | null = null
  sent: (string | Uint8Array)[] = []
  closedWith: { code?: number; reason?: string } | null = null

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this)
  }

  send(data: string | Uint8Array): void {
    this.sent.push(data)
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    this.readyState = 3
  }

  // server side
  serverOpen(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  serverMessage(data: string | ArrayBuffer): void {
    this.onmessage?.({ data })
  }
  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
  serverError(): void {
    this.onerror?.({ type: 'error' })
  }
}

// ---------------------------------------------------------------- REST

export interface RestCall {
  method: string
  params: Record<string, unknown> | undefined
}

export type RestAnswer = { result: unknown } | { error: string; error_description?: string; status?: number } | Error

export function result(answer: RestAnswer): RestResultLike {
  if (answer instanceof Error) throw answer
  if ('error' in answer) {
    const ex = { error: answer.error, error_description: answer.error_description ?? '' }
    const status = answer.status ?? 400
    return {
      answer: { error: answer.error, error_description: answer.error_description },
      status,
      data: () => undefined,
      error: () => ({ ex, status, getError: () => ex, getStatus: () => status }),
    }
  }
  return { answer: { result: answer.result }, status: 200, data: () => answer.result, error: () => undefined }
}

/** BX24-shaped: callMethod(method, params) without a callback returns a promise of a result object. */
export function fakeRest(handler: (method: string, params: Record<string, unknown> | undefined) => RestAnswer | Promise<RestAnswer>) {
  const calls: RestCall[] = []
  return {
    calls,
    callMethod(method: string, params?: Record<string, unknown>): Promise<RestResultLike> {
      calls.push({ method, params })
      return Promise.resolve(handler(method, params)).then(result)
    },
  }
}

// ---------------------------------------------------------------- storage, window

export function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
    removeItem: (key) => void data.delete(key),
  }
}

export function fakeWindow(href = 'https://portal.example/') {
  const listeners = new Map<string, Set<(event: unknown) => void>>()
  return {
    location: { href },
    addEventListener(type: string, listener: (event: unknown) => void) {
      if (!listeners.has(type)) listeners.set(type, new Set())
      listeners.get(type)?.add(listener)
    },
    removeEventListener(type: string, listener: (event: unknown) => void) {
      listeners.get(type)?.delete(listener)
    },
    fire(type: string, event: unknown = { type }) {
      for (const listener of [...(listeners.get(type) ?? [])]) listener(event)
    },
    count: (type: string) => listeners.get(type)?.size ?? 0,
  }
}

// ---------------------------------------------------------------- config and frames

export const PRIVATE_ID = 'a'.repeat(32) + ':' + 'b'.repeat(32) + '.' + 'c'.repeat(40)
export const SHARED_ID = 'd'.repeat(32) + '.' + 'e'.repeat(40)

export function makeConfig(clock: Clock, version = 3, overrides: Partial<PullConfig> = {}, server: Record<string, unknown> = {}): PullConfig {
  const end = new Date(clock.now() + 12 * 3600_000).toISOString()
  const start = new Date(clock.now() - 3600_000).toISOString()
  return {
    server: {
      version, server_enabled: true, mode: 'personal',
      long_polling: 'http://push.example/bitrix/sub/', long_pooling_secure: 'https://push.example/bitrix/sub/',
      websocket_enabled: true, websocket: 'ws://push.example/bitrix/subws/', websocket_secure: 'wss://push.example/bitrix/subws/',
      publish_enabled: true, publish: 'http://push.example/bitrix/pubweb/', publish_secure: 'https://push.example/bitrix/pubweb/',
      config_timestamp: 0, ...server,
    },
    api: { revision_web: 19, revision_mobile: 3 },
    channels: {
      private: { id: PRIVATE_ID, public_id: 'f'.repeat(32) + '.' + '1'.repeat(40), start, end, type: 'private' },
      shared: { id: SHARED_ID, start, end, type: 'shared' },
    },
    ...overrides,
  }
}

let midCounter = 0
export function nextMid(): string {
  midCounter++
  return '1795424610' + String(midCounter).padStart(16, '0')
}

export interface BodyInput {
  module_id: string
  command: string
  params?: Record<string, unknown>
  extra?: Record<string, unknown>
}

/** A push-server 1.x text frame; `extra.server_time_unix` defaults to "now" on the given clock. */
export function textFrame(clock: Clock, body: BodyInput, mid = nextMid(), tag = '123', time = 'Mon, 23 Nov 2026 10:00:00 GMT'): string {
  const full = {
    module_id: body.module_id,
    command: body.command,
    params: body.params ?? {},
    extra: { server_time_unix: clock.now() / 1000, revision_web: 19, ...(body.extra ?? {}) },
  }
  return encodeTextFrame({ id: Number(mid.slice(10)), mid, channel: 'a'.repeat(32), tag, time, text: JSON.stringify(full) })
}

// ---------------------------------------------------------------- the client under test

export interface Harness {
  client: PullClient
  clock: ManualClock
  bx: BXBus
  win: ReturnType<typeof fakeWindow>
  storage: ReturnType<typeof memoryStorage>
  rest: ReturnType<typeof fakeRest>
  logger: { log: any; info: any; warn: any; error: any; lines: string[] }
  config: PullConfig
  /** BX events raised, in order: [name, ...args]. */
  events: unknown[][]
  listen(name: string): void
}

export function quietLogger() {
  const lines: string[] = []
  const record = (level: string) => (...args: unknown[]) => void lines.push(level + ' ' + args.map(String).join(' '))
  return { log: record('log'), info: record('info'), warn: record('warn'), error: record('error'), lines }
}

export function harness(options: { version?: number; params?: PullClientParams; config?: PullConfig; restHandler?: Parameters<typeof fakeRest>[0] } = {}): Harness {
  FakeWebSocket.reset()
  const clock = manualClock()
  const win = fakeWindow()
  const bx = createBX({ window: win as unknown as Window })
  const storage = memoryStorage()
  const config = options.config ?? makeConfig(clock, options.version ?? 3)
  const rest = fakeRest(options.restHandler ?? ((method) => {
    if (method === 'pull.config.get' || method === 'pull.application.config.get') {
      return { result: { ...structuredClone(config), serverTime: new Date(clock.now()).toISOString() } }
    }
    return { error: 'ERROR_METHOD_NOT_FOUND' }
  }))
  const logger = quietLogger()
  const client = new PullClient({
    userId: 1, siteId: 's1', serverEnabled: 'Y', bx, window: win, storage, clock, restClient: rest, logger,
    WebSocket: FakeWebSocket as never, random: () => 0, ...options.params,
  })
  const events: unknown[][] = []
  return {
    client, clock, bx, win, storage, rest, logger, config, events,
    listen(name) {
      bx.addCustomEvent(name, (...args: unknown[]) => void events.push([name, ...args]))
    },
  }
}

/** start() through config load and the socket opening. */
export async function startConnected(h: Harness): Promise<FakeWebSocket> {
  const started = h.client.start()
  await flush()
  const socket = FakeWebSocket.last()
  socket.serverOpen()
  await started
  return socket
}
