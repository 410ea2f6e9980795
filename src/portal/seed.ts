// The seed: a plain, JSON-able description of a portal. Tests pass their own; the default one below gives a demo
// portal enough rows (120 deals) that paging is visible.

import { randomHex } from './tokens'

export interface SeedUser {
  ID: number
  NAME: string
  LAST_NAME?: string
  EMAIL?: string
  /** Portal administrator: IS_ADMIN in getInitData, admin-only methods allowed. */
  ADMIN?: boolean
  ACTIVE?: boolean
  WORK_POSITION?: string
  UF_DEPARTMENT?: number[]
  PERSONAL_PHOTO?: string
  [field: string]: unknown
}

export interface SeedApp {
  clientId?: string
  code?: string
  version?: number
  /** Scopes granted to the app, e.g. ['crm', 'user', 'placement', 'entity']. */
  scope?: string[]
  status?: 'L' | 'F' | 'D' | 'T' | 'P'
  /** false: the app is not installed yet, so an admin gets INSTALL: true in getInitData. */
  installed?: boolean
  applicationToken?: string
  /** The app's installation handler: ONAPPINSTALL is POSTed here when the install finishes. */
  installHandler?: string
}

export interface SeedEventBinding {
  event: string
  handler: string
  auth_type?: number
  offline?: boolean
}

export interface SeedPlacementBinding {
  placement: string
  handler: string
  title?: string
  description?: string
  options?: Record<string, unknown>
}

export interface SeedEntity {
  ENTITY: string
  NAME: string
  items?: Record<string, unknown>[]
  /** entity.item.property.* definitions: items keep their values under PROPERTY_VALUES[PROPERTY]. */
  properties?: { PROPERTY: string; NAME?: string; TYPE?: 'S' | 'N' | 'F'; SORT?: number }[]
}

export interface SeedList {
  ID: number
  NAME: string
  IBLOCK_TYPE_ID?: string
  CODE?: string
  elements?: Record<string, unknown>[]
}

/** How the dev portal opens the app: any placement code and its PLACEMENT_OPTIONS. */
export interface SeedLaunch {
  placement?: string
  options?: Record<string, unknown>
}

export interface SeedWebhook {
  userId: number
  secret: string
  scope?: string[]
}

export interface PortalSeed {
  portal?: { domain?: string; memberId?: string; lang?: string; path?: string }
  app?: SeedApp
  users?: SeedUser[]
  departments?: Record<string, unknown>[]
  /** Records per CRM entity type: { deal: [...], contact: [...] } answer crm.deal.*, crm.contact.*. */
  crm?: Record<string, Record<string, unknown>[]>
  appOptions?: Record<string, unknown>
  /** Keyed by user id. */
  userOptions?: Record<string, Record<string, unknown>>
  /** Users who have already run the app (their FIRST_RUN is false). */
  installedFor?: number[]
  events?: SeedEventBinding[]
  placements?: SeedPlacementBinding[]
  entities?: SeedEntity[]
  webhooks?: SeedWebhook[]
  /** Tasks (tasks.task.*, task.item.*) with the upper-case field names of the task table. */
  tasks?: Record<string, unknown>[]
  lists?: SeedList[]
  launch?: SeedLaunch
}

const FIRST = ['Anna', 'Boris', 'Clara', 'Dmitry', 'Elena', 'Felix', 'Greta', 'Hugo']
const LAST = ['Ivanova', 'Petrov', 'Schmidt', 'Novak', 'Rossi', 'Moreau', 'Berg', 'Lind']
const STAGES = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE']
const SOURCES = ['WEB', 'CALL', 'EMAIL', 'PARTNER', 'ADVERTISING']

