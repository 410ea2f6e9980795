// The base message interface of the parent (spec §2.4): what each command does and whether it replies. Handlers get
// the parsed params, a reply function (a no-op when the app sent no callback id) and the host's session.

import type { Grant } from '../tokens'
import { createObject, isObject, toPlain, type PlainObject } from '../values'
import type { FrameUi } from './ui'

export type Reply = (result?: unknown) => void

/**
 * What the parent side needs from a portal: MockPortal satisfies it, and so does a page-side proxy of a portal that
 * lives in another process (the dev server), which is why refreshAuth may be asynchronous.
 */
export interface FramePortal {
  readonly state: {
    domain: string
    path: string
    memberId: string
    lang: string
    app: { installed: boolean; clientId: string }
    appOptions: Record<string, unknown>
  }
  readonly defaultUserId: number
  issueAuth(userId?: number): Grant
  refreshAuth(refreshToken: string): Grant | null | Promise<Grant | null>
  isFirstRun(userId: number): boolean
  markRun(userId: number): void
  isAdmin(userId: number): boolean
  user(userId: number): Record<string, unknown> | undefined
  userOptions(userId: number): Record<string, unknown>
  setUserOption(userId: number, name: string, value: unknown): void
  setAppOption(name: string, value: unknown): void
  markInstalled(installed: boolean): void
}

export interface HostSession {
  readonly portal: FramePortal
  readonly ui: FrameUi
  readonly userId: number
  grant: Grant
  firstRun: boolean
  /** Only for getInitData: built lazily so it reflects the state at the time of the request. */
  initData(): unknown
  readonly clientId: string
  readonly mobile: boolean
}

export type CommandHandler = (params: unknown, reply: Reply, session: HostSession) => void | Promise<void>

const obj = (params: unknown): PlainObject => {
  const p = toPlain(params)
  return isObject(p) ? p : createObject()
}

/** parseInt as the parent applies it: NaN for junk. */
const int = (v: unknown): number => Number.parseInt(String(v), 10)

const OPEN_PATH_ALLOWED = /^\/(crm\/(deal|lead|contact|company|type)|marketplace|company\/personal\/user\/\d+|workgroups\/group\/\d+)\//

function userCard(portal: FramePortal, id: number): Record<string, unknown> | null {
  const u = portal.user(id)
  if (!u) return null
  return {
    id: String(u.ID), name: `${u.NAME ?? ''} ${u.LAST_NAME ?? ''}`.trim(), photo: String(u.PERSONAL_PHOTO ?? ''),
    position: String(u.WORK_POSITION ?? ''), url: `/company/personal/user/${u.ID}/`, sub: false, sup: false,
  }
}

/** The selector's buckets are PHP arrays rendered as objects keyed '0', '1', … (b24jssdk turns them into arrays). */
function indexKeyed<T>(list: T[]): Record<string, T> {
  const out: Record<string, T> = {}
  list.forEach((item, i) => (out[String(i)] = item))
  return out
}

