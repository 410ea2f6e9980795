// user.* and department.* as Bitrix's rest and intranet modules answer them.
import { describe, expect, it } from 'vitest'
import { createMockPortal } from '../../src/portal/portal'
import { form, json, setup } from './helpers'

const ids = (rows: { ID: string }[]) => rows.map((r) => Number(r.ID))

describe('user.*', () => {
  it('DEV-13 user.get: a FILTER array replaces the whole query (Bitrix keeps that mistake), sort needs sort and order', async () => {
    const { portal, token } = setup()
    // The top-level NAME is ignored once FILTER is there.
    expect(ids((await form(portal, 'user.get', 'NAME=Boris&FILTER[UF_DEPARTMENT]=2', token)).json.result)).toEqual([2, 3])
    expect(ids((await form(portal, 'user.get', 'NAME=Boris', token)).json.result)).toEqual([2])
    expect(ids((await form(portal, 'user.get', 'sort=ID&order=DESC&FILTER[ACTIVE]=Y', token)).json.result)).toEqual([5, 4, 3, 2, 1])
    // Unknown filter fields are dropped, not errors.
    expect((await form(portal, 'user.get', 'FILTER[NO_SUCH]=1', token)).json.total).toBe(6)
  })

  it('DEV-13 user.get: ACTIVE is "Y" for any non-empty value but N, so the text "false" means active, as on Bitrix', async () => {
    const { portal, token } = setup()
    expect((await form(portal, 'user.get', 'FILTER[ACTIVE]=false', token)).json.total).toBe(5)
    expect((await json(portal, 'user.get', { FILTER: { ACTIVE: false } }, token)).json.result.map((u: { ID: string }) => u.ID)).toEqual(['6'])
  })

  it('DEV-13 an empty user.get answer has no total; user fields depend on the token scope', async () => {
    const { portal, token } = setup()
    const none = await form(portal, 'user.get', 'FILTER[ID]=999', token)
    expect(none.json.result).toEqual([])
    expect(none.json).not.toHaveProperty('total')
    const brief = createMockPortal({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true, EMAIL: 'a@x.test' }], app: { scope: ['user_brief'] } } })
    const me = await form(brief, 'user.current', '', brief.issueAuth(1).accessToken)
    expect(me.json.result).toMatchObject({ ID: '1', NAME: 'A', ACTIVE: true })
    expect(me.json.result).not.toHaveProperty('EMAIL')
    expect((await form(portal, 'user.current', '', token)).json.result.EMAIL).toBe('anna@example.test')
  })

  it('DEV-13 user.search: FIND matches name, position or e-mail by word prefix; NAME searches too', async () => {
    const { portal, token } = setup()
    expect(ids((await json(portal, 'user.search', { FIND: 'bor pet' }, token)).json.result)).toEqual([2])
    expect(ids((await json(portal, 'user.search', { FILTER: { FIND: 'sales' } }, token)).json.result)).toEqual([2, 3])
    expect(ids((await json(portal, 'user.search', { NAME: 'cl' }, token)).json.result)).toEqual([3])
  })

  it('DEV-13 user.update: admin any user, a user only themself and not ACTIVE/UF_DEPARTMENT; refusals are ERROR_CORE access_denied', async () => {
    const { portal, token } = setup()
    const boris = portal.issueAuth(2).accessToken
    expect((await json(portal, 'user.update', { ID: 3, WORK_POSITION: 'Lead', ACTIVE: 'N' }, token)).json.result).toBe(true)
    expect(portal.user(3)).toMatchObject({ WORK_POSITION: 'Lead', ACTIVE: false })
    expect((await json(portal, 'user.update', { ID: 3, NAME: 'X' }, boris)).json).toEqual({ error: 'ERROR_CORE', error_description: 'access_denied' })
    expect((await json(portal, 'user.update', { ID: 2, NAME: 'Bob', ACTIVE: 'N', UF_DEPARTMENT: [1] }, boris)).json.result).toBe(true)
    expect(portal.user(2)).toMatchObject({ NAME: 'Bob', ACTIVE: true, UF_DEPARTMENT: [2] })
    expect((await json(portal, 'user.update', { NAME: 'no id' }, token)).json.error_description).toBe('access_denied')
    expect((await json(portal, 'user.update', { ID: 99, NAME: 'ghost' }, token)).json).toEqual({ error: 'ERROR_CORE', error_description: '' })
  })

  it('DEV-13 user.add (admin): checks the e-mail, refuses duplicates, raises ONUSERADD; user.fields lists titles', async () => {
    const { portal, token } = setup()
    expect((await json(portal, 'user.add', { EMAIL: 'not an email' }, token)).json).toEqual({ error: 'ERROR_ARGUMENT', error_description: 'wrong_email' })
    expect((await json(portal, 'user.add', { EMAIL: 'anna@example.test' }, token)).json.error_description).toBe('A user with this email already exists')
    expect((await json(portal, 'user.add', { EMAIL: 'x@y.test' }, portal.issueAuth(2).accessToken)).json.error_description).toBe('access_denied')
    portal.state.events.push({ id: 9, event: 'ONUSERADD', handler: 'https://a.test/h', authType: 0, offline: false, connectorId: '', options: Object.create(null) })
    const added = await json(portal, 'user.add', { EMAIL: 'new@example.test', NAME: 'Nina', UF_DEPARTMENT: 3 }, token)
    expect(added.json.result).toBe(7)
    expect(portal.user(7)).toMatchObject({ NAME: 'Nina', EMAIL: 'new@example.test', UF_DEPARTMENT: [3], ACTIVE: true })
    expect(portal.deliveries.at(-1)!.event).toBe('ONUSERADD')
    expect((await form(portal, 'user.fields', '', token)).json.result).toMatchObject({ NAME: 'First name', UF_DEPARTMENT: 'Departments' })
  })
})

describe('department.*', () => {
  it('DEV-14 department.get filters and sorts; add/update/delete need an admin; one top-level department', async () => {
    const { portal, token } = setup()
    expect(ids((await form(portal, 'department.get', 'PARENT=1', token)).json.result)).toEqual([2, 3])
    expect(ids((await form(portal, 'department.get', 'sort=NAME&order=DESC', token)).json.result)).toEqual([3, 2, 1])
    expect((await json(portal, 'department.add', { NAME: 'Top' }, token)).json).toEqual({ error: 'ERROR_CORE', error_description: 'There can only be one top-level department in the company structure' })
    expect((await json(portal, 'department.add', { PARENT: 1 }, token)).json.error_description).toBe('Department name not provided.<br>')
    expect((await json(portal, 'department.add', { NAME: 'QA', PARENT: 3 }, portal.issueAuth(2).accessToken)).json.error_description).toBe('Access denied')
    expect((await json(portal, 'department.add', { NAME: 'QA', PARENT: 3, UF_HEAD: 5 }, token)).json.result).toBe(4)
    expect((await json(portal, 'department.update', { ID: 4, NAME: 'Quality' }, token)).json.result).toBe(true)
    expect((await form(portal, 'department.get', 'ID=4', token)).json.result).toEqual([{ ID: '4', NAME: 'Quality', SORT: '500', PARENT: '3', UF_HEAD: '5' }])
    expect((await json(portal, 'department.update', { ID: 40 }, token)).json.error_description).toBe('Department not found')
    expect((await json(portal, 'department.delete', { ID: 4 }, token)).json.result).toBe(true)
    expect((await form(portal, 'department.fields', '', token)).json.result).toHaveProperty('UF_HEAD')
  })
})
