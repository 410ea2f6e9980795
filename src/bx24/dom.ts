// DOM helpers of BX24: ready detection, loadScript, bind/unbind, proxy (spec §1.5, §3). Without a document (Node)
// BX24 counts as ready at once and loadScript has nothing to load into.

import type { Core } from './core'

type Handler = (this: unknown, ...args: unknown[]) => unknown

export function createDom(core: Core) {
  const doc = core.doc
  let isReady = false
  let readyList: Handler[] = []
  let started = false

  function runReady(): void {
    if (isReady) return
    if (doc && !doc.body) {
      core.clock.setTimeout(runReady, 15)
      return
    }
    isReady = true
    for (const fn of readyList.splice(0)) core.defer(fn)
  }

  /** Start DOM-ready detection (once). */
  function watchReady(): void {
    if (started) return
    started = true
    if (!doc || doc.readyState === 'complete') {
      runReady()
      return
    }
    const onReady = (): void => {
      doc.removeEventListener('DOMContentLoaded', onReady)
      core.win?.removeEventListener('load', onReady)
      runReady()
    }
    doc.addEventListener('DOMContentLoaded', onReady)
    core.win?.addEventListener('load', onReady)
  }

  function ready(handler: unknown): void {
    if (typeof handler !== 'function') return
    if (isReady) core.defer(handler as Handler)
    else readyList.push(handler as Handler)
  }

  function loadScript(script: unknown, callback?: unknown): void {
    if (!doc) {
      core.log.warn('BX24.loadScript: there is no document to load a script into')
      return
    }
    if (!isReady) {
      ready(() => loadScript(script, callback))
      return
    }
    const list: unknown[] = typeof script === 'string' ? [script] : Array.isArray(script) ? script.slice() : []
    const head = doc.getElementsByTagName('head')[0] ?? doc.documentElement
    const load = (index: number): void => {
      if (index >= list.length) {
        if (typeof callback === 'function') core.invoke(callback as Handler, core.win, [])
        return
      }
      const url = list[index]
      if (!url || typeof url !== 'string') return load(index + 1)
      const element = doc.createElement('script')
      element.setAttribute('charset', 'UTF-8')
      let done = false
      // The real library moves on only after a load; an error would stall the chain, so errors advance it too.
      const finish = (): void => {
        if (done) return
        done = true
        element.onload = element.onerror = null
        element.parentNode?.removeChild(element)
        core.clock.setTimeout(() => load(index + 1), 50)
      }
      element.onload = finish
      element.onerror = finish
      element.src = url
      head.insertBefore(element, head.firstChild)
    }
    load(0)
  }

  let proxyContext: unknown = null
  const proxies = new WeakMap<object, WeakMap<Handler, Handler>>()

  function proxy(func: Handler, thisObject: object): Handler {
    if (!func || !thisObject) return func
    let byFunc = proxies.get(thisObject)
    if (!byFunc) proxies.set(thisObject, (byFunc = new WeakMap()))
    let bound = byFunc.get(func)
    if (!bound) {
      bound = function (this: unknown, ...args: unknown[]) {
        const previous = proxyContext
        proxyContext = this
        try {
          return func.apply(thisObject, args)
        } finally {
          proxyContext = previous
        }
      }
      byFunc.set(func, bound)
    }
    return bound
  }

  function alsoNames(name: string): string[] {
    if (name === 'mousewheel') return ['DOMMouseScroll']
    if (name === 'transitionend') return ['webkitTransitionEnd', 'msTransitionEnd', 'oTransitionEnd']
    return []
  }

  function bind(el: EventTarget | null | undefined, name: string, fn: EventListener): void {
    if (!el) return
    for (const extra of alsoNames(name)) el.addEventListener(extra, fn, false)
    el.addEventListener(name, fn, false)
  }

  function unbind(el: EventTarget | null | undefined, name: string, fn: EventListener): void {
    if (!el) return
    // As the real library: only mousewheel's alias is removed again.
    if (name === 'mousewheel') el.removeEventListener('DOMMouseScroll', fn, false)
    el.removeEventListener(name, fn, false)
  }

  return {
    watchReady,
    ready,
    isReady: () => isReady,
    loadScript,
    proxy,
    proxyContext: () => proxyContext,
    bind,
    unbind,
    canUse: (what: unknown) => (what === 'upload' ? typeof (core.win as { FileReader?: unknown } | undefined)?.FileReader === 'function' : true),
  }
}
