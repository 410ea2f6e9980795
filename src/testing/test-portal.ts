// createTestPortal(): a mock portal (src/portal) from fixtures, with Push & Pull (an in-memory hub behind the
// portal's own pull.application.* methods), a record of the REST calls that can be awaited, and sessions for BX24's
// mock transport.

import { readFileSync } from 'node:fs'
import { createPullMethods } from '../dev/pull-methods'
import { createMockPortal, type MockPortal, type MockPortalOptions, type RecordedCall } from '../portal/portal'
import { portalSession, type PortalSession, type PortalSessionOptions } from '../portal/mock-session'
import type { PortalSeed } from '../portal/seed'
import type { RestHandler } from '../rest/contract'
import { createPullHub, type PublishedPullMessage, type PullHub } from './pull-hub'

export interface TestPortalOptions extends Omit<MockPortalOptions, 'seed'> {
  /**
   * The portal's contents (docs/portal.md, "Seed format"): a seed object, or the path of a JSON file holding one.
   * Default: the built-in seed (6 users, 120 deals, ...).
   */
  seed?: PortalSeed | string
}

/** A pull message as a portal module or an app backend publishes it. */
export interface TestPullMessage {
  /** Default `'application'` (what `pull.application.event.add` sends); `'im'`, `'crm'`, `'online'`, ... as portal modules do. */
  moduleId?: string
  command: string
  params?: Record<string, unknown>
  /** Only this user's private channel; default: every client of the app (the shared channel). */
  userId?: number
}

export interface WaitOptions {
  /** Milliseconds before the promise rejects (default 5000). */
  timeout?: number
}

export interface TestPortal {
  readonly portal: MockPortal
  readonly pull: PullHub
  /** The portal's REST handler; calls through it wake waitForCall(). */
  readonly handle: RestHandler
  /** What BX24's mock transport needs to run as a user of this portal (`mockTransport(testPortal.session())`). */
  session(options?: PortalSessionOptions): PortalSession
  /** REST calls made so far (batch commands included, flagged `inBatch`), optionally of one method. */
  calls(method?: string): RecordedCall[]
  /** The first call of `method` (matching `match`) made from now on or already recorded. */
  waitForCall(method: string, match?: (call: RecordedCall) => boolean, options?: WaitOptions): Promise<RecordedCall>
  /** Publishes through the portal's pull routing: the app's shared channel, or one user's channel. */
  publish(message: TestPullMessage): PublishedPullMessage
}

/** A seed from a JSON file (the format of docs/portal.md). */
export function seedFromFile(path: string): PortalSeed {
  const text = readFileSync(path, 'utf8')
  try {
    return JSON.parse(text) as PortalSeed
  } catch (error) {
    throw new Error(`${path} is not a JSON seed: ${(error as Error).message}`)
  }
}

/**
 * @example
 * const test = createTestPortal({ seed: 'test/fixtures/portal.json' })
 * const BX24 = createBX24({ transport: mockTransport(test.session()) })
 * await test.waitForCall('crm.deal.add')
 */
export function createTestPortal(options: TestPortalOptions = {}): TestPortal {
  const seed = typeof options.seed === 'string' ? seedFromFile(options.seed) : options.seed
  const pull = createPullHub()
  const pullMethods = createPullMethods(pull.backend)
  const portal = createMockPortal({ ...options, seed, extraMethods: { ...pullMethods.methods, ...options.extraMethods } })
  const listeners = new Set<() => void>()

  const handle: RestHandler = async (request) => {
    const response = await portal.handle(request)
    for (const listener of [...listeners]) listener()
    return response
  }

  function calls(method?: string): RecordedCall[] {
    const name = method?.toLowerCase()
    return name === undefined ? [...portal.calls] : portal.calls.filter((call) => call.method === name)
  }

  function waitForCall(method: string, match: (call: RecordedCall) => boolean = () => true, wait: WaitOptions = {}): Promise<RecordedCall> {
    const find = () => calls(method).find(match)
    const found = find()
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const call = find()
        if (!call) return
        listeners.delete(check)
        clearTimeout(timer)
        resolve(call)
      }
      const timer = setTimeout(() => {
        listeners.delete(check)
        const seen = portal.calls.map((call) => call.method).join(', ') || 'none'
        reject(new Error(`no ${method} call within ${wait.timeout ?? 5000} ms (calls so far: ${seen})`))
      }, wait.timeout ?? 5000)
      listeners.add(check)
    })
  }

  return {
    portal,
    pull,
    handle,
    session(sessionOptions) {
      return { ...portalSession(portal, sessionOptions), handler: handle }
    },
    calls,
    waitForCall,
    publish(message) {
      const ctx = { state: portal.state, params: {}, userId: portal.defaultUserId, isAdmin: true, now: portal.clock.now() }
      const mid = pullMethods.publishEvent(ctx, message)
      const record = pull.published.find((item) => item.mid === mid)
      if (!record) throw new Error('the pull message was not published')
      return record
    },
  }
}
