// userfieldtype.add/list/update/delete: an app's own user field types, drawn by its handler. Codes and texts from
// the REST reference (the types live in the placement table, hence the placement wording of the duplicate error).

import { accessDenied, argumentNull, coreError, RestError, wrongAuthType } from '../errors'
import { page } from '../records'
import { isObject, phpString, toPlain, upperKeys, type PlainObject } from '../values'
import { checkHandlerUrl } from './handler-url'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['placement']

function admin(ctx: CallContext): PlainObject {
  if (ctx.authKind !== 'oauth') throw wrongAuthType('Application context required')
  if (!ctx.isAdmin) throw accessDenied()
  return upperKeys(ctx.params)
}

function typeId(p: PlainObject): string {
  const id = phpString(p.USER_TYPE_ID).trim()
  if (id === '') throw argumentNull('USER_TYPE_ID')
  return id
}

function find(ctx: CallContext, id: string): PlainObject {
  const row = ctx.state.userFieldTypes.find((t) => t.USER_TYPE_ID === id)
  if (!row) throw new RestError('ERROR_NOT_FOUND', 'User Field Type not found')
  return row
}

export const userFieldTypeMethods: MethodTable = {
  'userfieldtype.add': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const id = typeId(p)
      const handler = phpString(p.HANDLER)
      if (handler === '') throw argumentNull('HANDLER')
      checkHandlerUrl(handler)
      if (ctx.state.userFieldTypes.some((t) => t.USER_TYPE_ID === id)) throw coreError('Unable to set placement handler: Handler already binded')
      ctx.state.userFieldTypes.push(toPlain({
        USER_TYPE_ID: id, HANDLER: handler, TITLE: phpString(p.TITLE), DESCRIPTION: phpString(p.DESCRIPTION),
        OPTIONS: isObject(p.OPTIONS) ? p.OPTIONS : [],
      }) as PlainObject)
      return { result: true }
    },
  },
  'userfieldtype.list': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      const rows = ctx.state.userFieldTypes.map((t) => toPlain({ USER_TYPE_ID: t.USER_TYPE_ID, HANDLER: t.HANDLER, TITLE: t.TITLE, DESCRIPTION: t.DESCRIPTION }) as PlainObject)
      return page(rows, ctx.params.start)
    },
  },
  'userfieldtype.update': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const row = find(ctx, typeId(p))
      if (p.HANDLER !== undefined) {
        const handler = phpString(p.HANDLER)
        checkHandlerUrl(handler)
        if (ctx.state.userFieldTypes.some((t) => t !== row && t.HANDLER === handler)) throw coreError('Unable to set placement handler: Handler already binded')
        row.HANDLER = handler
      }
      if (p.TITLE !== undefined) row.TITLE = phpString(p.TITLE)
      if (p.DESCRIPTION !== undefined) row.DESCRIPTION = phpString(p.DESCRIPTION)
      if (isObject(p.OPTIONS)) row.OPTIONS = toPlain(p.OPTIONS)
      return { result: true }
    },
  },
  'userfieldtype.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const row = find(ctx, typeId(p))
      ctx.state.userFieldTypes = ctx.state.userFieldTypes.filter((t) => t !== row)
      return { result: true }
    },
  },
}
