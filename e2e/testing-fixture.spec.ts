// bx24-shim/testing's Playwright fixtures, used as an app's own tests would use them: the sample app of
// test/testing/app (which loads Bitrix's library from //api.bitrix24.com/api/v1/) hosted in the dev portal, in chromium.
import { expect, test as base } from '@playwright/test'
import { resolve } from 'node:path'
import type * as Testing from '../src/testing/index'
import { screenshotEachTest } from './screenshots'

// The built entry, as an app's tests get it from the package. Playwright compiles files outside node_modules to
// CommonJS, the built ES module included, so it is imported at run time here (as e2e/dev-portal.ts does) and its
// fixtures are passed through; an app's spec writes `base.extend<DevPortalFixtures>(devPortalFixtures({...}))`.
type DevPortalFixtures = Testing.DevPortalFixtures
const appDir = resolve(__dirname, '../test/testing/app')
const fixtures = (import(resolve(__dirname, '../dist/testing.mjs')) as Promise<typeof Testing>).then((built) => built.devPortalFixtures({ appDir }))
const test = base.extend<DevPortalFixtures>({
  devPortalOptions: [{ appDir }, { option: true }],
  devPortal: async ({ devPortalOptions }, use) => (await fixtures).devPortal({ devPortalOptions }, use),
  portalPage: async ({ page, devPortal, devPortalOptions }, use) => (await fixtures).portalPage({ page, devPortal, devPortalOptions }, use),
})
screenshotEachTest()

test('an app in the dev portal: Bitrix\'s script URL gets the shim, REST over the real frame protocol, pull from the push server', async ({ page, portalPage }) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  const app = page.frameLocator(portalPage.appFrameSelector)
  const user = portalPage.devPortal.portal.user(portalPage.devPortal.portal.defaultUserId)!
  await expect(app.locator('#user')).toHaveText(`${user.NAME} ${user.LAST_NAME}`)
  await expect(app.locator('#deal-count')).toHaveText('120')
  expect(portalPage.calls('crm.deal.list')).toHaveLength(3)
  // The app frame is on another site than the portal, as on a real portal (it opens by a form POST: no src to read).
  const frameOrigin = await app.locator('body').evaluate(() => location.origin)
  expect(new URL(frameOrigin).hostname).toBe('localhost')
  expect(new URL(page.url()).hostname).toBe('127.0.0.1')

  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
  await portalPage.publish({ command: 'dealMoved', params: { id: 7 } })
  await portalPage.publish({ moduleId: 'crm', command: 'dealUpdate', params: { id: 9 } })
  await expect(app.locator('#events li')).toHaveText(['app dealMoved {"id":7}', 'crm dealUpdate 9'])

  // selectUser opens the portal's picker; the app gets the chosen user.
  await app.locator('#pick-user').click()
  const second = portalPage.devPortal.portal.state.users[1]!
  await page.locator(`dialog#modal input[value="${second.ID}"]`).check()
  await page.locator('#picker-ok').click()
  await expect(app.locator('#picked')).toHaveText(`${second.NAME} ${second.LAST_NAME} (${second.ID})`)
  expect(problems).toEqual([])
})

test.describe('with options', () => {
  test.use({ devPortalOptions: { seed: { users: [{ ID: 1, NAME: 'Solo', LAST_NAME: 'Admin', ADMIN: true, ACTIVE: true }], crm: { deal: [] } } } })

  test('a seed from the test: one user, no deals', async ({ page, portalPage }) => {
    const app = page.frameLocator(portalPage.appFrameSelector)
    await expect(app.locator('#user')).toHaveText('Solo Admin')
    await expect(app.locator('#deal-count')).toHaveText('0')
  })
})
