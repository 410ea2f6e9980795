// The exact response heads push-server 1.x writes (header order and values from the captures). Node adds Date,
// Connection/Keep-Alive and, because bodies are written with write() + end(), Transfer-Encoding: chunked, as 1.x.
//
// Deliberate difference: 1.x sends `Access-Control-Allow-Origin: *`, so any website could read the messages of a
// channel it can name. Here the header names the calling page's origin, and only when that origin is allowed
// (`allowOrigins`); requests without an Origin (non-browser clients) get no such header at all.

import type { ServerResponse } from 'node:http'

/** The magic date the client recognises a "nothing new" 304 by (PULL-51). */
export const EXPIRES_MAGIC = 'Thu, 01 Jan 1973 11:11:01 GMT'

type Header = readonly [string, string]

/** CORS headers in 1.x's place: the allowed origin (if any), then the exposed header the client reads. */
function cors(origin: string | undefined): Header[] {
  const expose: Header = ['Access-Control-Expose-Headers', 'Last-Message-Id']
  return origin === undefined ? [expose] : [['Access-Control-Allow-Origin', origin], expose]
}

function send(res: ServerResponse, status: number, headers: Header[], body: string | Uint8Array = '', close = false): void {
  if (res.headersSent || res.destroyed) return
  // Letting Node write `Connection: close` itself puts it after Date, where 1.x has it.
  if (close) res.shouldKeepAlive = false
  res.writeHead(status, headers.flat() as string[])
  if (typeof body === 'string' ? body.length > 0 : body.length > 0) res.write(body)
  else res.flushHeaders()
  res.end()
}

/** A long-polling delivery: 200, CORS, no Last-Message-Id header. Binary mode says so in its Content-Type. */
export function sendDelivery(res: ServerResponse, body: string | Uint8Array, origin?: string): void {
  const type = typeof body === 'string' ? 'text/plain' : 'application/octet-stream'
  send(res, 200, [['Content-Type', type], ...cors(origin)], body)
}

/** The end of a hold with nothing new (PULL-51). `Last-Message-Id` may be empty, and is then still sent. */
export function sendNotModified(res: ServerResponse, lastMessageId: string, origin?: string): void {
  send(res, 304, [['Content-Type', 'text/plain'], ...cors(origin), ['Expires', EXPIRES_MAGIC], ['Last-Message-Id', lastMessageId]])
}

/** Sub endpoint errors: 400 with a text reason and Connection: close. */
export function sendSubError(res: ServerResponse, status: number, text: string, origin?: string): void {
  send(res, status, [['Content-Type', 'text/plain'], ...cors(origin)], text, true)
}

export function sendOptions(res: ServerResponse, origin: string): void {
  send(res, 200, [
    ['Content-Type', 'text/plain'], ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Allow-Methods', 'POST, GET, DELETE, OPTIONS'], ['Access-Control-Allow-Headers', 'If-Modified-Since, If-None-Match'],
  ], '', true)
}

/** The pub endpoint's answers. Browsers are never let in, so unlike 1.x no reply carries CORS headers. */
export function sendPubReply(res: ServerResponse, status: number, text = ''): void {
  send(res, status, [['Content-Type', 'text/plain']], text)
}

export function sendJson(res: ServerResponse, body: string): void {
  send(res, 200, [['Content-Type', 'text/plain']], body)
}

export function sendNotFound(res: ServerResponse): void {
  send(res, 404, [['Content-Type', 'text/plain']])
}

/** A request from a host name or page that is not ours (see src/http-guard): 403, no CORS, connection closed. */
export function sendForbidden(res: ServerResponse, text: string): void {
  send(res, 403, [['Content-Type', 'text/plain']], text, true)
}

/** The raw answer to a refused WebSocket upgrade, as 1.x writes it (less its `*` CORS header) before closing. */
export const UPGRADE_REFUSED =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\n' +
  'Access-Control-Expose-Headers: Last-Message-Id\r\nContent-Length: 11\r\n\r\nBad Request'

/** The raw answer to an upgrade from a foreign host name or page. */
export const UPGRADE_FORBIDDEN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nForbidden'
