// Apps of our own, written the way real Bitrix24 apps are (they load BX24 from //api.bitrix24.com/api/v1/, which the
// browser here gets from our bundle), each run unmodified on the dev portal as it ships.
import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { DevPortal, DevPortalOptions } from '../src/dev/server'
import { startAppHost, type AppHost } from './apps/app-host'
import { startTestPortal } from './dev-portal'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()
// Each test starts its own dev portal and app frame; on a busy two-core machine that takes longer than the default.
test.describe.configure({ timeout: 90_000 })

const BUNDLE = resolve(__dirname, '../dist/bx24-shim.umd.min.js')

let host: AppHost
const portals: DevPortal[] = []
test.beforeAll(async () => {
  host = await startAppHost()
})
test.afterAll(async () => {
  await Promise.all(portals.map((p) => p.close()))
  await host?.close()
})

async function portalFor(path: string, options: DevPortalOptions = {}): Promise<DevPortal> {
  const portal = await startTestPortal({ appUrl: host.url(path), eventDelayMs: 20, ...options })
  portals.push(portal)
  return portal
}

/** Opens the portal page; BX24's own URL is served our bundle, as a real app's script tag would get the real one. */
async function openApp(page: Page, portal: DevPortal) {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.route(/^https?:\/\/api\.bitrix24\.com\/api\/v1\//, (route) => route.fulfill({ path: BUNDLE, contentType: 'text/javascript' }))
  await page.goto(`${portal.portalUrl}/demo/portal.html`)
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true')
  const app = page.frameLocator('#app-frame')
  await expect(app.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 15_000 })
  return { app, problems }
}

test('DEV-1 legacy task.item.list pages with positional ORDER/FILTER/PARAMS/SELECT; a filter needs an order', async ({ page }) => {
  const portal = await portalFor('/task-list.html')
  const { app, problems } = await openApp(page, portal)
  // 36 tasks at 10 a page: pages 1-4, the last one short.
  await expect(app.locator('#pages')).toHaveText('4')
  await expect(app.locator('#count')).toHaveText('36')
  await expect(app.locator('#total')).toHaveText('36')
  await expect(app.locator('#tasks li').first()).toHaveText('1 Call the client #1')
  const open = portal.portal.records('task').filter((t) => t.RESPONSIBLE_ID === '1' && t.STATUS !== '5').map((t) => t.ID)
  await expect(app.locator('#mine')).toHaveText(open.join(','))
  expect(open.length).toBeGreaterThan(0)
  expect(problems).toEqual([])
})

test('DEV-2 a keyed batch of crm.deal.fields + crm.deal.list (+ crm.status.list) fills a table with titles and stage names', async ({ page }) => {
  const portal = await portalFor('/fields-batch.html')
  const { app, problems } = await openApp(page, portal)
  await expect(app.locator('#head th')).toHaveText(['ID', 'Name', 'Deal stage', 'Amount'])
  await expect(app.locator('#head th').nth(2)).toHaveAttribute('data-type', 'crm_status')
  const big = portal.portal.records('crm.deal').filter((d) => Number(d.OPPORTUNITY) >= 20000)
  await expect(app.locator('#summary')).toHaveText(`${Math.min(big.length, 50)} of ${big.length}`)
  const firstStage = await app.locator('#rows tr').first().locator('td').nth(2).textContent()
  expect(['New', 'Preparing documents', 'Prepayment invoice', 'In progress', 'Final invoice', 'Deal won', 'Deal lost']).toContain(firstStage)
  // The batch went out as one request: one REST log row for three methods.
  expect(portal.portal.calls.filter((c) => c.inBatch).map((c) => c.method)).toEqual(['crm.deal.fields', 'crm.deal.list', 'crm.status.list'])
  expect(problems).toEqual([])
})

test('DEV-3 a filter with JavaScript Date bounds selects the deals created in a month', async ({ page }) => {
  const portal = await portalFor('/date-filter.html')
  const { app, problems } = await openApp(page, portal)
  const february = portal.portal.records('crm.deal')
    .filter((d) => String(d.DATE_CREATE) >= '2025-02-01' && String(d.DATE_CREATE) < '2025-03-01')
    .map((d) => d.ID)
  expect(february.length).toBe(9)
  await expect(app.locator('#count')).toHaveText('9')
  await expect(app.locator('#ids')).toHaveText(february.join(','))
  expect(problems).toEqual([])
})

