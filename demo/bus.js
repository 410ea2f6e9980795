// The bus demo: external script only, because the page is served with a strict CSP (no inline script, no eval).
;(function () {
  var log = document.getElementById('log')
  var heard = []
  window.demoHeard = heard

  function show(text) {
    var item = document.createElement('li')
    var time = document.createElement('span')
    time.className = 't'
    time.textContent = new Date().toLocaleTimeString()
    item.appendChild(time)
    item.appendChild(document.createTextNode(text))
    log.insertBefore(item, log.firstChild)
  }

  function listen(name) {
    BX.addCustomEvent(name, function () {
      var args = Array.prototype.slice.call(arguments)
      heard.push({ name: name, args: args })
      show(name + ' ← ' + JSON.stringify(args))
    })
  }

  function params() {
    try {
      var value = JSON.parse(document.getElementById('params').value)
      return Array.isArray(value) ? value : [value]
    } catch (error) {
      show('params are not JSON: ' + error.message)
      return null
    }
  }

  listen('onDemoEvent')
  listen('onCrossTab')
  BX.message({ USER_ID: '1', SITE_ID: 's1' })

  document.getElementById('fire').addEventListener('click', function () {
    var p = params()
    if (p) BX.onCustomEvent(document.getElementById('name').value, p)
  })
  document.getElementById('fire-global').addEventListener('click', function () {
    var p = params()
    if (p) BX.onGlobalCustomEvent(document.getElementById('name').value, p)
  })
  document.getElementById('clear').addEventListener('click', function () {
    log.textContent = ''
  })

  var status = document.getElementById('status')
  status.textContent = typeof BX24 === 'object' && typeof BX.Event.EventEmitter === 'function' ? 'BX and BX24 ready' : 'not loaded'
  status.className = 'tag ' + (typeof BX24 === 'object' ? 'ok' : 'bad')
})()
