import { defineConfig } from '@playwright/test'

// Debian's chromium: Playwright cannot download its own browsers here (see shared/notes/toolchain.md).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// The static server's port: E2E_PORT lets two checkouts run their browser tests side by side.
const STATIC_PORT = Number(process.env.E2E_PORT ?? 4173)
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
]

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${STATIC_PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  // The static pages (bus playground, static demo) come from this server; tests of the dev portal start their own
  // portal on free ports (e2e/dev-portal.ts).
  webServer: [
    { command: `node demo/static-server.mjs ${STATIC_PORT}`, url: `http://127.0.0.1:${STATIC_PORT}/demo/`, reuseExistingServer: !process.env.CI, timeout: 15_000 },
  ],
})
