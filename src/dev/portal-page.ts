// The demo portal page (demo/portal.html): a portal frame hosting an app in a cross-site iframe, with the parent side
// of the frame protocol for real, a user and placement switcher, a live log of postMessages, REST calls and pull
// messages, and buttons to publish a pull event and to inject push-server faults. Built to dist/dev/portal-page.js.

import { createFrameHost, type FrameHost } from '../portal/frame/frame-host'
import { createAppSid, handlerUrl } from '../portal/frame/launch'
import { createPortalLog, type LogKind } from './portal-log'
import { createPortalUi } from './portal-ui'
import { connectRemotePortal } from './remote-portal'

interface Info {
  appUrl: string
  appOrigin: string
  protocol: string
  users: { id: number; name: string; position: string; admin: boolean }[]
  defaultUserId: number
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

// Placement-specific commands the CRM tab placement offers (getInterface lists them).
const PLACEMENT_INTERFACE = { events: ['onCrmDealChange'], commands: {} }

async function devPost(name: string, body: unknown): Promise<unknown> {
  const response = await fetch(`/dev/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return response.json()
}

function describe(data: unknown): string {
  if (typeof data === 'string') return data.split(':', 1)[0]
  if (data && typeof data === 'object' && 'method' in data) return String((data as { method: unknown }).method)
  return typeof data
}

async function main(): Promise<void> {
  const info = (await (await fetch('/dev/info')).json()) as Info
  let frame = $<HTMLIFrameElement>('app-frame')
  const counters: Partial<Record<LogKind, HTMLElement>> = {
    'message-in': $('count-messages'), rest: $('count-rest'), pull: $('count-pull'),
  }
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

  async function launch(): Promise<void> {
    host?.destroy()
    ui.closeSlider()
    const userId = Number(userSelect.value)
    const placement = $<HTMLSelectElement>('placement').value
    const portal = await connectRemotePortal(location.origin, userId)
    const appSid = createAppSid()
    host = createFrameHost({
      portal, appOrigin: info.appOrigin, appSid, ui, userId, portalHost: location.host, protocol: 0, lang: 'en',
      placement, placementOptions: placement === 'DEFAULT' ? {} : { ID: '1' },
      placementInterface: placement === 'DEFAULT' ? undefined : PLACEMENT_INTERFACE,
      listen: false,
      post(message, origin) {
        log.add('message-out', message.split(':', 1)[0] || 'reply', message.slice(message.indexOf(':') + 1))
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
    next.src = handlerUrl(info.appUrl, { domain: location.host, https: false, lang: 'en', appSid })
    frame.replaceWith(next)
    frame = next
    log.add('info', `app opened as user ${userId}, placement ${placement}`, { frameName: host.frameName.replace(/\|[0-9a-f]{32}$/, '|…') })
  }

  window.addEventListener('message', (event) => {
    if (!host || event.source !== frame.contentWindow) return
    const accepted = host.handleMessage(event.data, event.origin)
    log.add('message-in', describe(event.data), accepted ? event.data : { ignored: event.data, origin: event.origin }, accepted ? 'ok' : 'error')
  })

  const events = new EventSource('/dev/events')
  events.onmessage = (message) => {
    const entry = JSON.parse(message.data)
    if (entry.kind === 'rest') {
      log.add('rest', `${entry.method} → ${entry.status}${entry.error ? ` ${entry.error}` : ''} · ${entry.ms} ms`, entry.params, entry.status >= 400 ? 'error' : 'ok')
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
  $('clear-log').addEventListener('click', () => $('log').replaceChildren())
  userSelect.addEventListener('change', () => void launch())
  $('placement').addEventListener('change', () => void launch())
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
