// The exact response heads push-server 1.x writes (header order and values from the captures). Node adds Date,
// Connection/Keep-Alive and, because bodies are written with write() + end(), Transfer-Encoding: chunked, as 1.x.

import type { ServerResponse } from 'node:http'

const CORS = [['Access-Control-Allow-Origin', '*'], ['Access-Control-Expose-Headers', 'Last-Message-Id']] as const

/** The magic date the client recognises a "nothing new" 304 by (PULL-51). */
export const EXPIRES_MAGIC = 'Thu, 01 Jan 1973 11:11:01 GMT'

function send(res: ServerResponse, status: number, headers: (readonly [string, string])[], body: string | Uint8Array = '', close = false): void {
  if (res.headersSent || res.destroyed) return
  // Letting Node write `Connection: close` itself puts it after Date, where 1.x has it.
  if (close) res.shouldKeepAlive = false
  res.writeHead(status, headers.flat() as string[])
  if (typeof body === 'string' ? body.length > 0 : body.length > 0) res.write(body)
  else res.flushHeaders()
  res.end()
}

/** A long-polling delivery: 200, CORS, no Last-Message-Id header. Binary mode says so in its Content-Type. */
export function sendDelivery(res: ServerResponse, body: string | Uint8Array): void {
  const type = typeof body === 'string' ? 'text/plain' : 'application/octet-stream'
  send(res, 200, [['Content-Type', type], ...CORS], body)
}

/** The end of a hold with nothing new (PULL-51). `Last-Message-Id` may be empty, and is then still sent. */
export function sendNotModified(res: ServerResponse, lastMessageId: string): void {
  send(res, 304, [['Content-Type', 'text/plain'], ...CORS, ['Expires', EXPIRES_MAGIC], ['Last-Message-Id', lastMessageId]])
}

/** Sub endpoint errors: 400 with a text reason and Connection: close. */
export function sendSubError(res: ServerResponse, status: number, text: string): void {
  send(res, status, [['Content-Type', 'text/plain'], ...CORS], text, true)
}

export function sendOptions(res: ServerResponse): void {
  send(res, 200, [
    ['Content-Type', 'text/plain'], ['Access-Control-Allow-Origin', '*'],
    ['Access-Control-Allow-Methods', 'POST, GET, DELETE, OPTIONS'], ['Access-Control-Allow-Headers', 'If-Modified-Since, If-None-Match'],
  ], '', true)
}

/** The pub endpoint's answers: 200 carries no CORS headers, errors do (captured for 413). */
export function sendPubReply(res: ServerResponse, status: number, text = ''): void {
  send(res, status, status === 200 ? [['Content-Type', 'text/plain']] : [['Content-Type', 'text/plain'], ['Access-Control-Allow-Origin', '*']], text)
}

export function sendJson(res: ServerResponse, body: string): void {
  send(res, 200, [['Content-Type', 'text/plain'], ['Access-Control-Allow-Origin', '*']], body)
}

export function sendNotFound(res: ServerResponse): void {
  send(res, 404, [['Content-Type', 'text/plain']])
}

/** The raw answer to a refused WebSocket upgrade, byte for byte as 1.x writes it before closing the socket. */
export const UPGRADE_REFUSED =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nAccess-Control-Allow-Origin: *\r\n' +
  'Access-Control-Expose-Headers: Last-Message-Id\r\nContent-Length: 11\r\n\r\nBad Request'
