// What common REST methods return, as Bitrix24 sends it: numbers in stored records arrive as strings ("ID": "7"),
// flags as "Y"/"N", dates as ISO 8601 strings, missing links as null. Written from the field tables and sample
// answers of Bitrix's REST reference (bitrix24/b24restdocs); the names are Bitrix's. Types only.

/** A date-time as Bitrix sends it: ISO 8601 with the portal's offset, e.g. `2024-08-30T14:29:00+02:00`. */
export type RestDateTime = string

/** Bitrix's flags: `'Y'` or `'N'`. */
export type RestFlag = 'Y' | 'N'

/** Custom fields (`UF_*`): any JSON value; their type depends on the portal's settings. */
export interface RestUserFields {
  [field: `UF_${string}`]: unknown
}

/** The `time` block of every answer. */
export interface RestTime {
  start: number
  finish: number
  duration: number
  processing: number
  date_start: RestDateTime
  date_finish: RestDateTime
  operating?: number
  operating_reset_at?: number
}

// ---------------------------------------------------------------- users

/** A user as `user.current` / `user.get` return it. Which fields arrive depends on the app's scope (`user_brief`, `user_basic`, `user`). */
export interface RestUser extends RestUserFields {
  ID: string
  XML_ID?: string | null
  ACTIVE?: boolean
  NAME?: string | null
  LAST_NAME?: string | null
  SECOND_NAME?: string | null
  EMAIL?: string
  LAST_LOGIN?: RestDateTime | ''
  DATE_REGISTER?: RestDateTime | ''
  LAST_ACTIVITY_DATE?: string | null
  IS_ONLINE?: RestFlag
  TIME_ZONE?: string
  TIME_ZONE_OFFSET?: string
  TIMESTAMP_X?: string | null
  PERSONAL_GENDER?: '' | 'M' | 'F'
  PERSONAL_BIRTHDAY?: string
  PERSONAL_PHOTO?: string
  PERSONAL_PHONE?: string
  PERSONAL_MOBILE?: string
  PERSONAL_CITY?: string
  WORK_PHONE?: string
  WORK_POSITION?: string
  WORK_COMPANY?: string
  USER_TYPE?: 'employee' | 'extranet' | 'email' | string
  UF_DEPARTMENT?: number[]
  UF_EMPLOYMENT_DATE?: string
  UF_PHONE_INNER?: string | null
}

/** `profile`: the current user's basic data (an empty object for an inactive user). */
export interface RestProfile {
  ID: string
  ADMIN: boolean
  NAME: string
  LAST_NAME: string
  PERSONAL_GENDER: '' | 'M' | 'F'
  TIME_ZONE: string
  /** Only when a photo was uploaded. */
  PERSONAL_PHOTO?: string
}

/** `department.get` rows. */
export interface RestDepartment {
  ID: string
  NAME: string
  SORT: number
  PARENT?: string
  UF_HEAD?: string
}

// ---------------------------------------------------------------- the application

/** `app.info`. */
export interface RestAppInfo {
  ID: number
  CODE: string
  VERSION: number
  /** F free, D demo, T trial, P paid, L local, S subscription. */
  STATUS: 'F' | 'D' | 'T' | 'P' | 'L' | 'S'
  INSTALLED: boolean
  PAYMENT_EXPIRED: RestFlag
  DAYS: number | null
  LANGUAGE_ID: string
  LICENSE: string
  LICENSE_TYPE: string
  LICENSE_FAMILY: string
}

// ---------------------------------------------------------------- CRM

/** One phone, e-mail, web or messenger entry of a CRM record. */
export interface CrmMultiField {
  ID: string
  VALUE: string
  /** WORK, HOME, MOBILE, OTHER, MAILING, OPENLINE, ... */
  VALUE_TYPE: string
  TYPE_ID: 'PHONE' | 'EMAIL' | 'WEB' | 'IM' | 'LINK'
}

/** Fields every classic CRM record has. */
interface CrmRecordBase extends RestUserFields {
  ID: string
  ASSIGNED_BY_ID: string | null
  CREATED_BY_ID: string | null
  MODIFY_BY_ID: string | null
  DATE_CREATE: RestDateTime
  DATE_MODIFY: RestDateTime
  OPENED: RestFlag
  COMMENTS: string | null
  ORIGINATOR_ID: string | null
  ORIGIN_ID: string | null
  LAST_ACTIVITY_TIME?: RestDateTime | null
  LAST_ACTIVITY_BY?: string | null
  UTM_SOURCE?: string | null
  UTM_MEDIUM?: string | null
  UTM_CAMPAIGN?: string | null
  UTM_CONTENT?: string | null
  UTM_TERM?: string | null
}

