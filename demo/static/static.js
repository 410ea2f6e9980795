// The static portal: the dev portal's page with no server behind it. The portal is in this page's memory
// (createMockPortal from dist/portal.mjs); the sample app (demo/app/, unchanged) runs in a same-origin frame, and this
// page binds the app's BX24 to BX24's mock transport over that portal with BX24.shim.useTransport(...). The app loads
// the bundle with no transport configured (an empty window.name), so BX24.init waits until the transport is bound.
// Pull: the app's own `new BX.PullClient(...)` gets a pluggable transport fed by an in-page hub, which the portal's
// `pull.application.event.add` publishes to. Any static file server works (ES modules do not load from file://).

import { createMockPortal, decodeForm, portalSession, RestError } from '../../dist/portal.mjs'

const $ = (id) => document.getElementById(id)

// ---------- the live log (the dev portal's look: demo/portal.css) ----------
const LABEL = { 'message-in': 'app → portal', rest: 'REST', pull: 'pull', info: 'info' }
const counts = {}
const counters = { 'message-in': $('count-messages'), rest: $('count-rest'), pull: $('count-pull') }

function short(value) {
  if (value === undefined) return ''
  let text
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value)
  } catch {
    text = String(value)
  }
  text = text.replace(/("?(?:auth|AUTH_ID|REFRESH_ID|accessToken|refreshToken)"?\s*[:=]\s*"?)([\w.-]{6})[\w.-]*/g, '$1$2…')
  return text.length > 300 ? text.slice(0, 300) + '…' : text
}

function log(kind, title, detail, status) {
  counts[kind] = (counts[kind] ?? 0) + 1
  if (counters[kind]) counters[kind].textContent = String(counts[kind])
  const row = document.createElement('li')
  row.className = `log-row ${kind}${status === 'error' ? ' error' : ''}`
  row.dataset.kind = kind
  const head = document.createElement('div')
  head.className = 'log-head'
  const badge = document.createElement('span')
  badge.className = 'badge'
  badge.textContent = LABEL[kind]
  const name = document.createElement('span')
  name.className = 'log-title'
  name.textContent = title
  const time = document.createElement('time')
  time.textContent = new Date().toLocaleTimeString()
  head.append(badge, name, time)
  row.append(head)
  const text = short(detail)
  if (text) {
    const body = document.createElement('code')
    body.textContent = text
    row.append(body)
  }
  $('log').prepend(row)
  while ($('log').childElementCount > 300) $('log').lastElementChild.remove()
}

// ---------- pull: an in-page hub instead of a push server ----------
/** Every connected app client (a pluggable source each); publish() hands them decoded messages, like a push server. */
function createPullHub() {
  const clients = new Set()
  let counter = 0
  return {
    get connections() { return clients.size },
    /** A PullSource (docs/pull.md) for one app window and user. */
    source(appWindow, userId) {
      return {
        name: 'static-portal',
        open(sink) {
          const client = { sink, appWindow, userId }
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
    /** Delivers a body to the shared channel (every client) or to some users' private channels. */
    publish(body, userIds = []) {
      const mid = `${Date.now()}${String(++counter).padStart(6, '0')}`.padStart(26, '0')
      setTimeout(() => {
        for (const client of clients) {
          if (client.appWindow.closed) {
            clients.delete(client)
            continue
          }
          if (userIds.length && !userIds.includes(client.userId)) continue
          // Built in the app window's realm: the client checks messages are plain objects of its own realm.
          client.sink.message(client.appWindow.JSON.parse(JSON.stringify([{ mid, text: body }])))
        }
      }, 0)
      log('pull', `${body.module_id} / ${body.command}`, body.params)
      return mid
    },
  }
}
const hub = createPullHub()

function showPull() {
  $('fact-pull').textContent = hub.connections ? `${hub.connections} client${hub.connections > 1 ? 's' : ''} connected` : 'no connection'
}

/** The portal's pull.application.* methods (as the dev portal's, bx24 spec §9), over the hub. */
function pullMethods() {
  const hex = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
  const shared = hex()
  const privateIds = new Map()
  const privateId = (userId) => privateIds.get(userId) ?? privateIds.set(userId, hex()).get(userId)
  const config = (ctx) => {
    const start = new Date(ctx.now).toISOString()
    const end = new Date(ctx.now + 43205 * 1000).toISOString()
    const url = 'in-page.invalid'
    return {
      result: {
        server: {
          version: 3, server_enabled: true, mode: 'personal', hostname: url,
          long_polling: `http://${url}/sub/`, long_pooling_secure: `https://${url}/sub/`,
          websocket_enabled: true, websocket: `ws://${url}/subws/`, websocket_secure: `wss://${url}/subws/`,
          publish_enabled: false, publish: '', publish_secure: '', config_timestamp: 0,
        },
        api: { revision_web: 19, revision_mobile: 3 },
        channels: {
          private: { id: privateId(ctx.userId), public_id: hex(), start, end, type: 'private' },
          shared: { id: shared, start, end, type: 'shared' },
        },
        exp: Math.floor(ctx.now / 1000) + 43205,
        serverTime: new Date(ctx.now).toISOString(),
      },
    }
  }
  const argument = (text) => new RestError('ERROR_ARGUMENT', text, 400)
  return {
    'pull.application.config.get': { scope: [], run: config },
    'pull.config.get': { scope: [], run: config },
    'pull.application.event.add': {
      scope: [],
      run(ctx) {
        const p = ctx.params
        if (typeof p.COMMAND !== 'string' || !/^[A-Za-z0-9_:|.-]+$/.test(p.COMMAND)) throw argument('Argument COMMAND is required and may hold A-Z a-z 0-9 _ : | . -')
        if (p.MODULE_ID !== undefined && (typeof p.MODULE_ID !== 'string' || !/^[a-z0-9._]+$/.test(p.MODULE_ID))) throw argument('Argument MODULE_ID may hold a-z 0-9 . _')
        const users = p.USER_ID === undefined || p.USER_ID === '' ? [] : (Array.isArray(p.USER_ID) ? p.USER_ID : [p.USER_ID]).map(Number)
        if (users.some((id) => !Number.isInteger(id) || id <= 0)) throw argument('Argument USER_ID must be a user id or a list of them')
        if (!ctx.isAdmin && users.some((id) => id !== ctx.userId)) throw new RestError('ACCESS_DENIED', 'A non-admin can send events only to themself', 403)
        hub.publish({
          module_id: p.MODULE_ID || 'application', command: p.COMMAND, params: p.PARAMS && typeof p.PARAMS === 'object' ? p.PARAMS : {},
          extra: { server_time: new Date(ctx.now).toISOString(), server_time_unix: ctx.now / 1000, server_name: 'bx24-shim static portal', revision_web: 19, revision_mobile: 3 },
        }, users)
        return { result: true }
      },
    },
  }
}

// ---------- the portal ----------
const portal = createMockPortal({ extraMethods: pullMethods() })

/** The portal's REST handler with every call logged (the dev server logs its HTTP calls the same way). */
async function handle(request) {
  const started = performance.now()
  const response = await portal.handle(request)
  let params = {}
  try {
    params = request.contentType === 'application/json' ? JSON.parse(request.body || '{}') : decodeForm(request.body)
  } catch {}
  if (params && typeof params === 'object') delete params.auth
  let error
  if (response.status >= 400) {
    try { error = JSON.parse(response.body).error } catch {}
  }
  log('rest', `${request.method} → ${response.status}${error ? ` ${error}` : ''} · ${Math.round(performance.now() - started)} ms`, params, response.status >= 400 ? 'error' : 'ok')
  showPortal()
  return response
}

function showPortal() {
  $('fact-calls').textContent = String(portal.calls.length)
  $('fact-deals').textContent = String(portal.records('crm.deal').length)
  $('fact-installed').textContent = portal.state.app.installed ? 'yes' : 'no (install mode)'
}

// ---------- the UI commands of the app (BX24's host adapter), as the dev portal shows them ----------
function toast(text) {
  const item = document.createElement('div')
  item.className = 'toast'
  item.textContent = text
  $('toasts').append(item)
  setTimeout(() => item.remove(), 4000)
}

let closeSlider = null
function openSlider(heading, body) {
  closeSlider?.()
  return new Promise((resolve) => {
    const slider = $('slider')
    slider.replaceChildren()
    const bar = document.createElement('div')
    bar.className = 'slider-bar'
    const h = document.createElement('h2')
    h.textContent = heading
    const close = document.createElement('button')
    close.className = 'secondary'
    close.id = 'slider-close'
    close.textContent = 'Close'
    bar.append(h, close)
    const text = document.createElement('p')
    text.textContent = body
    slider.append(bar, text)
    slider.hidden = false
    closeSlider = () => {
      slider.hidden = true
      closeSlider = null
      resolve()
    }
    close.addEventListener('click', () => closeSlider?.())
  })
}

const users = () => portal.state.users.map((u) => ({
  id: Number(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), position: String(u.WORK_POSITION ?? ''), admin: portal.isAdmin(Number(u.ID)),
}))

function pickUser(heading) {
  return new Promise((resolve) => {
    const modal = $('modal')
    modal.replaceChildren()
    const form = document.createElement('form')
    form.method = 'dialog'
    const h = document.createElement('h2')
    h.textContent = heading || 'Select a user'
    const list = document.createElement('div')
    list.className = 'picker'
    for (const user of users()) {
      const label = document.createElement('label')
      const input = document.createElement('input')
      input.type = 'radio'
      input.name = 'user'
      input.value = String(user.id)
      const name = document.createElement('span')
      name.textContent = user.name
      const position = document.createElement('small')
      position.textContent = user.position
      label.append(input, name, position)
      list.append(label)
    }
    const actions = document.createElement('div')
    actions.className = 'actions'
    const ok = document.createElement('button')
    ok.value = 'ok'
    ok.id = 'picker-ok'
    ok.textContent = 'Select'
    const cancel = document.createElement('button')
    cancel.value = 'cancel'
    cancel.className = 'secondary'
    cancel.textContent = 'Cancel'
    actions.append(ok, cancel)
    form.append(h, list, actions)
    modal.append(form)
    modal.addEventListener('close', () => {
      const picked = list.querySelector('input:checked')
      resolve(modal.returnValue === 'ok' && picked ? Number(picked.value) : null)
    }, { once: true })
    modal.returnValue = ''
    modal.showModal()
  })
}

function userCard(id) {
  const u = portal.user(id)
  if (!u) return null
  return {
    id: String(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), photo: String(u.PERSONAL_PHOTO ?? ''),
    position: String(u.WORK_POSITION ?? ''), url: `/company/personal/user/${u.ID}/`, sub: false, sup: false,
  }
}

/** BX24's host adapter: where setTitle, resizeWindow (fitWindow), selectUser, openApplication… go. */
function hostFor(userId) {
  const commands = {
    setTitle(params, reply) {
      $('app-title').textContent = String(params?.title ?? '')
      reply(params)
    },
    resizeWindow(params, reply) {
      const frame = $('app-frame')
      const height = parseInt(params?.height, 10)
      if (height > 0) frame.style.height = `${height}px`
      reply({ width: frame.clientWidth, height: frame.clientHeight })
    },
    async selectUser(params, reply) {
      const id = await pickUser(typeof params?.title === 'string' ? params.title : '')
      const card = id === null ? null : userCard(id)
      if (card) reply(card)
    },
    async openApplication(params, reply) {
      await openSlider('Application slider', `openApplication(${JSON.stringify(params)})`)
      reply()
    },
    async openPath(params, reply) {
      await openSlider(String(params?.path), `The portal would open ${params?.path} here.`)
      reply({ result: 'close' })
    },
    setInstallFinish(params) {
      if (!portal.isAdmin(userId)) return
      portal.markInstalled(params?.value !== false)
      toast(params?.value !== false ? 'Installation finished' : 'Installation cancelled')
      showPortal()
    },
    reloadWindow() { launch() },
  }
  return {
    command(command, params, reply) {
      const handler = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : null
      log('message-in', command, params, handler ? 'ok' : undefined)
      if (handler) void handler(params, reply)
    },
  }
}

// ---------- opening the app ----------
let launches = 0

function launch() {
  const generation = ++launches
  closeSlider?.()
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
  const transport = () => app.BX24Shim.pluggableTransport(hub.source(app, userId))
  app.BX.PullClient = class extends PullClient {
    constructor(params) {
      super(app.Object.assign(new app.Object(), { transport: transport() }, params))
    }
  }

  const session = portalSession(portal, { userId })
  const mock = app.BX24Shim.mockTransport({
    handler: handle,
    initData: app.JSON.parse(JSON.stringify(session.initData)),
    refresh: () => session.refresh(),
    host: hostFor(userId),
  })
  // The mock transport answers setUserOption/setAppOption itself; here they are also kept in the portal, as the real
  // portal does, so a reopened app sees them.
  const send = mock.send
  mock.send = (command, params, callback) => {
    const name = params && typeof params.name === 'string' ? params.name : ''
    if (command === 'setUserOption' && name) portal.setUserOption(userId, name, params.value ?? null)
    if (command === 'setAppOption' && name && portal.isAdmin(userId)) portal.setAppOption(name, params.value ?? null)
    if (command === 'setUserOption' || command === 'setAppOption') log('message-in', command, params, 'ok')
    return send(command, params, callback)
  }
  app.BX24.shim.useTransport(mock)
  const user = users().find((u) => u.id === userId)
  log('info', `app opened as ${user?.name ?? userId}: BX24 on the mock transport`, { transport: app.BX24.shim.transport() })
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
    log('info', 'params are not JSON', $('pull-params').value, 'error')
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
