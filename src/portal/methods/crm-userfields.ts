// crm.<type>.userfield.add/get/list/update/delete: custom fields (UF_CRM_*) of a CRM type. They show in
// crm.<type>.fields, and their values live on the records like any other field. Codes and texts from the REST
// reference; where it is silent ([inferred]) the texts follow the same module's wording.

import { coreError, crmError, RestError } from '../errors'
import { applyFilter, applyOrder, parseFilter } from '../records'
import type { UserField } from '../state'
import { isObject, own, phpInt, phpString, pick, toPlain, upperKeys, type Plain, type PlainObject } from '../values'
import { userFieldEntity } from './crm-fields'
import type { CallContext, MethodDef } from './types'

const BUILT_IN_TYPES = new Set(['string', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'file', 'url',
  'address', 'money', 'employee', 'crm_status', 'crm', 'iblock_section', 'iblock_element', 'resourcebooking'])

const yn = (value: Plain | undefined, fallback: 'Y' | 'N'): 'Y' | 'N' =>
  value === undefined ? fallback : ['Y', 'y', '1', 'true', true, 1].includes(value as never) ? 'Y' : 'N'

/** LABEL fills every label left empty, as the CRM user-field REST does. */
function labels(f: PlainObject, label: string): Pick<UserField, 'EDIT_FORM_LABEL' | 'LIST_COLUMN_LABEL' | 'LIST_FILTER_LABEL'> {
  const text = (v: Plain | undefined) => (isObject(v) ? phpString(Object.values(v)[0]) : phpString(v)) || label
  return { EDIT_FORM_LABEL: text(f.EDIT_FORM_LABEL), LIST_COLUMN_LABEL: text(f.LIST_COLUMN_LABEL), LIST_FILTER_LABEL: text(f.LIST_FILTER_LABEL) }
}

function listItems(ctx: CallContext, value: Plain | undefined): PlainObject[] {
  const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : []
  return items.filter(isObject).map((item, i) => toPlain({
    ID: String(ctx.state.nextUserFieldId * 1000 + i + 1), SORT: phpString(item.SORT) || String((i + 1) * 10),
    VALUE: phpString(item.VALUE), DEF: yn(item.DEF, 'N'), XML_ID: phpString(item.XML_ID) || `xml${i + 1}`,
  }) as PlainObject)
}

function fieldsOf(ctx: CallContext): PlainObject {
  const fields = pick(ctx.params, 'fields')
  if (!isObject(fields)) throw crmError("Parameter 'fields' must be array.")
  return upperKeys(fields)
}

function findField(ctx: CallContext, entity: string): UserField {
  const id = phpInt(pick(ctx.params, 'id'))
  const field = (ctx.state.userFields.get(entity) ?? []).find((f) => f.ID === id)
  if (!field) throw new RestError('ERROR_NOT_FOUND', `The entity with ID '${id}' is not found`)
  return field
}

function present(f: UserField): PlainObject {
  const { LIST, ...rest } = f
  return toPlain({ ...rest, ID: String(f.ID), ...(f.USER_TYPE_ID === 'enumeration' ? { LIST: LIST ?? [] } : {}) }) as PlainObject
}

function add(ctx: CallContext, entity: string) {
  const f = fieldsOf(ctx)
  let name = phpString(f.FIELD_NAME).toUpperCase()
  if (name === '') throw crmError("The 'FIELD_NAME' field is not found.")
  if (!name.startsWith('UF_CRM_')) name = `UF_CRM_${name}`
  if (name.length > 50) throw coreError('Field name is too long (more than 50 characters).')
  if (!/^[A-Z0-9_]+$/.test(name)) throw coreError('Field name contains invalid characters. Allowed characters are: A-Z, 0-9 and _.')
  const type = phpString(f.USER_TYPE_ID)
  if (type === '') throw crmError("The 'USER_TYPE_ID' field is not found.")
  const appTypes = ctx.state.userFieldTypes.map((t) => phpString(t.USER_TYPE_ID))
  if (!BUILT_IN_TYPES.has(type) && !appTypes.includes(type)) throw coreError('Incorrect custom type specified.')
  const list = ctx.state.userFields.get(entity) ?? []
  // [inferred] CUserTypeEntity refuses a second field of the same name on one entity.
  if (list.some((u) => u.FIELD_NAME === name)) throw coreError(`A field with the name ${name} already exists.`)
  const field: UserField = {
    ID: ctx.state.nextUserFieldId, ENTITY_ID: entity, FIELD_NAME: name, USER_TYPE_ID: type,
    XML_ID: f.XML_ID === undefined ? null : phpString(f.XML_ID), SORT: phpString(f.SORT) || '100',
    MULTIPLE: yn(f.MULTIPLE, 'N'), MANDATORY: yn(f.MANDATORY, 'N'), SHOW_FILTER: phpString(f.SHOW_FILTER) || 'N',
    SHOW_IN_LIST: yn(f.SHOW_IN_LIST, 'Y'), EDIT_IN_LIST: yn(f.EDIT_IN_LIST, 'Y'), IS_SEARCHABLE: yn(f.IS_SEARCHABLE, 'N'),
    SETTINGS: isObject(f.SETTINGS) ? (toPlain(f.SETTINGS) as PlainObject) : (Object.create(null) as PlainObject),
    ...labels(f, phpString(f.LABEL) || name),
    ...(type === 'enumeration' ? { LIST: listItems(ctx, f.LIST) } : {}),
  }
  ctx.state.nextUserFieldId++
  ctx.state.userFields.set(entity, [...list, field])
  return { result: field.ID }
}

function update(ctx: CallContext, entity: string) {
  const field = findField(ctx, entity)
  const f = fieldsOf(ctx)
  for (const key of ['SORT', 'SHOW_FILTER'] as const) if (f[key] !== undefined) field[key] = phpString(f[key])
  for (const key of ['MANDATORY', 'SHOW_IN_LIST', 'EDIT_IN_LIST', 'IS_SEARCHABLE'] as const) if (f[key] !== undefined) field[key] = yn(f[key], 'N')
  if (isObject(f.SETTINGS)) field.SETTINGS = toPlain(f.SETTINGS) as PlainObject
  if (f.LABEL !== undefined || f.EDIT_FORM_LABEL !== undefined) Object.assign(field, labels(f, phpString(f.LABEL) || field.EDIT_FORM_LABEL))
  if (field.USER_TYPE_ID === 'enumeration' && f.LIST !== undefined) field.LIST = listItems(ctx, f.LIST)
  return { result: true }
}

export function crmUserFieldMethod(type: string, action: string): MethodDef | undefined {
  const entity = userFieldEntity(type)
  const handlers: Record<string, (ctx: CallContext) => { result: unknown }> = {
    add: (ctx) => add(ctx, entity),
    get: (ctx) => ({ result: present(findField(ctx, entity)) }),
    list: (ctx) => {
      const rows = (ctx.state.userFields.get(entity) ?? []).map(present)
      return { result: applyOrder(applyFilter(rows, parseFilter(pick(ctx.params, 'filter'))), own(ctx.params, 'order') ?? pick(ctx.params, 'order')) }
    },
    update: (ctx) => update(ctx, entity),
    delete: (ctx) => {
      const field = findField(ctx, entity)
      ctx.state.userFields.set(entity, (ctx.state.userFields.get(entity) ?? []).filter((f) => f !== field))
      return { result: true }
    },
  }
  const handler = Object.prototype.hasOwnProperty.call(handlers, action) ? handlers[action]! : undefined
  return handler ? { scope: ['crm'], run: handler } : undefined
}
