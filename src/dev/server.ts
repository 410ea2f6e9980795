// startDevPortal(): the local Bitrix24 stand-in behind `npm start` and the browser tests. On 127.0.0.1 only:
// - the portal origin: the demo portal page, the REST API (/rest/...), and the dev API the page uses (/dev/...);
// - the app origin: a second origin (a different host name, so the iframe is cross-site) serving the sample app;
// - the push server (sub/pub endpoints), wired to the portal's pull.application.* methods.
// Every REST call and every published pull message goes to a live log (nanoevents), streamed to the portal page.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { createNanoEvents } from 'nanoevents'
import { createMockPortal, defaultSeed, type MockPortal } from '../portal/index'
import type { PortalSeed } from '../portal/seed'
import { createPortalHttpHandler } from '../portal/server'
import { startPushServer, type PushProtocol, type PushServer } from '../push-server/index'
import type { RestCatalog } from '../catalog/types'
import { createAppOriginHandler } from './app-origin'
import { loadCatalog } from './catalog-file'
import { createDevApi, type LogEntry } from './dev-api'
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
  /** Portal contents; default: the built-in seed (users, 120 deals, ...). */
  seed?: PortalSeed
  /** The app the portal hosts (any origin). Default: the sample app on the app origin. */
  appUrl?: string
  /** Channel signatures (HMAC-SHA1), as a real push server checks them. */
  signatureKey?: string
  /** Repository root to serve demo/ and dist/ from (and catalog/rest-catalog.json). */
  root?: string
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
  portal: MockPortal
  push: PushServer
  /** Things a person starting the portal should know (a missing REST catalogue, ...). */
  notices: string[]
  /** Live log: every REST call, pull message, fault, event delivery. */
  onLog(listener: (entry: LogEntry) => void): () => void
  close(): Promise<void>
}

const HOST = '127.0.0.1'

async function listen(server: Server, port: number, flag: string): Promise<number> {
  await new Promise<void>((done, fail) => {
    server.once('error', (error) => fail(portProblem(error, port, flag)))
    server.listen(port, HOST, () => done())
  })
  return (server.address() as AddressInfo).port
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
  const bus = createNanoEvents<{ log: (entry: LogEntry) => void }>()
  const emit = (entry: LogEntry) => bus.emit('log', entry)

  const pushPort = options.pushPort ?? (basePort ? basePort + 2 : 0)
  const push = await startPushServer({
    host: HOST, port: pushPort, protocol, signatureKey: options.signatureKey,
    log: (entry) => emit({ kind: 'push', at: Date.now(), event: entry.event }),
  }).catch((error: unknown) => {
    throw portProblem(error, pushPort, '--push-port')
  })
  const pull = createPullMethods(pushServerBackend(push, options.signatureKey), {
    onPublish: (channels, body, mid) => emit({ kind: 'pull', at: Date.now(), mid, channels: channels.length, body }),
  })
  const { catalog, problem } = loadCatalog(root)
  const notices = problem ? [problem] : []
  const sender = createEventSender({ delayMs: options.eventDelayMs, emit })
  const seed = withCatalogScopes(withLaunchDefaults(options.seed, options.installHandler), catalog)
  const portal = createMockPortal({ seed, extraMethods: pull.methods, catalog, onEvent: (delivery) => sender.send(delivery) })
  const launch = { placement: (options.placement ?? seed?.launch?.placement ?? 'DEFAULT').toUpperCase(), options: options.placementOptions ?? seed?.launch?.options ?? {} }

  const portalServer = createServer()
  const appServer = createServer()
  const portalPort = await listen(portalServer, basePort, '--port')
  const appPort = await listen(appServer, options.appPort ?? (basePort ? basePort + 1 : 0), '--app-port')
  const portalUrl = `http://${HOST}:${portalPort}`
  // "localhost" and 127.0.0.1 are different sites, so the sample app's frame is a real cross-site, out-of-process
  // iframe. A user's own app (--app-url) brings its own origin.
  const sampleOrigin = `http://localhost:${appPort}`
  const appUrl = options.appUrl ?? `${sampleOrigin}/demo/app/`
  const appOrigin = new URL(appUrl).origin

  const rest = createPortalHttpHandler({ portal: { handle: loggedRestHandler(portal.handle, emit) } })
  const portalStatic = createStaticHandler({
    root, prefixes: ['/demo/', '/dist/'], csp: contentSecurityPolicy([push.url, push.url.replace(/^http/, 'ws')], [appOrigin]),
  })
  const appStatic = createAppOriginHandler({
    portalUrl, appUrl,
    serveStatic: createStaticHandler({
      root, prefixes: ['/demo/', '/dist/'], csp: contentSecurityPolicy([portalUrl, push.url, push.url.replace(/^http/, 'ws')]),
    }),
  })
  const hook = portal.state.webhooks[0]
  const devApi = createDevApi({
    portal, push, pull, appUrl, appOrigin, protocol, emit, subscribe: (fn) => bus.on('log', fn), launch,
    trigger: (body) => runSeries(normalizeTrigger(body), {
      portal, catalog, settled: () => sender.settled(),
      onDelivered: (listener) => bus.on('log', (entry) => void (entry.kind === 'event' && listener(entry.status >= 200 && entry.status < 300, entry.at))),
    }),
  })

  portalServer.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]
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
    if (await portalStatic(req, res)) return
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('not found')
  })
  appServer.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (await appStatic(req, res)) return
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('not found')
  })
  for (const server of [portalServer, appServer]) server.on('clientError', (_error, socket) => socket.destroy())

  return {
    portalUrl, appOrigin, appUrl, pushUrl: push.url, portal, push, notices,
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
