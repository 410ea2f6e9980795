import { expect, test, type Page } from '@playwright/test'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()

// Console errors and CSP reports of a page: a bundle that used eval or inline script would show up here.
function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  return problems
}

test('the UMD bundle runs under a strict CSP and drives the bus (BXE-1, BXE-5, BXE-6)', async ({ page }) => {
  const problems = watch(page)
  await page.addInitScript(() => {
    const seen: string[] = ((window as any).__cspViolations = [])
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  const response = await page.goto('/demo/bus.html')
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await expect(page.locator('#status')).toHaveText('BX and BX24 ready')

  // Loading the bundle and the page script caused no violation...
  expect(await page.evaluate(() => (window as any).__cspViolations)).toEqual([])
  // ...and the policy is really in force: an inline script is refused and reported.
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.__inlineRan = true'
    document.head.appendChild(script)
    return (window as any).__inlineRan === true
  })
  expect(inlineRan).toBe(false)
  await expect.poll(() => page.evaluate(() => (window as any).__cspViolations.length)).toBe(1)

  await page.fill('#name', 'ONDEMOEVENT')
  await page.fill('#params', '["a", {"n": 2}]')
  await page.click('#fire')
  await expect(page.locator('#log li').first()).toContainText('onDemoEvent ← ["a",{"n":2}]')

  const order = await page.evaluate(() => {
    const seen: string[] = []
    const target = {}
    BX.addCustomEvent('onOrder', () => seen.push('global 1'))
    BX.addCustomEvent(target, 'onOrder', () => seen.push('object'))
    BX.addCustomEvent(window, 'onOrder', () => seen.push('global 2'))
    BX.onCustomEvent(target, 'onorder', [])
    return seen
  })
  expect(order).toEqual(['global 1', 'object', 'global 2'])
  // The only console error is the deliberate inline-script refusal above.
  expect(problems.filter((p) => !p.includes('inline script'))).toEqual([])
})

test('BXE-22 onGlobalCustomEvent crosses tabs of one origin, both ways with the Bitrix core storage format', async ({ context }) => {
  const first = await context.newPage()
  const second = await context.newPage()
  await first.goto('/demo/bus.html')
  await second.goto('/demo/bus.html')
  await expect(second.locator('#status')).toHaveText('BX and BX24 ready')

  // Shim tab -> shim tab, through the page's own button.
  await first.fill('#name', 'onCrossTab')
  await first.fill('#params', '[{"chatId": 7}]')
  await first.click('#fire-global')
  await expect(second.locator('#log li').first()).toContainText('onCrossTab ← [{"chatId":7}]')
  // ...and it fired in the sending tab too (skipSelf not set).
  await expect(first.locator('#log li').first()).toContainText('onCrossTab ← [{"chatId":7}]')

  // What the shim wrote is what Bitrix's core_ls.js writes: key bx<USER_ID>-<SITE_ID>-BXGCE, value "<expiry>:<json>".
  const stored = await first.evaluate(() => localStorage.getItem('bx1-s1-BXGCE'))
  expect(stored).toMatch(/^\d{10}:\{"e":"onCrossTab","p":\[\{"chatId":7\}\]\}$/)
  const expiry = Number(stored!.slice(0, 10))
  expect(Math.abs(expiry - (Math.round(Date.now() / 1000) + 1))).toBeLessThanOrEqual(2)

  // A tab running Bitrix's real core writes the same key the same way (core_ls.js set(), TTL 1 s); the shim tab hears it.
  await first.evaluate(() => {
    const value = Math.round(Date.now() / 1000) + 1 + ':' + JSON.stringify({ e: 'onCrossTab', p: [{ from: 'core' }] })
    localStorage.setItem('bx1-s1-BXGCE', value)
  })
  await expect(second.locator('#log li').first()).toContainText('onCrossTab ← [{"from":"core"}]')
})
