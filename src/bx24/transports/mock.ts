// mockTransport: an in-memory portal for unit tests and demos. REST goes to a RestHandler (src/rest/contract.ts) in
// wire form, so the mock exercises the real body encoding; UI commands go to a host adapter.

import type { RestHandler } from '../../rest/contract'
import { escape } from '../encode-params'
import type { BX24Transport, HostAdapter, InitData, Logger, RefreshData } from '../types'
import { FORM } from './http'
import { syntheticParent } from './synthetic-parent'

export interface MockTransportOptions {
  /** The portal's REST side. Default: every method answers 404 ERROR_METHOD_NOT_FOUND. */
  handler?: RestHandler
  /** Overrides for the synthesised getInitData reply (FIRST_RUN, INSTALL, IS_ADMIN, AUTH_EXPIRES, …). */
  initData?: InitData
  /**
   * Tokens handed out by refreshAuth. Null means "none": the calls waiting on the refresh fail at once with
   * expired_token (a real parent stays silent; BX24 then fails them after its refresh timeout). A promise that never
   * settles plays that silent parent. Default: fresh mock tokens.
   */
  refresh?: () => RefreshData | null | Promise<RefreshData | null>
  host?: HostAdapter
  log?: Logger
}

export const MOCK_DOMAIN = 'mock.bitrix24.test'

const notFound: RestHandler = async () => ({
  status: 404,
  body: JSON.stringify({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' }),
})

/**
 * @example
 * createBX24({ transport: mockTransport({ handler: portal.handle, initData: { IS_ADMIN: false } }) })
 */
export function mockTransport(options: MockTransportOptions = {}): BX24Transport {
  const handler = options.handler ?? notFound
  const data: InitData = {
    LANG: 'en', DOMAIN: MOCK_DOMAIN, PROTOCOL: 1, PATH: '/rest', AUTH_ID: 'mock-access-token', AUTH_EXPIRES: '3600',
    REFRESH_ID: 'mock-refresh-token', MEMBER_ID: 'mock-member-id', FIRST_RUN: false, IS_ADMIN: true, INSTALL: false,
    USER_OPTIONS: [], APP_OPTIONS: [], PLACEMENT: 'DEFAULT', PLACEMENT_OPTIONS: {},
    ...options.initData,
  }
  const domain = typeof data.DOMAIN === 'string' && data.DOMAIN ? data.DOMAIN : MOCK_DOMAIN
  let generation = 0
  const refresh = options.refresh ?? (() => ({ AUTH_ID: `mock-access-token-${++generation}`, REFRESH_ID: `mock-refresh-token-${generation}`, AUTH_EXPIRES: 3600 }))
  const isAdmin = !!data.IS_ADMIN

  return syntheticParent({
    kind: 'mock',
    domain,
    protocol: 1,
    initData: () => data,
    refresh,
    async rest(call) {
      const response = await handler({ method: call.method, body: 'auth=' + escape(call.auth) + call.tail, contentType: FORM })
      return { status: response.status, text: response.body }
    },
    host: options.host,
    commands: {
      // As the real parent: setUserOption is echoed; setAppOption answers admins only.
      setUserOption: (params, reply) => reply(params),
      setAppOption: (params, reply) => {
        if (isAdmin) reply(params)
      },
    },
    log: options.log,
  })
}
