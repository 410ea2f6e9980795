// app.info, scope, server.time: the small basic methods apps call at start-up (CRestProvider::appInfo and friends).

import { atomDate } from '../envelope'
import { basic, type MethodTable } from './types'

// A cloud portal on the "Professional" plan: what LICENSE_* report (the plan changes nothing else here).
const LICENSE = { TYPE: 'ent', FAMILY: 'ent' }

export const appMethods: MethodTable = {
  'app.info': {
    scope: basic,
    run(ctx) {
      const license = `${ctx.state.lang}_${LICENSE.TYPE}`
      // A webhook has no application: the server answers its scope and licence only.
      if (ctx.authKind === 'webhook') return { result: { SCOPE: [...(ctx.scope ?? ctx.state.app.scope)], LICENSE: license } }
      return {
        result: {
          ID: 1, CODE: ctx.state.app.code, VERSION: ctx.state.app.version, STATUS: ctx.state.app.status,
          INSTALLED: ctx.state.app.installed, PAYMENT_EXPIRED: 'N', DAYS: null, LANGUAGE_ID: ctx.state.lang,
          LICENSE: license, LICENSE_TYPE: LICENSE.TYPE, LICENSE_FAMILY: LICENSE.FAMILY,
        },
      }
    },
  },
  scope: { scope: basic, run: (ctx) => ({ result: [...(ctx.scope ?? ctx.state.app.scope)] }) },
  'server.time': { scope: basic, run: (ctx) => ({ result: atomDate(ctx.now) }) },
}