export const BASE_COMMANDS: Readonly<Record<string, CommandHandler>> = Object.assign(Object.create(null), {
  getInitData(_p: unknown, reply: Reply, s: HostSession) {
    reply(s.initData())
    // The parent flips its own flag after answering once: a second getInitData on this page says FIRST_RUN false.
    s.firstRun = false
  },
  async refreshAuth(_p: unknown, reply: Reply, s: HostSession) {
    const grant = await s.portal.refreshAuth(s.grant.refreshToken)
    if (!grant) {
      s.ui.alert?.('Unable to get new token! Reload page, please!')
      return
    }
    s.grant = grant
    reply({ AUTH_ID: grant.accessToken, AUTH_EXPIRES: grant.expiresIn, REFRESH_ID: grant.refreshToken })
  },
  setInstall(params: unknown, reply: Reply, s: HostSession) {
    if (isObject(toPlain(params)) && obj(params).install) s.portal.markRun(s.userId)
    reply(params)
  },
  setInstallFinish(params: unknown, _reply: Reply, s: HostSession) {
    // Saving "installed" is an admin-only AJAX action on the real portal; for anyone else nothing happens.
    if (!s.portal.isAdmin(s.userId)) return
    const installed = obj(params).value !== false
    s.portal.markInstalled(installed)
    s.ui.installFinish?.({ installed })
  },
  async resizeWindow(params: unknown, reply: Reply, s: HostSession) {
    const p = obj(params)
    const width: number | '100%' = p.width === '100%' ? '100%' : int(p.width) || 100
    const height = int(p.height)
    const measured = await s.ui.resizeWindow?.({ width, height })
    reply(measured ?? { width: width === '100%' ? 0 : width, height: Number.isNaN(height) ? 0 : height })
  },
  setTitle(params: unknown, reply: Reply, s: HostSession) {
    const title = obj(params).title
    s.ui.setTitle?.(title === undefined || title === null ? '' : String(title))
    reply(params)
  },
  setScroll(params: unknown, reply: Reply, s: HostSession) {
    const y = Number(obj(params).scroll)
    if (y >= 0) s.ui.scrollParentWindow?.(y)
    reply(params)
  },
  reloadWindow(_p: unknown, _reply: Reply, s: HostSession) {
    s.ui.reloadWindow?.()
  },
  setUserOption(params: unknown, reply: Reply, s: HostSession) {
    const p = obj(params)
    if (typeof p.name === 'string' && p.name !== '') s.portal.setUserOption(s.userId, p.name, p.value ?? null)
    reply(params)
  },
  setAppOption(params: unknown, reply: Reply, s: HostSession) {
    if (!s.portal.isAdmin(s.userId)) return
    const p = obj(params)
    if (typeof p.name === 'string' && p.name !== '') s.portal.setAppOption(p.name, p.value ?? null)
    reply({ ...s.portal.state.appOptions })
  },
  async selectUser(params: unknown, reply: Reply, s: HostSession) {
    const p = obj(params)
    const multiple = !!p.mult && p.mult !== 'false'
    const ids = await s.ui.selectUsers?.({ multiple, title: typeof p.title === 'string' ? p.title : '' })
    if (!ids) return
    const cards = ids.map((id) => userCard(s.portal, id)).filter((c): c is Record<string, unknown> => c !== null)
    if (multiple) reply(cards)
    else if (cards[0]) reply(cards[0])
  },
  async selectAccess(params: unknown, reply: Reply, s: HostSession) {
    const value = obj(params).value
    const blocked = Array.isArray(value) ? value.map(String) : isObject(value) ? Object.values(value).map(String) : []
    const picked = await s.ui.selectAccess?.({ blocked })
    if (picked) reply(picked)
  },
  async selectCRM(params: unknown, reply: Reply, s: HostSession) {
    const p = obj(params)
    const raw = p.entityType
    const entityType = Array.isArray(raw) ? raw.map((t) => String(t).toLowerCase()) : typeof raw === 'string' && raw ? [raw.toLowerCase()] : []
    const picked = await s.ui.selectCRM?.({ entityType, multiple: !!p.multiple, value: p.value ?? null })
    if (!picked) return
    const out: Record<string, unknown> = {}
    for (const type of Object.keys(picked)) out[type] = indexKeyed(picked[type] ?? [])
    reply(out)
  },
  async openApplication(params: unknown, reply: Reply, s: HostSession) {
    const p = obj(params)
    const rest: Record<string, unknown> = {}
    const settings: Record<string, unknown> = {}
    for (const k of Object.keys(p)) {
      if (k.startsWith('bx24_')) settings[k.slice(5)] = p[k]
      else rest[k] = p[k]
    }
    await s.ui.openApplication?.({ params: rest, settings })
    // The callback is the slider-close callback: it fires on close, with no payload.
    reply()
  },
  async closeApplication(_p: unknown, reply: Reply, s: HostSession) {
    if (await s.ui.closeApplication?.()) reply()
  },
  async openPath(params: unknown, reply: Reply, s: HostSession) {
    if (s.mobile) return reply({ result: 'error', errorCode: 'METHOD_NOT_SUPPORTED_ON_DEVICE' })
    const path = obj(params).path
    if (typeof path !== 'string' || !OPEN_PATH_ALLOWED.test(path)) return reply({ result: 'error', errorCode: 'PATH_NOT_AVAILABLE' })
    const url = `${path}${path.includes('?') ? '&' : '?'}from=rest_placement&from_app=${encodeURIComponent(s.clientId)}`
    if (!s.ui.openPath) return
    await s.ui.openPath(url)
    reply({ result: 'close' })
  },
  // The im* commands never answer, even when the app sends a callback id.
  imCallTo(params: unknown, _r: Reply, s: HostSession) {
    const p = obj(params)
    s.ui.imCallTo?.(int(p.userId), !!p.video && p.video !== 'false')
  },
  imPhoneTo(params: unknown, _r: Reply, s: HostSession) {
    s.ui.imPhoneTo?.(String(obj(params).phone ?? ''))
  },
  imOpenMessenger(params: unknown, _r: Reply, s: HostSession) {
    s.ui.imOpenMessenger?.(String(obj(params).dialogId ?? ''))
  },
  imOpenHistory(params: unknown, _r: Reply, s: HostSession) {
    s.ui.imOpenHistory?.(String(obj(params).dialogId ?? ''))
  },
} satisfies Record<string, CommandHandler>)
