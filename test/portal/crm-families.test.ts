// crm.<type>.fields with user fields, crm.<type>.userfield.*, crm.status.*, crm.activity.*, date and LIKE filters.
import { describe, expect, it } from 'vitest'
import { form, json, setup } from './helpers'

describe('crm.<type>.fields and user fields', () => {
  it('DEV-15 .fields describes each field (type, flags, title, statusType) for deal, lead, contact, company, activity, status', async () => {
    const { portal, token } = setup()
    const deal = (await form(portal, 'crm.deal.fields', '', token)).json.result
    expect(deal.STAGE_ID).toEqual({ type: 'crm_status', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, statusType: 'DEAL_STAGE', title: 'Deal stage' })
    expect(deal.ID).toMatchObject({ type: 'integer', isReadOnly: true })
    expect(deal.CONTACT_IDS).toMatchObject({ isMultiple: true })
    expect((await form(portal, 'crm.company.fields', '', token)).json.result.TITLE).toMatchObject({ isRequired: true })
    for (const type of ['lead', 'contact', 'activity', 'status']) {
      expect(Object.keys((await form(portal, `crm.${type}.fields`, '', token)).json.result).length, type).toBeGreaterThan(8)
    }
  })

  it('DEV-15 crm.deal.userfield.add creates UF_CRM_*; .fields lists it with its labels; values are stored on deals', async () => {
    const { portal, token } = setup()
    const add = await json(portal, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'PRIORITY', USER_TYPE_ID: 'enumeration', LABEL: 'Priority', MULTIPLE: 'N', LIST: [{ VALUE: 'High' }, { VALUE: 'Low' }] } }, token)
    expect(add.json.result).toBe(1)
    const fields = (await form(portal, 'crm.deal.fields', '', token)).json.result
    expect(fields.UF_CRM_PRIORITY).toMatchObject({ type: 'enumeration', isDynamic: true, title: 'UF_CRM_PRIORITY', formLabel: 'Priority', listLabel: 'Priority' })
    expect(fields.UF_CRM_PRIORITY.items.map((i: { VALUE: string }) => i.VALUE)).toEqual(['High', 'Low'])
    const got = (await json(portal, 'crm.deal.userfield.get', { id: 1 }, token)).json.result
    expect(got).toMatchObject({ ID: '1', ENTITY_ID: 'CRM_DEAL', FIELD_NAME: 'UF_CRM_PRIORITY', USER_TYPE_ID: 'enumeration', MULTIPLE: 'N' })
    expect((await json(portal, 'crm.deal.update', { id: 3, fields: { UF_CRM_PRIORITY: 'High' } }, token)).json.result).toBe(true)
    expect((await json(portal, 'crm.deal.list', { filter: { UF_CRM_PRIORITY: 'High' }, select: ['ID', 'UF_*'] }, token)).json.result).toEqual([{ ID: '3', UF_CRM_PRIORITY: 'High' }])
    expect((await json(portal, 'crm.deal.userfield.list', { filter: { USER_TYPE_ID: 'enumeration' } }, token)).json.result).toHaveLength(1)
    expect((await json(portal, 'crm.deal.userfield.delete', { id: 1 }, token)).json.result).toBe(true)
    expect((await json(portal, 'crm.deal.userfield.get', { id: 1 }, token)).json).toEqual({ error: 'ERROR_NOT_FOUND', error_description: "The entity with ID '1' is not found" })
  })

  it('DEV-15 userfield errors carry the documented texts', async () => {
    const { portal, token } = setup()
    const add = (fields: Record<string, unknown>) => json(portal, 'crm.lead.userfield.add', { fields }, token)
    expect((await add({ USER_TYPE_ID: 'string' })).json).toEqual({ error: '', error_description: "The 'FIELD_NAME' field is not found." })
    expect((await add({ FIELD_NAME: 'X' })).json).toEqual({ error: '', error_description: "The 'USER_TYPE_ID' field is not found." })
    expect((await add({ FIELD_NAME: 'X', USER_TYPE_ID: 'nonsense' })).json).toEqual({ error: 'ERROR_CORE', error_description: 'Incorrect custom type specified.' })
    expect((await add({ FIELD_NAME: 'bad-name', USER_TYPE_ID: 'string' })).json.error_description).toBe('Field name contains invalid characters. Allowed characters are: A-Z, 0-9 and _.')
    expect((await add({ FIELD_NAME: 'X'.repeat(60), USER_TYPE_ID: 'string' })).json.error_description).toBe('Field name is too long (more than 50 characters).')
    expect((await json(portal, 'crm.lead.userfield.add', { fields: 'x' }, token)).json).toEqual({ error: '', error_description: "Parameter 'fields' must be array." })
  })
})

