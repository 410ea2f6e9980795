import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/portal/clock'
import { form, json, setup } from './helpers'

const ids = (rows: { ID: string }[]) => rows.map((r) => Number(r.ID))

describe('paging (list methods)', () => {
  it('BX24-44 returns 50 rows, the total count and next while rows remain', async () => {
    const { portal, token } = setup()
    const p1 = await form(portal, 'crm.deal.list', '', token)
    expect(p1.json.result).toHaveLength(50)
    expect([p1.json.total, p1.json.next]).toEqual([120, 50])
    const p3 = await form(portal, 'crm.deal.list', 'start=100', token)
    expect(p3.json.result).toHaveLength(20)
    expect(p3.json.total).toBe(120)
    expect(p3.json).not.toHaveProperty('next')
    expect(ids(p3.json.result)[0]).toBe(101)
  })

  it('BX24-44 start=-1 skips counting: total 0, no next, at most 50 rows', async () => {
    const { portal, token } = setup()
    const res = await form(portal, 'crm.deal.list', 'start=-1&order[ID]=ASC&filter[>ID]=10', token)
    expect(res.json.result).toHaveLength(50)
    expect(res.json.total).toBe(0)
    expect(res.json).not.toHaveProperty('next')
    expect(ids(res.json.result)[0]).toBe(11)
  })

  it('BX24-44 next is exact at the boundary and junk start values count as 0', async () => {
    const { portal, token } = setup()
    const at = await form(portal, 'crm.deal.list', 'start=70', token)
    expect([at.json.result.length, at.json.next]).toEqual([50, undefined])
    expect(at.json).not.toHaveProperty('next')
    const junk = await form(portal, 'crm.deal.list', 'start=abc', token)
    expect(ids(junk.json.result)[0]).toBe(1)
    const past = await form(portal, 'crm.deal.list', 'start=500', token)
    expect([past.json.result, past.json.total]).toEqual([[], 120])
  })

  it('BX24-44 user.get pages and filters too', async () => {
    const { portal, token } = setup()
    const res = await form(portal, 'user.get', 'FILTER[ACTIVE]=true&sort=ID&order=DESC', token)
    expect(ids(res.json.result)).toEqual([5, 4, 3, 2, 1])
    expect(res.json.total).toBe(5)
    const byName = await form(portal, 'user.get', 'NAME=boris', token)
    expect(ids(byName.json.result)).toEqual([2])
    const byDept = await form(portal, 'user.get', 'UF_DEPARTMENT=3', token)
    expect(ids(byDept.json.result)).toEqual([4, 5, 6])
  })
})

describe('crm.<entity>.* on the record store', () => {
  it('filters with =, !, >, <, >=, <=, %, @ and !% prefixes', async () => {
    const { portal, token } = setup()
    const q = async (filter: Record<string, unknown>) => ids((await json(portal, 'crm.deal.list', { filter, select: ['ID'] }, token)).json.result)
    expect(await q({ '=ID': 5 })).toEqual([5])
    expect(await q({ ID: '5' })).toEqual([5])
    expect((await q({ '!STAGE_ID': 'NEW' })).length).toBe(50)
    expect(await q({ '>ID': 117 })).toEqual([118, 119, 120])
    expect(await q({ '<ID': 3 })).toEqual([1, 2])
    expect(await q({ '>=ID': 119, '<=ID': 120 })).toEqual([119, 120])
    expect(await q({ '%TITLE': 'deal #11', '<ID': 115 })).toEqual([11, 110, 111, 112, 113, 114])
    expect(await q({ '@ID': [3, 9, 400] })).toEqual([3, 9])
    expect(await q({ ID: [4, 6] })).toEqual([4, 6])
    expect(await q({ '!@ID': [1, 2], '<ID': 5 })).toEqual([3, 4])
    expect(await q({ '!%TITLE': '1', '<ID': 10 })).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(await q({ '>=DATE_CREATE': '2025-12-01', '<ID': 200 })).toEqual([113, 114, 115, 116, 117, 118, 119, 120])
  })

  it('orders by several fields and selects fields (ID always comes back)', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'crm.deal.list', { order: { STAGE_ID: 'DESC', ID: 'DESC' }, filter: { '<=ID': 14 }, select: ['STAGE_ID'] }, token)
    expect(res.json.result.slice(0, 3)).toEqual([
      { ID: '13', STAGE_ID: 'WON' }, { ID: '6', STAGE_ID: 'WON' }, { ID: '10', STAGE_ID: 'PREPAYMENT_INVOICE' },
    ])
    const numeric = await json(portal, 'crm.deal.list', { order: { OPPORTUNITY: 'ASC' }, select: ['OPPORTUNITY'], start: -1 }, token)
    const values = numeric.json.result.map((r: { OPPORTUNITY: string }) => Number(r.OPPORTUNITY))
    expect(values).toEqual([...values].sort((a, b) => a - b))
  })

  it('add, get, update and delete a contact; values come back as strings', async () => {
    const clock = createManualClock(Date.UTC(2026, 1, 2, 3, 4, 5))
    const { portal, token } = setup({ clock })
    const add = await json(portal, 'crm.contact.add', { fields: { NAME: 'Zoe', OPENED: 'Y', COMPANY_ID: 3 } }, token)
    expect(add.json.result).toBe(31)
    const got = await form(portal, 'crm.contact.get', 'id=31', token)
    expect(got.json.result).toMatchObject({ ID: '31', NAME: 'Zoe', COMPANY_ID: '3', DATE_CREATE: '2026-02-02T03:04:05+00:00' })
    expect((await form(portal, 'crm.contact.update', 'id=31&fields[NAME]=Zoey&fields[ID]=999', token)).json.result).toBe(true)
    expect((await form(portal, 'crm.contact.get', 'ID=31', token)).json.result).toMatchObject({ ID: '31', NAME: 'Zoey' })
    expect((await form(portal, 'crm.contact.delete', 'id=31', token)).json.result).toBe(true)
    expect((await form(portal, 'crm.contact.get', 'id=31', token)).status).toBe(400)
    expect(portal.records('crm.contact')).toHaveLength(30)
  })

  it('crm types without data and unknown actions are ERROR_METHOD_NOT_FOUND', async () => {
    const { portal, token } = setup()
    expect((await form(portal, 'crm.invoice.list', '', token)).status).toBe(404)
    expect((await form(portal, 'crm.deal.explode', '', token)).status).toBe(404)
    expect((await form(portal, 'crm.lead.list', '', token)).json.total).toBe(25)
    expect((await form(portal, 'crm.company.list', '', token)).json.total).toBe(10)
  })

  it('a seed can add any CRM type as plain JSON', async () => {
    const { portal, token } = setup({ seed: { users: [{ ID: 1, NAME: 'A' }], crm: { quote: [{ ID: 4, TITLE: 'Q' }] } } })
    expect((await form(portal, 'crm.quote.get', 'id=4', token)).json.result).toEqual({ ID: '4', TITLE: 'Q' })
    expect((await json(portal, 'crm.quote.add', { fields: { TITLE: 'R' } }, token)).json.result).toBe(5)
  })
})
