// app.info, scope, server.time: the small basic methods apps call at start-up.

import { atomDate } from '../envelope'
import { basic, type MethodTable } from './types'

export const appMethods: MethodTable = {
  'app.info': {
    scope: basic,
    run: (ctx) => ({
      result: {
        ID: 1, CODE: ctx.state.app.code, VERSION: ctx.state.app.version, STATUS: ctx.state.app.status,
        INSTALLED: ctx.state.app.installed, PAYMENT_EXPIRED: 'N', DAYS: null, LANGUAGE_ID: ctx.state.lang,
        LICENSE: 'en_project', LICENSE_FAMILY: 'project', MEMBER_ID: ctx.state.memberId,
      },
    }),
  },
  scope: { scope: basic, run: (ctx) => ({ result: [...ctx.state.app.scope] }) },
  'server.time': { scope: basic, run: (ctx) => ({ result: atomDate(ctx.now) }) },
}
