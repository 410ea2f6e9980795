// @vitest-environment node
// The portal's `calls` and `deliveries` forget their oldest entries past a count and a body budget (issue 14: a
// long-running dev portal kept every 7 MB body it was sent until it ran out of memory).
import { describe, expect, it } from 'vitest'
import { createMockPortal } from '../../src/portal/portal'
import { createRecordedLog } from '../../src/portal/recorded-log'

const FORM = 'application/x-www-form-urlencoded'

describe('SEC-9 bounded call log', () => {
  it('SEC-9 7 MB bodies: the call log keeps what fits the default 32 Mi budget, newest last', async () => {
    const portal = createMockPortal()
    const { accessToken } = portal.issueAuth()
    const body = `auth=${accessToken}&blob=${'z'.repeat(7 * 1024 * 1024)}`
    for (let i = 0; i < 8; i++) await portal.handle({ method: 'user.current', body: `${body}&n=${i}`, contentType: FORM })
    expect(portal.calls.length).toBe(4)
    expect(portal.calls.map((c) => c.params.n)).toEqual(['4', '5', '6', '7'])
  })

  it('SEC-9 count limit, batch commands weigh nothing of their own, and an emptied list is counted again', async () => {
    const portal = createMockPortal({ recordLimits: { maxEntries: 5, maxBodyChars: 1000 } })
    const { accessToken } = portal.issueAuth()
    for (let i = 0; i < 12; i++) await portal.handle({ method: 'user.current', body: `auth=${accessToken}&n=${i}`, contentType: FORM })
    expect(portal.calls.map((c) => c.params.n)).toEqual(['7', '8', '9', '10', '11'])
    portal.calls.length = 0
    await portal.handle({ method: 'user.current', body: `auth=${accessToken}&pad=${'p'.repeat(600)}`, contentType: FORM })
    await portal.handle({ method: 'user.current', body: `auth=${accessToken}&pad=${'q'.repeat(600)}`, contentType: FORM })
    expect(portal.calls).toHaveLength(1)
  })

  it('SEC-9 the newest entry is kept even when it alone is over the budget', () => {
    const list: { n: number }[] = []
    const record = createRecordedLog(list, { maxEntries: 10, maxWeight: 100 })
    record({ n: 1 }, 50)
    record({ n: 2 }, 500)
    expect(list).toEqual([{ n: 2 }])
    record({ n: 3 }, 10)
    expect(list).toEqual([{ n: 3 }])
  })
})

describe('SEC-9 bounded token store', () => {
  it('SEC-9 past 10,000 grants the oldest are forgotten (expired ones first); new ones keep working', () => {
    const portal = createMockPortal()
    const first = portal.issueAuth()
    const grants = Array.from({ length: 10_050 }, () => portal.issueAuth())
    expect(portal.tokens.check(first.accessToken)).toEqual({ status: 'unknown' })
    expect(portal.refreshAuth(first.refreshToken)).toBeNull()
    const last = grants[grants.length - 1]!
    expect(portal.tokens.check(last.accessToken)).toEqual({ status: 'ok', userId: last.userId })
    expect(portal.tokens.check(grants[100]!.accessToken).status).toBe('ok')
  })
})
