// The static portal: the dev portal's page with no server behind it. The portal is in this page's memory and is built
// from the same pieces as the dev portal page (dist/dev/portal-kit.mjs): the REST engine, the parent side of the frame
// protocol (createFrameHost), the page UI and the live log. The sample app (demo/app/, unchanged) runs in a
// same-origin frame; this page binds the app's BX24 to BX24's mock transport over the portal with
// BX24.shim.useTransport(...), and the transport's UI commands go to the frame host, so they behave as in the dev
// portal. The app loads the bundle with no transport configured (an empty window.name), so BX24.init waits until the
// transport is bound. Pull: the app's own `new BX.PullClient(...)` gets a pluggable transport fed by an in-page hub,
// which the portal's `pull.application.event.add` publishes to. Any static file server works (ES modules do not load
// from file://).

import {
  createFrameHost, createFrameHostBridge, createMockPortal, createPortalLog, createPortalUi, createPullMethods,
  loggedRestHandler, portalSession,
} from '../../dist/dev/portal-kit.mjs'

const $ = (id) => document.getElementById(id)
const log = createPortalLog($('log'), { 'message-in': $('count-messages'), rest: $('count-rest'), pull: $('count-pull') })

// ---------- pull: an in-page hub instead of a push server ----------
/** Connected app clients, each a pluggable source subscribed to the channels of its connection URL. */
function createPullHub() {
  const clients = new Set()
  let counter = 0
  return {
    get connections() { return clients.size },
    /** A PullSource (docs/pull.md) for one app window. */
    source(appWindow) {
      return {
        name: 'static-portal',
        open(sink, url) {
          // The client connects with CHANNEL_ID=<private>/<shared>, as it would to a push server.
          const channels = (new URL(url).searchParams.get('CHANNEL_ID') ?? '').split('/')
          const client = { sink, appWindow, channels }
          clients.add(client)
          showPull()
          sink.open()
          return () => {
            clients.delete(client)
            showPull()
          }
        },
      }
    },
    /** Forgets the clients of an app window that is going away (its pull client never says goodbye). */
    forget(appWindow) {
      for (const client of clients) if (client.appWindow === appWindow) clients.delete(client)
      showPull()
    },
    /** Delivers a body to every client subscribed to one of `channels`, as a push server does. */
    publish(channels, body) {
      const mid = `${Date.now()}${String(++counter).padStart(6, '0')}`.padStart(26, '0')
      setTimeout(() => {
        for (const client of clients) {
          if (client.appWindow.closed) {
            clients.delete(client)
            continue
          }
          if (!client.channels.some((id) => channels.includes(id))) continue
          // Built in the app window's realm: the client checks messages are plain objects of its own realm.
          client.sink.message(client.appWindow.JSON.parse(JSON.stringify([{ mid, text: body }])))
        }
      }, 0)
      return mid
    },
  }
}
const hub = createPullHub()

function showPull() {
  $('fact-pull').textContent = hub.connections ? `${hub.connections} client${hub.connections > 1 ? 's' : ''} connected` : 'no connection'
}

const randomHex = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
const channelIds = new Map()
/** The portal's pull.application.* methods (the dev portal's own), over the in-page hub. */
const pull = createPullMethods({
  version: 3, hostname: 'in-page.invalid',
  endpoints: { websocket: 'ws://in-page.invalid/bitrix/subws/', longPolling: 'http://in-page.invalid/bitrix/sub/', publish: '' },
  channelId: (seed) => channelIds.get(seed) ?? channelIds.set(seed, randomHex()).get(seed),
  sign: (id) => id,
  publicSignature: () => '',
  publish: (channels, body) => hub.publish(channels, body),
}, { onPublish: (_channels, body) => log.add('pull', `${body.module_id} / ${body.command}`, body.params) })

// ---------- the portal ----------
const portal = createMockPortal({ extraMethods: pull.methods })
const handle = loggedRestHandler(portal.handle, (entry) => {
  log.add('rest', `${entry.method} → ${entry.status}${entry.error ? ` ${entry.error}` : ''} · ${entry.ms} ms`, entry.params, entry.status >= 400 ? 'error' : 'ok')
  showPortal()
})

function showPortal() {
  $('fact-calls').textContent = String(portal.calls.length)
  $('fact-deals').textContent = String(portal.records('crm.deal').length)
  $('fact-installed').textContent = portal.state.app.installed ? 'yes' : 'no (install mode)'
}

const users = () => portal.state.users.map((u) => ({
  id: Number(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), position: String(u.WORK_POSITION ?? ''), admin: portal.isAdmin(Number(u.ID)),
}))

