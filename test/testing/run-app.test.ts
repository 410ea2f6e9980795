// bx24-shim/testing runApp(): an unmodified app page (test/testing/app: Bitrix's script tag, callbacks, next(), the
// documented pull client, BX events) in its own happy-dom window against a test portal.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestPortal, isShimScriptUrl, runApp, type RunningApp } from '../../src/testing/index'

const APP_DIR = resolve(__dirname, 'app')
const running: RunningApp[] = []
afterEach(async () => {
  for (const app of running.splice(0)) await app.close()
})

async function open(options: Parameters<typeof runApp>[0] = {}): Promise<RunningApp> {
  const app = await runApp({ dir: APP_DIR, ...options })
  running.push(app)
  return app
}

const text = (app: RunningApp, id: string) => app.document.getElementById(id)?.textContent ?? ''

describe('runApp', () => {
  it('BX24-30 BX24-32 runs the page as in a portal: init, user.current, every deal page with next(), fitWindow to the portal', async () => {
    const app = await open()
    await app.until(() => text(app, 'deal-count') === '120')
    const user = app.portal.portal.user(app.portal.portal.defaultUserId)!
    expect(text(app, 'user')).toBe(`${user.NAME} ${user.LAST_NAME}`)
    expect(text(app, 'deal-pages')).toBe('3')
    expect(text(app, 'placement')).toBe('placement: DEFAULT')
    expect(app.calls('crm.deal.list').map((call) => call.params.start ?? '0')).toEqual(['0', '50', '100'])
    expect(app.calls('user.current')).toHaveLength(1)
    expect(app.ui.calls.map((call) => call.command)).toContain('resizeWindow')
    expect(app.errors).toEqual([])
  })

  it('PULL-24 PULL-47 the page\'s own BX.PullClient connects to the portal; published messages reach subscribe() and BX handlers', async () => {
    const app = await open()
    await app.waitForPull()
    await app.until(() => text(app, 'pull-status') === 'pull: online')
    app.publish({ command: 'dealMoved', params: { id: 7, stage: 'WON' } })
    app.publish({ moduleId: 'crm', command: 'dealUpdate', params: { id: 9 } })
    const events = [...app.document.querySelectorAll('#events li')].map((item) => item.textContent)
    expect(events).toEqual(['app dealMoved {"id":7,"stage":"WON"}', 'crm dealUpdate 9'])
    // the client asked for its config the way an app must (restApplication)
    expect(app.calls('pull.application.config.get')).toHaveLength(1)
  })

  it('BX24-22 UI commands go through the portal\'s frame host: selectUser answers from the seed', async () => {
    const app = await open()
    await app.until(() => text(app, 'user') !== 'loading…')
    app.document.getElementById('pick-user')!.click()
    await app.until(() => text(app, 'picked'))
    const first = app.portal.portal.state.users[0]!
    expect(text(app, 'picked')).toBe(`${first.NAME} ${first.LAST_NAME} (${first.ID})`)
    expect(app.ui.calls.filter((call) => call.command === 'selectUsers')).toHaveLength(1)
  })

  it('BX24-13 userOption.set is kept by the portal, as a portal page stores it', async () => {
    const app = await open({ userId: 2 })
    await app.until(() => text(app, 'user') !== 'loading…')
    app.document.getElementById('save-option')!.click()
    expect(app.portal.portal.userOptions(2)).toMatchObject({ remembered: 'yes' })
    expect(app.BX24.userOption.get('remembered')).toBe('yes')
  })

  it('an inline page loading bx24-shim.umd.min.js, with a placement and its events', async () => {
    const html = `<!doctype html><html><head><script src="/vendor/bx24-shim.umd.min.js"></script></head><body>
      <p id="out"></p>
      <script>
        BX24.init(function () {
          var info = BX24.placement.info()
          document.getElementById('out').textContent = info.placement + ' ' + info.options.ID
          BX24.placement.bindEvent('onCrmTabChanged', function (payload) { window.lastEvent = payload })
        })
      </script></body></html>`
    const app = await open({
      dir: undefined, html, url: 'https://widgets.example.test/tab', placement: 'crm_deal_detail_tab', placementOptions: { ID: '12' },
      placementInterface: { events: ['onCrmTabChanged'] },
    })
    await app.until(() => text(app, 'out'))
    expect(text(app, 'out')).toBe('CRM_DEAL_DETAIL_TAB 12')
    await app.until(() => app.frameHost.firePlacementEvent('onCrmTabChanged', { tab: 'main' }) > 0)
    await app.until(() => (app.window as unknown as { lastEvent?: unknown }).lastEvent)
    expect((app.window as unknown as { lastEvent: unknown }).lastEvent).toEqual({ tab: 'main' })
  })

  it('Bitrix\'s separate pull library URL is served empty (BX.PullClient is in the bundle)', async () => {
    const html = `<script src="https://api.bitrix24.com/api/v1/"></script><script src="https://api.bitrix24.com/api/v1/pull/"></script>
      <script>window.hasPull = typeof BX.PullClient === 'function' && typeof BX.PULL.start === 'function'</script>`
    const app = await open({ dir: undefined, html })
    expect((app.window as unknown as { hasPull: boolean }).hasPull).toBe(true)
  })

  it('each run has its own window: two users side by side, nothing on the test\'s own globals', async () => {
    const portal = createTestPortal()
    const admin = await open({ portal })
    const user = await open({ portal, userId: 3 })
    await admin.until(() => text(admin, 'user') !== 'loading…')
    await user.until(() => text(user, 'user') !== 'loading…')
    expect(text(admin, 'user')).not.toBe(text(user, 'user'))
    expect(admin.BX24).not.toBe(user.BX24)
    expect((globalThis as { BX24?: unknown }).BX24).toBeUndefined()
    await Promise.all([admin.waitForPull(2), user.waitForPull(2)])
    portal.publish({ command: 'toUserThree', userId: 3 })
    expect(user.document.querySelectorAll('#events li')).toHaveLength(1)
    expect(admin.document.querySelectorAll('#events li')).toHaveLength(0)
  })

  it('a page configured for a real portal (an OAuth token) never reaches it: the test portal is bound instead', async () => {
    // The OAuth transport asks `profile` at once (for IS_ADMIN); any connection to this server would be that.
    let connections = 0
    const server = createServer((_req, res) => res.end('{}'))
    server.on('connection', () => connections++)
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
    const domain = `127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const html = `<script>window.bx24ShimConfig = { auth: { domain: '${domain}', accessToken: 'real-token' }, legacyEvents: true }</script>
        <script src="//api.bitrix24.com/api/v1/"></script>
        <script>BX24.init(function () { BX24.callMethod('user.current', {}, function (r) { window.userName = r.data().NAME }) })</script>`
      const app = await open({ dir: undefined, html })
      await app.until(() => (app.window as unknown as { userName?: string }).userName)
      expect(app.BX24.shim.transport()).toBe('mock')
      expect(app.calls('user.current')).toHaveLength(1)
      await new Promise((done) => setTimeout(done, 50))
      expect(connections).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    }
  })

  it('errors thrown by the page\'s scripts are collected, and the page goes on', async () => {
    const html = `<script src="//api.bitrix24.com/api/v1/"></script>
      <script>throw new Error('broken app script')</script>
      <script>BX24.init(function () { window.ready = true })</script>`
    const logged: unknown[] = []
    const quiet = { ...console, error: (...args: unknown[]) => void logged.push(args), log() {}, warn() {} } as Console
    const app = await open({ dir: undefined, html, console: quiet })
    await app.until(() => (app.window as unknown as { ready?: boolean }).ready)
    expect(logged.length).toBeGreaterThan(0) // the page's console got it too, as a browser's would
    expect(app.errors.map(String)).toEqual([expect.stringContaining('broken app script')])
  })

  it('clear errors for a page without BX24, a missing page, or no page at all', async () => {
    await expect(runApp({ html: '<p>no script here</p>' })).rejects.toThrow('the page loaded no BX24 script')
    await expect(runApp({ dir: APP_DIR, url: 'https://app.example.test/missing.html' })).rejects.toThrow('missing.html does not exist')
    await expect(runApp({})).rejects.toThrow('give the page as `html` or the app directory as `dir`')
  })
})

describe('isShimScriptUrl', () => {
  it('takes Bitrix\'s library and files named like the bundle, nothing that merely resembles them', () => {
    const yes = [
      'https://api.bitrix24.com/api/v1/', 'http://api.bitrix24.com/api/v1', 'https://api.bitrix24.com/api/v1/pull/',
      'https://cdn.example.test/npm/bx24-shim/dist/bx24-shim.umd.min.js', 'https://app.test/bx24-shim.umd.js',
    ]
    const no = [
      'https://api.bitrix24.com.evil.test/api/v1/', 'https://evil.test/api/v1/', 'https://api.bitrix24.com/api/v10/',
      'https://app.test/bx24-shim.umd.js.map', 'https://app.test/not-bx24-shim.umd.js', 'https://app.test/app.js?bx24-shim.umd.js',
    ]
    expect(yes.filter((url) => !isShimScriptUrl(new URL(url)))).toEqual([])
    expect(no.filter((url) => isShimScriptUrl(new URL(url)))).toEqual([])
  })
})
