// The dev portal's own API (/dev/...), used by the demo portal page: the session a rendered app frame gets (tokens,
// options, users), token refresh and option writes on the one server-side portal, the live log as Server-Sent
// Events, publishing a pull event, and fault injection into the push server.
//
// Only the portal page itself may use it: it mints admin tokens. Every request from a page of another origin is
// refused (Origin, or Sec-Fetch-Site for an `<img>`), everything that changes or mints something is a POST with a
// JSON body (which no cross-site form can send without a preflight), and the server has already refused any Host
// that is not one of its own names (DNS rebinding). Non-browser clients are let through: see docs/portal.md.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { judgeOrigin } from '../http-guard/index'
import type { MockPortal } from '../portal/index'
import { decodeJsonBody } from '../portal/request'
import type { PushProtocol, PushServer } from '../push-server/index'
import type { DeliveryLogEntry } from './event-sender'
import type { RestLogEntry } from './logged-handler'
import type { createPullMethods } from './pull-methods'

export type LogEntry =
  | RestLogEntry
  | DeliveryLogEntry
  | { kind: 'pull'; at: number; mid: string; channels: number; body: unknown }
  | { kind: 'push'; at: number; event: string }
  | { kind: 'fault'; at: number; fault: string }

export interface DevApiOptions {
  portal: MockPortal
  push: PushServer
  pull: ReturnType<typeof createPullMethods>
  appUrl: string
  appOrigin: string
  protocol: PushProtocol
  emit(entry: LogEntry): void
  subscribe(listener: (entry: LogEntry) => void): () => void
  /** The portal page's own origins (one per name the server answers to). */
  pageOrigins: ReadonlySet<string>
  /** How the page opens the app: placement code and PLACEMENT_OPTIONS. */
  launch: { placement: string; options: Record<string, unknown> }
  /** Raises an event (a series with count/rate) for the bound handlers; resolves with the report (trigger.ts). */
  trigger(body: Record<string, unknown>): Promise<unknown>
}

const MAX_BODY = 64 * 1024
/** Log entries a new page gets replayed; each is a bounded preview (log-preview.ts), so this bounds the bytes too. */
const HISTORY = 200
/** Open log streams at most; a page that opens more is refused. */
const MAX_STREAMS = 32
/** Bytes a log stream may have waiting for a page that does not read; past this the stream is closed. A replay of
 * the whole history (200 previews of at most ~5 KB) fits well under it. */
const MAX_STREAM_BACKLOG = 4 * 1024 * 1024

class DevApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
      // Past the limit the rest is drained unread, so the 413 can still be sent; a client that streams on and on is cut.
      else if (size > MAX_BODY * 16) req.destroy()
    })
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new DevApiError(413, 'BODY_TOO_LARGE', `a /dev body is at most ${MAX_BODY} bytes`))
      try {
        // The portal's own JSON decoding: depth-checked before parsing, `__proto__` kept as data.
        resolve(decodeJsonBody(Buffer.concat(chunks).toString('utf8')))
      } catch (error) {
        reject(error)
      }
    })
    req.on('error', reject)
  })
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  res.end(JSON.stringify(value))
}

/** Reads (GET) and writes (POST): a route answers to one method only. */
type Route = { method: 'GET' | 'POST'; run(body: Record<string, unknown>): unknown }

