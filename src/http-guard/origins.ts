// Which browser pages may talk to a local server. Browsers say who is calling in `Origin` (every cross-origin fetch,
// XHR, WebSocket and POST) and, for requests without it, in `Sec-Fetch-Site` (an `<img>` or `<script>` on another
// site). A request that carries neither comes from a non-browser client (curl, Node, the test suites) or is a
// same-origin GET: those are let through, and what protects them is the Host check and secrets nobody can guess.

import type { IncomingMessage } from 'node:http'

export type OriginVerdict =
  /** No browser page of another origin is behind this request. */
  | { kind: 'none' }
  /** A page of an allowed origin: answer it, with CORS headers naming it. */
  | { kind: 'allowed'; origin: string }
  /** A page of any other origin (or a sandboxed one, `Origin: null`): refuse, with no CORS headers. */
  | { kind: 'refused' }

/** `Sec-Fetch-Site` values that a browser sends for requests another site's page made. */
const FOREIGN_FETCH = new Set(['cross-site', 'same-site'])

/** Judges a request by its Origin against `allowed` (exact `scheme://host[:port]` strings). */
export function judgeOrigin(req: IncomingMessage, allowed: ReadonlySet<string>): OriginVerdict {
  const origin = req.headers.origin
  if (origin !== undefined) return allowed.has(origin.toLowerCase()) ? { kind: 'allowed', origin } : { kind: 'refused' }
  const site = req.headers['sec-fetch-site']
  return typeof site === 'string' && FOREIGN_FETCH.has(site) ? { kind: 'refused' } : { kind: 'none' }
}

/** Origins in the exact lower-case form browsers send (`new URL(x).origin`); throws on a URL that has none. */
export function normalizeOrigins(origins: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const value of origins) {
    const origin = new URL(value).origin
    if (origin === 'null') throw new TypeError(`not an origin: ${JSON.stringify(value)}`)
    out.add(origin.toLowerCase())
  }
  return out
}
