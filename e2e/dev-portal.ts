// A dev portal per test file, on free ports, in the Playwright worker's process.
import { resolve } from 'node:path'
import type { DevPortal, DevPortalOptions } from '../src/dev/server'

export async function startTestPortal(options: DevPortalOptions = {}): Promise<DevPortal> {
  const built = (await import(resolve(__dirname, '../dist/node/dev-portal.mjs'))) as typeof import('../src/dev/node')
  return built.startDevPortal({ port: 0, root: resolve(__dirname, '..'), ...options })
}