export function createDevApi(options: DevApiOptions) {
  const { portal, push } = options
  const history: string[] = []
  const streams = new Set<ServerResponse>()
  const write = (stream: ServerResponse, frame: string): void => {
    stream.write(frame)
    if (stream.writableLength > MAX_STREAM_BACKLOG) {
      streams.delete(stream)
      stream.destroy()
    }
  }
  const unsubscribe = options.subscribe((entry) => {
    let frame: string
    try {
      frame = `data: ${JSON.stringify(entry)}\n\n`
    } catch {
      return // entries hold previews (log-preview.ts); this is only a last line of defence
    }
    history.push(frame)
    if (history.length > HISTORY) history.shift()
    for (const stream of streams) write(stream, frame)
  })

  const userCards = () =>
    portal.state.users.map((u) => ({
      id: Number(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), position: String(u.WORK_POSITION ?? ''),
      admin: portal.isAdmin(Number(u.ID)),
    }))

  const routes: Record<string, Route> = Object.assign(Object.create(null) as Record<string, Route>, {
    info: { method: 'GET', run: () => ({
      appUrl: options.appUrl, appOrigin: options.appOrigin, protocol: options.protocol, push: push.url,
      users: userCards(), defaultUserId: portal.defaultUserId, launch: options.launch,
    }) },
    session: { method: 'POST', run: (body) => {
      const userId = Number(body.userId) || portal.defaultUserId
      if (!portal.user(userId)) throw new Error(`no user ${userId}`)
      return {
        userId, grant: portal.issueAuth(userId), firstRun: portal.isFirstRun(userId), isAdmin: portal.isAdmin(userId),
        userOptions: portal.userOptions(userId), users: portal.state.users,
        state: {
          domain: portal.state.domain, path: portal.state.path, memberId: portal.state.memberId, lang: portal.state.lang,
          app: {
            installed: portal.state.app.installed, clientId: portal.state.app.clientId, status: portal.state.app.status,
            scope: [...portal.state.app.scope], applicationToken: portal.state.app.applicationToken,
          },
          appOptions: portal.state.appOptions,
        },
      }
    } },
    refresh: { method: 'POST', run: (body) => ({ grant: portal.refreshAuth(String(body.refreshToken ?? '')) }) },
    mutate: { method: 'POST', run: (body) => {
      const userId = Number(body.userId)
      switch (body.op) {
        case 'markRun': portal.markRun(userId); break
        case 'markInstalled': portal.markInstalled(body.installed !== false); break
        case 'setUserOption': portal.setUserOption(userId, String(body.name), (body.value ?? null) as never); break
        case 'setAppOption': portal.setAppOption(String(body.name), (body.value ?? null) as never); break
        default: throw new Error('unknown op')
      }
      return { ok: true }
    } },
    publish: { method: 'POST', run: (body) => {
      const command = typeof body.command === 'string' && body.command ? body.command : 'demoEvent'
      const mid = options.pull.publishEvent(
        { state: portal.state, params: {}, userId: portal.defaultUserId, isAdmin: true, now: Date.now() },
        { moduleId: body.moduleId, command, params: body.params, userId: body.userId },
      )
      return { mid }
    } },
    // POST only: events reach handlers server to handler, and a page of another origin may not set them off.
    trigger: { method: 'POST', run: (body) => options.trigger(body) },
    fault: { method: 'POST', run: (body) => {
      const kind = String(body.kind)
      const faults = push.faults
      if (kind === 'drop') faults.dropAll()
      else if (kind === 'restart') faults.restart()
      else if (kind === 'duplicate') faults.duplicateLast()
      else if (kind === 'malformed') faults.sendMalformed()
      else if (kind === 'slow') faults.setDelay(Number(body.ms) || 0)
      else if (kind === 'expire') {
        // The app's shared channel expires; the client reloads its config (B.6 channel_expire, action get_config).
        const id = options.pull.sharedChannel(portal.state.memberId)
        faults.expireChannel(id, { action: 'get_config', channel: { id, type: 'shared' } })
      }
      else throw new Error('unknown fault')
      options.emit({ kind: 'fault', at: Date.now(), fault: kind })
      return { ok: true }
    } },
  } satisfies Record<string, Route>)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = (req.url ?? '').split('?')[0]!.slice('/dev/'.length)
    // Only the portal page itself: another page must not mint tokens, read the log or inject faults.
    if (judgeOrigin(req, options.pageOrigins).kind === 'refused') {
      req.resume()
      return json(res, 403, { error: 'FORBIDDEN' })
    }
    if (name === 'events') {
      if (req.method !== 'GET') return json(res, 405, { error: 'METHOD_NOT_ALLOWED' })
      if (streams.size >= MAX_STREAMS) return json(res, 503, { error: 'TOO_MANY_STREAMS' })
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      streams.add(res)
      for (const frame of history) write(res, frame)
      res.on('close', () => streams.delete(res))
      return
    }
    const route = routes[name]
    if (!route) return json(res, 404, { error: 'NOT_FOUND' })
    if (req.method !== route.method) {
      req.resume()
      res.setHeader('allow', route.method)
      return json(res, 405, { error: 'METHOD_NOT_ALLOWED' })
    }
    if (route.method === 'POST' && !String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      req.resume()
      return json(res, 415, { error: 'UNSUPPORTED_MEDIA_TYPE', error_description: 'a JSON body (content-type: application/json) is expected' })
    }
    try {
      const body = route.method === 'POST' ? await readJson(req) : {}
      json(res, 200, await route.run(body))
    } catch (error) {
      const [status, code] = error instanceof DevApiError ? [error.status, error.code] : [400, 'BAD_REQUEST']
      json(res, status, { error: code, error_description: (error as Error).message })
    }
  }

  return Object.assign(handle, {
    close() {
      unsubscribe()
      for (const stream of streams) stream.end()
      streams.clear()
    },
  })
}
