// The sample app: plain BX24 and BX code, loaded from the UMD bundle like any Bitrix24 app. It runs unchanged in a
// real portal. Served with a strict CSP, so no inline script.
;(function () {
  var $ = function (id) { return document.getElementById(id) }
  var state = { deals: 0, pages: 0 }
  window.demoApp = state

  function tag(id, text, ok) {
    var el = $(id)
    el.textContent = text
    el.className = 'tag ' + (ok === undefined ? '' : ok ? 'ok' : 'bad')
  }

  function item(listId, text) {
    var li = document.createElement('li')
    li.textContent = text
    $(listId).appendChild(li)
    return li
  }

  function loadDeals() {
    BX24.callMethod('crm.deal.list', { order: { ID: 'ASC' }, select: ['ID', 'TITLE', 'OPPORTUNITY'] }, function onPage(result) {
      if (result.error()) return item('deal-list', 'error: ' + result.error())
      var rows = result.data()
      state.pages += 1
      state.deals += rows.length
      $('deal-count').textContent = state.deals
      $('deal-pages').textContent = state.pages
      if (state.pages === 1) rows.slice(0, 5).forEach(function (d) { item('deal-list', d.TITLE + ' · ' + d.OPPORTUNITY) })
      if (result.more()) result.next()
      else {
        state.dealsDone = true
        BX24.fitWindow()
      }
    })
  }

  function runBatch() {
    BX24.callBatch({
      first: ['crm.deal.list', { order: { ID: 'ASC' }, select: ['ID', 'TITLE', 'CONTACT_ID'] }],
      contact: ['crm.contact.get', { id: '$result[first][0][CONTACT_ID]' }],
      time: ['server.time', {}],
    }, function (results) {
      var contact = results.contact.data()
      state.batch = { deal: results.first.data()[0].TITLE, contact: contact && contact.NAME, ok: !results.contact.error() }
      $('batch-result').textContent = 'first deal "' + state.batch.deal + '", its contact ' + state.batch.contact
    })
  }

  function startPull() {
    if (typeof BX.PullClient !== 'function') return tag('pull-status', 'pull: not available', false)
    var pull = new BX.PullClient({ restApplication: true, restClient: BX24 })
    state.pull = pull
    BX.addCustomEvent('onPullStatus', function (status) {
      tag('pull-status', 'pull: ' + status, status === 'online')
    })
    BX.addCustomEvent('onPullEvent-application', function (command, params) {
      state.events = (state.events || 0) + 1
      item('pull-events', command + ' ' + JSON.stringify(params)).dataset.command = command
      BX24.fitWindow()
    })
    pull.subscribe({ moduleId: 'application', callback: function (data) { state.subscribed = (state.subscribed || 0) + 1 } })
    pull.start().catch(function (error) { tag('pull-status', 'pull: ' + (error && error.ex ? error.ex.error : error), false) })
  }

  BX24.init(function () {
    tag('init-status', 'BX24: ready' + (BX24.isAdmin() ? ' (admin)' : ''), true)
    var info = BX24.placement.info()
    state.placement = info.placement
    tag('placement', 'placement: ' + info.placement)
    BX24.callMethod('user.current', {}, function (result) {
      var user = result.data()
      $('user-name').textContent = user.NAME + ' ' + user.LAST_NAME
      $('user-meta').textContent = (user.WORK_POSITION || '') + ' · id ' + user.ID
      BX24.setTitle('Demo app · ' + user.NAME)
      state.user = user.ID
    })
    loadDeals()
    runBatch()
    var last = BX24.appOption.get('lastVisit')
    $('app-option').textContent = last || 'never'
    if (BX24.isAdmin()) BX24.appOption.set('lastVisit', new Date().toISOString())
    startPull()
  })

  $('pick-user').addEventListener('click', function () {
    BX24.selectUser(function (user) {
      state.picked = user.name
      $('picked-user').textContent = user.name + ' (id ' + user.id + ')'
    })
  })
  $('open-path').addEventListener('click', function () { BX24.openPath('/crm/deal/details/1/') })
  $('open-app').addEventListener('click', function () {
    $('slider-state').textContent = 'open'
    BX24.openApplication({ from: 'demo' }, function () { $('slider-state').textContent = 'closed again' })
  })
  $('install-finish').addEventListener('click', function () {
    BX24.installFinish()
    $('install-state').textContent = 'installFinish sent'
  })
})()
