// user.current, user.get, user.search, user.fields, user.add, user.update, user.admin, user.access, profile, as
// Bitrix's rest module answers them (Bitrix\Rest\Api\User): fields limited by the token's scope, filters on allowed
// fields only, and the plain-Exception errors ("access_denied") that module throws.

import { atomDate } from '../envelope'
import { argumentError, coreError } from '../errors'
import { applyFilter, applyOrder, page, parseFilter, type Condition } from '../records'
import { normaliseRow } from '../state'
import { createObject, isObject, own, phpString, upperKeys, type Plain, type PlainObject } from '../values'
import { basic, type CallContext, type MethodTable } from './types'

const USER_SCOPE = ['user', 'user_brief', 'user_basic']

// The field sets per scope: `user` sees everything, `user_basic` contact details, `user_brief` names only.
const BRIEF = ['ID', 'XML_ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'SECOND_NAME', 'TITLE', 'IS_ONLINE', 'TIME_ZONE', 'TIMESTAMP_X',
  'DATE_REGISTER', 'PERSONAL_PROFESSION', 'PERSONAL_GENDER', 'PERSONAL_BIRTHDAY', 'PERSONAL_PHOTO', 'PERSONAL_CITY',
  'WORK_POSITION', 'WORK_CITY', 'LAST_ACTIVITY_DATE', 'UF_EMPLOYMENT_DATE', 'UF_DEPARTMENT', 'UF_PHONE_INNER']
const BASIC = [...BRIEF, 'EMAIL', 'PERSONAL_PHONE', 'PERSONAL_MOBILE', 'WORK_PHONE', 'WORK_COMPANY', 'PERSONAL_WWW', 'UF_SKYPE']
const FULL = [...BASIC, 'LAST_LOGIN', 'PERSONAL_STREET', 'PERSONAL_ZIP', 'PERSONAL_COUNTRY', 'PERSONAL_NOTES', 'WORK_DEPARTMENT',
  'WORK_WWW', 'WORK_STREET', 'WORK_ZIP', 'WORK_COUNTRY', 'WORK_NOTES', 'UF_INTERESTS', 'UF_SKILLS', 'UF_WEB_SITES']
// What user.update/user.add may write; the rest (LAST_LOGIN, DATE_REGISTER, IS_ONLINE, ...) is the server's.
const WRITABLE = new Set(FULL.filter((f) => !['ID', 'LAST_LOGIN', 'DATE_REGISTER', 'IS_ONLINE', 'TIMESTAMP_X', 'LAST_ACTIVITY_DATE'].includes(f)))

const TITLES: Record<string, string> = {
  ID: 'ID', XML_ID: 'External code', ACTIVE: 'Active', NAME: 'First name', LAST_NAME: 'Last name', SECOND_NAME: 'Second name',
  TITLE: 'Salutation', EMAIL: 'E-mail', LAST_LOGIN: 'Last login', DATE_REGISTER: 'Registered', IS_ONLINE: 'Online',
  TIME_ZONE: 'Time zone', TIMESTAMP_X: 'Modified', LAST_ACTIVITY_DATE: 'Last activity', PERSONAL_GENDER: 'Gender',
  PERSONAL_PROFESSION: 'Profession', PERSONAL_WWW: 'Web page', PERSONAL_BIRTHDAY: 'Date of birth', PERSONAL_PHOTO: 'Photo',
  PERSONAL_PHONE: 'Phone', PERSONAL_MOBILE: 'Mobile', PERSONAL_CITY: 'City', PERSONAL_STREET: 'Street', PERSONAL_ZIP: 'Zip',
  PERSONAL_COUNTRY: 'Country', PERSONAL_NOTES: 'Notes', WORK_COMPANY: 'Company', WORK_POSITION: 'Position',
  WORK_DEPARTMENT: 'Department', WORK_PHONE: 'Work phone', WORK_WWW: 'Company web page', WORK_CITY: 'Work city',
  WORK_STREET: 'Work street', WORK_ZIP: 'Work zip', WORK_COUNTRY: 'Work country', WORK_NOTES: 'Work notes',
  UF_EMPLOYMENT_DATE: 'Employment date', UF_DEPARTMENT: 'Departments', UF_PHONE_INNER: 'Extension number',
  UF_SKYPE: 'Skype', UF_INTERESTS: 'Interests', UF_SKILLS: 'Skills', UF_WEB_SITES: 'Other sites',
}

