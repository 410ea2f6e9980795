// The demo portal page (demo/portal.html): a portal frame hosting an app in a cross-site iframe, with the parent side
// of the frame protocol for real, a user and placement switcher (any placement code and its PLACEMENT_OPTIONS), a
// live log of postMessages, REST calls, pull messages and event POSTs, and controls to publish a pull event, trigger
// an event and inject push-server faults. The app is opened as a portal opens it: a form POST targeted at the named
// frame (spec §1.1-1.3). Built to dist/dev/portal-page.js.

import { createFrameHost, type FrameHost } from '../portal/frame/frame-host'
import { createAppSid, handlerUrl, postFields } from '../portal/frame/launch'
import { parseAppMessage } from '../portal/frame/parse-message'
import { createPortalLog, type LogKind } from './portal-log'
import { createPortalUi } from './portal-ui'
import { connectRemotePortal } from './remote-portal'

interface Info {
  appUrl: string
  appOrigin: string
  protocol: string
  users: { id: number; name: string; position: string; admin: boolean }[]
  defaultUserId: number
  launch: { placement: string; options: Record<string, unknown> }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

// Placement-specific commands the CRM tab placement offers (getInterface lists them).
const PLACEMENT_INTERFACE = { events: ['onCrmDealChange'], commands: {} }

async function devPost(name: string, body: unknown): Promise<unknown> {
  const response = await fetch(`/dev/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return response.json()
}

function describe(data: unknown): string {
  return parseAppMessage(data)?.method ?? typeof data
}

/** The hidden form a portal submits into the app's named frame: the launch fields as a POST body. */
function submitLaunch(action: string, target: string, fields: Record<string, string>): void {
  const form = document.createElement('form')
  form.method = 'POST'
  form.action = action
  form.target = target
  form.hidden = true
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = value
    form.append(input)
  }
  document.body.append(form)
  form.submit()
  form.remove()
}

function placementOptions(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text || '{}')
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null
  } catch {
    return null
  }
}

async function main(): Promise<void> {
  const info = (await (await fetch('/dev/info')).json()) as Info
  let frame = $<HTMLIFrameElement>('app-frame')
  const counters: Partial<Record<LogKind, HTMLElement>> = {
    'message-in': $('count-messages'), rest: $('count-rest'), pull: $('count-pull'), event: $('count-events'),
  }
  // Which command each callback id answers, so a reply in the log names its command, not an opaque id.
  const callbacks = new Map<string, string>()
  const log = createPortalLog($('log'), counters)
  const ui = createPortalUi(
    { frame: () => frame, title: $('app-title'), modal: $<HTMLDialogElement>('modal'), slider: $('slider'), toasts: $('toasts') },
    { users: () => info.users, log: (title, detail) => log.add('info', title, detail) },
  )
  let host: FrameHost | null = null

  const userSelect = $<HTMLSelectElement>('user')
  for (const user of info.users) userSelect.add(new Option(`${user.name}${user.admin ? ' (admin)' : ''}`, String(user.id)))
  userSelect.value = String(info.defaultUserId)
  $('portal-host').textContent = location.host
  $('protocol').textContent = `push: ${info.protocol}`
  const placementInput = $<HTMLInputElement>('placement')
  const optionsInput = $<HTMLInputElement>('placement-options')
  placementInput.value = info.launch.placement
  optionsInput.value = JSON.stringify(info.launch.options)

  async function launch(): Promise<void> {
    const placement = (placementInput.value.trim() || 'DEFAULT').toUpperCase()
    const options = placementOptions(optionsInput.value)
    if (!options || !/^[A-Z0-9_]{1,64}$/.test(placement)) {
      log.add('info', 'not opened: the placement is a code like TASK_VIEW_SIDEBAR, its options a JSON object', optionsInput.value, 'error')
      return
    }
    host?.destroy()
    ui.closeSlider()
    callbacks.clear()
    const userId = Number(userSelect.value)
    const portal = await connectRemotePortal(location.origin, userId)
    const appSid = createAppSid()
    host = createFrameHost({
      portal, appOrigin: info.appOrigin, appSid, ui, userId, portalHost: location.host, protocol: 0, lang: 'en',
      placement, placementOptions: options,
      placementInterface: placement === 'DEFAULT' ? undefined : PLACEMENT_INTERFACE,
      listen: false,
      post(message, origin) {
        const id = message.split(':', 1)[0]!
        log.add('message-out', `${callbacks.get(id) ?? 'reply'} ← reply`, message.slice(message.indexOf(':') + 1))
        frame.contentWindow?.postMessage(message, origin)
      },
      onError: (error, command) => log.add('info', `${command} failed`, String(error), 'error'),
    })
    $('app-title').textContent = 'Demo app'
    // A new frame element every time, named before it loads: the name (host|protocol|APP_SID) is how the app finds
    // its portal, and Chromium does not hand a name set later to a frame that navigates cross-site.
    const next = document.createElement('iframe')
    next.id = 'app-frame'
    next.title = 'Application'
    next.name = host.frameName
    frame.replaceWith(next)
    frame = next
    // The portal's hidden form: DOMAIN/PROTOCOL/LANG/APP_SID in the query, the session in the POST body.
    const fields = postFields({
      grant: portal.issueAuth(userId), memberId: portal.state.memberId, status: portal.launchApp.status, placement,
      placementOptions: options, applicationToken: portal.launchApp.applicationToken, scope: portal.launchApp.scope,
    })
    submitLaunch(handlerUrl(info.appUrl, { domain: location.host, https: false, lang: 'en', appSid }), host.frameName, fields)
    log.add('info', `app opened as user ${userId}, placement ${placement}`, { frameName: host.frameName.replace(/\|[0-9a-f]{32}$/, '|…'), PLACEMENT_OPTIONS: options })
  }

  window.addEventListener('message', (event) => {
    if (!host || event.source !== frame.contentWindow) return
    // Noted before handling: the host may reply at once, and the reply's log row names this command.
    const parsed = event.origin === info.appOrigin ? parseAppMessage(event.data) : null
    if (parsed?.callback) callbacks.set(parsed.callback, parsed.method)
    const accepted = host.handleMessage(event.data, event.origin)
    log.add('message-in', describe(event.data), accepted ? event.data : { ignored: event.data, origin: event.origin }, accepted ? 'ok' : 'error')
  })

  const events = new EventSource('/dev/events')
  events.onmessage = (message) => {
    const entry = JSON.parse(message.data)
    if (entry.kind === 'rest') {
      const example = entry.example ? ` · example answer${entry.method === 'batch' ? ` (${entry.example.join(', ')})` : ''}` : ''
      log.add('rest', `${entry.method} → ${entry.status}${entry.error ? ` ${entry.error}` : ''} · ${entry.ms} ms${example}`, entry.params, entry.status >= 400 ? 'error' : 'ok')
    } else if (entry.kind === 'event') {
      const outcome = entry.status ? String(entry.status) : `unreachable (${entry.error ?? 'no answer'})`
      log.add('event', `${entry.event} → POST ${entry.url} · ${outcome} · ${entry.ms} ms`, entry.body, entry.status >= 200 && entry.status < 300 ? 'ok' : 'error')
    } else if (entry.kind === 'pull') {
      log.add('pull', `${entry.body.module_id} / ${entry.body.command}`, entry.body.params)
    } else if (entry.kind === 'fault') {
      log.add('fault', entry.fault)
    } else if (entry.kind === 'push') {
      log.add('info', `push server: ${entry.event}`)
    }
  }

  $('publish').addEventListener('click', () => {
    let params: unknown = {}
    try {
      params = JSON.parse($<HTMLInputElement>('pull-params').value || '{}')
    } catch {
      log.add('info', 'params are not JSON', $<HTMLInputElement>('pull-params').value, 'error')
      return
    }
    void devPost('publish', { moduleId: $<HTMLInputElement>('pull-module').value, command: $<HTMLInputElement>('pull-command').value, params })
  })
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-fault]')) {
    button.addEventListener('click', () => void devPost('fault', { kind: button.dataset.fault }))
  }
  $('fire-placement').addEventListener('click', () => {
    const n = host?.firePlacementEvent('onCrmDealChange', { ID: '1' }) ?? 0
    log.add('info', `placement event onCrmDealChange → ${n} listener(s)`)
  })
  $('trigger').addEventListener('click', async () => {
    const event = $<HTMLInputElement>('trigger-event').value.trim()
    const count = Number($<HTMLInputElement>('trigger-count').value) || 1
    const report = (await devPost('trigger', { event, count })) as { triggered?: number; rate?: number; deliveries?: number; error_description?: string }
    if (report.error_description) log.add('info', `trigger refused: ${report.error_description}`, undefined, 'error')
    else log.add('info', `${event} triggered ${report.triggered}× (${report.rate}/s) → ${report.deliveries} handler POST(s)`)
  })
  $('clear-log').addEventListener('click', () => $('log').replaceChildren())
  userSelect.addEventListener('change', () => void launch())
  placementInput.addEventListener('change', () => void launch())
  optionsInput.addEventListener('change', () => void launch())
  $('reload-app').addEventListener('click', () => void launch())
  await launch()
  document.body.dataset.ready = 'true'
}

main().catch((error) => {
  console.error(error)
  const banner = document.getElementById('fatal')
  if (banner) {
    banner.hidden = false
    banner.textContent = `The dev portal could not start: ${String(error)}`
  }
})