/** Deterministic ISO date (no randomness, so test expectations never drift). */
function day(i: number): string {
  return new Date(Date.UTC(2025, 0, 1) + i * 86_400_000 * 3 + (i % 7) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

const TASK_TITLES = ['Call the client', 'Prepare the offer', 'Update the price list', 'Check the contract', 'Plan the demo']

/** 36 tasks over users 1-3: enough for two pages of the legacy task.item.list at 20 a page, or several at 10. */
function defaultTasks(): Record<string, unknown>[] {
  return Array.from({ length: 36 }, (_, i) => ({
    ID: i + 1, TITLE: `${TASK_TITLES[i % TASK_TITLES.length]} #${i + 1}`, DESCRIPTION: '', RESPONSIBLE_ID: (i % 3) + 1,
    CREATED_BY: 1, STATUS: [2, 3, 5][i % 3], PRIORITY: i % 4 === 0 ? 2 : 1, GROUP_ID: 0, PARENT_ID: 0,
    CREATED_DATE: day(i), CHANGED_DATE: day(i), DEADLINE: i % 2 ? day(i + 5) : null, CLOSED_DATE: null,
  }))
}

/**
 * The demo portal. Its rows are fixed; its secrets (inbound webhook secret, member id, application token) are new on
 * every call: a portal that runs next to a browser must not answer to a secret every website could know. A seed
 * of your own pins them (`webhooks`, `portal.memberId`, `app.applicationToken`).
 */
export function defaultSeed(): PortalSeed {
  const users: SeedUser[] = FIRST.slice(0, 6).map((name, i) => ({
    ID: i + 1,
    NAME: name,
    LAST_NAME: LAST[i]!,
    EMAIL: `${name.toLowerCase()}@example.test`,
    ADMIN: i === 0,
    ACTIVE: i !== 5,
    WORK_POSITION: i === 0 ? 'Director' : i < 3 ? 'Sales manager' : 'Support',
    UF_DEPARTMENT: [i === 0 ? 1 : i < 3 ? 2 : 3],
    PERSONAL_PHOTO: '',
  }))
  const companies = Array.from({ length: 10 }, (_, i) => ({
    ID: i + 1, TITLE: `Company ${i + 1}`, COMPANY_TYPE: i % 2 ? 'CUSTOMER' : 'PARTNER', ASSIGNED_BY_ID: (i % 3) + 1,
    DATE_CREATE: day(i),
  }))
  const contacts = Array.from({ length: 30 }, (_, i) => ({
    ID: i + 1, NAME: FIRST[i % FIRST.length]!, LAST_NAME: LAST[(i * 3) % LAST.length]!, COMPANY_ID: (i % 10) + 1,
    ASSIGNED_BY_ID: (i % 3) + 1, SOURCE_ID: SOURCES[i % SOURCES.length]!, DATE_CREATE: day(i),
  }))
  const leads = Array.from({ length: 25 }, (_, i) => ({
    ID: i + 1, TITLE: `Lead ${i + 1}`, NAME: FIRST[(i + 2) % FIRST.length]!, STATUS_ID: i % 4 ? 'NEW' : 'IN_PROCESS',
    SOURCE_ID: SOURCES[i % SOURCES.length]!, OPPORTUNITY: ((i * 37) % 50) * 100, ASSIGNED_BY_ID: (i % 3) + 1,
    DATE_CREATE: day(i),
  }))
  const deals = Array.from({ length: 120 }, (_, i) => ({
    ID: i + 1, TITLE: `Deal #${i + 1}`, STAGE_ID: STAGES[i % STAGES.length]!, CATEGORY_ID: i % 10 === 9 ? 1 : 0,
    OPPORTUNITY: ((i * 7919) % 100) * 250 + 1000, CURRENCY_ID: i % 5 ? 'EUR' : 'USD', CONTACT_ID: (i % 30) + 1,
    COMPANY_ID: (i % 10) + 1, ASSIGNED_BY_ID: (i % 3) + 1, SOURCE_ID: SOURCES[i % SOURCES.length]!, CLOSED: i % 7 >= 5 ? 'Y' : 'N',
    DATE_CREATE: day(i), COMMENTS: i % 4 ? '' : `Follow up with contact ${(i % 30) + 1}`,
  }))
  return {
    portal: { domain: 'dev-portal.bitrix24.test', memberId: randomHex(16), lang: 'en', path: '/rest' },
    app: {
      clientId: 'local.5f0e1d2c3b4a59.12345678', code: 'local.dev.app', version: 1, status: 'L', installed: true,
      scope: ['crm', 'user', 'user_brief', 'user_basic', 'department', 'placement', 'entity', 'im', 'pull', 'task', 'lists', 'bizproc'],
      applicationToken: randomHex(16),
    },
    users,
    departments: [
      { ID: 1, NAME: 'Dev Portal Ltd', SORT: 500, UF_HEAD: 1 },
      { ID: 2, NAME: 'Sales', SORT: 500, PARENT: 1, UF_HEAD: 2 },
      { ID: 3, NAME: 'Support', SORT: 500, PARENT: 1, UF_HEAD: 4 },
    ],
    crm: { deal: deals, contact: contacts, lead: leads, company: companies },
    appOptions: {},
    userOptions: {},
    installedFor: [1, 2, 3, 4, 5, 6],
    events: [],
    placements: [],
    entities: [],
    webhooks: [{ userId: 1, secret: randomHex(12) }],
    tasks: defaultTasks(),
  }
}
