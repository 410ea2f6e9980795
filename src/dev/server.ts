// startDevPortal(): the local Bitrix24 stand-in behind `npm start` and the browser tests. On 127.0.0.1 by default:
// - the portal origin: the demo portal page, the REST API (/rest/...), and the dev API the page uses (/dev/...);
// - the app origin: a second origin (a different host name, so the iframe is cross-site) serving the sample app;
// - the push server (sub/pub endpoints), wired to the portal's pull.application.* methods.
// Every REST call and every published pull message goes to a live log (nanoevents), streamed to the portal page.
//
// Security model (docs/portal.md, "Security"): every server answers only to its own host names (DNS rebinding), only
// the portal's and the app's pages may call it from a browser, and the secrets (webhook, member id, channel ids,
// signature key) are new on every run unless the seed or the options pin them.

import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { createNanoEvents } from 'nanoevents'
import { answerClientError, hostAllowed, isLoopbackAddress, normalizeHostName, originsOf, ownHostNames } from '../http-guard/index'
import { createMockPortal, defaultSeed, type MockPortal } from '../portal/index'
import type { PortalSeed } from '../portal/seed'
import { createPortalHttpHandler, sendForeignRequest } from '../portal/server'
import { startPushServer, type PushProtocol, type PushServer } from '../push-server/index'
import type { RestCatalog } from '../catalog/types'
import { createAppOriginHandler } from './app-origin'
import { loadCatalog } from './catalog-file'
import { createDevApi, type LogEntry } from './dev-api'
import { logPreview } from './log-preview'
import { restDescription } from './descriptions'
import { createEventSender } from './event-sender'
import { loggedRestHandler } from './logged-handler'
import { portProblem } from './ports'
import { createPullMethods } from './pull-methods'
import { pushServerBackend } from './push-backend'
import { contentSecurityPolicy, createStaticHandler } from './static-files'
import { normalizeTrigger, runSeries } from './trigger'

export interface DevPortalOptions {
  /** Portal origin port (0: any free port). Default 4173. */
  port?: number
  /** App origin port. Default port + 1 (0 when port is 0). */
  appPort?: number
  /** Push server port. Default port + 2 (0 when port is 0). */
  pushPort?: number
  /** Push wire protocol: push-server 1.x text frames, 2.x protobuf, or v5 JSON-RPC. Default 'text'. */
  protocol?: PushProtocol
  /** Portal contents; default: the built-in seed (users, 120 deals, ...) with new secrets every run. */
  seed?: PortalSeed
  /** The app the portal hosts (any origin). Default: the sample app on the app origin. */
  appUrl?: string
  /**
   * The push server's key: channel ids are signed with it (HMAC-SHA1) and derived from it, and /bitrix/pub/ wants
   * bodies signed with it. Default: a random key of this run.
   */
  signatureKey?: string
  /** Repository root to serve demo/ and dist/ from (and catalog/rest-catalog.json). */
  root?: string
  /**
   * Listen address. Default 127.0.0.1 (this machine only). Any other address (0.0.0.0: every interface) opens the
   * portal to the network on purpose and needs `allowHosts`.
   */
  host?: string
  /**
   * Host names or addresses other machines use to reach this one (`mybox.local`, `192.168.1.20`). Requests naming
   * any other host are refused (DNS rebinding). The first one goes into the URLs when `host` is not loopback.
   */
  allowHosts?: string[]
  /** The placement the app opens in, and its PLACEMENT_OPTIONS (default: the seed's `launch`, else DEFAULT). */
  placement?: string
  placementOptions?: Record<string, unknown>
  /** Milliseconds between an event and its POST to the handler (default 500). */
  eventDelayMs?: number
  /** Where ONAPPINSTALL goes when the install finishes (default: the seed's app.installHandler). */
  installHandler?: string
}

