import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { DevPortal } from '../src/dev/server'
import { startTestPortal } from './dev-portal'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()

let portal: DevPortal
test.beforeAll(async () => {
  portal = await startTestPortal()
})
test.afterAll(async () => {
  await portal?.close()
})

async function openPortal(page: Page) {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(`${portal.portalUrl}/demo/portal.html`)
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true')
  return { app: page.frameLocator('#app-frame'), problems }
}

test('BX24 in a cross-origin iframe: init, paging with next(), callBatch, fitWindow, setTitle, placement.info, installFinish', async ({ page }) => {
  // Not installed yet: an admin then opens the app in install mode, where installFinish() reaches the portal.
  portal.portal.markInstalled(false)
  const { app, problems } = await openPortal(page)
  // init went through the real postMessage protocol across origins (127.0.0.1 portal, localhost app)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  // The frame has no src: the portal navigates it with a form POST (DEV-5), so its page's URL says where it went.
  const appOrigin = new URL(page.frames().find((f) => f.parentFrame() === page.mainFrame())!.url()).origin
  expect(appOrigin).toBe(portal.appOrigin)
  expect(appOrigin).not.toBe(new URL(page.url()).origin)
  // callMethod + next(): all 120 seeded deals in 3 pages of 50
  await expect(app.locator('#deal-count')).toHaveText('120')
  await expect(app.locator('#deal-pages')).toHaveText('3')
  expect(portal.portal.calls.filter((c) => c.method === 'crm.deal.list' && !c.inBatch).length).toBe(3)
  // callBatch with a $result reference, answered by the portal's REST over HTTP
  await expect(app.locator('#batch-result')).toContainText('first deal "Deal #1", its contact')
  // setTitle reached the portal page
  const userName = String(portal.portal.user(portal.portal.defaultUserId)?.NAME)
  await expect(page.locator('#app-title')).toHaveText(`Demo app · ${userName}`)
  // placement.info
  await expect(app.locator('#placement')).toHaveText('placement: DEFAULT')
  // fitWindow resized the frame to the app's content height
  await expect.poll(() => page.locator('#app-frame').evaluate((f: HTMLIFrameElement) => f.style.height)).toMatch(/^\d+px$/)
  // installFinish: the portal marks the app installed and says so
  await app.locator('#install-finish').click()
  await expect(page.locator('.toast')).toContainText('Installation finished')
  await expect.poll(() => portal.portal.state.app.installed).toBe(true)
  // the live log saw both directions of postMessage and the REST calls
  await expect(page.locator('#count-rest')).not.toHaveText('0')
  for (const command of ['getInitData', 'setTitle', 'setInstallFinish']) {
    await expect(page.locator('.log-row.message-in .log-title', { hasText: command }).first()).toBeVisible()
  }
  expect(await page.locator('.log-row.message-out').count()).toBeGreaterThan(0)
  await page.screenshot({ path: 'test-results/portal-app.png', fullPage: true })
  expect(problems).toEqual([])
})

test('selectUser opens the portal picker and the app gets the chosen user', async ({ page }) => {
  const { app } = await openPortal(page)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  await app.locator('#pick-user').click()
  const dialog = page.locator('dialog#modal')
  await expect(dialog).toBeVisible()
  const second = portal.portal.state.users[1]
  await dialog.locator(`input[value="${second.ID}"]`).check()
  await page.screenshot({ path: 'test-results/portal-picker.png' })
  await dialog.locator('#picker-ok').click()
  await expect(app.locator('#picked-user')).toHaveText(`${second.NAME} ${second.LAST_NAME} (id ${second.ID})`)
})

test('openApplication opens a slider and its close fires the app callback; placements can be switched', async ({ page }) => {
  const { app } = await openPortal(page)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  await app.locator('#open-app').click()
  await expect(page.locator('#slider')).toBeVisible()
  await page.locator('#slider-close').click()
  await expect(app.locator('#slider-state')).toHaveText('closed again')
  await page.locator('#placement').fill('CRM_DEAL_DETAIL_TAB')
  await page.locator('#placement').press('Enter')
  await expect(app.locator('#placement')).toHaveText('placement: CRM_DEAL_DETAIL_TAB')
  // setTitle is refused outside the DEFAULT placement, as the real layout does
  await expect(app.locator('#user-name')).not.toHaveText('…')
  await expect(page.locator('#app-title')).toHaveText('Demo app')
})

