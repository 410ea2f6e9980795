// The getInitData reply (spec §2.5), built from the portal's state for one user session.

import type { FramePortal } from './commands'
import type { Grant } from '../tokens'

export interface InitSession {
  userId: number
  grant: Grant
  firstRun: boolean
  domain: string
  protocol: 0 | 1
  lang: string
  placement: string
  placementOptions: unknown
}

/** PHP arrays through CUtil::PhpToJsObject: an empty one is `[]`, not `{}` [inferred]. */
function phpOptions(options: Record<string, unknown>): unknown {
  return Object.keys(options).length === 0 ? [] : { ...options }
}

/** The getInitData reply, JSON-ready (a type alias so it also fits Record<string, unknown>). */
export type InitDataReply = {
  LANG: string
  DOMAIN: string
  PROTOCOL: 0 | 1
  PATH: string
  AUTH_ID: string
  AUTH_EXPIRES: string
  REFRESH_ID: string
  MEMBER_ID: string
  FIRST_RUN: boolean
  IS_ADMIN: boolean
  INSTALL: boolean
  USER_OPTIONS: unknown
  APP_OPTIONS: unknown
  PLACEMENT: string
  PLACEMENT_OPTIONS: unknown
}

export function buildInitData(portal: FramePortal, s: InitSession): InitDataReply {
  const isAdmin = portal.isAdmin(s.userId)
  return {
    LANG: s.lang,
    DOMAIN: s.domain,
    PROTOCOL: s.protocol,
    PATH: portal.state.path,
    AUTH_ID: s.grant.accessToken,
    // Seconds, as a string: that is how the layout template renders it.
    AUTH_EXPIRES: String(s.grant.expiresIn),
    REFRESH_ID: s.grant.refreshToken,
    MEMBER_ID: portal.state.memberId,
    FIRST_RUN: s.firstRun,
    IS_ADMIN: isAdmin,
    // Install mode only for an admin opening an app that is not installed yet (component.php).
    INSTALL: !portal.state.app.installed && isAdmin,
    USER_OPTIONS: phpOptions(portal.userOptions(s.userId)),
    APP_OPTIONS: phpOptions(portal.state.appOptions),
    PLACEMENT: s.placement,
    PLACEMENT_OPTIONS: s.placementOptions,
  }
}
