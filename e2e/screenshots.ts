// Every browser test leaves a screenshot of its page under test-results/screens/, so a person can look at what each
// test saw (issue 6). Pages that were never opened are skipped.
import { test } from '@playwright/test'

export function screenshotEachTest(): void {
  test.afterEach(async ({ page }, info) => {
    if (page.isClosed() || page.url() === 'about:blank') return
    const name = info.title.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80)
    await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true }).catch(() => {})
  })
}
