// A small Bitrix24 app written the way real ones are: plain BX24 calls with callbacks, paging with next(), the pull
// client the docs describe, and BX custom events. It knows nothing about bx24-shim or the tests.
(function () {
  'use strict'

  var $ = function (id) { return document.getElementById(id) }
  var deals = []
  var pages = 0

  function showEvent(text) {
    var item = document.createElement('li')
    item.textContent = text
    $('events').appendChild(item)
  }

  function loadDeals() {
    BX24.callMethod('crm.deal.list', { select: ['ID', 'TITLE', 'OPPORTUNITY'], order: { ID: 'ASC' } }, function onPage(result) {
      if (result.error()) {
        $('deal-count').textContent = 'error: ' + result.error()
        return
      }
      pages++
      deals = deals.concat(result.data())
      $('deal-pages').textContent = String(pages)
      if (result.more()) {
        result.next()
        return
      }
      $('deal-count').textContent = String(deals.length)
      deals.slice(0, 5).forEach(function (deal) {
        var item = document.createElement('li')
        item.textContent = deal.ID + ': ' + deal.TITLE
        $('deals').appendChild(item)
      })
    })
  }

  function startPull(userId) {
    var pull = new BX.PullClient({ restApplication: 'deal-board', restClient: BX24, userId: userId })
    pull.subscribe({
      moduleId: 'application',
      callback: function (data) { showEvent('app ' + data.command + ' ' + JSON.stringify(data.params)) },
    })
    BX.addCustomEvent('onPullEvent-crm', function (command, params) {
      showEvent('crm ' + command + ' ' + params.id)
    })
    BX.addCustomEvent('onPullStatus', function (status) {
      $('pull-status').textContent = 'pull: ' + status
    })
    pull.start()
  }

  BX24.init(function () {
    $('placement').textContent = 'placement: ' + BX24.placement.info().placement
    BX24.callMethod('user.current', {}, function (result) {
      var user = result.data()
      $('user').textContent = user.NAME + ' ' + user.LAST_NAME
      startPull(Number(user.ID))
    })
    loadDeals()
    BX24.fitWindow()
  })

  $('pick-user').addEventListener('click', function () {
    BX24.selectUser(function (user) {
      $('picked').textContent = user.name + ' (' + user.id + ')'
    })
  })

  $('save-option').addEventListener('click', function () {
    BX24.userOption.set('remembered', 'yes')
  })
})()
