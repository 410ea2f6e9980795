// An emulated native side of the Bitrix mobile app's web bridge (bx24 spec §8): `window.app` (the Cordova-based
// BitrixMobile object) and `window.BXMobileApp`, as a webview of the mobile app sees them. Nothing here talks to a
// device: every call is recorded (window.bxMobileBridge.calls) and shown in the page's bridge log, a few calls drive
// the emulated native chrome (top bar title, alert and confirm sheets, the popup loader), the rest are tolerated
// no-ops. Unknown members (BXMobileApp.UI.Anything.else()) are tolerated too and logged as "unknown".
// Loaded before the bx24-shim bundle: BX is looked up when a call needs it, not now.
;(function () {
  'use strict'

  var calls = []
  var listeners = []
  var depth = 0 // BXMobileApp.onCustomEvent calls app.onCustomEvent: only the outermost call is recorded
  var chrome = {} // the page's native-chrome renderers (title, alert, confirm, loader), set by mobile.js

  function snapshot(value) {
    if (typeof value === 'function') return '[function]'
    if (value === undefined) return undefined
    try {
      return JSON.parse(JSON.stringify(value, function (key, v) { return typeof v === 'function' ? '[function]' : v }))
    } catch (error) {
      return String(value)
    }
  }

  function record(path, args, note) {
    var entry = { at: Date.now(), path: path, args: Array.prototype.map.call(args, snapshot), note: note || '' }
    calls.push(entry)
    for (var i = 0; i < listeners.length; i++) {
      try { listeners[i](entry) } catch (error) { console.error('bridge log listener failed', error) }
    }
    return entry
  }

  /** A bridge method: records the call (when outermost), then runs the emulated native behaviour, if any. */
  function method(path, behaviour, note) {
    return function () {
      var outer = depth === 0
      if (outer) record(path, arguments, note)
      depth++
      try {
        return behaviour ? behaviour.apply(this, arguments) : undefined
      } finally {
        depth--
      }
    }
  }

  /** A namespace that tolerates any member: known ones as given, unknown ones callable at any depth, and logged. */
  function tolerant(path, known) {
    var target = known || {}
    return new Proxy(target, {
      get: function (obj, key) {
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return obj[key]
        if (key in obj) return obj[key]
        return unknown(path + '.' + key)
      },
    })
  }

  function unknown(path) {
    var fn = function () { record(path, arguments, 'not emulated: ignored') }
    return new Proxy(fn, {
      get: function (obj, key) {
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return obj[key]
        if (key === 'name' || key === 'length' || key === 'prototype') return obj[key]
        return unknown(path + '.' + key)
      },
    })
  }

  function BX() { return window.BX }

  function callbackOf(params) { return params && typeof params.callback === 'function' ? params.callback : null }

  // --- window.app: the BitrixMobile object ---
  var app = tolerant('app', {
    exec: method('app.exec'),
    // Sends an event to the OTHER webviews of the app; this emulation has no other webview, so it is only logged.
    onCustomEvent: method('app.onCustomEvent'),
    alert: method('app.alert', function (params) {
      var p = typeof params === 'string' ? { text: params } : params || {}
      if (chrome.alert) chrome.alert({ title: p.title || '', text: p.text || '', button: p.button || 'OK' }, callbackOf(p))
    }),
    confirm: method('app.confirm', function (params) {
      var p = params || {}
      if (chrome.confirm) chrome.confirm({ title: p.title || '', text: p.text || '', buttons: p.buttons || ['OK', 'Cancel'] }, callbackOf(p))
    }),
    setPageTitle: method('app.setPageTitle', function (params) {
      if (chrome.title) chrome.title(params && params.title !== undefined ? String(params.title) : '')
    }),
    showPopupLoader: method('app.showPopupLoader', function () { if (chrome.loader) chrome.loader(true) }),
    hidePopupLoader: method('app.hidePopupLoader', function () { if (chrome.loader) chrome.loader(false) }),
    loadPageBlank: method('app.loadPageBlank', null, 'no-op: no page stack here'),
    loadPageStart: method('app.loadPageStart', null, 'no-op: no page stack here'),
    closeController: method('app.closeController', null, 'no-op'),
    reload: method('app.reload', null, 'no-op'),
    openDocument: method('app.openDocument', null, 'no-op'),
    pullDown: method('app.pullDown', null, 'no-op'),
    pullDownLoadingStop: method('app.pullDownLoadingStop', null, 'no-op'),
    enableInVersion: function (version) { return Number(version) <= 40 },
  })

  // --- window.BXMobileApp ---
  var topBarTitle = tolerant('BXMobileApp.UI.Page.TopBar.title', {
    setText: method('BXMobileApp.UI.Page.TopBar.title.setText', function (text) { if (chrome.title) chrome.title(String(text)) }),
    setDetailText: method('BXMobileApp.UI.Page.TopBar.title.setDetailText', function (text) { if (chrome.detail) chrome.detail(String(text)) }),
    setImage: method('BXMobileApp.UI.Page.TopBar.title.setImage', null, 'no-op'),
    setCallback: method('BXMobileApp.UI.Page.TopBar.title.setCallback', null, 'no-op'),
    show: method('BXMobileApp.UI.Page.TopBar.title.show', null, 'no-op'),
  })

  var BXMobileApp = {
    /** BX.addCustomEvent(name, fn) plus app.exec('subscribeEvent', {eventName}) (spec §8). */
    addCustomEvent: method('BXMobileApp.addCustomEvent', function (name, handler) {
      if (BX() && typeof BX().addCustomEvent === 'function') BX().addCustomEvent(name, handler)
      app.exec('subscribeEvent', { eventName: name })
    }, '= BX.addCustomEvent + app.exec("subscribeEvent")'),
    removeCustomEvent: method('BXMobileApp.removeCustomEvent', function (name, handler) {
      if (BX() && typeof BX().removeCustomEvent === 'function') BX().removeCustomEvent(name, handler)
      app.exec('unsubscribeEvent', { eventName: name })
    }, '= BX.removeCustomEvent + app.exec("unsubscribeEvent")'),
    /** Goes to the native side, which hands it to the other webviews (spec §8: app.onCustomEvent(name, params, …)). */
    onCustomEvent: method('BXMobileApp.onCustomEvent', function (name, params, where) {
      app.onCustomEvent(name, params, where === undefined ? false : where, false)
    }, '→ app.onCustomEvent: to the other webviews'),
    UI: tolerant('BXMobileApp.UI', {
      Page: tolerant('BXMobileApp.UI.Page', {
        TopBar: tolerant('BXMobileApp.UI.Page.TopBar', {
          title: topBarTitle,
          show: method('BXMobileApp.UI.Page.TopBar.show', null, 'no-op'),
          hide: method('BXMobileApp.UI.Page.TopBar.hide', null, 'no-op'),
        }),
        LoadingScreen: tolerant('BXMobileApp.UI.Page.LoadingScreen', {
          show: method('BXMobileApp.UI.Page.LoadingScreen.show', function () { if (chrome.loader) chrome.loader(true) }),
          hide: method('BXMobileApp.UI.Page.LoadingScreen.hide', function () { if (chrome.loader) chrome.loader(false) }),
        }),
        reload: method('BXMobileApp.UI.Page.reload', null, 'no-op'),
        close: method('BXMobileApp.UI.Page.close', null, 'no-op'),
        isVisible: method('BXMobileApp.UI.Page.isVisible', function (params) {
          var cb = callbackOf(params)
          if (cb) setTimeout(function () { cb({ status: 'visible' }) }, 0)
        }),
      }),
    }),
    PageManager: tolerant('BXMobileApp.PageManager', {
      loadPageBlank: method('BXMobileApp.PageManager.loadPageBlank', null, 'no-op: no page stack here'),
      loadPageUnique: method('BXMobileApp.PageManager.loadPageUnique', null, 'no-op: no page stack here'),
      loadPageModal: method('BXMobileApp.PageManager.loadPageModal', null, 'no-op: no page stack here'),
    }),
    PushManager: tolerant('BXMobileApp.PushManager', {
      getLastNotification: method('BXMobileApp.PushManager.getLastNotification', function () { return {} }),
    }),
    TOOLS: tolerant('BXMobileApp.TOOLS', {}),
  }

  window.app = app
  window.BXMobileApp = BXMobileApp
  /** The emulator's own handle, for the page and the browser tests. */
  window.bxMobileBridge = {
    calls: calls,
    onCall: function (listener) { listeners.push(listener) },
    setChrome: function (renderers) { chrome = renderers || {} },
  }
})()
