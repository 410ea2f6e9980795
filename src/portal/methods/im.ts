// im.notify (legacy), im.notify.system.add, im.notify.personal.add, im.notify.delete, im.notify.read and
// im.message.add/update/delete: notifications and messages are stored, so an app can read back what it sent
// (portal.state.im). Codes and texts from the REST reference.

import { atomDate } from '../envelope'
import { RestError } from '../errors'
import { phpInt, phpString, toPlain, upperKeys, type PlainObject } from '../values'
import type { CallContext, MethodDef, MethodTable } from './types'

const SCOPE = ['im']

function notify(type: 'SYSTEM' | 'USER' | null): MethodDef {
  return {
    scope: SCOPE,
    run(ctx: CallContext) {
      const p = upperKeys(ctx.params)
      const userId = phpInt(p.USER_ID)
      if (userId <= 0) throw new RestError('USER_ID_EMPTY', "User ID can't be empty")
      const message = phpString(p.MESSAGE).trim()
      if (message === '') throw new RestError('MESSAGE_EMPTY', "Message can't be empty")
      if (p.ATTACH !== undefined && typeof p.ATTACH !== 'object') throw new RestError('ATTACH_ERROR', 'Incorrect attach params')
      const id = ctx.state.im.nextNotifyId++
      // im.notify decides by TYPE; the two newer methods are fixed to one kind.
      const kind = type ?? (phpString(p.TYPE).toUpperCase() === 'SYSTEM' ? 'SYSTEM' : 'USER')
      ctx.state.im.notifications.push(toPlain({
        ID: id, TYPE: kind, TO_USER_ID: userId, FROM_USER_ID: kind === 'SYSTEM' ? 0 : ctx.userId, MESSAGE: message,
        MESSAGE_OUT: phpString(p.MESSAGE_OUT), TAG: phpString(p.TAG), SUB_TAG: phpString(p.SUB_TAG), ATTACH: p.ATTACH ?? null,
        DATE: atomDate(ctx.now), READ: 'N',
      }) as PlainObject)
      return { result: id }
    },
  }
}

function messageId(p: PlainObject): number {
  const id = phpInt(p.MESSAGE_ID)
  if (id <= 0) throw new RestError('MESSAGE_ID_ERROR', "Message ID can't be empty")
  return id
}

function ownMessage(ctx: CallContext, id: number): PlainObject {
  const message = ctx.state.im.messages.find((m) => m.ID === id && m.AUTHOR_ID === ctx.userId)
  if (!message) throw new RestError('CANT_EDIT_MESSAGE', "Time has expired for modification or you don't have access")
  return message
}

export const imMethods: MethodTable = {
  'im.notify': notify(null),
  'im.notify.system.add': notify('SYSTEM'),
  'im.notify.personal.add': notify('USER'),
  'im.notify.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const id = phpInt(p.ID)
      const tag = phpString(p.TAG)
      const subTag = phpString(p.SUB_TAG)
      if (id <= 0 && tag === '' && subTag === '') throw new RestError('PARAMS_ERROR', 'Incorrect params')
      ctx.state.im.notifications = ctx.state.im.notifications.filter((n) =>
        !(id > 0 ? n.ID === id : tag !== '' ? n.TAG === tag : n.SUB_TAG === subTag))
      return { result: true }
    },
  },
  'im.notify.read': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const id = phpInt(p.ID)
      const read = phpString(p.ACTION || 'Y').toUpperCase() === 'N' ? 'N' : 'Y'
      for (const n of ctx.state.im.notifications) {
        if (n.TO_USER_ID === ctx.userId && (id <= 0 || n.ID === id || (phpString(p.ONLY_CURRENT) !== 'Y' && Number(n.ID) < id))) n.READ = read
      }
      return { result: true }
    },
  },
  'im.message.add': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const dialog = phpString(p.DIALOG_ID ?? p.USER_ID ?? p.CHAT_ID).trim()
      const message = phpString(p.MESSAGE).trim()
      if (message === '' && p.ATTACH === undefined) throw new RestError('MESSAGE_EMPTY', "Message can't be empty")
      if (dialog === '') throw new RestError('USER_ID_EMPTY', "User ID can't be empty")
      // DIALOG_ID is a user id for a private chat or `chat<ID>` for a group chat.
      if (!/^chat\d+$/.test(dialog)) {
        const userId = phpInt(dialog)
        if (userId <= 0 || !ctx.state.users.some((u) => u.ID === String(userId))) throw new RestError('USER_NOT_FOUND', 'User not found')
      }
      const id = ctx.state.im.nextMessageId++
      ctx.state.im.messages.push(toPlain({
        ID: id, DIALOG_ID: dialog, AUTHOR_ID: ctx.userId, MESSAGE: message, ATTACH: p.ATTACH ?? null, KEYBOARD: p.KEYBOARD ?? null,
        SYSTEM: phpString(p.SYSTEM) === 'Y' ? 'Y' : 'N', DATE: atomDate(ctx.now),
      }) as PlainObject)
      return { result: id }
    },
  },
  'im.message.update': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const message = ownMessage(ctx, messageId(p))
      if (p.MESSAGE !== undefined) message.MESSAGE = phpString(p.MESSAGE)
      if (p.ATTACH !== undefined) message.ATTACH = toPlain(p.ATTACH)
      return { result: true }
    },
  },
  'im.message.delete': {
    scope: SCOPE,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const message = ownMessage(ctx, messageId(p))
      ctx.state.im.messages = ctx.state.im.messages.filter((m) => m !== message)
      return { result: true }
    },
  },
}
