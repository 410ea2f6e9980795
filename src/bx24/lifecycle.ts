// init / install / installFinish and the getInitData + refreshAuth replies (spec §1.5, checklist 5-13).

import type { Core } from './core'
import { isRecord, optionsMap } from './safe-object'
import type { FrameCallback } from './types'

type AppCallback = (this: Document) => void
export type Installer = AppCallback | string

export interface AuthInfo {
  access_token: string
  refresh_token: string | null
  /** The expiry as a millisecond timestamp, despite the name (the real library's quirk, documented by Bitrix). */
  expires_in: number
  domain: string
  member_id: string | null
}

export interface Lifecycle {
  init(callback?: AppCallback): void
  install(installer?: Installer): void
  installFinish(): void
  /** Internal: run `fn` once init completes (shares the app's init queue, so ordering matches the real library). */
  whenInit(fn: () => void): void
  /** The handler for the getInitData reply. */
  onInitData: FrameCallback
  getAuth(): AuthInfo | false
  /**
   * Ask for new tokens; concurrent requests share one refreshAuth message. `then` runs exactly once: with no
   * argument when new tokens arrived, else with the reason the refresh failed (an error reply, or no reply within
   * the refresh timeout). A later call may refresh again.
   */
  refresh(then: (failure?: string) => void): void
  /** Forget init state before another transport is bound. */
  reset(): void
}

/**
 * How long a refresh may take before every call waiting on it gets an error. The real library waited for ever (a
 * parent with no token never answers); b24jssdk gives up after 10 s. A few seconds is plenty for the parent's one
 * AJAX round trip and short enough that an app can tell its user.
 */
export const REFRESH_TIMEOUT = 5000

interface RefreshAttempt {
  waiters: Array<(failure?: string) => void>
  timer: unknown
}

