// The dev portal's own API (/dev/...), used by the demo portal page: the session a rendered app frame gets (tokens,
// options, users), token refresh and option writes on the one server-side portal, the live log as Server-Sent
// Events, publishing a pull event, and fault injection into the push server.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { MockPortal } from '../portal/index'
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
  /** How the page opens the app: placement code and PLACEMENT_OPTIONS. */
  launch: { placement: string; options: Record<string, unknown> }
  /** Raises an event (a series with count/rate) for the bound handlers; resolves with the report (trigger.ts). */
  trigger(body: Record<string, unknown>): Promise<unknown>
}

const MAX_BODY = 64 * 1024
const HISTORY = 200

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) req.destroy(new Error('body too large'))
      else chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        const value = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}
        resolve(value && typeof value === 'object' && !Array.isArray(value) ? value : {})
      } catch (error) {
        reject(error)
      }
    })
    req.on('error', reject)
  })
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(value))
}

export function createDevApi(options: DevApiOptions) {
  const { portal, push } = options
  const history: LogEntry[] = []
  const streams = new Set<ServerResponse>()
  const unsubscribe = options.subscribe((entry) => {
    history.push(entry)
    if (history.length > HISTORY) history.shift()
    const frame = `data: ${JSON.stringify(entry)}\n\n`
    for (const stream of streams) stream.write(frame)
  })

  const userCards = () =>
    portal.state.users.map((u) => ({
      id: Number(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), position: String(u.WORK_POSITION ?? ''),
      admin: portal.isAdmin(Number(u.ID)),
    }))

  const routes: Record<string, (body: Record<string, unknown>) => unknown> = {
    info: () => ({
      appUrl: options.appUrl, appOrigin: options.appOrigin, protocol: options.protocol, push: push.url,
      users: userCards(), defaultUserId: portal.defaultUserId, launch: options.launch,
    }),
    session: (body) => {
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
    },
    refresh: (body) => ({ grant: portal.refreshAuth(String(body.refreshToken ?? '')) }),
    mutate: (body) => {
      const userId = Number(body.userId)
      switch (body.op) {
        case 'markRun': portal.markRun(userId); break
        case 'markInstalled': portal.markInstalled(body.installed !== false); break
        case 'setUserOption': portal.setUserOption(userId, String(body.name), (body.value ?? null) as never); break
        case 'setAppOption': portal.setAppOption(String(body.name), (body.value ?? null) as never); break
        default: throw new Error('unknown op')
      }
      return { ok: true }
    },
    publish: (body) => {
      const command = typeof body.command === 'string' && body.command ? body.command : 'demoEvent'
      const mid = options.pull.publishEvent(
        { state: portal.state, params: {}, userId: portal.defaultUserId, isAdmin: true, now: Date.now() },
        { moduleId: body.moduleId, command, params: body.params, userId: body.userId },
      )
      return { mid }
    },
    // POST only: events reach handlers server to handler, and a page of another origin may not set them off.
    trigger: (body) => options.trigger(body),
    fault: (body) => {
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
    },
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = (req.url ?? '').split('?')[0].slice('/dev/'.length)
    // Only the portal page itself: another local page must not mint tokens or inject faults.
    const origin = req.headers.origin
    if (origin && origin !== `http://${req.headers.host}`) return json(res, 403, { error: 'FORBIDDEN' })
    if (name === 'events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      for (const entry of history) res.write(`data: ${JSON.stringify(entry)}\n\n`)
      streams.add(res)
      req.on('close', () => streams.delete(res))
      return
    }
    const route = Object.prototype.hasOwnProperty.call(routes, name) ? routes[name] : undefined
    if (!route) return json(res, 404, { error: 'NOT_FOUND' })
    if (name === 'trigger' && req.method !== 'POST') return json(res, 405, { error: 'METHOD_NOT_ALLOWED', error_description: 'POST a JSON body' })
    try {
      const body = req.method === 'POST' ? await readJson(req) : {}
      json(res, 200, await route(body))
    } catch (error) {
      json(res, 400, { error: 'BAD_REQUEST', error_description: (error as Error).message })
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