interface CrmCommunications {
  HAS_PHONE: RestFlag
  HAS_EMAIL: RestFlag
  HAS_IMOL: RestFlag
  /** Only in `*.get` answers, or when selected (`select: ['PHONE']`). */
  PHONE?: CrmMultiField[]
  EMAIL?: CrmMultiField[]
  WEB?: CrmMultiField[]
  IM?: CrmMultiField[]
}

interface CrmAddress {
  ADDRESS?: string | null
  ADDRESS_2?: string | null
  ADDRESS_CITY?: string | null
  ADDRESS_POSTAL_CODE?: string | null
  ADDRESS_REGION?: string | null
  ADDRESS_PROVINCE?: string | null
  ADDRESS_COUNTRY?: string | null
  ADDRESS_COUNTRY_CODE?: string | null
}

export interface CrmDeal extends CrmRecordBase {
  TITLE: string
  TYPE_ID: string | null
  CATEGORY_ID: string
  STAGE_ID: string
  /** P in progress, S won, F lost. */
  STAGE_SEMANTIC_ID: 'P' | 'S' | 'F'
  IS_NEW: RestFlag
  IS_RECURRING: RestFlag
  IS_RETURN_CUSTOMER: RestFlag
  IS_REPEATED_APPROACH: RestFlag
  PROBABILITY: string | null
  CURRENCY_ID: string
  /** A decimal as text: `"1000000.00"`. */
  OPPORTUNITY: string
  IS_MANUAL_OPPORTUNITY: RestFlag
  TAX_VALUE: string | null
  COMPANY_ID: string | null
  CONTACT_ID: string | null
  LEAD_ID: string | null
  QUOTE_ID: string | null
  BEGINDATE: RestDateTime | null
  CLOSEDATE: RestDateTime | null
  CLOSED: RestFlag
  ADDITIONAL_INFO: string | null
  SOURCE_ID: string | null
  SOURCE_DESCRIPTION: string | null
  MOVED_BY_ID?: string | null
  MOVED_TIME?: RestDateTime | null
}

export interface CrmLead extends CrmRecordBase, CrmCommunications, CrmAddress {
  TITLE: string
  HONORIFIC: string | null
  NAME: string | null
  SECOND_NAME: string | null
  LAST_NAME: string | null
  COMPANY_TITLE: string | null
  COMPANY_ID: string | null
  CONTACT_ID: string | null
  IS_RETURN_CUSTOMER: RestFlag
  BIRTHDATE: RestDateTime | ''
  SOURCE_ID: string | null
  SOURCE_DESCRIPTION: string | null
  STATUS_ID: string
  STATUS_DESCRIPTION: string | null
  STATUS_SEMANTIC_ID: 'P' | 'S' | 'F'
  POST: string | null
  CURRENCY_ID: string
  OPPORTUNITY: string
  IS_MANUAL_OPPORTUNITY: RestFlag
  DATE_CLOSED: RestDateTime | ''
  MOVED_BY_ID?: string | null
  MOVED_TIME?: RestDateTime | null
}

export interface CrmContact extends CrmRecordBase, CrmCommunications, CrmAddress {
  HONORIFIC: string | null
  NAME: string | null
  SECOND_NAME: string | null
  LAST_NAME: string | null
  PHOTO: unknown
  POST: string | null
  TYPE_ID: string | null
  SOURCE_ID: string | null
  SOURCE_DESCRIPTION: string | null
  COMPANY_ID: string | null
  LEAD_ID: string | null
  BIRTHDATE: RestDateTime | ''
  EXPORT: RestFlag
  FACE_ID: string | null
}

export interface CrmCompany extends CrmRecordBase, CrmCommunications, CrmAddress {
  TITLE: string
  COMPANY_TYPE: string | null
  LOGO: unknown
  LEAD_ID: string | null
  BANKING_DETAILS: string | null
  INDUSTRY: string | null
  REVENUE: string | null
  CURRENCY_ID: string | null
  EMPLOYEES: string | null
  IS_MY_COMPANY: RestFlag
  ADDRESS_LEGAL?: string | null
  REG_ADDRESS?: string | null
}

export interface CrmQuote extends CrmRecordBase {
  TITLE: string
  QUOTE_NUMBER: string | null
  STATUS_ID: string
  CURRENCY_ID: string
  OPPORTUNITY: string
  TAX_VALUE: string | null
  COMPANY_ID: string | null
  CONTACT_ID: string | null
  DEAL_ID: string | null
  LEAD_ID: string | null
  BEGINDATE: RestDateTime | null
  CLOSEDATE: RestDateTime | null
  CLOSED: RestFlag
}

