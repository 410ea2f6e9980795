// @vitest-environment node
// runApp needs no DOM environment around it: each app gets its own happy-dom window, so a test file in vitest's
// plain `node` environment (no window, no document) runs apps as well.
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { runApp } from '../../src/testing/index'

it('runs the sample app in the node environment', async () => {
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
  const app = await runApp({ dir: resolve(__dirname, 'app') })
  try {
    await app.until(() => app.document.getElementById('deal-count')?.textContent === '120')
    await app.waitForPull()
    app.publish({ command: 'hello', params: { from: 'node' } })
    expect(app.document.querySelector('#events li')?.textContent).toBe('app hello {"from":"node"}')
  } finally {
    await app.close()
  }
})