export interface DevPortal {
  portalUrl: string
  appOrigin: string
  appUrl: string
  pushUrl: string
  /** The seed's first inbound webhook, `<portalUrl>/rest/<userId>/<secret>/`, when the seed has one. */
  webhookUrl: string | undefined
  /** The push server's signature key (see DevPortalOptions.signatureKey). */
  signatureKey: string
  portal: MockPortal
  push: PushServer
  /** Things a person starting the portal should know (a missing REST catalogue, ...). */
  notices: string[]
  /** Live log: every REST call, pull message, fault, event delivery. */
  onLog(listener: (entry: LogEntry) => void): () => void
  close(): Promise<void>
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

async function listen(server: Server, port: number, host: string, flag: string): Promise<number> {
  await new Promise<void>((done, fail) => {
    server.once('error', (error) => fail(portProblem(error, port, flag)))
    server.listen(port, host, () => done())
  })
  return (server.address() as AddressInfo).port
}

/**
 * The one request listener of a dev server: refuses foreign Host names first, and turns anything a handler throws
 * into a 500, so no request goes unanswered and no request can end the process.
 */
function guarded(names: readonly string[], handler: Promise<Handler>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!hostAllowed(req, names)) return sendForeignRequest(req, res, 'host')
    handler.then((handle) => handle(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end()
    })
  }
}

function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
  res.end('not found')
}

/**
 * An app on a real portal has the scopes it declared; the dev portal cannot know them, so unless the seed names the
 * app's scopes, the app gets every scope the catalogue documents: documented methods answer instead of 403.
 */
function withCatalogScopes(seed: PortalSeed | undefined, catalog: RestCatalog | undefined): PortalSeed | undefined {
  if (!catalog || (seed && seed.app?.scope)) return seed
  const base = seed ?? defaultSeed()
  const scopes = new Set([...(base.app?.scope ?? []), ...Object.values(catalog.methods).flatMap((m) => m.scope.filter((s) => s !== 'basic'))])
  return { ...base, app: { ...base.app, scope: [...scopes] } }
}

/** The seed with the options that override it: the install handler. */
function withLaunchDefaults(seed: PortalSeed | undefined, installHandler: string | undefined): PortalSeed | undefined {
  if (installHandler === undefined) return seed
  const base = seed ?? defaultSeed()
  return { ...base, app: { ...base.app, installHandler } }
}