test('BX24-50 origin checks in chromium: the portal ignores a foreign origin that knows the APP_SID, the app ignores a foreign parent', async ({ page }) => {
  test.setTimeout(60_000) // three page loads and a 1.5 s watch: past 30 s on a loaded machine
  const { app } = await openPortal(page)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  const portalTitle = await page.locator('#app-title').textContent()
  // A foreign site on loopback (a real server: Chromium's local-network checks refuse local frames in pages that
  // Playwright fakes with route.fulfill).
  const pages: Record<string, string> = {}
  const evil = createServer((req, res) => {
    res.writeHead(pages[req.url ?? ''] ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    res.end(pages[req.url ?? ''] ?? 'not found')
  })
  await new Promise<void>((done) => evil.listen(0, '127.0.0.1', () => done()))
  const evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`
  try {
    // 1. The app frame navigates to the foreign origin. The frame name, and so the APP_SID, survives the navigation;
    //    the foreign page posts a command with it. The portal must ignore it.
    pages['/steal.html'] = `<script>
      var sid = window.name.split('|')[2];
      parent.postMessage('setTitle:' + JSON.stringify({title: 'pwned'}) + '::' + sid, '*');
    </script>`
    await page.locator('#app-frame').evaluate((frame: HTMLIFrameElement, url) => { frame.src = url }, `${evilOrigin}/steal.html`)
    await expect(page.locator('.log-row.message-in.error').first()).toContainText('setTitle')
    await expect(page.locator('#app-title')).toHaveText(portalTitle ?? '')

    // 2. A foreign page frames the real app. Control: with a frame name that names the foreign page itself, the app
    //    talks to it (so this harness does see the app's requests). Attack: with a frame name that names the portal,
    //    the browser delivers nothing to the foreign page (BX24 posts with the portal as target origin), and the
    //    forged replies it sprays at the app are ignored: the app never initialises.
    const portalHost = new URL(portal.portalUrl).host
    const requests: string[] = []
    await page.exposeFunction('reportRequest', (what: string) => { requests.push(what) })
    const framing = (claimedHost: string) => `<iframe id="f" name="${claimedHost}|0|0123456789abcdef0123456789abcdef" src="${portal.appUrl}" style="width:800px;height:400px"></iframe>
      <script>
        window.addEventListener('message', function (e) { window.reportRequest(String(e.data).split(':')[0]) });
        var fake = {DOMAIN: '${portalHost}', PROTOCOL: 0, LANG: 'en', PATH: '/rest', AUTH_ID: 'forged', REFRESH_ID: 'x', AUTH_EXPIRES: 3600, MEMBER_ID: 'm', IS_ADMIN: true, PLACEMENT: 'DEFAULT'};
        setInterval(function () {
          var f = document.getElementById('f').contentWindow;
          for (var i = 0; i < 5; i++) f.postMessage(Math.random().toString(16).slice(2) + ':' + JSON.stringify(fake), '*');
        }, 100);
      </script>`
    pages['/control.html'] = framing(new URL(evilOrigin).host)
    pages['/attack.html'] = framing(portalHost)
    await page.goto(`${evilOrigin}/control.html`)
    await expect.poll(() => requests).toContain('getInitData')
    requests.length = 0
    await page.goto(`${evilOrigin}/attack.html`)
    await expect(page.frameLocator('#f').locator('#deal-list')).toBeAttached()
    await page.waitForTimeout(1500)
    expect(requests).toEqual([])
    await expect(page.frameLocator('#f').locator('#init-status')).toHaveText('BX24: starting…')
  } finally {
    evil.closeAllConnections()
    await new Promise((done) => evil.close(done))
  }
})

test('--app-url: the portal hosts an app served from anywhere else, with the real frame name and query', async ({ page }) => {
  // "Your own app": the sample app's files served by a server of its own, on its own origin.
  const files: Record<string, [string, string]> = {
    '/app/': ['demo/app/index.html', 'text/html'], '/app/app.js': ['demo/app/app.js', 'text/javascript'],
    '/app/app.css': ['demo/app/app.css', 'text/css'], '/style.css': ['demo/style.css', 'text/css'],
    '/dist/bx24-shim.umd.min.js': ['dist/bx24-shim.umd.min.js', 'text/javascript'],
  }
  const seen: string[] = []
  const own = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    seen.push(req.url ?? '')
    const file = files[path] ?? files[path.replace('/app/../', '/')]
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file[1] })
    res.end(readFileSync(resolve(__dirname, '..', file[0])))
  })
  await new Promise<void>((done) => own.listen(0, '127.0.0.1', () => done()))
  const ownOrigin = `http://localhost:${(own.address() as AddressInfo).port}`
  const custom = await startTestPortal({ appUrl: `${ownOrigin}/app/` })
  try {
    await page.goto(`${custom.portalUrl}/demo/portal.html`)
    const app = page.frameLocator('#app-frame')
    await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
    await expect(app.locator('#deal-count')).toHaveText('120')
    const entry = seen.find((url) => url.startsWith('/app/?'))!
    const query = new URLSearchParams(entry.slice(entry.indexOf('?')))
    expect(query.get('DOMAIN')).toBe(new URL(custom.portalUrl).host)
    expect(query.get('PROTOCOL')).toBe('0')
    expect(query.get('APP_SID')).toMatch(/^[0-9a-f]{32}$/)
    const frameName = await page.locator('#app-frame').evaluate((f: HTMLIFrameElement) => f.name)
    expect(frameName).toBe(`${new URL(custom.portalUrl).host}|0|${query.get('APP_SID')}`)
  } finally {
    await custom.close()
    own.closeAllConnections()
    await new Promise((done) => own.close(done))
  }
})
