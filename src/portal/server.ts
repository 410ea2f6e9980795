// startPortalServer: the dev portal's REST over real HTTP (Node only). It answers the same requests as the
// in-memory engine: /rest/<method>[.json] and the webhook form /rest/<userId>/<secret>/<method>[.json], JSON or form
// bodies, and cross-origin calls from the app pages it is told about (CORS, including the preflight a JSON POST
// triggers). Pages of any other origin are refused outright: the portal holds a webhook and live tokens, and runs on
// a laptop next to a browser that visits arbitrary websites.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answerClientError, hostAllowed, isLoopbackAddress, judgeOrigin, normalizeOrigins, ownHostNames } from '../http-guard/index'
import type { RestHandler, RestRequest } from '../rest/contract'

export interface PortalServerOptions {
  port?: number
  /** Loopback only: the dev portal hands out tokens to anyone who asks and must not be reachable from the network. */
  host?: string
  portal: { handle: RestHandler }
  /** Largest request body in bytes; more answers 413 (default 8 MiB, PHP's post_max_size). */
  maxBodyBytes?: number
  /** Origins of the app pages that may call the REST API from a browser (default: none; see PortalHttpHandlerOptions). */
  allowOrigins?: string[]
}

export interface PortalServer {
  url: string
  port: number
  close(): Promise<void>
}


/**
 * CORS for an allowed app page. The real cloud answers `*` (auth travels in the body, not in cookies), but this
 * portal has a webhook whose secret a seed may fix and runs where any website can reach it, so it names the one
 * origin that asked instead. Allowed request headers are the short list the portal names [inferred from the cloud's
 * replies].
 */
function corsFor(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'origin, content-type, accept',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-max-age': '86400',
    vary: 'Origin',
  }
}

const JSON_TYPE = 'application/json; charset=utf-8'

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': JSON_TYPE, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers })
  res.end(body)
}

function sendError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify({ error, error_description: description }), headers)
}

/** 403 for a request from a host name or page that is not ours; the request body is not read. */
export function sendForeignRequest(req: IncomingMessage, res: ServerResponse, why: 'host' | 'origin'): void {
  req.resume()
  sendError(res, 403, 'ACCESS_DENIED', why === 'host' ? 'Invalid Host header' : 'Origin not allowed', { connection: 'close' })
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        tooLarge = true
        chunks.length = 0
        // Stop a client that keeps streaming long after the limit instead of draining it for ever.
        if (size > limit * 4) req.destroy()
        return
      }
      if (!tooLarge) chunks.push(chunk)
    })
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)))
    req.on('error', reject)
    req.on('close', () => {
      if (tooLarge) resolve('too-large')
    })
  })
}

export interface PortalHttpHandlerOptions {
  portal: { handle: RestHandler }
  /** Largest request body in bytes; more answers 413 (default 8 MiB, PHP's post_max_size). */
  maxBodyBytes?: number
  /**
   * Origins of the browser pages that may call (the portal page's own, the app's). Default none. Requests without
   * an Origin (curl, Node, server-side SDKs) are answered; a page of any other origin gets 403 before its request
   * runs, so even a `no-cors` POST that could not read the answer changes nothing.
   */
  allowOrigins?: string[]
}

/**
 * The REST side as a plain node:http request listener, for a server that also serves other things (the dev portal
 * page, its static files). It answers every request it is given; route only /rest/... and preflights to it.
 */
export function createPortalHttpHandler(options: PortalHttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024
  const handle = options.portal.handle
  const allowed = normalizeOrigins(options.allowOrigins ?? [])
  return async (req, res) => {
    try {
      const verdict = judgeOrigin(req, allowed)
      if (verdict.kind === 'refused') return sendForeignRequest(req, res, 'origin')
      const cors = verdict.kind === 'allowed' ? corsFor(verdict.origin) : {}
      const url = new URL(req.url ?? '/', 'http://portal.invalid')
      if (req.method === 'OPTIONS') {
        req.resume()
        res.writeHead(204, { ...cors, 'content-length': '0' })
        res.end()
        return
      }
      if (!url.pathname.startsWith('/rest/')) return sendError(res, 404, 'NOT_FOUND', 'Not found', cors)
      if (req.method !== 'POST' && req.method !== 'GET') {
        return sendError(res, 405, 'INVALID_REQUEST', 'Only GET and POST are accepted', { ...cors, allow: 'GET, POST, OPTIONS' })
      }
      let method: string
      try {
        method = decodeURIComponent(url.pathname.slice('/rest/'.length))
      } catch {
        return sendError(res, 404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!', cors)
      }
      const body = await readBody(req, limit)
      if (body === 'too-large') return sendError(res, 413, 'INVALID_REQUEST', 'Request entity too large', { ...cors, connection: 'close' })
      const type = String(req.headers['content-type'] ?? '').toLowerCase()
      if (type.startsWith('multipart/')) {
        return sendError(res, 400, 'INVALID_REQUEST', 'multipart/form-data bodies are not supported by the dev portal', cors)
      }
      const request: RestRequest = {
        method,
        body: body.toString('utf8'),
        // BX24 sends its form body with no content type at all (text/plain in the browser); only JSON is special.
        contentType: type.startsWith('application/json') ? 'application/json' : 'application/x-www-form-urlencoded',
      }
      if (url.search.length > 1) request.query = url.search.slice(1)
      const response = await handle(request)
      send(res, response.status, response.body, { ...response.headers, ...cors })
    } catch {
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error')
    }
  }
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackAddress(host)) throw new TypeError(`startPortalServer: refusing to bind to ${host}; the dev portal listens on loopback only`)
  const listener = createPortalHttpHandler(options)
  const names = ownHostNames([host])
  const server = createServer((req, res) => {
    if (!hostAllowed(req, names)) return sendForeignRequest(req, res, 'host')
    void listener(req, res)
  })
  server.on('clientError', answerClientError)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host === '::1' ? '[::1]' : host
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