function allowedFields(scope: ReadonlySet<string> | null): string[] {
  if (!scope || scope.has('user')) return FULL
  return scope.has('user_basic') ? BASIC : BRIEF
}

/** A user row as the REST API shows it: the allowed fields in a fixed order, missing ones as ''. */
function present(user: PlainObject, fields: readonly string[]): PlainObject {
  const out = createObject()
  for (const f of fields) {
    const v = own(user, f)
    out[f] = f === 'ACTIVE' ? v !== false : f === 'UF_DEPARTMENT' ? (v ?? []) : f === 'IS_ONLINE' ? (v ?? 'N') : (v ?? '')
  }
  return out
}

export function currentUser(ctx: CallContext): PlainObject {
  const user = ctx.state.users.find((u) => u.ID === String(ctx.userId))
  // A token always belongs to a seeded user; a missing one means the seed was edited underneath a live session.
  if (!user) throw argumentError('User not found')
  return user
}

/** Bitrix's prepareUserValue for filters: ACTIVE is 'Y' unless the value is falsy or 'N' (so the text 'false' is 'Y'). */
function filterValue(field: string, value: Plain): Plain {
  if (field === 'ACTIVE') return value && value !== 'N' && value !== '0' ? 'Y' : 'N'
  return value
}

/** Every word must start one of the person's names, position or e-mail (UserUtils::getUserSearchFilter). */
function searches(words: string, fields: readonly string[]): (row: PlainObject) => boolean {
  const needles = words.toLowerCase().split(/\s+/).filter(Boolean)
  return (row) => needles.every((n) => fields.some((f) => phpString(own(row, f)).toLowerCase().split(/\s+/).some((w) => w.startsWith(n))))
}

const NAME_FIELDS = ['NAME', 'LAST_NAME', 'SECOND_NAME', 'WORK_POSITION', 'EMAIL']

function userGet(ctx: CallContext) {
  let query = upperKeys(ctx.params)
  const sort = phpString(query.SORT)
  const order = phpString(query.ORDER)
  // "The following code is a mistake but it must be here for backward compatibility": a FILTER array replaces the
  // whole query, so top-level field filters are ignored when FILTER is present.
  if (isObject(query.FILTER) || Array.isArray(query.FILTER)) query = upperKeys(Object.assign(createObject(), query.FILTER))
  const allowed = new Set([...allowedFields(ctx.scope), 'IS_ONLINE', 'HAS_DEPARTAMENT', 'NAME_SEARCH', 'FIND', 'UF_DEPARTMENT_NAME'])
  const conditions: Condition[] = []
  const tests: ((row: PlainObject) => boolean)[] = []
  for (const c of parseFilter(query)) {
    if (!allowed.has(c.field)) continue
    if (c.field === 'NAME_SEARCH' || c.field === 'FIND') tests.push(searches(phpString(c.value), NAME_FIELDS))
    else if (c.field === 'HAS_DEPARTAMENT') {
      if (c.value === 'Y') tests.push((row) => Array.isArray(row.UF_DEPARTMENT) && row.UF_DEPARTMENT.length > 0)
    } else if (ctx.method === 'user.search' && ['NAME', 'LAST_NAME', 'SECOND_NAME', 'WORK_POSITION'].includes(c.field)) {
      tests.push(searches(phpString(c.value), [c.field]))
    } else conditions.push({ ...c, value: filterValue(c.field, c.value) })
  }
  let rows = applyFilter(ctx.state.users, conditions).filter((row) => tests.every((t) => t(row)))
  if (sort && order) {
    const o = createObject()
    o[sort.toUpperCase()] = order
    rows = applyOrder(rows, o)
  }
  const out = page(rows.map((u) => present(u, allowedFields(ctx.scope))), own(ctx.params, 'start'))
  // An empty answer carries no total: setNavData is only called when rows were found.
  return (out.result as unknown[]).length === 0 ? { result: [] } : out
}

function canEditUsers(ctx: CallContext): boolean {
  return ctx.isAdmin
}

