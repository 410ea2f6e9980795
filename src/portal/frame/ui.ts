// The portal page's side of the UI commands. The frame host decides *whether* and *what* to reply (spec §2.4); the
// adapter only does the visible part (resize the frame, show a picker, open a slider). Every member is optional: a
// missing one behaves like a dialog that never completes (no reply).

import type { MockPortal } from '../portal'

type Awaitable<T> = T | Promise<T>

export interface AccessPick {
  id: string
  name: string
  provider: string
  [key: string]: unknown
}

export interface CrmPick {
  id: string
  type: string
  place: string
  title: string
  desc: string
  url: string
}

export interface FrameUi {
  /** width is '100%' or pixels (parseInt(w) || 100); height is pixels or NaN when the app sent junk. Return the measured size. */
  resizeWindow?(size: { width: number | '100%'; height: number }): Awaitable<{ width: number; height: number } | void>
  setTitle?(title: string): void
  /** Only called with y >= 0. */
  scrollParentWindow?(y: number): void
  reloadWindow?(): void
  /** Resolve with chosen user ids, or null when the user cancels (no reply is sent). */
  selectUsers?(request: { multiple: boolean; title: string }): Awaitable<number[] | null>
  selectAccess?(request: { blocked: string[] }): Awaitable<AccessPick[] | null>
  /** Keys are entity types (lead, contact, company, deal, quote). */
  selectCRM?(request: { entityType: string[]; multiple: boolean; value: unknown }): Awaitable<Record<string, CrmPick[]> | null>
  /** Resolve when the slider closes (the app's callback fires then). */
  openApplication?(request: { params: Record<string, unknown>; settings: Record<string, unknown> }): Awaitable<void>
  /** Return true when this app's slider was closed. */
  closeApplication?(): Awaitable<boolean>
  /** Resolve when the opened page's slider closes. */
  openPath?(url: string): Awaitable<void>
  imCallTo?(userId: number, video: boolean): void
  imPhoneTo?(phone: string): void
  imOpenMessenger?(dialogId: string): void
  imOpenHistory?(dialogId: string): void
  /** setInstallFinish: the real portal reloads its page with install_finished=Y|N. */
  installFinish?(result: { installed: boolean }): void
  /** The parent's alert() (refreshAuth without a new token). */
  alert?(message: string): void
}

export interface UiCall {
  command: string
  args: unknown[]
}

export interface RecordingUi extends Required<FrameUi> {
  readonly calls: UiCall[]
  readonly size: { width: number; height: number }
  title: string
  /** Close every open slider (openApplication / openPath), firing the app's close callbacks. */
  closeSliders(): void
}

export interface RecordingUiOptions {
  portal: MockPortal
  /** Pixel width that '100%' measures to. Default 800. */
  frameWidth?: number
}

/** A UI that records every call and answers pickers from the portal's seeded users and CRM rows. */
export function createRecordingUi(options: RecordingUiOptions): RecordingUi {
  const { portal } = options
  const calls: UiCall[] = []
  const size = { width: options.frameWidth ?? 800, height: 600 }
  const sliders: (() => void)[] = []
  const record = (command: string, ...args: unknown[]) => void calls.push({ command, args })
  const openSlider = () => new Promise<void>((resolve) => sliders.push(resolve))
  const activeUsers = () => portal.state.users.filter((u) => u.ACTIVE !== false)

  const ui: RecordingUi = {
    calls,
    size,
    title: '',
    resizeWindow(req) {
      record('resizeWindow', req)
      size.width = req.width === '100%' ? (options.frameWidth ?? 800) : req.width
      if (!Number.isNaN(req.height)) size.height = req.height
      return { width: size.width, height: size.height }
    },
    setTitle(title) {
      record('setTitle', title)
      ui.title = title
    },
    scrollParentWindow: (y) => record('scrollParentWindow', y),
    reloadWindow: () => record('reloadWindow'),
    selectUsers(req) {
      record('selectUsers', req)
      const ids = activeUsers().map((u) => Number(u.ID))
      return req.multiple ? ids.slice(0, 2) : ids.slice(0, 1)
    },
    selectAccess(req) {
      record('selectAccess', req)
      return activeUsers()
        .map((u) => ({ id: `U${u.ID}`, name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), provider: 'user' }))
        .filter((p) => !req.blocked.includes(p.id))
        .slice(0, 1)
    },
    selectCRM(req) {
      record('selectCRM', req)
      const prefix: Record<string, string> = { lead: 'L', contact: 'C', company: 'CO', deal: 'D', quote: 'Q' }
      const out: Record<string, CrmPick[]> = {}
      const types = req.entityType.length ? req.entityType : ['lead', 'contact', 'company', 'deal']
      for (const type of types) {
        const rows = portal.records(`crm.${type}`).slice(0, req.multiple ? 2 : 1)
        out[type] = rows.map((r) => ({
          id: `${prefix[type] ?? type.toUpperCase()}_${r.ID}`, type, place: type,
          title: String(r.TITLE ?? `${r.NAME ?? ''} ${r.LAST_NAME ?? ''}`.trim()), desc: '', url: `/crm/${type}/details/${r.ID}/`,
        }))
      }
      return out
    },
    openApplication(req) {
      record('openApplication', req)
      return openSlider()
    },
    closeApplication() {
      record('closeApplication')
      ui.closeSliders()
      return true
    },
    openPath(url) {
      record('openPath', url)
      return openSlider()
    },
    imCallTo: (userId, video) => record('imCallTo', userId, video),
    imPhoneTo: (phone) => record('imPhoneTo', phone),
    imOpenMessenger: (dialogId) => record('imOpenMessenger', dialogId),
    imOpenHistory: (dialogId) => record('imOpenHistory', dialogId),
    installFinish: (result) => record('installFinish', result),
    alert: (message) => record('alert', message),
    closeSliders() {
      for (const close of sliders.splice(0)) close()
    },
  }
  return ui
}
