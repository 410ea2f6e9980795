// The frame commands of BX24 (spec §3): window size and title, selectors, sliders, im.*, placement.*, options.
// Argument shuffles and "send nothing" rules copy the real library (checklist 19-23).

import type { Core } from './core'
import { defineValue } from './safe-object'
import type { FrameCallback } from './types'

type Cb = FrameCallback | undefined
const isFunction = (value: unknown): value is FrameCallback => typeof value === 'function'
const isString = (value: unknown): value is string => typeof value === 'string' || value instanceof String

export function createUi(core: Core, api: () => Record<string, unknown>) {
  const send = (command: string, params?: unknown, cb?: unknown): void => core.send(command, params, isFunction(cb) ? cb : undefined)

  function getScrollSize(): { scrollWidth: number; scrollHeight: number } {
    const root = core.doc?.documentElement
    if (!root) return { scrollWidth: 0, scrollHeight: 0 }
    return {
      scrollWidth: Math.max(root.scrollWidth, root.offsetWidth),
      scrollHeight: Math.max(root.scrollHeight, root.offsetHeight),
    }
  }

  return {
    getScrollSize,
    resizeWindow(width: unknown, height: unknown, cb?: Cb) {
      const w = parseInt(String(width), 10)
      const h = parseInt(String(height), 10)
      if (w > 0 && h > 0) send('resizeWindow', { width: w, height: h }, cb)
    },
    fitWindow(cb?: Cb) {
      send('resizeWindow', { width: '100%', height: getScrollSize().scrollHeight }, cb)
    },
    reloadWindow(cb?: Cb) {
      send('reloadWindow', {}, cb)
    },
    setTitle(title: unknown, cb?: Cb) {
      if (title === null || title === undefined) throw new TypeError('BX24.setTitle: the title is missing')
      send('setTitle', { title: String(title) }, cb)
    },
    scrollParentWindow(scroll: unknown, cb?: Cb) {
      const y = parseInt(String(scroll), 10)
      if (!isNaN(y)) send('setScroll', { scroll: y }, cb)
    },
    selectAccess(title?: unknown, value?: unknown, cb?: unknown) {
      if (!isString(title)) {
        cb = value
        value = title
      }
      if (isFunction(value)) {
        cb = value
        value = []
      }
      send('selectAccess', { value }, cb)
    },
    selectUser(title?: unknown, cb?: unknown) {
      if (isFunction(title)) {
        cb = title
        title = ''
      }
      send('selectUser', { title, mult: false }, cb)
    },
    selectUsers(title?: unknown, cb?: unknown) {
      if (isFunction(title)) {
        cb = title
        title = ''
      }
      send('selectUser', { title, mult: true }, cb)
    },
    selectCRM(params?: unknown, cb?: unknown) {
      if (isFunction(params)) {
        cb = params
        params = {}
      }
      // The real library read params.entityType of undefined and threw; we say why.
      if (typeof params !== 'object' || params === null) throw new TypeError('BX24.selectCRM: pass params ({entityType, multiple, value}) or a callback')
      const p = params as { entityType?: unknown; multiple?: unknown; value?: unknown }
      send('selectCRM', { entityType: p.entityType, multiple: p.multiple, value: p.value }, cb)
    },
    openApplication(params?: unknown, cb?: unknown, settings?: unknown) {
      if (isFunction(params)) {
        cb = params
        params = {}
      }
      if (typeof settings === 'object' && settings !== null) {
        // The real code wrote into the caller's object; we copy, and define keys so '__proto__' stays a plain key.
        const copy: Record<string, unknown> = { ...((params ?? {}) as object) }
        for (const key of Object.keys(settings)) defineValue(copy, 'bx24_' + key, (settings as Record<string, unknown>)[key])
        params = copy
      }
      send('openApplication', params, cb)
    },
    openPath(path: unknown, cb?: Cb) {
      send('openPath', { path }, cb)
    },
    closeApplication(cb?: Cb) {
      send('closeApplication', undefined, cb)
    },
    im: {
      callTo(userId: unknown, video?: unknown) {
        send('imCallTo', { userId, video })
      },
      phoneTo(phone: unknown) {
        send('imPhoneTo', { phone })
      },
      openMessenger(dialogId: unknown) {
        send('imOpenMessenger', { dialogId })
      },
      openHistory(dialogId: unknown) {
        send('imOpenHistory', { dialogId })
      },
    },
    placement: {
      info() {
        return { placement: core.params.PLACEMENT, options: core.params.PLACEMENT_OPTIONS }
      },
      getInterface(cb?: Cb) {
        send('getInterface', undefined, cb)
      },
      call(cmd: unknown, params?: unknown, cb?: unknown) {
        if (typeof cmd !== 'string' || cmd === '') throw new TypeError('BX24.placement.call: the command must be a non-empty string')
        // Commands that BX24 itself offers (setTitle, …) are refused silently, as in the real library.
        if (api()[cmd]) return
        if (isFunction(params)) {
          cb = params
          params = {}
        }
        send(cmd, params, cb)
      },
      bindEvent(eventName: unknown, cb?: Cb) {
        send('placementBindEvent', { event: eventName }, cb)
      },
    },
    userOption: {
      get(name: string): unknown {
        const options = core.initDone ? core.params.USER_OPTIONS : null
        return options ? options[name] : undefined
      },
      set(name: string, value: unknown): void {
        const options = core.initDone ? core.params.USER_OPTIONS : null
        if (!options) return
        defineValue(options, name, value)
        send('setUserOption', { name, value })
      },
    },
    appOption: {
      get(name: string): unknown {
        const options = core.initDone ? core.params.APP_OPTIONS : null
        return options ? options[name] : undefined
      },
      set(name: string, value: unknown, cb?: Cb): void {
        const options = core.initDone ? core.params.APP_OPTIONS : null
        if (!options || !core.params.IS_ADMIN) return
        defineValue(options, name, value)
        send('setAppOption', { name, value }, cb)
      },
    },
  }
}
