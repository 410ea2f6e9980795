import { expect, test } from '@playwright/test'
import type { DevPortal } from '../src/dev/server'
import { startTestPortal } from './dev-portal'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()

let portal: DevPortal
test.beforeAll(async () => {
  portal = await startTestPortal({ protocol: 'text', signatureKey: 'e2e-signature-key' })
})
test.afterAll(async () => {
  await portal?.close()
})

/** Another client of the portal: publishes through REST with an app token (a webhook gets WRONG_AUTH_TYPE, as on Bitrix). */
async function publish(command: string, params: Record<string, unknown>): Promise<void> {
  const auth = portal.portal.issueAuth().accessToken
  const response = await fetch(`${portal.portalUrl}/rest/pull.application.event.add.json`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ COMMAND: command, PARAMS: params, auth }),
  })
  expect(await response.json()).toEqual(expect.objectContaining({ result: true }))
}

test('PULL-24 an iframe app in restApplication mode gets onPullEvent-<module> and subscribe(); a server restart loses and duplicates nothing', async ({ page }) => {
  test.setTimeout(90_000)
  await page.goto(`${portal.portalUrl}/demo/portal.html`)
  const app = page.frameLocator('#app-frame')
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
  const appFrame = page.frames().find((f) => f.url().includes('/demo/app/'))!
  const counts = () => appFrame.evaluate(() => ({ bx: (window as any).demoApp.events ?? 0, subscribe: (window as any).demoApp.subscribed ?? 0 }))

  await publish('first', { n: 1 })
  await expect(app.locator('#pull-events li')).toHaveCount(1)
  await expect(app.locator('#pull-events li').first()).toHaveText('first {"n":1}')
  expect(await counts()).toEqual({ bx: 1, subscribe: 1 })
  await expect(page.locator('#count-pull')).toHaveText('1')

  // Mid-stream: two more, the server restarts (server_restart, then the connections drop), three are published while
  // the app is away (the client waits 15 s after server_restart, as Bitrix's does), then two after it is back.
  await publish('second', { n: 2 })
  await publish('third', { n: 3 })
  await expect(app.locator('#pull-events li')).toHaveCount(3)
  await page.click('[data-fault="restart"]')
  await expect(app.locator('#pull-status')).not.toHaveText('pull: online', { timeout: 10_000 })
  for (const n of [4, 5, 6]) await publish(`while-away-${n}`, { n })
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 30_000 })
  for (const n of [7, 8]) await publish(`after-${n}`, { n })
  await expect(app.locator('#pull-events li')).toHaveCount(8, { timeout: 10_000 })
  const received = await app.locator('#pull-events li').allTextContents()
  expect(received.map((text) => JSON.parse(text.slice(text.indexOf(' ') + 1)).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  expect(await counts()).toEqual({ bx: 8, subscribe: 8 })
  await page.screenshot({ path: 'test-results/portal-pull.png', fullPage: true })
})

test('PULL-28 PULL-32 injected faults: a duplicate and a malformed frame are skipped, dropped connections and an expired channel recover, each later event arrives once', async ({ page }) => {
  test.setTimeout(90_000)
  await page.goto(`${portal.portalUrl}/demo/portal.html`)
  const app = page.frameLocator('#app-frame')
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
  const events = app.locator('#pull-events li')

  await publish('one', { n: 1 })
  await expect(events).toHaveCount(1)
  await page.click('[data-fault="duplicate"]') // the same mid again: the client's dedupe hides it
  await page.click('[data-fault="malformed"]') // an undecodable frame: logged and skipped
  await publish('two', { n: 2 })
  await expect(events).toHaveCount(2)

  await page.click('[data-fault="drop"]') // connections cut: reconnect after the first backoff step (0.5-0.6 s)
  await publish('three', { n: 3 }) // stored while the app reconnects, delivered on resume with mid
  await expect(events).toHaveCount(3, { timeout: 15_000 })
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })

  // channel_expire (get_config): the client reloads its config and reconnects. The log replays the portal's recent
  // history to a new page, so count the reloads from here.
  const configLoads = page.locator('.log-row.rest .log-title', { hasText: 'pull.application.config.get' })
  const before = await configLoads.count()
  await page.click('[data-fault="expire"]')
  await expect(configLoads).toHaveCount(before + 1, { timeout: 15_000 })
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
  await publish('four', { n: 4 })
  await expect(events).toHaveCount(4, { timeout: 15_000 })
  await page.waitForTimeout(1000) // nothing else trickles in
  const received = await events.allTextContents()
  expect(received.map((text) => JSON.parse(text.slice(text.indexOf(' ') + 1)).n)).toEqual([1, 2, 3, 4])
})

for (const protocol of ['protobuf', 'json-rpc'] as const) {
  test(`PULL-35 PULL-36 the iframe app receives pull events from a ${protocol} push server`, async ({ page }) => {
    const other = await startTestPortal({ protocol, signatureKey: 'e2e-signature-key' })
    try {
      await page.goto(`${other.portalUrl}/demo/portal.html`)
      await expect(page.locator('#protocol')).toHaveText(`push: ${protocol}`)
      const app = page.frameLocator('#app-frame')
      await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
      const auth = other.portal.issueAuth().accessToken
      const response = await fetch(`${other.portalUrl}/rest/pull.application.event.add.json`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ COMMAND: 'hello', PARAMS: { via: protocol }, auth }),
      })
      expect((await response.json()).result).toBe(true)
      await expect(app.locator('#pull-events li')).toHaveText([`hello {"via":"${protocol}"}`])
    } finally {
      await other.close()
    }
  })
}