export function createLifecycle(core: Core, loadScript: (url: string, done: () => void) => void, timeout?: number): Lifecycle {
  const refreshTimeout = typeof timeout === 'number' && timeout > 0 && timeout < 2 ** 31 ? timeout : REFRESH_TIMEOUT
  const initList: AppCallback[] = []
  const installList: Installer[] = []
  // What installFinish() does right now: before init and in install mode it tells the parent; inside the installer
  // chain it advances the chain; after a normal init it does nothing.
  let finishImpl: () => void = () => core.send('setInstallFinish', {})
  let refreshing: RefreshAttempt | null = null

  function init(callback?: AppCallback): void {
    if (!callback) return
    if (typeof callback !== 'function') throw new TypeError('BX24.init: the callback must be a function')
    if (core.initDone) core.defer(callback)
    else initList.push(callback)
  }

  function doInit(installMode: boolean): void {
    core.initDone = true
    if (!installMode) finishImpl = () => {}
    for (const fn of initList.splice(0)) core.defer(fn)
  }

  function runInstallers(done: () => void): void {
    const advance = (): void => runInstallers(done)
    const installer = installList.shift()
    if (typeof installer === 'function') {
      finishImpl = advance
      try {
        installer.call(core.doc as Document)
      } catch (error) {
        callAlert('Installation failed!')
        core.log.error(error)
      }
    } else if (typeof installer === 'string') {
      loadScript(installer, () => {
        finishImpl = advance
      })
    } else {
      finishImpl = () => {}
      core.send('setInstall', { install: true })
      core.defer(done)
    }
  }

  function callAlert(text: string): void {
    const alert = (core.win as { alert?: unknown } | undefined)?.alert
    if (typeof alert === 'function') alert.call(core.win, text)
  }

  function onInitData(reply: unknown): void {
    if (core.isInit) {
      core.log.warn('BX24: a repeated getInitData reply was ignored')
      return
    }
    if (!isRecord(reply)) {
      core.log.warn('BX24: a malformed getInitData reply was ignored')
      return
    }
    const p = core.params
    if (!p.DOMAIN && typeof reply.DOMAIN === 'string') p.DOMAIN = reply.DOMAIN
    if (!p.PATH && typeof reply.PATH === 'string') p.PATH = reply.PATH
    if (!p.LANG && typeof reply.LANG === 'string') p.LANG = reply.LANG
    if (!p.PLACEMENT && typeof reply.PLACEMENT === 'string') p.PLACEMENT = reply.PLACEMENT
    if (reply.PROTOCOL !== undefined) p.PROTOCOL = Number(reply.PROTOCOL) === 1 || reply.PROTOCOL === true ? 1 : 0
    p.DOMAIN = p.DOMAIN.replace(/:(80|443)$/, '')
    const hasToken = !!reply.AUTH_ID && typeof reply.AUTH_ID === 'string'
    if (hasToken) applyTokens(reply)
    // A webhook has no token, yet its init data still says who the user is.
    if (hasToken || core.transport?.tokenless) {
      p.IS_ADMIN = !!reply.IS_ADMIN
      p.MEMBER_ID = typeof reply.MEMBER_ID === 'string' ? reply.MEMBER_ID : ''
    }
    if (!p.USER_OPTIONS) p.USER_OPTIONS = optionsMap(reply.USER_OPTIONS)
    if (!p.APP_OPTIONS) p.APP_OPTIONS = optionsMap(reply.APP_OPTIONS)
    if (!p.PLACEMENT_OPTIONS) p.PLACEMENT_OPTIONS = reply.PLACEMENT_OPTIONS ?? null
    core.isInit = true
    const installMode = !!reply.INSTALL
    if (reply.FIRST_RUN && installList.length > 0) runInstallers(() => doInit(installMode))
    else doInit(installMode)
  }

  function applyTokens(reply: Record<string, unknown>): void {
    const p = core.params
    p.AUTH_ID = String(reply.AUTH_ID ?? '')
    p.REFRESH_ID = typeof reply.REFRESH_ID === 'string' ? reply.REFRESH_ID : null
    const seconds = Number(reply.AUTH_EXPIRES)
    // A missing or non-numeric lifetime counts as already expired rather than NaN (which never compares true).
    p.AUTH_EXPIRES = core.clock.now() + (Number.isFinite(seconds) ? seconds : 0) * 1000
  }

  function getAuth(): AuthInfo | false {
    const p = core.params
    if (!core.isInit || core.transport?.tokenless || !(p.AUTH_EXPIRES > core.clock.now())) return false
    return { access_token: p.AUTH_ID, refresh_token: p.REFRESH_ID, expires_in: p.AUTH_EXPIRES, domain: p.DOMAIN, member_id: p.MEMBER_ID }
  }

  function settle(attempt: RefreshAttempt, failure?: string): void {
    if (refreshing !== attempt) return
    refreshing = null
    core.clock.clearTimeout?.(attempt.timer)
    if (failure !== undefined) core.log.warn(`BX24: refreshAuth failed: ${failure}`)
    for (const fn of attempt.waiters) fn(failure)
  }

  function refresh(then: (failure?: string) => void): void {
    if (refreshing) {
      refreshing.waiters.push(then)
      return
    }
    const attempt: RefreshAttempt = { waiters: [then], timer: undefined }
    refreshing = attempt
    attempt.timer = core.clock.setTimeout(() => settle(attempt, `no new token within ${refreshTimeout} ms`), refreshTimeout)
    let answered = false
    core.send('refreshAuth', {}, (reply) => {
      // Callbacks stay registered for repeat replies; only the first answer to this request counts.
      if (answered) return
      if (isRecord(reply) && typeof reply.AUTH_ID === 'string' && reply.AUTH_ID) {
        answered = true
        // Tokens that arrive after the timeout are still kept: the next call uses them instead of asking again.
        applyTokens(reply)
        settle(attempt)
      } else if (isRecord(reply) && typeof reply.error === 'string') {
        // Our in-process parents (rest and mock transports) say at once when there is no token; the real parent
        // stays silent and the timeout speaks for it.
        answered = true
        settle(attempt, String(reply.error_description || reply.error))
      } else {
        core.log.warn('BX24: a malformed refreshAuth reply was ignored')
      }
    })
  }

  return {
    init,
    install(installer) {
      if (!installer) return
      if (typeof installer !== 'function' && typeof installer !== 'string') {
        throw new TypeError('BX24.install: pass a function or a script URL')
      }
      installList.push(installer)
    },
    installFinish: () => finishImpl(),
    whenInit(fn) {
      init(fn)
    },
    onInitData,
    getAuth,
    refresh,
    reset() {
      core.isInit = false
      core.initDone = false
      if (refreshing) settle(refreshing, 'the transport was replaced')
      finishImpl = () => core.send('setInstallFinish', {})
    },
  }
}
