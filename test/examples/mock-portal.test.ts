// @vitest-environment node
// vitest's default environment, as in a new project that copies this example: no DOM.
// The README's "test your app against the mock portal" example, kept here so it is known to work.
// README: "Testing an app with vitest". Keep the two in step.
import { afterEach, expect, it } from 'vitest'
import { createBX24, mockTransport } from '../../src/index'
import { createMockPortal } from '../../src/portal/index'
import { portalSession } from '../../src/portal/mock-session'

// The app under test: plain BX24 code, as it runs in a portal.
function countBigDeals(BX24: any, min: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0
    BX24.callMethod('crm.deal.list', { filter: { '>OPPORTUNITY': min }, select: ['ID'] }, function onPage(result: any) {
      count += result.data().length
      if (result.more()) result.next()
      else resolve(count)
    })
  })
}

const portal = createMockPortal() // seeded: users, 120 deals, contacts, leads, companies
// portalSession: the portal's REST handler, real tokens for the default admin, and refreshAuth.
const BX24 = createBX24({ transport: mockTransport(portalSession(portal)) })
afterEach(() => BX24.shim.destroy())

it('counts deals over 5,000 across every page', async () => {
  await new Promise<void>((resolve) => BX24.init(() => resolve()))
  const expected = portal.records('crm.deal').filter((deal) => Number(deal.OPPORTUNITY) > 5000).length
  expect(expected).toBeGreaterThan(50) // more than one page, so next() is exercised
  expect(await countBigDeals(BX24, 5000)).toBe(expected)
  expect(portal.calls.filter((call) => call.method === 'crm.deal.list').length).toBe(Math.ceil(expected / 50))
})
