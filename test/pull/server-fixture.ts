// For tests against the local push server over real sockets: random channel ids, and one place that stops the
// server and the client a test started.
import { randomBytes } from 'node:crypto'
import { afterEach } from 'vitest'
import type { PullClient } from '../../src/pull'
import type { PushServer } from '../../src/push-server'

export const hex32 = (): string => randomBytes(16).toString('hex')

/** What a test started; destroyed and closed after each test. */
export function serverAndClient(): { server?: PushServer; client?: PullClient } {
  const started: { server?: PushServer; client?: PullClient } = {}
  afterEach(async () => {
    started.client?.destroy()
    started.client = undefined
    await started.server?.close()
    started.server = undefined
  })
  return started
}
