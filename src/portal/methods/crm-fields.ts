// crm.<type>.fields: the field descriptions of deals, leads, contacts, companies, activities and statuses
// ({type, isRequired, isReadOnly, isImmutable, isMultiple, isDynamic, title[, statusType]}), plus the entity's
// user fields (UF_*), which describe themselves with their labels.

import type { UserField } from '../state'
import { createObject, type PlainObject } from '../values'

// One line per field: CODE:type[:flags][:statusType] = Title. Flags: R required, O read-only, I immutable, M multiple.
const TABLES: Record<string, string> = {
  deal: `ID:integer:O=ID|TITLE:string=Name|TYPE_ID:crm_status::DEAL_TYPE=Type|CATEGORY_ID:crm_category:I=Pipeline
STAGE_ID:crm_status::DEAL_STAGE=Deal stage|STAGE_SEMANTIC_ID:string:O=Stage group|IS_NEW:char:O=New deal
PROBABILITY:integer=Probability|CURRENCY_ID:crm_currency=Currency|OPPORTUNITY:double=Amount|TAX_VALUE:double=Tax rate
COMPANY_ID:crm_company=Company|CONTACT_ID:crm_contact=Contact|CONTACT_IDS:crm_contact:M=Contacts|QUOTE_ID:crm_quote:O=Quote
BEGINDATE:date=Start date|CLOSEDATE:date=End date|OPENED:char=Available to everyone|CLOSED:char=Closed|COMMENTS:string=Comment
ASSIGNED_BY_ID:user=Responsible person|CREATED_BY_ID:user:O=Created by|MODIFY_BY_ID:user:O=Modified by
DATE_CREATE:datetime:O=Created on|DATE_MODIFY:datetime:O=Modified on|SOURCE_ID:crm_status::SOURCE=Source
SOURCE_DESCRIPTION:string=Source information|LEAD_ID:crm_lead:O=Lead|ADDITIONAL_INFO:string=Additional information
ORIGINATOR_ID:string=External source|ORIGIN_ID:string=Item ID in data source|UTM_SOURCE:string=Ad system
UTM_MEDIUM:string=Traffic type|UTM_CAMPAIGN:string=Ad campaign UTM|UTM_CONTENT:string=Campaign contents|UTM_TERM:string=Campaign search term`,
  lead: `ID:integer:O=ID|TITLE:string=Lead name|HONORIFIC:crm_status::HONORIFIC=Salutation|NAME:string=First name
SECOND_NAME:string=Second name|LAST_NAME:string=Last name|BIRTHDATE:date=Date of birth|COMPANY_TITLE:string=Company name
SOURCE_ID:crm_status::SOURCE=Source|SOURCE_DESCRIPTION:string=Source information|STATUS_ID:crm_status::STATUS=Stage
STATUS_DESCRIPTION:string=Stage information|STATUS_SEMANTIC_ID:string:O=Status details|POST:string=Position
ADDRESS:string=Address|CURRENCY_ID:crm_currency=Currency|OPPORTUNITY:double=Amount|OPENED:char=Available to everyone
COMMENTS:string=Comment|HAS_PHONE:char:O=Has phone|HAS_EMAIL:char:O=Has e-mail|ASSIGNED_BY_ID:user=Responsible person
CREATED_BY_ID:user:O=Created by|MODIFY_BY_ID:user:O=Modified by|DATE_CREATE:datetime:O=Created on
DATE_MODIFY:datetime:O=Modified on|COMPANY_ID:crm_company=Company|CONTACT_ID:crm_contact=Contact
DATE_CLOSED:datetime:O=Closed on|PHONE:crm_multifield:M=Phone|EMAIL:crm_multifield:M=E-mail|WEB:crm_multifield:M=Website
IM:crm_multifield:M=Messenger`,
  contact: `ID:integer:O=ID|HONORIFIC:crm_status::HONORIFIC=Salutation|NAME:string=First name|SECOND_NAME:string=Second name
LAST_NAME:string=Last name|PHOTO:file=Photo|BIRTHDATE:date=Date of birth|TYPE_ID:crm_status::CONTACT_TYPE=Contact type
SOURCE_ID:crm_status::SOURCE=Source|SOURCE_DESCRIPTION:string=Source information|POST:string=Position|ADDRESS:string=Address
COMMENTS:string=Comment|OPENED:char=Available to everyone|EXPORT:char=Included in export|HAS_PHONE:char:O=Has phone
HAS_EMAIL:char:O=Has e-mail|ASSIGNED_BY_ID:user=Responsible person|CREATED_BY_ID:user:O=Created by
MODIFY_BY_ID:user:O=Modified by|DATE_CREATE:datetime:O=Created on|DATE_MODIFY:datetime:O=Modified on
COMPANY_ID:crm_company=Company|COMPANY_IDS:crm_company:M=Companies|LEAD_ID:crm_lead:O=Lead|PHONE:crm_multifield:M=Phone
EMAIL:crm_multifield:M=E-mail|WEB:crm_multifield:M=Website|IM:crm_multifield:M=Messenger`,
  company: `ID:integer:O=ID|TITLE:string:R=Company name|COMPANY_TYPE:crm_status::COMPANY_TYPE=Company type|LOGO:file=Logo
ADDRESS:string=Address|BANKING_DETAILS:string=Payment details|INDUSTRY:crm_status::INDUSTRY=Industry
EMPLOYEES:crm_status::EMPLOYEES=Employees|CURRENCY_ID:crm_currency=Currency|REVENUE:double=Annual revenue
OPENED:char=Available to everyone|COMMENTS:string=Comment|HAS_PHONE:char:O=Has phone|HAS_EMAIL:char:O=Has e-mail
IS_MY_COMPANY:char=My company|ASSIGNED_BY_ID:user=Responsible person|CREATED_BY_ID:user:O=Created by
MODIFY_BY_ID:user:O=Modified by|DATE_CREATE:datetime:O=Created on|DATE_MODIFY:datetime:O=Modified on
CONTACT_ID:crm_contact:M=Contact|LEAD_ID:crm_lead:O=Lead|PHONE:crm_multifield:M=Phone|EMAIL:crm_multifield:M=E-mail
WEB:crm_multifield:M=Website|IM:crm_multifield:M=Messenger`,
  activity: `ID:integer:O=ID|OWNER_ID:integer:RI=Owner ID|OWNER_TYPE_ID:integer:RI=Owner type|TYPE_ID:crm_enum_activitytype:RI=Type
PROVIDER_ID:string:I=Provider|PROVIDER_TYPE_ID:string:I=Provider type|SUBJECT:string:R=Subject|START_TIME:datetime=Start time
END_TIME:datetime=End time|DEADLINE:datetime=Deadline|COMPLETED:char=Completed|STATUS:crm_enum_activitystatus=Status
RESPONSIBLE_ID:user:R=Responsible person|PRIORITY:crm_enum_activitypriority=Priority|DESCRIPTION:string=Description
DESCRIPTION_TYPE:crm_enum_contenttype=Description type|DIRECTION:crm_enum_activitydirection:I=Direction
LOCATION:string=Location|CREATED:datetime:O=Created on|AUTHOR_ID:user=Author|LAST_UPDATED:datetime:O=Modified on
EDITOR_ID:user:O=Modified by|ORIGIN_ID:string=Item ID in data source|ORIGINATOR_ID:string=Data source
COMMUNICATIONS:crm_activity_communication:RM=Communications|BINDINGS:crm_activity_binding:OM=Bindings`,
  status: `ID:integer:O=ID|ENTITY_ID:string:RI=Entity|STATUS_ID:string:RI=Status ID|NAME:string:R=Name|NAME_INIT:string:O=Default name
SORT:integer=Sort|SYSTEM:char:O=System|CATEGORY_ID:integer:O=Pipeline|COLOR:string=Color|SEMANTICS:string:O=Semantics`,
}