// The visible side of the UI commands, as on the dev portal page; reloadWindow opens the app again here.
const ui = createPortalUi(
  { frame: () => $('app-frame'), title: $('app-title'), modal: $('modal'), slider: $('slider'), toasts: $('toasts') },
  { users, log: (title, detail) => log.add('info', title, detail) },
)
ui.reloadWindow = () => launch()
const installFinish = ui.installFinish
ui.installFinish = (result) => {
  installFinish(result)
  showPortal()
}

// ---------- opening the app ----------
let launches = 0

function launch() {
  const generation = ++launches
  ui.closeSlider()
  const userId = Number($('user').value)
  const next = document.createElement('iframe')
  next.id = 'app-frame'
  next.title = 'Application'
  next.src = '../app/'
  next.addEventListener('load', () => {
    if (generation === launches) attach(next, userId)
  }, { once: true })
  const previous = $('app-frame')
  if (previous.contentWindow) hub.forget(previous.contentWindow)
  previous.replaceWith(next)
  $('app-title').textContent = 'Demo app'
}

/** Binds the freshly loaded app's BX24 and BX.PullClient to this page's portal. */
function attach(frame, userId) {
  const app = frame.contentWindow
  if (!app?.BX24?.shim || !app.BX24Shim) {
    fatal('The app frame has no bx24-shim bundle: run `node build.mjs` first (dist/ is missing).')
    return
  }
  // Pull: the app builds its own client (`new BX.PullClient({restApplication: true, restClient: BX24})`); the portal
  // supplies the connection, as a page that receives pull messages some other way does (docs/pull.md, pluggable).
  const PullClient = app.BX.PullClient
  const transport = () => app.BX24Shim.pluggableTransport(hub.source(app))
  app.BX.PullClient = class extends PullClient {
    constructor(params) {
      super(app.Object.assign(new app.Object(), { transport: transport() }, params))
    }
  }

  // UI commands: BX24's host adapter -> the frame host (the parent's rules) -> the page UI.
  const bridge = createFrameHostBridge()
  bridge.attach(createFrameHost({
    portal, ui, userId, appOrigin: location.origin, portalHost: portal.state.domain, protocol: 1, lang: 'en',
    listen: false, post: bridge.post, onError: (error, command) => log.add('info', `${command} failed`, String(error), 'error'),
  }))
  const session = portalSession(portal, { userId })
  const mock = app.BX24Shim.mockTransport({
    handler: handle,
    initData: app.JSON.parse(JSON.stringify(session.initData)),
    refresh: () => session.refresh(),
    host: {
      command(command, params, reply) {
        log.add('message-in', command, params)
        bridge.adapter.command(command, params, reply)
      },
    },
  })
  // The mock transport answers setUserOption/setAppOption itself; here they are also kept in the portal, as the real
  // portal does, so a reopened app sees them.
  const send = mock.send
  mock.send = (command, params, callback) => {
    const name = params && typeof params.name === 'string' ? params.name : ''
    if (command === 'setUserOption' && name) portal.setUserOption(userId, name, params.value ?? null)
    if (command === 'setAppOption' && name && portal.isAdmin(userId)) portal.setAppOption(name, params.value ?? null)
    if (command === 'setUserOption' || command === 'setAppOption') log.add('message-in', command, params, 'ok')
    return send(command, params, callback)
  }
  app.BX24.shim.useTransport(mock)
  const user = users().find((u) => u.id === userId)
  log.add('info', `app opened as ${user?.name ?? userId}: BX24 on the mock transport`, { transport: app.BX24.shim.transport() })
}

function fatal(text) {
  const banner = $('fatal')
  banner.hidden = false
  banner.textContent = text
}

// ---------- the side panel ----------
async function publish(moduleId, command, params) {
  // A backend's call: REST pull.application.event.add with an admin's token.
  const { accessToken } = portal.issueAuth(portal.defaultUserId)
  const response = await handle({
    method: 'pull.application.event.add',
    body: JSON.stringify({ auth: accessToken, MODULE_ID: moduleId || undefined, COMMAND: command, PARAMS: params }),
    contentType: 'application/json',
  })
  return JSON.parse(response.body)
}

$('publish').addEventListener('click', () => {
  let params
  try {
    params = JSON.parse($('pull-params').value || '{}')
  } catch {
    log.add('info', 'params are not JSON', $('pull-params').value, 'error')
    return
  }
  void publish($('pull-module').value.trim(), $('pull-command').value.trim(), params)
})
$('clear-log').addEventListener('click', () => $('log').replaceChildren())
$('reload-app').addEventListener('click', launch)
$('user').addEventListener('change', launch)

for (const user of users()) $('user').add(new Option(`${user.name}${user.admin ? ' (admin)' : ''}`, String(user.id)))
$('user').value = String(portal.defaultUserId)
$('portal-domain').textContent = portal.state.domain
showPortal()
showPull()
launch()

/** For devtools and the browser tests. */
window.staticDemo = { portal, hub, publish, launch }
document.body.dataset.ready = 'true'
