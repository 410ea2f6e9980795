import { describe, expect, it } from 'vitest'
import { createMockPortal } from '../../src/portal/portal'
import { portalSession } from '../../src/portal/mock-session'
import { defaultSeed } from '../../src/portal/seed'

describe('portalSession for the in-memory BX24 transport', () => {
  it('initData is JSON-shaped (options []), its token works, refresh rotates tokens once per refresh token', async () => {
    const seed = defaultSeed()
    seed.installedFor = []
    const portal = createMockPortal({ seed })
    const session = portalSession(portal, { userId: 2, placement: 'left_menu' })
    const data = session.initData
    expect(data).toMatchObject({ AUTH_EXPIRES: '3600', IS_ADMIN: false, FIRST_RUN: true, USER_OPTIONS: [], APP_OPTIONS: [], PLACEMENT: 'LEFT_MENU' })
    expect(Array.isArray(data.USER_OPTIONS)).toBe(true)
    expect(session.handler).toBe(portal.handle)
    const call = (auth: unknown) => portal.handle({ method: 'user.current', body: `auth=${auth}`, contentType: 'application/x-www-form-urlencoded' })
    expect(JSON.parse((await call(data.AUTH_ID)).body).result.ID).toBe('2')
    portal.tokens.expire(String(data.AUTH_ID))
    expect((await call(data.AUTH_ID)).status).toBe(401)
    const next = session.refresh()!
    expect(next.AUTH_ID).not.toBe(data.AUTH_ID)
    expect((await call(next.AUTH_ID)).status).toBe(200)
    expect(portal.refreshAuth(String(data.REFRESH_ID))).toBeNull()
    expect(session.refresh()!.AUTH_ID).not.toBe(next.AUTH_ID)
  })
})