export const CRM_FIELD_TYPES = Object.keys(TABLES)

/** The CRM entity id of a type's user fields (CRM_DEAL, ...). */
export function userFieldEntity(type: string): string {
  return `CRM_${type.toUpperCase()}`
}

export function describeFields(type: string, userFields: readonly UserField[]): PlainObject | undefined {
  const table = TABLES[type]
  if (table === undefined) return undefined
  const out = createObject()
  for (const line of table.split(/[|\n]/)) {
    const [spec, title] = line.split('=') as [string, string]
    const [code, fieldType, flags = '', statusType] = spec.split(':') as [string, string, string?, string?]
    const field: Record<string, unknown> = {
      type: fieldType, isRequired: flags.includes('R'), isReadOnly: flags.includes('O'), isImmutable: flags.includes('I'),
      isMultiple: flags.includes('M'), isDynamic: false, title,
    }
    if (statusType) field.statusType = statusType
    out[code] = field as PlainObject
  }
  for (const uf of userFields) {
    const field: Record<string, unknown> = {
      type: uf.USER_TYPE_ID, isRequired: uf.MANDATORY === 'Y', isReadOnly: false, isImmutable: false, isMultiple: uf.MULTIPLE === 'Y',
      isDynamic: true, title: uf.FIELD_NAME, listLabel: uf.LIST_COLUMN_LABEL, formLabel: uf.EDIT_FORM_LABEL,
      filterLabel: uf.LIST_FILTER_LABEL, settings: uf.SETTINGS,
    }
    if (uf.USER_TYPE_ID === 'enumeration') field.items = (uf.LIST ?? []).map((i) => ({ ID: i.ID, VALUE: i.VALUE }))
    out[uf.FIELD_NAME] = field as PlainObject
  }
  return out
}

/** Which fields hold dates: filters and `order` compare them as dates, add/update normalise them. */
export function dateFields(type: string): Set<string> {
  const out = new Set<string>()
  for (const line of (TABLES[type] ?? '').split(/[|\n]/)) {
    const [code, fieldType] = line.split(':') as [string, string]
    if (fieldType === 'date' || fieldType === 'datetime') out.add(code)
  }
  return out
}
