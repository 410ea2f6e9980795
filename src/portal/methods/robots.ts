// bizproc.robot.add/list/update/delete: automation rules an app registers. Codes and texts from the REST reference
// (bizproc's own validation messages, with their exclamation marks).

import { RestError } from '../errors'
import { isObject, phpString, toPlain, upperKeys, type PlainObject } from '../values'
import { checkHandlerUrl } from './handler-url'
import type { CallContext, MethodTable } from './types'

const SCOPE = ['bizproc']
const invalid = (text: string) => new RestError('ERROR_ACTIVITY_VALIDATION_FAILURE', text)

function admin(ctx: CallContext): PlainObject {
  // bizproc answers ACCESS_DENIED with its own text here, not the rest module's WRONG_AUTH_TYPE.
  if (ctx.authKind !== 'oauth') throw new RestError('ACCESS_DENIED', 'Application context required', 403)
  if (!ctx.isAdmin) throw new RestError('ACCESS_DENIED', 'Access denied!', 403)
  return upperKeys(ctx.params)
}

function code(p: PlainObject): string {
  const c = phpString(p.CODE).trim()
  if (c === '') throw invalid('Empty activity code!')
  if (!/^[a-z0-9_.-]+$/i.test(c)) throw invalid('Wrong activity code!')
  return c
}

/** The parts of a robot that add and update share. */
function checkFields(fields: PlainObject): void {
  if (fields.HANDLER !== undefined) checkHandlerUrl(phpString(fields.HANDLER))
  if (fields.PROPERTIES !== undefined && !isObject(fields.PROPERTIES) && !Array.isArray(fields.PROPERTIES)) throw invalid('Wrong properties array!')
  if (isObject(fields.PROPERTIES)) {
    for (const key of Object.keys(fields.PROPERTIES)) {
      if (!/^[a-z][a-z0-9_]*$/i.test(key)) throw invalid(`Wrong property key ${key}!`)
      const property = fields.PROPERTIES[key]
      if (!isObject(property) || phpString(property.NAME ?? property.Name).trim() === '') throw invalid(`Empty property NAME ${key}!`)
    }
  }
}

export const robotMethods: MethodTable = {
  'bizproc.robot.add': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const c = code(p)
      if (phpString(p.HANDLER) === '') throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
      checkFields(p)
      if (phpString(isObject(p.NAME) ? Object.values(p.NAME)[0] : p.NAME).trim() === '') throw invalid('Empty activity NAME!')
      if (ctx.state.robots.some((r) => r.CODE === c)) throw new RestError('ERROR_ACTIVITY_ALREADY_INSTALLED', 'Activity or Automation rule already installed!')
      ctx.state.robots.push(toPlain({ ...p, CODE: c }) as PlainObject)
      return { result: true }
    },
  },
  'bizproc.robot.list': {
    scope: SCOPE,
    run(ctx) {
      admin(ctx)
      return { result: ctx.state.robots.map((r) => r.CODE!) }
    },
  },
  'bizproc.robot.update': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const c = code(p)
      const robot = ctx.state.robots.find((r) => r.CODE === c)
      if (!robot) throw new RestError('ERROR_ACTIVITY_NOT_FOUND', 'Activity or Automation Rule not found!')
      const fields = isObject(p.FIELDS) ? upperKeys(p.FIELDS) : null
      if (!fields || Object.keys(fields).length === 0) throw invalid('No fields to update')
      checkFields(fields)
      Object.assign(robot, toPlain(fields), { CODE: c })
      return { result: true }
    },
  },
  'bizproc.robot.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = admin(ctx)
      const c = code(p)
      if (!ctx.state.robots.some((r) => r.CODE === c)) throw new RestError('ERROR_ACTIVITY_NOT_FOUND', 'Activity or Robot not found!')
      ctx.state.robots = ctx.state.robots.filter((r) => r.CODE !== c)
      return { result: true }
    },
  },
}