export async function startDevPortal(options: DevPortalOptions = {}): Promise<DevPortal> {
  const basePort = options.port ?? 4173
  const root = resolve(options.root ?? process.cwd())
  const protocol = options.protocol ?? 'text'
  const host = options.host ?? '127.0.0.1'
  const allowHosts = (options.allowHosts ?? []).map(normalizeHostName)
  const local = isLoopbackAddress(host)
  if (!local && allowHosts.length === 0) {
    throw new TypeError(`listening on ${host} opens the dev portal to the network: name the host names other machines use (allowHosts / --allow-host)`)
  }
  // A loopback address of its own (127.0.0.2, ::1) is one of the server's names, and then the one in its URLs.
  const names = ownHostNames(local ? [...allowHosts, host] : allowHosts)
  const publicHost = !local ? allowHosts[0]! : host === 'localhost' ? '127.0.0.1' : normalizeHostName(host)
  const signatureKey = options.signatureKey ?? randomBytes(24).toString('hex')
  const bus = createNanoEvents<{ log: (entry: LogEntry) => void }>()
  const emit = (entry: LogEntry) => bus.emit('log', entry)

  // Ports first: the allowed origins name them. Requests that come in meanwhile wait for the handlers.
  let handlersReady!: (handlers: { portal: Handler; app: Handler }) => void
  const handlers = new Promise<{ portal: Handler; app: Handler }>((done) => (handlersReady = done))
  const portalServer = createServer(guarded(names, handlers.then((h) => h.portal)))
  const appServer = createServer(guarded(names, handlers.then((h) => h.app)))
  for (const server of [portalServer, appServer]) server.on('clientError', answerClientError)
  const portalPort = await listen(portalServer, basePort, host, '--port')
  const appPort = await listen(appServer, options.appPort ?? (basePort ? basePort + 1 : 0), host, '--app-port').catch((error: unknown) => {
    portalServer.close()
    throw error
  })
  const portalUrl = `http://${publicHost}:${portalPort}`
  // "localhost" and 127.0.0.1 are different sites, so the sample app's frame is a real cross-site, out-of-process
  // iframe. A user's own app (--app-url) brings its own origin.
  const sampleOrigin = `http://${local ? 'localhost' : publicHost}:${appPort}`
  const appUrl = options.appUrl ?? `${sampleOrigin}/demo/app/`
  const appOrigin = new URL(appUrl).origin
  const portalOrigins = originsOf(names, portalPort)
  const appOrigins = [...new Set([...originsOf(names, appPort), appOrigin])]

  const pushPort = options.pushPort ?? (basePort ? basePort + 2 : 0)
  const push = await startPushServer({
    host, port: pushPort, protocol, signatureKey, publishKey: signatureKey,
    allowHosts: names, publicHost, allowOrigins: [...portalOrigins, ...appOrigins],
    log: (entry) => emit({ kind: 'push', at: Date.now(), event: entry.event }),
  }).catch(async (error: unknown) => {
    for (const server of [portalServer, appServer]) server.close()
    throw portProblem(error, pushPort, '--push-port')
  })
  const pull = createPullMethods(pushServerBackend(push, signatureKey), {
    onPublish: (channels, body, mid) => emit({ kind: 'pull', at: Date.now(), mid, channels: channels.length, body: logPreview(body) }),
  })
  const { catalog, problem } = loadCatalog(root)
  const notices = problem ? [problem] : []
  const sender = createEventSender({ delayMs: options.eventDelayMs, emit })
  const seed = withCatalogScopes(withLaunchDefaults(options.seed, options.installHandler), catalog)
  const portal = createMockPortal({ seed: seed ?? defaultSeed(), extraMethods: pull.methods, catalog, onEvent: (delivery) => sender.send(delivery) })
  const launch = {
    placement: (options.placement ?? seed?.launch?.placement ?? 'DEFAULT').toUpperCase(),
    options: options.placementOptions ?? seed?.launch?.options ?? {},
  }
  const hook = portal.state.webhooks[0]
  const pushUrls = [push.url, push.url.replace(/^http/, 'ws')]

  const rest = createPortalHttpHandler({
    portal: { handle: loggedRestHandler(portal.handle, emit) }, allowOrigins: [...portalOrigins, ...appOrigins],
  })
  // The portal page frames the app's origin, and any other web page too: an app's handler may redirect its frame to
  // another origin (its own login, a www. host), as it may in a real portal. What the page must not be is framed
  // itself (frame-ancestors).
  const portalStatic = createStaticHandler({
    root, prefixes: ['/demo/', '/dist/'],
    csp: contentSecurityPolicy({ connect: pushUrls, frames: [appOrigin, 'http:', 'https:'], ancestors: [] }),
  })
  const appStatic = createAppOriginHandler({
    portalUrl, appUrl,
    serveStatic: createStaticHandler({
      root, prefixes: ['/demo/', '/dist/'],
      csp: contentSecurityPolicy({ connect: [...portalOrigins, ...pushUrls] }),
    }),
  })
  const devApi = createDevApi({
    portal, push, pull, appUrl, appOrigin, protocol, emit, subscribe: (fn) => bus.on('log', fn), pageOrigins: new Set(portalOrigins),
    launch,
    trigger: (body) => runSeries(normalizeTrigger(body), {
      portal, catalog, settled: () => sender.settled(),
      onDelivered: (listener) => bus.on('log', (entry) => void (entry.kind === 'event' && listener(entry.status >= 200 && entry.status < 300, entry.at))),
    }),
  })

  handlersReady({
    async portal(req, res) {
      const path = (req.url ?? '/').split('?')[0]!
      if (path === '/' || path === '/index.html') {
        res.writeHead(302, { location: '/demo/portal.html' })
        return void res.end()
      }
      if ((path === '/rest/' || path === '/rest') && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        return void res.end(restDescription(portalUrl, hook ? `${portalUrl}/rest/${hook.userId}/${hook.secret}/` : undefined))
      }
      if (path.startsWith('/rest/') || (req.method === 'OPTIONS' && path.startsWith('/rest'))) return rest(req, res)
      if (path.startsWith('/dev/')) return devApi(req, res)
      if (!(await portalStatic(req, res))) sendNotFound(res)
    },
    async app(req, res) {
      if (!(await appStatic(req, res))) sendNotFound(res)
    },
  })

  return {
    portalUrl, appOrigin, appUrl, pushUrl: push.url, portal, push, signatureKey, notices,
    webhookUrl: hook ? `${portalUrl}/rest/${hook.userId}/${hook.secret}/` : undefined,
    onLog: (listener) => bus.on('log', listener),
    async close() {
      sender.close()
      devApi.close()
      for (const server of [portalServer, appServer]) server.closeAllConnections()
      await Promise.all([portalServer, appServer].map((s) => new Promise<void>((done) => s.close(() => done()))))
      await push.close()
    },
  }
}