function writable(fields: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const k of Object.keys(fields)) if (WRITABLE.has(k)) out[k] = fields[k]
  if (out.ACTIVE !== undefined) out.ACTIVE = !!out.ACTIVE && out.ACTIVE !== 'N' && out.ACTIVE !== '0' && out.ACTIVE !== false
  if (out.UF_DEPARTMENT !== undefined) {
    const d = out.UF_DEPARTMENT
    out.UF_DEPARTMENT = (Array.isArray(d) ? d : isObject(d) ? Object.values(d) : d === '' || d === null ? [] : [d]).map(Number)
  }
  return out
}

function userUpdate(ctx: CallContext) {
  const fields = upperKeys(ctx.params)
  const id = Number(phpString(fields.ID)) || 0
  // Both refusals are plain Exceptions in Bitrix's code: ERROR_CORE with the text 'access_denied'.
  if (id <= 0 || (!canEditUsers(ctx) && id !== ctx.userId)) throw coreError('access_denied')
  const user = ctx.state.users.find((u) => u.ID === String(id))
  // CUser::Update of an unknown id fails with an empty LAST_ERROR.
  if (!user) throw coreError('')
  const changes = writable(fields)
  if (!canEditUsers(ctx)) {
    delete changes.ACTIVE
    delete changes.UF_DEPARTMENT
  }
  Object.assign(user, normaliseRow(changes), { TIMESTAMP_X: atomDate(ctx.now) })
  if (changes.ACTIVE !== undefined) user.ACTIVE = changes.ACTIVE as boolean
  if (changes.UF_DEPARTMENT !== undefined) user.UF_DEPARTMENT = changes.UF_DEPARTMENT as number[]
  return { result: true }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function userAdd(ctx: CallContext) {
  if (!canEditUsers(ctx)) throw coreError('access_denied')
  const fields = upperKeys(ctx.params)
  const email = phpString(fields.EMAIL).trim()
  if (!EMAIL.test(email)) throw argumentError('wrong_email')
  if (ctx.state.users.some((u) => phpString(u.EMAIL).toLowerCase() === email.toLowerCase())) throw argumentError('A user with this email already exists')
  const id = ctx.state.users.reduce((m, u) => Math.max(m, Number(u.ID)), 0) + 1
  const changes = writable(fields)
  const user = normaliseRow({ ...changes, ID: id, EMAIL: email, DATE_REGISTER: atomDate(ctx.now) })
  user.ACTIVE = changes.ACTIVE === undefined ? true : (changes.ACTIVE as boolean)
  user.UF_DEPARTMENT = (changes.UF_DEPARTMENT as number[] | undefined) ?? []
  ctx.state.users.push(user)
  ctx.emit('ONUSERADD', { ...present(user, FULL) })
  return { result: id }
}

export const userMethods: MethodTable = {
  'user.current': { scope: USER_SCOPE, run: (ctx) => ({ result: present(currentUser(ctx), allowedFields(ctx.scope)) }) },
  'user.get': { scope: USER_SCOPE, run: userGet },
  'user.search': { scope: USER_SCOPE, run: userGet },
  'user.fields': {
    scope: USER_SCOPE,
    run(ctx) {
      const out = createObject()
      for (const f of allowedFields(ctx.scope)) out[f] = TITLES[f] ?? f
      return { result: out }
    },
  },
  'user.update': { scope: ['user'], run: userUpdate },
  'user.add': { scope: ['user'], run: userAdd },
  'user.admin': { scope: basic, run: (ctx) => ({ result: ctx.isAdmin }) },
  'user.access': {
    scope: basic,
    run(ctx) {
      const p = upperKeys(ctx.params)
      const wanted = Array.isArray(p.ACCESS) ? p.ACCESS : isObject(p.ACCESS) ? Object.values(p.ACCESS) : [p.ACCESS]
      const user = currentUser(ctx)
      const codes = new Set(['AU', 'G2', `U${ctx.userId}`, ...((user.UF_DEPARTMENT as number[] | undefined) ?? []).map((d) => `D${d}`)])
      return { result: ctx.isAdmin || wanted.some((a) => codes.has(phpString(a))) }
    },
  },
  profile: {
    scope: basic,
    run(ctx) {
      const u = currentUser(ctx)
      return {
        result: {
          ID: u.ID, ADMIN: ctx.isAdmin, NAME: u.NAME ?? '', LAST_NAME: u.LAST_NAME ?? '', PERSONAL_GENDER: '',
          PERSONAL_PHOTO: u.PERSONAL_PHOTO ?? '', TIME_ZONE: '', TIME_ZONE_OFFSET: 0,
        },
      }
    },
  },
}