test('DEV-4 a TASK_VIEW_SIDEBAR widget reads placement.info().options.taskId and loads that task', async ({ page }) => {
  const portal = await portalFor('/task-sidebar.html', { placement: 'TASK_VIEW_SIDEBAR', placementOptions: { taskId: '5' } })
  const { app, problems } = await openApp(page, portal)
  await expect(app.locator('#placement')).toHaveText('TASK_VIEW_SIDEBAR')
  await expect(app.locator('#task-id')).toHaveText('5')
  await expect(app.locator('#task-title')).toHaveText(String(portal.portal.records('task')[4]!.TITLE))
  await expect(app.locator('#responsible')).toHaveText(String(portal.portal.records('task')[4]!.RESPONSIBLE_ID))
  // The launch POST carried the placement and its options as a JSON string, as the portal posts them.
  const launch = host.launches.filter((l) => l.path === '/task-sidebar.html').at(-1)!
  expect(launch.body.get('PLACEMENT')).toBe('TASK_VIEW_SIDEBAR')
  expect(JSON.parse(launch.body.get('PLACEMENT_OPTIONS')!)).toEqual({ taskId: '5' })
  // Another task from the page's own controls: the app follows the options it is opened with.
  await page.locator('#placement-options').fill('{"taskId":"9"}')
  await page.locator('#placement-options').press('Enter')
  // A new frame loads: as long as the first one may take on a busy machine.
  await expect(page.frameLocator('#app-frame').locator('#task-id')).toHaveText('9', { timeout: 15_000 })
  await expect(page.frameLocator('#app-frame').locator('#task-title')).toHaveText(String(portal.portal.records('task')[8]!.TITLE), { timeout: 15_000 })
  expect(problems).toEqual([])
})

test('DEV-5 a server-rendered app reads the POSTed AUTH_ID and calls REST with it; BX24 gets the same session', async ({ page }) => {
  const portal = await portalFor('/server-app')
  const { app, problems } = await openApp(page, portal)
  await expect(app.locator('#user')).toHaveText('Anna Ivanova')
  await expect(app.locator('#member')).toHaveText(portal.portal.state.memberId)
  await expect(app.locator('#placement')).toHaveText('DEFAULT')
  await expect(app.locator('#status')).toHaveText('L')
  await expect(app.locator('#expires')).toHaveText('3600')
  await expect(app.locator('#refresh')).toHaveText('yes')
  await expect(app.locator('#lang')).toHaveText('en')
  await expect(app.locator('#same')).toHaveText('true')
  // The live log names the command a reply answers, not its callback id.
  await expect(page.locator('.log-row.message-out', { hasText: 'getInitData ← reply' })).toHaveCount(1)
  const launch = host.launches.filter((l) => l.path === '/server-app').at(-1)!
  expect(launch.query.get('DOMAIN')).toBe(new URL(portal.portalUrl).host)
  expect(launch.query.get('APP_SID')).toMatch(/^[0-9a-f]{32}$/)
  expect(launch.body.get('AUTH_ID')).toMatch(/\S{10,}/)
  expect(problems).toEqual([])
})

test('DEV-6 a handler bound with BX24.callBind receives ONCRMDEALUPDATE as a form POST; the live log shows the delivery', async ({ page }) => {
  const handler = host.url('/handler')
  const portal = await portalFor(`/event-handler.html?handler=${encodeURIComponent(handler)}`)
  const before = host.events.length
  const { app, problems } = await openApp(page, portal)
  await expect(app.locator('#bound')).toHaveText('true')
  await expect(app.locator('#updated')).toHaveText('true')
  await expect.poll(() => host.events.length).toBeGreaterThan(before)
  const event = host.events.at(-1)!
  expect(event.body.get('event')).toBe('ONCRMDEALUPDATE')
  expect(event.body.get('data[FIELDS][ID]')).toBe('7')
  expect(event.body.get('auth[application_token]')).toBe(portal.portal.state.app.applicationToken)
  expect(event.body.get('auth[member_id]')).toBe(portal.portal.state.memberId)
  expect(event.body.get('auth[access_token]')).toMatch(/\S{10,}/)
  expect(Number(event.body.get('ts'))).toBeGreaterThan(1_700_000_000)
  // The live log has the delivery: URL, status, time.
  await expect(page.locator('.log-row.event').first()).toContainText(`ONCRMDEALUPDATE → POST ${handler} · 200`)
  // The page's trigger control sends it again.
  await page.locator('#trigger-event').fill('ONCRMDEALUPDATE')
  await page.locator('#trigger').click()
  await expect.poll(() => host.events.length).toBeGreaterThan(before + 1)
  await expect(page.locator('.log-row.info').first()).toContainText('ONCRMDEALUPDATE triggered 1×')
  expect(problems).toEqual([])
})
