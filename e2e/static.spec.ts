// The static demo (demo/static/): the sample app and a portal page from plain files, with BX24's mock transport over
// an in-memory portal and pull through an in-page source. Served by the plain static server the Playwright config
// starts (127.0.0.1:4173 or E2E_PORT, strict CSP): no REST, no dev API, no push server behind it.
import { expect, test, type Page } from '@playwright/test'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()

async function openStatic(page: Page) {
  const problems: string[] = []
  const requests: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`))
  await page.goto('/demo/static/')
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true')
  return { app: page.frameLocator('#app-frame'), problems, requests }
}

/** Every request went to the static server for a file of the repository: nothing answered REST or pull. */
function expectOnlyStaticFiles(requests: string[]) {
  expect(requests.length).toBeGreaterThan(0)
  for (const line of requests) {
    const [method, url] = line.split(' ')
    expect(method).toBe('GET')
    const { origin, pathname } = new URL(url)
    expect(origin).toBe(`http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`)
    expect(pathname).toMatch(/^\/(demo|dist)\/[\w./-]*$/)
    expect(pathname).not.toMatch(/^\/(rest|dev)\//) // no portal server: nothing but files
  }
}

test('static demo: the sample app runs on the mock transport with no server: init, REST, paging with next(), callBatch, fitWindow, setTitle', async ({ page }) => {
  const { app, problems, requests } = await openStatic(page)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  // a REST call (user.current) and setTitle through the host adapter
  await expect(app.locator('#user-name')).toHaveText('Anna Ivanova')
  await expect(page.locator('#app-title')).toHaveText('Demo app · Anna')
  // paging: all 120 seeded deals in 3 pages of 50, each page one call to the in-memory portal
  await expect(app.locator('#deal-count')).toHaveText('120')
  await expect(app.locator('#deal-pages')).toHaveText('3')
  // a batch with a $result reference
  await expect(app.locator('#batch-result')).toContainText('first deal "Deal #1", its contact')
  const calls = await page.evaluate(() => (window as any).staticDemo.portal.calls.map((c: any) => ({ method: c.method, inBatch: !!c.inBatch, status: c.status })))
  expect(calls.filter((c: any) => c.method === 'crm.deal.list' && !c.inBatch)).toHaveLength(3)
  expect(calls.filter((c: any) => c.method === 'batch')).toHaveLength(1)
  expect(calls.filter((c: any) => c.inBatch).map((c: any) => c.method)).toEqual(expect.arrayContaining(['crm.deal.list', 'crm.contact.get', 'server.time']))
  expect(calls.every((c: any) => c.status === 200)).toBe(true)
  // fitWindow resized the frame
  await expect.poll(() => page.locator('#app-frame').evaluate((f: HTMLIFrameElement) => f.style.height)).toMatch(/^\d+px$/)
  // the transport the page bound
  expect(await page.locator('#app-frame').evaluate((f: HTMLIFrameElement) => (f.contentWindow as any).BX24.shim.transport())).toBe('mock')
  // the live log shows the REST calls and the app's commands
  await expect(page.locator('.log-row.rest .log-title', { hasText: 'crm.deal.list → 200' })).toHaveCount(3)
  await expect(page.locator('.log-row.message-in .log-title', { hasText: 'setTitle' })).toHaveCount(1)

  // pull: the app's own BX.PullClient goes online on the in-page source; the side panel publishes through REST
  await expect(app.locator('#pull-status')).toHaveText('pull: online')
  await page.fill('#pull-command', 'dealWon')
  await page.fill('#pull-params', '{"id": 7}')
  await page.click('#publish')
  await expect(app.locator('#pull-events li')).toHaveCount(1)
  await expect(app.locator('#pull-events li').first()).toHaveText('dealWon {"id":7}')
  await page.click('#publish')
  await expect(app.locator('#pull-events li')).toHaveCount(2)
  const appFrame = page.frames().find((f) => f.url().includes('/demo/app/'))!
  expect(await appFrame.evaluate(() => ({ bx: (window as any).demoApp.events, subscribe: (window as any).demoApp.subscribed }))).toEqual({ bx: 2, subscribe: 2 })

  // selectUser: the portal's picker answers the app
  await app.locator('#pick-user').click()
  await page.locator('dialog#modal input[value="3"]').check()
  await page.locator('#picker-ok').click()
  await expect(app.locator('#picked-user')).toHaveText('Clara Schmidt (id 3)')

  await page.screenshot({ path: 'test-results/static-demo.png', fullPage: true })
  expectOnlyStaticFiles(requests)
  expect(problems).toEqual([])
})

test('static demo: switching to a non-admin user reopens the app with that user; app options persist in the in-memory portal', async ({ page }) => {
  const { app, problems, requests } = await openStatic(page)
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  await expect(app.locator('#app-option')).toHaveText('never') // first visit; the admin app then sets lastVisit
  await page.selectOption('#user', '2')
  await expect(app.locator('#init-status')).toHaveText('BX24: ready')
  await expect(app.locator('#user-name')).toHaveText('Boris Petrov')
  await expect(app.locator('#app-option')).toHaveText(/^\d{4}-\d\d-\d\dT/) // the admin's visit, kept by the portal
  await expect(app.locator('#deal-count')).toHaveText('120')
  await expect(app.locator('#pull-status')).toHaveText('pull: online')
  await expect(page.locator('#fact-pull')).toHaveText('1 client connected') // the first app's client is gone
  await page.click('#publish')
  await expect(app.locator('#pull-events li')).toHaveCount(1)
  expectOnlyStaticFiles(requests)
  expect(problems).toEqual([])
})
