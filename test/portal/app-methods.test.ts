import { describe, expect, it } from 'vitest'
import { createMockPortal } from '../../src/portal/portal'
import type { PortalSeed } from '../../src/portal/seed'
import { form, json, setup } from './helpers'

const twoUsers = (): PortalSeed => ({
  users: [{ ID: 1, NAME: 'Admin', ADMIN: true }, { ID: 2, NAME: 'Worker' }],
  app: { scope: ['user', 'placement', 'entity'] },
})

function asUser(userId: number) {
  const portal = createMockPortal({ seed: twoUsers() })
  return { portal, admin: portal.issueAuth(1).accessToken, user: portal.issueAuth(userId).accessToken }
}

describe('event.bind / event.unbind / event.get', () => {
  it('BX24-47 bind returns true, get lists {event, handler, auth_type, offline}, unbind returns {count}', async () => {
    const { portal, admin } = asUser(2)
    expect((await form(portal, 'event.bind', 'event=OnCrmDealAdd&handler=https%3A%2F%2Fapp.test%2Fh&auth_type=0', admin)).json.result).toBe(true)
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALUPDATE&handler=https%3A%2F%2Fapp.test%2Fh&auth_type=2', admin)).json.result).toBe(true)
    expect((await form(portal, 'event.get', '', admin)).json.result).toEqual([
      { event: 'ONCRMDEALADD', handler: 'https://app.test/h', auth_type: '0', offline: 0 },
      { event: 'ONCRMDEALUPDATE', handler: 'https://app.test/h', auth_type: '2', offline: 0 },
    ])
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fh', admin)).json.result).toEqual({ count: 1 })
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fapp.test%2Fh', admin)).json.result).toEqual({ count: 0 })
    // auth_type, when sent, filters: 0 does not remove the handler bound for user 2.
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALUPDATE&auth_type=0', admin)).json.result).toEqual({ count: 0 })
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALUPDATE', admin)).json.result).toEqual({ count: 1 })
  })

  it('BX24-47 offline binding or a foreign auth_type by a non-admin is 403 ACCESS_DENIED', async () => {
    const { portal, user } = asUser(2)
    const offline = await form(portal, 'event.bind', 'event=ONCRMDEALADD&event_type=offline', user)
    expect([offline.status, offline.json.error]).toEqual([403, 'ACCESS_DENIED'])
    const foreign = await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&auth_type=1', user)
    expect([foreign.status, foreign.json.error]).toEqual([403, 'ACCESS_DENIED'])
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&auth_type=2', user)).json.result).toBe(true)
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', user)).json.result).toBe(true)
  })

  it('BX24-47 an admin may bind offline; event.get marks it', async () => {
    const { portal, admin } = asUser(2)
    expect((await form(portal, 'event.bind', 'event=ONCRMLEADADD&event_type=offline', admin)).json.result).toBe(true)
    expect((await form(portal, 'event.get', '', admin)).json.result).toEqual([{ event: 'ONCRMLEADADD', handler: '', auth_type: '0', offline: 1 }])
  })

  it('unknown events, missing or bad handlers, duplicates and webhooks are refused with clear errors', async () => {
    const { portal, admin } = asUser(2)
    expect((await form(portal, 'event.bind', 'event=ONNOTHING&handler=https%3A%2F%2Fa.test%2F', admin)).json.error).toBe('ERROR_EVENT_NOT_FOUND')
    expect((await form(portal, 'event.bind', 'event[]=x', admin)).json.error).toBe('ERROR_EVENT_NOT_FOUND')
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD', admin)).json.error).toBe('ERROR_HANDLER_URL_MISMATCH')
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=javascript:alert(1)', admin)).json.error).toBe('ERROR_HANDLER_URL_MISMATCH')
    await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', admin)
    const dup = await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', admin)
    expect([dup.status, dup.json.error]).toEqual([400, 'ERROR_CORE'])
    const hook = createMockPortal()
    const res = await hook.handle({ method: `1/${hook.state.webhooks[0]!.secret}/event.bind`, body: 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', contentType: 'application/x-www-form-urlencoded' })
    expect([res.status, JSON.parse(res.body).error]).toEqual([403, 'WRONG_AUTH_TYPE'])
  })
})

describe('options', () => {
  it('app.option.set is admin only, accepts {options} or flat pairs; get returns one value, all, or [] when empty', async () => {
    const { portal, admin, user } = asUser(2)
    expect((await form(portal, 'app.option.get', '', admin)).text).toContain('"result":[]')
    const denied = await form(portal, 'app.option.set', 'options[a]=1', user)
    expect([denied.status, denied.json.error]).toEqual([403, 'ACCESS_DENIED'])
    expect((await form(portal, 'app.option.set', 'options[a]=1&options[b][]=x', admin)).json.result).toBe(true)
    expect((await json(portal, 'app.option.set', { c: true }, admin)).json.result).toBe(true)
    expect((await form(portal, 'app.option.get', '', user)).json.result).toEqual({ a: '1', b: ['x'], c: true })
    expect((await form(portal, 'app.option.get', 'option=b', user)).json.result).toEqual(['x'])
    expect((await form(portal, 'app.option.get', 'option=missing', user)).json.result).toBeNull()
  })

  it('user.option.* is per user', async () => {
    const { portal, admin, user } = asUser(2)
    await json(portal, 'user.option.set', { options: { theme: 'dark' } }, user)
    expect((await form(portal, 'user.option.get', 'option=theme', user)).json.result).toBe('dark')
    expect((await form(portal, 'user.option.get', 'option=theme', admin)).json.result).toBeNull()
    expect(portal.userOptions(2).theme).toBe('dark')
  })
})

describe('users', () => {
  it('user.current, user.admin and profile reflect the token owner', async () => {
    const { portal, user } = asUser(2)
    expect((await form(portal, 'user.current', '', user)).json.result).toMatchObject({ ID: '2', NAME: 'Worker', ACTIVE: true })
    expect((await form(portal, 'user.current', '', user)).json.result).not.toHaveProperty('ADMIN')
    expect((await form(portal, 'user.admin', '', user)).json.result).toBe(false)
    expect((await form(portal, 'profile', '', portal.issueAuth(1).accessToken)).json.result).toMatchObject({ ID: '1', ADMIN: true })
  })
})

describe('placements', () => {
  it('bind (admin), get, unbind with {count}; unknown placements and bad handlers are refused', async () => {
    const { portal, admin, user } = asUser(2)
    const bind = 'PLACEMENT=CRM_DEAL_DETAIL_TAB&HANDLER=https%3A%2F%2Fapp.test%2Ftab&TITLE=Tab&OPTIONS[errorHandlerUrl]=x'
    expect((await form(portal, 'placement.bind', bind, user)).json.error).toBe('ACCESS_DENIED')
    expect((await form(portal, 'placement.bind', bind, admin)).json.result).toBe(true)
    expect((await form(portal, 'placement.bind', bind, admin)).json.error).toBe('ERROR_PLACEMENT_HANDLER')
    expect((await json(portal, 'placement.bind', { placement: 'left_menu', handler: 'https://app.test/menu' }, admin)).json.result).toBe(true)
    expect((await form(portal, 'placement.get', '', user)).json.result).toEqual([
      { placement: 'CRM_DEAL_DETAIL_TAB', handler: 'https://app.test/tab', title: 'Tab', description: '', options: { errorHandlerUrl: 'x' } },
      { placement: 'LEFT_MENU', handler: 'https://app.test/menu', title: '', description: '', options: [] },
    ])
    expect((await form(portal, 'placement.bind', 'PLACEMENT=NOPE&HANDLER=https%3A%2F%2Fa.test', admin)).json.error).toBe('ERROR_PLACEMENT_NOT_FOUND')
    expect((await form(portal, 'placement.bind', 'PLACEMENT=LEFT_MENU&HANDLER=ftp%3A%2F%2Fa', admin)).json.error).toBe('ERROR_PLACEMENT_HANDLER')
    expect((await form(portal, 'placement.unbind', 'PLACEMENT=CRM_DEAL_DETAIL_TAB', admin)).json.result).toEqual({ count: 1 })
    expect((await form(portal, 'placement.list', '', user)).json.result).toContain('CRM_DEAL_DETAIL_TAB')
  })
})

describe('entity.* app storage', () => {
  it('admin creates an entity; items are added, listed with FILTER/SORT/paging, updated and deleted', async () => {
    const { portal, admin, user } = asUser(2)
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', user)).json.error).toBe('ACCESS_DENIED')
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', admin)).json.result).toBe(true)
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', admin)).json.error).toBe('ERROR_ENTITY_ALREADY_EXISTS')
    expect((await form(portal, 'entity.add', 'ENTITY=this-is-bad&NAME=x', admin)).json.error).toBe('ERROR_ARGUMENT')
    for (let i = 1; i <= 55; i++) {
      expect((await json(portal, 'entity.item.add', { ENTITY: 'menu', NAME: `Dish ${i}`, SORT: 1000 - i, PROPERTY_VALUES: { price: i } }, user)).json.result).toBe(i)
    }
    const list = await json(portal, 'entity.item.get', { ENTITY: 'menu', SORT: { SORT: 'ASC' } }, user)
    expect([list.json.result.length, list.json.total, list.json.next]).toEqual([50, 55, 50])
    expect(list.json.result[0]).toMatchObject({ ID: '55', NAME: 'Dish 55', ENTITY: 'menu', PROPERTY_VALUES: { price: 55 } })
    const filtered = await json(portal, 'entity.item.get', { ENTITY: 'menu', FILTER: { '%NAME': 'Dish 5' } }, user)
    expect(filtered.json.result.map((r: { ID: string }) => r.ID)).toEqual(['5', '50', '51', '52', '53', '54', '55'])
    expect((await json(portal, 'entity.item.update', { ENTITY: 'menu', ID: 5, NAME: 'Soup' }, user)).json.result).toBe(true)
    expect((await json(portal, 'entity.item.delete', { ENTITY: 'menu', ID: 6 }, user)).json.result).toBe(true)
    expect((await json(portal, 'entity.item.delete', { ENTITY: 'menu', ID: 6 }, user)).json.error).toBe('ERROR_ITEM_NOT_FOUND')
    expect((await json(portal, 'entity.item.get', { ENTITY: 'nope' }, user)).json.error).toBe('ERROR_ENTITY_NOT_FOUND')
    expect((await form(portal, 'entity.get', '', user)).json.result).toEqual([{ ENTITY: 'menu', NAME: 'Menu' }])
    expect((await form(portal, 'entity.delete', 'ENTITY=menu', admin)).json.result).toBe(true)
    expect((await form(portal, 'entity.get', 'ENTITY=menu', admin)).json.error).toBe('ERROR_ENTITY_NOT_FOUND')
  })

  it('a seed can ship entities with items', async () => {
    const { portal, token } = setup({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], entities: [{ ENTITY: 'cfg', NAME: 'Config', items: [{ ID: 3, NAME: 'x' }] }] } })
    expect((await form(portal, 'entity.item.get', 'ENTITY=cfg', token)).json.result).toEqual([{ ID: '3', NAME: 'x' }])
  })
})
