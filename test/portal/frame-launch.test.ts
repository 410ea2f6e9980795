import { describe, expect, it } from 'vitest'
import { createAppSid, frameName, handlerUrl, postFields } from '../../src/portal/frame/launch'
import { createMockPortal } from '../../src/portal/portal'

describe('opening an app like the portal does (spec §1.1-1.3)', () => {
  it('the frame name is host|protocol|APP_SID with a fresh 32-hex APP_SID', () => {
    const a = createAppSid()
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(createAppSid()).not.toBe(a)
    expect(frameName('portal.test:8080', false, a)).toBe(`portal.test:8080|0|${a}`)
    expect(frameName('portal.test', true, a)).toBe(`portal.test|1|${a}`)
  })

  it('the handler URL gets DOMAIN, PROTOCOL, LANG and APP_SID with ? or & as needed, before any fragment', () => {
    const o = { domain: 'portal.test:8080', https: true, lang: 'de', appSid: 'abc' }
    expect(handlerUrl('https://app.test/index.php', o)).toBe('https://app.test/index.php?DOMAIN=portal.test%3A8080&PROTOCOL=1&LANG=de&APP_SID=abc')
    expect(handlerUrl('https://app.test/?x=1#top', o)).toBe('https://app.test/?x=1&DOMAIN=portal.test%3A8080&PROTOCOL=1&LANG=de&APP_SID=abc#top')
  })

  it('the POST fields carry the session tokens; PLACEMENT_OPTIONS is JSON and only when non-empty', () => {
    const portal = createMockPortal()
    const grant = portal.issueAuth()
    const fields = postFields({ grant, memberId: portal.state.memberId, status: 'L', placement: 'crm_deal_detail_tab', placementOptions: { ID: '7' }, applicationToken: 't', scope: ['crm', 'user'] })
    expect(fields).toEqual({
      AUTH_ID: grant.accessToken, AUTH_EXPIRES: '3600', REFRESH_ID: grant.refreshToken, member_id: portal.state.memberId, status: 'L',
      PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: '{"ID":"7"}', SERVER_ENDPOINT: 'https://oauth.bitrix.info/rest/',
      APPLICATION_TOKEN: 't', APPLICATION_SCOPE: 'crm,user',
    })
    expect(postFields({ grant, memberId: 'm', status: 'F', placementOptions: {} })).not.toHaveProperty('PLACEMENT_OPTIONS')
  })
})