describe('crm.status.* and crm.activity.*', () => {
  it('DEV-16 crm.status.list filters the reference books; add/update/delete keep them; system entries need FORCED', async () => {
    const { portal, token } = setup()
    const stages = (await json(portal, 'crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE' } }, token)).json.result
    expect(stages.map((s: { STATUS_ID: string }) => s.STATUS_ID)).toEqual(['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE'])
    expect(stages.find((s: { STATUS_ID: string }) => s.STATUS_ID === 'WON')).toMatchObject({ SEMANTICS: 'S', EXTRA: { SEMANTICS: 'success' } })
    const id = (await json(portal, 'crm.status.add', { fields: { ENTITY_ID: 'SOURCE', STATUS_ID: 'TIKTOK', NAME: 'TikTok', SORT: 5 } }, token)).json.result
    expect((await json(portal, 'crm.status.get', { id }, token)).json.result).toMatchObject({ ENTITY_ID: 'SOURCE', STATUS_ID: 'TIKTOK', NAME: 'TikTok', SYSTEM: 'N' })
    expect((await json(portal, 'crm.status.add', { fields: { ENTITY_ID: 'SOURCE', STATUS_ID: 'TIKTOK', NAME: 'x' } }, token)).json).toEqual({ error: 'ERROR_CORE', error_description: 'The specified status ID already exists.' })
    expect((await json(portal, 'crm.status.add', { fields: { NAME: 'x' } }, token)).json.error_description).toBe('The field ENTITY_ID is required., The field STATUS_ID is required.')
    expect((await json(portal, 'crm.status.add', { fields: { ENTITY_ID: 'NOPE', STATUS_ID: 'A', NAME: 'a' } }, token)).json.error_description).toBe('Specified entity type is not supported.')
    expect((await json(portal, 'crm.status.update', { id, fields: { NAME: 'TikTok ads' } }, token)).json.result).toBe(true)
    expect((await json(portal, 'crm.status.delete', { id }, token)).json.result).toBe(true)
    const won = stages.find((s: { STATUS_ID: string }) => s.STATUS_ID === 'WON').ID
    expect((await json(portal, 'crm.status.delete', { id: won }, token)).json.error).toBe('')
    expect((await json(portal, 'crm.status.delete', { id: won, params: { FORCED: 'Y' } }, token)).json.result).toBe(true)
    expect((await json(portal, 'crm.status.entity.items', { entityId: 'DEAL_TYPE' }, token)).json.result[0]).toEqual({ NAME: 'Sales', SORT: 10, STATUS_ID: 'SALE' })
  })

  it('DEV-16 crm.activity.add/list/get/update/delete store activities and raise ONCRMACTIVITY*', async () => {
    const { portal, token } = setup()
    portal.state.events.push({ id: 5, event: 'ONCRMACTIVITYADD', handler: 'https://a.test/h', authType: 0, offline: false, connectorId: '', options: Object.create(null) })
    const id = (await json(portal, 'crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, SUBJECT: 'Call back' } }, token)).json.result
    expect(id).toBe(1)
    expect(portal.deliveries.at(-1)!.event).toBe('ONCRMACTIVITYADD')
    expect((await json(portal, 'crm.activity.list', { filter: { OWNER_ID: 1 } }, token)).json.result[0]).toMatchObject({ ID: '1', SUBJECT: 'Call back', COMPLETED: 'N', RESPONSIBLE_ID: '1' })
    expect((await json(portal, 'crm.activity.update', { id: 1, fields: { COMPLETED: 'Y' } }, token)).json.result).toBe(true)
    expect((await json(portal, 'crm.activity.get', { id: 1 }, token)).json.result.COMPLETED).toBe('Y')
    expect((await json(portal, 'crm.activity.delete', { id: 1 }, token)).json.result).toBe(true)
  })
})

describe('filters', () => {
  it('DEV-17 dates compare as dates: ISO with offsets, a JS Date\'s toJSON(), YYYY-MM-DD and DD.MM.YYYY', async () => {
    const { portal, token } = setup()
    const q = async (filter: Record<string, unknown>) => (await json(portal, 'crm.deal.list', { filter, select: ['ID'], order: { ID: 'ASC' } }, token)).json.result.map((d: { ID: string }) => Number(d.ID))
    // Deal 12 was created 2025-02-03T04:00:00+00:00 (the default seed: every third day, i % 7 hours).
    expect(await q({ '>=DATE_CREATE': '2025-02-01', '<DATE_CREATE': '2025-03-01' })).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20])
    expect(await q({ '>=DATE_CREATE': new Date(Date.UTC(2025, 1, 1)).toJSON(), '<DATE_CREATE': '01.03.2025' })).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20])
    // 2025-02-03T04:00 UTC is 06:00 at +02:00: the offset is honoured.
    expect(await q({ DATE_CREATE: '2025-02-03T06:00:00+02:00' })).toEqual([12])
    expect(await q({ '>DATE_CREATE': '2025-02-03T06:00:01+02:00', '<DATE_CREATE': '2025-02-07' })).toEqual([13])
  })

  it('DEV-17 =% and %= are LIKE with the caller\'s own wildcards; % alone is "contains"', async () => {
    const { portal, token } = setup()
    const q = async (filter: Record<string, unknown>) => (await json(portal, 'crm.deal.list', { filter, select: ['ID'] }, token)).json.result.map((d: { ID: string }) => Number(d.ID))
    expect(await q({ '=%TITLE': 'deal #11%' })).toEqual([11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119])
    expect(await q({ '%=TITLE': '%#1_0' })).toEqual([100, 110, 120])
    expect(await q({ '%TITLE': '#12' })).toEqual([12, 120])
    expect(await q({ '=%TITLE': 'Deal #1.' })).toEqual([])
  })
})
