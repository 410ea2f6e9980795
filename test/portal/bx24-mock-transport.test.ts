// The seam in use: the project's own BX24 client, on its mock transport, against this portal through RestHandler.
import { afterEach, describe, expect, it } from 'vitest'
import { createBX24, mockTransport } from '../../src/index'
import { createMockPortal } from '../../src/portal/portal'
import { portalSession } from '../../src/portal/mock-session'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))

function start() {
  const portal = createMockPortal()
  const session = portalSession(portal)
  const BX24 = createBX24({ transport: mockTransport(session) }) as any
  cleanups.push(() => BX24.shim.destroy())
  return { portal, session, BX24 }
}

const call = (BX24: any, method: string, params: unknown) =>
  new Promise<any>((resolve) => BX24.callMethod(method, params, resolve))

describe('BX24 mock transport → portal', () => {
  it('pages through crm.deal.list with next() over the form body BX24 encodes', async () => {
    const { portal, BX24 } = start()
    await new Promise((r) => BX24.init(r))
    const first = await call(BX24, 'crm.deal.list', { filter: { '>=ID': 21 }, select: ['ID'], order: { ID: 'ASC' } })
    expect([first.data().length, first.total(), first.more()]).toEqual([50, 100, true])
    const second = await new Promise<any>((resolve) => first.next(resolve))
    expect(second.data()[0].ID).toBe('71')
    expect(portal.calls.map((c) => c.method)).toEqual(['crm.deal.list', 'crm.deal.list'])
  })

  it('BX24-31 an expired token is refreshed through the session and the call retried', async () => {
    const { portal, session, BX24 } = start()
    await new Promise((r) => BX24.init(r))
    portal.tokens.expire(String(session.initData.AUTH_ID))
    const res = await call(BX24, 'user.current', {})
    expect(res.data().ID).toBe('1')
    expect(portal.calls.map((c) => c.error ?? c.status)).toEqual(['expired_token', 200])
  })

  it('callBatch with a $result reference', async () => {
    const { BX24 } = start()
    await new Promise((r) => BX24.init(r))
    const res = await new Promise<any>((resolve) =>
      BX24.callBatch({ me: ['user.current', {}], dep: ['department.get', { ID: '$result[me][UF_DEPARTMENT]' }] }, resolve))
    expect(res.dep.data().map((d: any) => d.NAME)).toEqual(['Dev Portal Ltd'])
  })
})
