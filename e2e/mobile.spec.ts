// The mobile webview page (demo/mobile/): an emulated BXMobileApp bridge, the shim's pull client in mobile mode
// against a dev portal, and every route a pull message takes (onPull-<module>, onPull, BXMobileApp.onCustomEvent).
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

test.use({ viewport: { width: 400, height: 860 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })

type BridgeCall = { path: string; args: any[] }
const bridgeCalls = (page: Page, path: string, event?: string): Promise<BridgeCall[]> =>
  page.evaluate(([p, e]) => (window as any).bxMobileBridge.calls.filter((c: BridgeCall) => c.path === p && (e === undefined || c.args[0] === e)), [path, event] as const)

async function openMobile(page: Page) {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(`${portal.portalUrl}/demo/mobile/`)
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true')
  await expect(page.locator('#pull-status')).toHaveAttribute('data-status', 'online', { timeout: 15_000 })
  return problems
}

test('PULL mobile mode in a webview: a message published through the dev portal arrives as onPull-<module>, onPull and BXMobileApp.onCustomEvent', async ({ page }) => {
  const problems = await openMobile(page)
  // the page set its native title through the bridge, and subscribed the mobile way
  await expect(page.locator('#topbar-title')).toHaveText('Pull monitor')
  await expect(page.locator('#topbar-detail')).toContainText('Anna Ivanova')
  expect((await bridgeCalls(page, 'BXMobileApp.addCustomEvent')).map((c) => c.args[0])).toEqual(
    expect.arrayContaining(['onPull-application', 'onPull-im', 'onPull']),
  )
  // the pull config came over REST with the user's token
  expect(portal.portal.calls.some((c) => c.method === 'pull.application.config.get' && c.status === 200 && c.userId === 1)).toBe(true)

  // a backend publishes through the dev portal
  const published = await fetch(`${portal.portalUrl}/dev/publish`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ moduleId: 'application', command: 'dealChanged', params: { id: 7, stage: 'WON' } }),
  })
  expect(published.status).toBe(200)

  const message = page.locator('.msg[data-command="dealChanged"]')
  await expect(message).toHaveCount(1)
  for (const route of ['web-module', 'web-all', 'native-module', 'native-all']) {
    await expect(message.locator(`.chip[data-route="${route}"]`)).toHaveAttribute('data-state', 'received')
  }
  await expect(message.locator('.params')).toHaveText('{"id":7,"stage":"WON"}')

  // the web events, each with one data object (spec B.3.3)
  const received = await page.evaluate(() => (window as any).mobileDemo.received)
  const moduleEvent = received.find((r: any) => r.event === 'onPull-application' && r.data.command === 'dealChanged')
  expect(moduleEvent.data).toEqual(expect.objectContaining({ module_id: 'application', command: 'dealChanged', params: { id: 7, stage: 'WON' } }))
  expect(moduleEvent.data.extra).toEqual(expect.objectContaining({ server_name: 'bx24-shim dev portal' }))
  const allEvent = received.find((r: any) => r.event === 'onPull' && r.data.command === 'dealChanged')
  expect(allEvent.data).toEqual(expect.objectContaining({ module_id: 'application', command: 'dealChanged', params: { id: 7, stage: 'WON' } }))

  // what the native bridge received: ('onPull-application', {command, params, extra}, true) and ('onPull', {module_id, …}, true)
  const nativeModule = await bridgeCalls(page, 'BXMobileApp.onCustomEvent', 'onPull-application')
  expect(nativeModule).toHaveLength(1)
  expect(nativeModule[0].args[1]).toEqual(expect.objectContaining({ command: 'dealChanged', params: { id: 7, stage: 'WON' } }))
  expect(nativeModule[0].args[1].module_id).toBeUndefined()
  expect(nativeModule[0].args[2]).toBe(true)
  const nativeAll = await bridgeCalls(page, 'BXMobileApp.onCustomEvent', 'onPull')
  expect(nativeAll).toHaveLength(1)
  expect(nativeAll[0].args[1]).toEqual(expect.objectContaining({ module_id: 'application', command: 'dealChanged' }))
  // and the bridge log shows those calls
  await expect(page.locator('.log-row[data-path="BXMobileApp.onCustomEvent"][data-event="onPull-application"]')).toHaveCount(1)
  await expect(page.locator('.log-row[data-path="BXMobileApp.onCustomEvent"][data-event="onPull"]')).toHaveCount(1)

  // the page publishes with its own user's token (REST pull.application.event.add), to the user's private channel
  await page.fill('#pub-command', 'taskDone')
  await page.fill('#pub-params', '{"task": 12}')
  await page.locator('.segmented span', { hasText: 'Only me' }).click()
  await page.click('#publish')
  const own = page.locator('.msg[data-command="taskDone"]')
  await expect(own.locator('.chip[data-state="received"]')).toHaveCount(4)
  expect(portal.portal.calls.some((c) => c.method === 'pull.application.event.add' && c.userId === 1 && c.status === 200)).toBe(true)
  expect(problems).toEqual([])
  await page.screenshot({ path: 'test-results/mobile-webview.png', fullPage: true })
})

test('PULL mobile mode: im messages are debounced into one BXMobileApp onPull-im {data: [...]}; bridge calls are tolerated and logged', async ({ page }) => {
  const problems = await openMobile(page)
  await page.click('#publish-im')
  const messages = page.locator('.msg[data-module="im"]')
  await expect(messages).toHaveCount(3)
  for (let i = 0; i < 3; i++) await expect(messages.nth(i).locator('.chip[data-state="received"]')).toHaveCount(4)
  // web: each message on its own; native: one batched onPull-im, three onPull
  const received = await page.evaluate(() => (window as any).mobileDemo.received.filter((r: any) => r.event === 'onPull-im').length)
  expect(received).toBe(3)
  const batches = await bridgeCalls(page, 'BXMobileApp.onCustomEvent', 'onPull-im')
  const items = batches.flatMap((b) => b.args[1].data)
  expect(items.map((item: any) => item.params.n)).toEqual([1, 2, 3])
  expect(batches.length).toBeLessThan(3) // batched (100 ms debounce; REST round trips may split it in two)
  expect((await bridgeCalls(page, 'BXMobileApp.onCustomEvent', 'onPull')).length).toBe(3)

  // tolerated calls: app.alert shows a native sheet, unknown members are no-ops, all are logged
  await page.evaluate(() => {
    const w = window as any
    w.app.alert({ title: 'Hello', text: 'from app.alert' })
    w.BXMobileApp.UI.Page.TopBar.title.setText('Renamed')
    w.BXMobileApp.UI.Something.notEmulated({ a: 1 })
    w.app.setPageTitle({ title: 'Page title' })
  })
  await expect(page.locator('#sheet')).toBeVisible()
  await expect(page.locator('#sheet-text')).toHaveText('from app.alert')
  await page.screenshot({ path: 'test-results/mobile-alert.png' })
  await page.locator('#sheet-buttons button').click()
  await expect(page.locator('#sheet')).toBeHidden()
  await expect(page.locator('#topbar-title')).toHaveText('Page title')
  await expect(page.locator('.log-row[data-path="BXMobileApp.UI.Something.notEmulated"] .log-note')).toHaveText('not emulated: ignored')
  await expect(page.locator('.log-row[data-path="app.alert"]')).toHaveCount(1)
  expect(problems).toEqual([])
})

test('the mobile page says it needs the dev portal when opened from a plain static server', async ({ page }) => {
  await page.goto('/demo/mobile/')
  await expect(page.locator('#fatal')).toBeVisible()
  await expect(page.locator('#fatal')).toContainText('npm start')
})
