// portalSession(): everything BX24's mockTransport needs to run an app against this in-memory portal as one user,
// with real tokens (so REST calls authenticate and refreshAuth works) and the init data a portal page would render.
// Structural types only: the portal does not depend on the BX24 client.

import { buildInitData } from './frame/init-data'
import type { MockPortal } from './portal'
import type { RestHandler } from '../rest/contract'

export interface PortalSessionOptions {
  /** The user the app runs as. Default: portal.defaultUserId (the first admin). */
  userId?: number
  lang?: string
  placement?: string
  placementOptions?: unknown
}

export interface PortalSession {
  handler: RestHandler
  initData: Record<string, unknown>
  refresh(): { AUTH_ID: string; REFRESH_ID: string; AUTH_EXPIRES: number } | null
}

/** @example createBX24({ transport: mockTransport(portalSession(createMockPortal())) }) */
export function portalSession(portal: MockPortal, options: PortalSessionOptions = {}): PortalSession {
  const userId = options.userId ?? portal.defaultUserId
  let grant = portal.issueAuth(userId)
  const initData = buildInitData(portal, {
    userId,
    grant,
    firstRun: portal.isFirstRun(userId),
    domain: portal.state.domain,
    protocol: 1,
    lang: options.lang ?? portal.state.lang,
    placement: (options.placement ?? 'DEFAULT').toUpperCase(),
    placementOptions: options.placementOptions ?? {},
  })
  return {
    handler: portal.handle,
    initData,
    refresh() {
      const next = portal.refreshAuth(grant.refreshToken)
      if (!next) return null
      grant = next
      return { AUTH_ID: next.accessToken, REFRESH_ID: next.refreshToken, AUTH_EXPIRES: next.expiresIn }
    },
  }
}
