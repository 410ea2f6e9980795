// What an app page can observe of BX24 in a real browser (issue 11, points 1 and 2), with the minified UMD bundle:
// BX24-60 the console shows results as `ajaxResult`, and their constructors keep their names;
// BX24-61 an exception thrown in an app callback reaches window.onerror, and we print nothing of our own;
// BX24-62 a failing call nobody reads raises no unhandledrejection and no "Uncaught (in promise)";
// BX24-63 a page whose small core defined BX as a function keeps it (BX.namespace works) and gets the bus.
import { expect, test, type Page } from '@playwright/test'
import { screenshotEachTest } from './screenshots'

screenshotEachTest()

const pageWith = (smallCore: boolean) => `<!doctype html>
<html><head><meta charset="utf-8"><title>BX24 observable</title></head>
<body><h1>BX24 observable behaviour</h1><pre id="out"></pre>
<script>
  window.caught = []
  window.rejections = []
  window.onerror = function (message, source, line, column, error) { caught.push(error ? error.message : String(message)) }
  window.addEventListener('unhandledrejection', function (event) { rejections.push(String(event.reason)) })
</script>
${smallCore ? `<script>
  // A small Bitrix core loaded before us: BX is a function with BX.namespace and no event bus.
  window.BX = function BX(node) { return 'node:' + node }
  window.BX.namespace = function (name) { return 'ns:' + name }
</script>` : ''}
<script src="/dist/bx24-shim.umd.min.js" data-bx24-transport="mock"></script>
</body></html>`

async function openPage(page: Page, smallCore = false) {
  const messages: Array<{ type: string; text: string }> = []
  const pageErrors: string[] = []
  page.on('console', (message) => messages.push({ type: message.type(), text: message.text() }))
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.route('**/bx24-observable.html', (route) => route.fulfill({ contentType: 'text/html', body: pageWith(smallCore) }))
  await page.goto('/bx24-observable.html')
  await page.waitForFunction(() => typeof (window as any).BX24 === 'object')
  return { messages, pageErrors }
}

test('BX24-63 a page whose small core defined BX as a function keeps it: BX.namespace works, the bus is added', async ({ page }) => {
  await openPage(page, true)
  expect(await page.evaluate(() => {
    const BX = (window as any).BX
    const seen: unknown[] = []
    BX.addCustomEvent('onAppEvent', (value: unknown) => seen.push(value))
    BX.onCustomEvent('onAppEvent', ['hi'])
    return [BX('a'), BX.namespace('BX.App'), seen, typeof BX.Event.EventEmitter]
  })).toEqual(['node:a', 'ns:BX.App', ['hi'], 'function'])
})

test('BX24-60 the console labels results ajaxResult and their errors ajaxError (minified bundle)', async ({ page }) => {
  const { messages } = await openPage(page)
  const names = await page.evaluate(() => new Promise<string[]>((resolve) => {
    const BX24 = (window as any).BX24
    BX24.callMethod('no.such.method', {}, (result: any) => {
      console.log(result)
      console.log(result.error())
      resolve([result.constructor.name, result.error().constructor.name])
    })
  }))
  expect(names).toEqual(['ajaxResult', 'ajaxError'])
  await expect.poll(() => messages.filter((m) => m.type === 'log').map((m) => m.text)).toEqual(['ajaxResult', 'ajaxError'])
})

test('BX24-61 exceptions in app callbacks reach window.onerror; BX24 prints nothing of its own', async ({ page }) => {
  const { messages, pageErrors } = await openPage(page)
  await page.evaluate(() => {
    const BX24 = (window as any).BX24
    BX24.callMethod('user.current', {}, () => { throw new Error('bug in a REST callback') })
    BX24.init(() => { throw new Error('bug in an init callback') })
  })
  await expect.poll(() => page.evaluate(() => (window as any).caught.slice().sort())).toEqual(['bug in a REST callback', 'bug in an init callback'])
  expect(pageErrors.sort()).toEqual(['bug in a REST callback', 'bug in an init callback'])
  expect(messages.map((m) => m.text).join('\n')).not.toContain('BX24: an app callback threw')
})

test('BX24-62 failing calls nobody reads raise no unhandledrejection and no "Uncaught (in promise)"', async ({ page }) => {
  const { messages } = await openPage(page)
  await page.evaluate(() => new Promise<void>((resolve) => {
    const BX24 = (window as any).BX24
    BX24.callMethod('tasks.task.add', { fields: { TITLE: 'fire and forget' } })
    BX24.callMethod('crm.deal.add', { fields: { TITLE: 'again' } })
    // Answers come in order: once a later call is answered, so were those two. Rejections are reported when the task
    // that settled them ends, so two more tasks later any would have arrived.
    BX24.callMethod('user.current', {}, () => setTimeout(() => setTimeout(resolve)))
  }))
  expect(await page.evaluate(() => (window as any).rejections)).toEqual([])
  expect(messages.map((m) => m.text).join('\n')).not.toContain('Uncaught (in promise)')
})
