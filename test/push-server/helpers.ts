// Network helpers for push-server tests: raw HTTP over TCP (byte-exact heads, like the captures were taken) and a
// WebSocket client with a frame queue.
import { connect as tcpConnect } from 'node:net'
import WebSocket from 'ws'

export interface RawResponse {
  status: number
  head: string
  body: string
  elapsedMs: number
}

/**
 * Sends one HTTP/1.1 request over a fresh keep-alive TCP connection and reads exactly one response: by
 * Content-Length, by chunked terminator, or the head alone for 304. Resolves on a connection close too.
 */
export function rawHttp(port: number, request: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer[] }): Promise<RawResponse> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let settled = false
    const finish = (): void => {
      if (settled) return
      const text = data.toString('utf8')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = text.slice(0, end + 4)
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
      let rest = data.subarray(Buffer.byteLength(head))
      let body: string | undefined
      const length = /\r\ncontent-length: (\d+)/i.exec(head)
      if (status === 304 || status === 101 || request.method === 'HEAD') body = ''
      else if (/\r\ntransfer-encoding: chunked/i.test(head)) {
        const chunks: Buffer[] = []
        for (;;) {
          const lineEnd = rest.indexOf('\r\n')
          if (lineEnd < 0) return
          const size = Number.parseInt(rest.subarray(0, lineEnd).toString(), 16)
          if (rest.length < lineEnd + 2 + size + 2) return
          if (size === 0) break
          chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size))
          rest = rest.subarray(lineEnd + 2 + size + 2)
        }
        body = Buffer.concat(chunks).toString('utf8')
      } else if (length) {
        if (rest.length < Number(length[1])) return
        body = rest.subarray(0, Number(length[1])).toString('utf8')
      } else return
      settled = true
      socket.destroy()
      resolve({ status, head, body, elapsedMs: Date.now() - started })
    }
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      finish()
    })
    socket.on('close', () => {
      if (settled) return
      const text = data.toString('utf8')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return reject(new Error(`connection closed without a response (${data.length} bytes)`))
      settled = true
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), head: text.slice(0, end + 4), body: text.slice(end + 4), elapsedMs: Date.now() - started })
    })
    socket.on('error', reject)
    const parts = Array.isArray(request.body) ? request.body : request.body === undefined ? [] : [Buffer.from(request.body)]
    const size = parts.reduce((n, p) => n + p.length, 0)
    const headers = { Host: `127.0.0.1:${port}`, ...(request.body !== undefined ? { 'Content-Length': String(size) } : {}), ...request.headers }
    const head = `${request.method ?? 'GET'} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
    socket.write(head)
    // Each part is its own write, so a test can split a UTF-8 character across TCP segments.
    parts.reduce((p, part) => p.then(() => new Promise<void>((r) => socket.write(part, () => setTimeout(r, 5)))), Promise.resolve())
  })
}

/**
 * An allowed browser page, for tests that compare heads with the captures. 1.x answers every page with
 * `Access-Control-Allow-Origin: *`; ours names the allowed page's origin there and sends no such header to anyone
 * else (docs/push-server.md). `asServed` turns a captured head into what we serve: `*` becomes `origin`, or the
 * header goes when `origin` is null (pub replies and refused upgrades, which never let a page in).
 */
export const PAGE_ORIGIN = 'http://app.test:5173'
export const PAGE = { Origin: PAGE_ORIGIN }

export function asServed(captured: string, origin: string | null = PAGE_ORIGIN): string {
  return origin === null
    ? captured.replaceAll('Access-Control-Allow-Origin: *\r\n', '')
    : captured.replaceAll('Access-Control-Allow-Origin: *', `Access-Control-Allow-Origin: ${origin}`)
}

/** A head with per-run values masked, for comparison with the captures. */
export function shapeOf(head: string): string {
  return head
    .replace(/\r\nDate: [^\r]*/, '\r\nDate: <date>')
    .replace(/\r\nLast-Message-Id: [^\r]+/, '\r\nLast-Message-Id: <mid>')
}

export type Frame = string | Uint8Array

export interface TestSocket {
  ws: WebSocket
  /** Resolves with the next frame, or rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Frame>
  /** Frames received and not yet taken. */
  pending(): Frame[]
  closed: Promise<{ code: number; reason: string }>
}

export function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, options)
  const queue: Frame[] = []
  const waiters: ((frame: Frame) => void)[] = []
  ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    const frame: Frame = isBinary ? new Uint8Array(buffer) : buffer.toString('utf8')
    const waiter = waiters.shift()
    if (waiter) waiter(frame)
    else queue.push(frame)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  const socket: TestSocket = {
    ws,
    next(timeoutMs = 2000) {
      const queued = queue.shift()
      if (queued !== undefined) return Promise.resolve(queued)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`no frame within ${timeoutMs} ms`))
        }, timeoutMs)
        const waiter = (frame: Frame): void => {
          clearTimeout(timer)
          resolve(frame)
        }
        waiters.push(waiter)
      })
    },
    pending: () => [...queue],
    closed,
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
  })
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** 32-hex channel ids for tests. */
export function channelId(n: number): string {
  return n.toString(16).padStart(32, 'c')
}
