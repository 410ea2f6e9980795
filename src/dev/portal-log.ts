// The portal page's live log: every postMessage between the portal and the app, every REST call the dev server
// answered (method, params, status, duration), every pull message it published and every event POST to a handler,
// newest first.

export type LogKind = 'message-in' | 'message-out' | 'rest' | 'pull' | 'event' | 'fault' | 'info'

const LABEL: Record<LogKind, string> = {
  'message-in': 'app → portal', 'message-out': 'portal → app', rest: 'REST', pull: 'pull', event: 'event', fault: 'fault', info: 'info',
}
const MAX_ROWS = 300

export interface PortalLog {
  add(kind: LogKind, title: string, detail?: unknown, status?: 'ok' | 'error'): void
  count(kind: LogKind): number
}

function short(value: unknown): string {
  if (value === undefined) return ''
  let text: string
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value)
  } catch {
    text = String(value)
  }
  // Tokens never reach the screen in full.
  // JSON ("access_token": "…"), query strings (auth=…) and event bodies (auth[access_token]=…) alike.
  text = text.replace(/("?(?:auth|AUTH_ID|REFRESH_ID|access_token|refresh_token|application_token|accessToken|refreshToken)"?\]?\s*[:=]\s*"?)([\w.-]{6})[\w.-]*/g, '$1$2…')
  // APP_SIDs and other 32-hex ids are shortened too: the log is for reading, not for copying credentials.
  text = text.replace(/\b([0-9a-f]{6})[0-9a-f]{26}\b/g, '$1…')
  return text.length > 300 ? text.slice(0, 300) + '…' : text
}

export function createPortalLog(list: HTMLElement, counters: Partial<Record<LogKind, HTMLElement>>): PortalLog {
  const counts: Record<string, number> = {}
  return {
    add(kind, title, detail, status) {
      counts[kind] = (counts[kind] ?? 0) + 1
      const counter = counters[kind]
      if (counter) counter.textContent = String(counts[kind])
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
      list.prepend(row)
      while (list.childElementCount > MAX_ROWS) list.lastElementChild?.remove()
    },
    count: (kind) => counts[kind] ?? 0,
  }
}