/** The classic CRM entity types and their records (`crm.<type>.*`). */
export interface CrmEntityRecords {
  deal: CrmDeal
  lead: CrmLead
  contact: CrmContact
  company: CrmCompany
  quote: CrmQuote
}

/** A list row: only the selected fields arrive (`ID` always). */
export type CrmListRow<T extends { ID: string }> = Partial<T> & Pick<T, 'ID'>

/** One field of `crm.<type>.fields` / `crm.item.fields`. */
export interface CrmFieldDescription {
  type: string
  isRequired: boolean
  isReadOnly: boolean
  isImmutable: boolean
  isMultiple: boolean
  isDynamic: boolean
  title: string
  /** crm_status fields: the status list to look values up in (`crm.status.list`). */
  statusType?: string
  /** enumeration fields. */
  items?: { ID: string; VALUE: string }[]
  listLabel?: string
  formLabel?: string
  filterLabel?: string
  settings?: Record<string, unknown>
  upperName?: string
}

export type CrmFields = Record<string, CrmFieldDescription>

/** `crm.status.list` rows: stages, sources, types, ... */
export interface CrmStatus {
  ID: string
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  NAME_INIT: string
  SORT: string
  SYSTEM: RestFlag
  CATEGORY_ID: string | null
  COLOR?: string | null
  SEMANTICS?: 'S' | 'F' | null
  EXTRA?: { SEMANTICS?: string; COLOR?: string }
}

/** `crm.item.*` (the universal API): camelCase names, numbers as numbers. */
export interface CrmItem {
  id: number
  title?: string
  stageId?: string
  categoryId?: number
  assignedById?: number
  createdBy?: number
  updatedBy?: number
  createdTime?: RestDateTime
  updatedTime?: RestDateTime
  opportunity?: number
  currencyId?: string
  isManualOpportunity?: RestFlag
  companyId?: number | null
  contactId?: number | null
  contactIds?: number[]
  sourceId?: string | null
  [field: string]: unknown
}

// ---------------------------------------------------------------- tasks

/** A user card inside a task (`creator`, `responsible`, ...). */
export interface TaskUserCard {
  id: string
  name: string
  link: string
  icon: string
  workPosition?: string
}

/** A task as `tasks.task.*` return it (camelCase; ids and numbers as strings). */
export interface Task {
  id: string
  title: string
  description?: string
  descriptionInBbcode?: RestFlag
  /** 1 new (obsolete), 2 pending, 3 in progress, 4 supposedly completed, 5 completed, 6 deferred, 7 declined. */
  status?: string
  subStatus?: string
  /** 0 low, 1 normal, 2 high. */
  priority?: string
  mark?: string
  createdBy?: string
  createdDate?: RestDateTime
  changedDate?: RestDateTime
  closedDate?: RestDateTime | null
  deadline?: RestDateTime | null
  responsibleId?: string
  groupId?: string
  parentId?: string | null
  auditors?: string[]
  accomplices?: string[]
  creator?: TaskUserCard
  responsible?: TaskUserCard
  /** Links to CRM records: `D_12` deal, `C_3` contact, `CO_5` company, `L_7` lead. */
  ufCrmTask?: string[]
  [field: string]: unknown
}

// ---------------------------------------------------------------- app storage (entity.*)

/** `entity.get` of one storage. */
export interface RestEntity {
  ID: string
  IBLOCK_TYPE_ID: string
  ENTITY: string
  NAME: string
}

/** `entity.item.get` rows. */
export interface RestEntityItem {
  ID: string
  ENTITY: string
  NAME: string
  ACTIVE: RestFlag
  SORT: string
  CODE: string | null
  SECTION: string | null
  TIMESTAMP_X: RestDateTime
  DATE_CREATE: RestDateTime
  CREATED_BY: string
  MODIFIED_BY: string
  DATE_ACTIVE_FROM: RestDateTime | ''
  DATE_ACTIVE_TO: RestDateTime | ''
  PREVIEW_PICTURE: string | null
  PREVIEW_TEXT: string | null
  DETAIL_PICTURE: string | null
  DETAIL_TEXT: string | null
  /** The storage's own properties, as set with `entity.item.property.add`. */
  PROPERTY_VALUES?: Record<string, unknown>
}

// ---------------------------------------------------------------- placements and events

/** `placement.get` rows. */
export interface RestPlacementBinding {
  placement: string
  userId: number
  handler: string
  options: Record<string, unknown> | unknown[]
  title: string
  description: string
  langAll?: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>
}

/** `event.get` rows. */
export interface RestEventBinding {
  event: string
  handler: string
  auth_type: string
  offline: number
  connector_id?: string
}
