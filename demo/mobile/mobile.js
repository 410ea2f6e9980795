// A mobile web page as the Bitrix mobile app shows it in a webview, served by the dev portal: it subscribes the way
// Bitrix's mobile web templates do (BXMobileApp.addCustomEvent('onPull-<module>' / 'onPull')), runs the shim's pull
// client in mobile mode against the dev portal, and shows each message with every route it took: the web events
// `onPull-<module>` and `onPull`, and what the native bridge (BXMobileApp.onCustomEvent, emulated in bridge.js) got.
// REST: a small client with a user's token from the dev API (/dev/session), refreshed through /dev/refresh.
;(function () {
  'use strict'

  var $ = function (id) { return document.getElementById(id) }
  var bridge = window.bxMobileBridge
  var MODULES = ['application', 'im', 'main']
  var ROUTES = [
    { key: 'web-module', label: function (m) { return 'onPull-' + m }, native: false },
    { key: 'web-all', label: function () { return 'onPull' }, native: false },
    { key: 'native-module', label: function (m) { return 'BXMobileApp · onPull-' + m }, native: true },
    { key: 'native-all', label: function () { return 'BXMobileApp · onPull' }, native: true },
  ]

  /** What the page saw, for people poking at it in devtools and for the browser tests. */
  var state = (window.mobileDemo = { status: 'off', received: [], messages: [], rest: 0, session: null, pull: null })
  var subscribed = {}
  var info = null
  var session = null
  var pull = null

  // ---------- little DOM helpers ----------
  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }
  function json(value) {
    try { return JSON.stringify(value) } catch (error) { return String(value) }
  }
  function clock(at) {
    return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
  }
  function scrollIntoFeed(list, node) {
    list.insertBefore(node, list.firstChild)
  }

  // ---------- the emulated native chrome (what bridge.js calls into) ----------
  function showSheet(title, text, buttons, onPick) {
    $('sheet-title').textContent = title
    $('sheet-title').hidden = !title
    $('sheet-text').textContent = text
    var box = $('sheet-buttons')
    box.replaceChildren()
    buttons.forEach(function (label, index) {
      var button = el('button', index === 0 ? '' : 'secondary', String(label))
      button.type = 'button'
      button.addEventListener('click', function () {
        $('sheet').hidden = true
        if (onPick) onPick(index)
      })
      box.appendChild(button)
    })
    $('sheet').hidden = false
  }
  bridge.setChrome({
    title: function (text) { $('topbar-title').textContent = text },
    detail: function (text) { $('topbar-detail').textContent = text },
    alert: function (p, callback) { showSheet(p.title, p.text, [p.button], function () { if (callback) callback() }) },
    confirm: function (p, callback) { showSheet(p.title, p.text, p.buttons, function (i) { if (callback) callback(i + 1) }) },
    loader: function (on) { $('loader').hidden = !on },
  })

  // ---------- the log: every bridge call, every REST call, status changes ----------
  var counts = { bridge: 0, rest: 0 }
  function logRow(kind, title, detail, note, at) {
    var li = el('li', 'log-row ' + kind)
    var head = el('div', 'log-head')
    head.appendChild(el('span', 'badge', kind === 'native' ? 'bridge' : kind === 'rest' ? 'REST' : kind))
    head.appendChild(el('span', 'log-title', title))
    head.appendChild(el('time', '', clock(at || Date.now())))
    li.appendChild(head)
    if (detail) li.appendChild(el('code', '', detail))
    if (note) li.appendChild(el('div', 'log-note', note))
    scrollIntoFeed($('log'), li)
    while ($('log').childElementCount > 300) $('log').lastChild.remove()
    return li
  }
  function onBridgeCall(entry) {
    counts.bridge++
    $('count-bridge').textContent = counts.bridge
    var args = entry.args.map(function (a) { return a === undefined ? 'undefined' : json(a) }).join(', ')
    var row = logRow('native', entry.path, '(' + args + ')', entry.note, entry.at)
    row.dataset.path = entry.path
    if (entry.path === 'BXMobileApp.onCustomEvent') {
      row.dataset.event = String(entry.args[0])
      nativeDelivery(String(entry.args[0]), entry.args[1])
    }
  }
  bridge.calls.forEach(onBridgeCall)
  bridge.onCall(onBridgeCall)

  // ---------- pull messages: one card per message, one chip per route ----------
  function keyOf(module, data) {
    var extra = (data && data.extra) || {}
    return [module, data && data.command, json(data && data.params), extra.server_time_unix || extra.server_time || ''].join('|')
  }

  function card(module, data, route) {
    var key = keyOf(module, data)
    for (var i = 0; i < state.messages.length; i++) {
      var m = state.messages[i]
      if (m.key === key && !m.routes[route]) return m
    }
    return newCard(key, module, data)
  }

  function newCard(key, module, data) {
    var li = el('li', 'msg')
    li.dataset.module = module
    li.dataset.command = String(data.command)
    var head = el('div', 'msg-head')
    head.appendChild(el('span', 'module', module))
    head.appendChild(el('b', 'command', String(data.command)))
    head.appendChild(el('time', '', clock(Date.now())))
    li.appendChild(head)
    li.appendChild(el('code', 'params', json(data.params)))
    var chips = el('div', 'chips')
    var chipOf = {}
    ROUTES.forEach(function (r) {
      var chip = el('span', 'chip' + (r.native ? ' native' : ''), r.label(module))
      chip.dataset.route = r.key
      chip.dataset.state = 'pending'
      chipOf[r.key] = chip
      chips.appendChild(chip)
    })
    li.appendChild(chips)
    var details = el('details', 'payloads')
    details.appendChild(el('summary', '', 'what each handler received'))
    var list = el('dl')
    details.appendChild(list)
    li.appendChild(details)
    scrollIntoFeed($('messages'), li)
    $('messages-empty').hidden = true
    var message = { key: key, module: module, command: data.command, params: data.params, routes: {}, node: li, chips: chipOf, payloads: list }
    state.messages.push(message)
    $('count-messages').textContent = state.messages.length
    return message
  }

  function mark(message, route, payload, label) {
    message.routes[route] = true
    var chip = message.chips[route]
    chip.dataset.state = 'received'
    chip.classList.add('received')
    if (label) chip.textContent = label
    var name = chip.textContent
    message.payloads.appendChild(el('dt', '', name))
    message.payloads.appendChild(el('dd', '', json(payload)))
  }

  /** Web side: handlers registered the mobile way, with one data object each (spec B.3.3). */
  function onModuleEvent(data) {
    var module = String(data.module_id)
    state.received.push({ event: 'onPull-' + module, data: data })
    mark(card(module, data, 'web-module'), 'web-module', data)
  }
  function onAllEvent(data) {
    var module = String(data.module_id)
    state.received.push({ event: 'onPull', data: data })
    var message = card(module, data, 'web-all')
    mark(message, 'web-all', data)
    if (!subscribed[module]) {
      // onPull-<module> went out before this page listened to it: say so, and listen from now on
      var chip = message.chips['web-module']
      chip.dataset.state = 'unheard'
      chip.textContent = 'onPull-' + module + ': no handler yet'
      subscribeModule(module)
    }
  }
  function subscribeModule(module) {
    if (!module || subscribed[module]) return
    subscribed[module] = true
    window.BXMobileApp.addCustomEvent('onPull-' + module, onModuleEvent)
  }

  /** Native side: what BXMobileApp.onCustomEvent received (the mobile templates' bridge, spec B.3.3). */
  function nativeDelivery(name, payload) {
    if (!payload || typeof payload !== 'object') return
    if (name === 'onPull') {
      return mark(card(String(payload.module_id), payload, 'native-all'), 'native-all', payload)
    }
    if (name.indexOf('onPull-') !== 0) return
    var module = name.slice('onPull-'.length)
    if (Array.isArray(payload.data)) {
      // module im: debounced 100 ms into one {data: [...]} event
      payload.data.forEach(function (item, i) {
        mark(card(module, item, 'native-module'), 'native-module', { batch: i + 1 + ' of ' + payload.data.length, item: item },
          'BXMobileApp · onPull-' + module + ' (batch ' + (i + 1) + '/' + payload.data.length + ')')
      })
      return
    }
    mark(card(module, payload, 'native-module'), 'native-module', payload)
  }

  // ---------- status ----------
  var STATUS_TEXT = { off: 'off', connect: 'connecting', online: 'online', offline: 'offline', error: 'error' }
  function setStatus(status, detail) {
    state.status = status
    var chip = $('pull-status')
    chip.dataset.status = status
    chip.lastChild.textContent = STATUS_TEXT[status] || status
    $('fact-pull').textContent = (STATUS_TEXT[status] || status) + (detail ? ' · ' + detail : '')
    if (status === 'online' && pull) showServer()
  }
  function showServer() {
    var config = pull.getConfig ? pull.getConfig() : null
    var server = config && config.server
    if (server) {
      $('fact-server').textContent = 'push-server v' + (server.version || '?') + ' · ' +
        (pull.isJsonRpc && pull.isJsonRpc() ? 'JSON-RPC' : server.version > 3 ? 'protobuf' : 'text frames') + ' · WebSocket'
    }
    var channels = config && config.channels
    if (channels) {
      $('fact-channels').textContent = Object.keys(channels).filter(function (k) { return channels[k] }).join(' + ') +
        ' · user ' + session.userId
    }
  }

  // ---------- REST: a tiny client with the callMethod(method, params) → Promise<result> shape the pull client needs ----------
  function devPost(name, body) {
    return fetch('/dev/' + name, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (response) {
        return response.json().then(function (value) {
          if (!response.ok) throw new Error((value && value.error_description) || 'dev API ' + response.status)
          return value
        })
      })
  }

  function result(status, body) {
    return {
      status: status,
      answer: body,
      data: function () { return body.result },
      error: function () { return body.error ? { error: body.error, error_description: body.error_description || '', status: status } : null },
      more: function () { return body.next !== undefined },
      total: function () { return body.total },
    }
  }

  function restClient() {
    function call(method, params, retried) {
      var started = performance.now()
      var grant = session.grant
      var payload = Object.assign({}, params || {}, { auth: grant.accessToken })
      return fetch('/rest/' + method + '.json', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
      }).then(function (response) {
        return response.json().catch(function () { return { error: 'BAD_RESPONSE', error_description: 'not JSON' } }).then(function (body) {
          var ms = Math.round(performance.now() - started)
          state.rest++
          $('count-rest').textContent = state.rest
          var row = logRow('rest', method + ' → ' + response.status + (body.error ? ' ' + body.error : '') + ' · ' + ms + ' ms', json(params || {}))
          if (body.error) row.classList.add('error')
          if (body.error === 'expired_token' && !retried) {
            return devPost('refresh', { refreshToken: grant.refreshToken }).then(function (reply) {
              if (reply.grant) session.grant = reply.grant
              return call(method, params, true)
            })
          }
          return result(response.status, body)
        })
      })
    }
    return { callMethod: function (method, params) { return call(method, params, false) } }
  }
  var rest = restClient()

  // ---------- the pull client ----------
  function startPull() {
    if (typeof BX.PullClient !== 'function') return setStatus('error', 'BX.PullClient missing')
    var client = new BX.PullClient({ mobile: true, restApplication: true, restClient: rest, userId: session.userId })
    pull = state.pull = client
    setStatus('connect')
    client.start().catch(function (error) {
      if (pull !== client) return
      setStatus('error', error && error.ex ? error.ex.error : String(error && error.message ? error.message : error))
    })
  }

  function signIn(userId) {
    if (pull) {
      pull.destroy()
      pull = state.pull = null
      setStatus('off')
    }
    return devPost('session', { userId: userId }).then(function (reply) {
      session = state.session = reply
      var user = info.users.filter(function (u) { return u.id === reply.userId })[0]
      window.BXMobileApp.UI.Page.TopBar.title.setDetailText(user ? user.name + (user.admin ? ' · admin' : '') : 'user ' + reply.userId)
      $('user').value = String(reply.userId)
      startPull()
    })
  }

  // ---------- publishing, as a backend (or this page, with its user's token) does ----------
  function publish(module, command, params) {
    subscribeModule(module)
    var body = { COMMAND: command, PARAMS: params }
    if (module) body.MODULE_ID = module
    var target = document.querySelector('input[name="target"]:checked')
    if (target && target.value === 'me') body.USER_ID = session.userId
    return rest.callMethod('pull.application.event.add', body).then(function (res) {
      if (res.error()) {
        window.app.alert({ title: 'Not published', text: res.error().error + ': ' + res.error().error_description, button: 'OK' })
        return false
      }
      return true
    })
  }

  $('publish').addEventListener('click', function () {
    var params
    try {
      params = JSON.parse($('pub-params').value || '{}')
    } catch (error) {
      window.app.alert({ title: 'Params are not JSON', text: $('pub-params').value, button: 'OK' })
      return
    }
    void publish($('pub-module').value.trim(), $('pub-command').value.trim(), params)
  })
  $('publish-im').addEventListener('click', function () {
    var texts = ['Hi!', 'Are you there?', 'Call me when you can']
    texts.reduce(function (chain, text, i) {
      return chain.then(function () { return publish('im', 'message', { dialogId: 'chat7', text: text, n: i + 1 }) })
    }, Promise.resolve())
  })
  $('clear-messages').addEventListener('click', function () {
    state.messages.length = 0
    $('messages').replaceChildren()
    $('count-messages').textContent = '0'
    $('messages-empty').hidden = false
  })
  $('clear-log').addEventListener('click', function () { $('log').replaceChildren() })
  $('user').addEventListener('change', function () { void signIn(Number($('user').value)) })
  setInterval(function () { $('clock').textContent = new Date().toTimeString().slice(0, 5) }, 10000)
  $('clock').textContent = new Date().toTimeString().slice(0, 5)

  function fatal(text) {
    $('fatal').hidden = false
    $('fatal').textContent = text
    setStatus('error')
  }

  // ---------- start ----------
  window.BXMobileApp.UI.Page.TopBar.title.setText('Pull monitor')
  fetch('/dev/info')
    .then(function (response) {
      if (!response.ok) throw new Error('no dev API')
      return response.json()
    })
    .catch(function () {
      throw new Error('This page runs on the dev portal: start it with `npm start` and open http://127.0.0.1:4173/demo/mobile/')
    })
    .then(function (value) {
      info = value
      info.users.forEach(function (u) { $('user').add(new Option(u.name + (u.admin ? ' (admin)' : ''), String(u.id))) })
      $('fact-server').textContent = info.protocol + ' · ' + info.push
      MODULES.forEach(subscribeModule)
      window.BXMobileApp.addCustomEvent('onPull', onAllEvent)
      BX.addCustomEvent('onPullStatus', function (status) { if (pull) setStatus(status) })
      return signIn(info.defaultUserId)
    })
    .then(function () { document.body.dataset.ready = 'true' })
    .catch(function (error) { fatal(error && error.message ? error.message : String(error)) })
})()
