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
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALUPDATE&handler=https%3A%2F%2Fapp.test%2Fh&auth_type=0', admin)).json.result).toEqual({ count: 0 })
    expect((await form(portal, 'event.unbind', 'event=ONCRMDEALUPDATE&handler=https%3A%2F%2Fapp.test%2Fh', admin)).json.result).toEqual({ count: 1 })
  })

  it('BX24-47 offline binding or a foreign auth_type by a non-admin is 403 ACCESS_DENIED with Bitrix\'s texts', async () => {
    const { portal, user } = asUser(2)
    const offline = await form(portal, 'event.bind', 'event=ONCRMDEALADD&event_type=offline', user)
    expect([offline.status, offline.json]).toEqual([403, { error: 'ACCESS_DENIED', error_description: 'Access denied! Offline events binding requires administrator access rights' }])
    const foreign = await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&auth_type=1', user)
    expect([foreign.status, foreign.json]).toEqual([403, { error: 'ACCESS_DENIED', error_description: 'Access denied! Event binding with AUTH_TYPE requires administrator access rights' }])
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&auth_type=2', user)).json.result).toBe(true)
    // A user's own binding always carries their id: a second one without auth_type is the same handler.
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', user)).json.error).toBe('ERROR_CORE')
    expect((await form(portal, 'event.get', '', user)).json.result).toEqual([{ event: 'ONCRMDEALADD', handler: 'https://a.test/', auth_type: '2', offline: 0 }])
    // Bitrix compares a non-admin's AUTH_TYPE to the user id strictly, so a form body's string never matches.
    const unbind = await form(portal, 'event.unbind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&auth_type=2', user)
    expect(unbind.json.error_description).toBe('Access denied! Event unbinding with AUTH_TYPE requires administrator access rights')
    expect((await json(portal, 'event.unbind', { event: 'ONCRMDEALADD', handler: 'https://a.test/', auth_type: 2 }, user)).json.result).toEqual({ count: 1 })
  })

  it('BX24-47 an admin may bind offline; event.get marks it with its connector', async () => {
    const { portal, admin } = asUser(2)
    expect((await form(portal, 'event.bind', 'event=ONCRMLEADADD&event_type=offline', admin)).json.result).toBe(true)
    expect((await form(portal, 'event.get', '', admin)).json.result).toEqual([{ event: 'ONCRMLEADADD', connector_id: '', offline: 1 }])
  })

  it('DEV-10 unknown events, missing or bad handlers, duplicates and webhooks get Bitrix\'s codes and texts', async () => {
    const { portal, admin } = asUser(2)
    expect((await form(portal, 'event.bind', 'event=ONNOTHING&handler=https%3A%2F%2Fa.test%2F', admin)).json).toEqual({ error: 'ERROR_EVENT_NOT_FOUND', error_description: 'Event not found' })
    expect((await form(portal, 'event.bind', 'handler=https%3A%2F%2Fa.test%2F', admin)).json).toEqual({ error: 'ERROR_ARGUMENT', error_description: "Argument 'EVENT' is null or empty", argument: 'EVENT' })
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD', admin)).json).toEqual({ error: 'ERROR_ARGUMENT', error_description: "Argument 'HANDLER' is null or empty", argument: 'HANDLER' })
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=javascript:alert(1)', admin)).json).toEqual({ error: 'ERROR_WRONG_HANDLER_URL', error_description: 'Wrong handler URL' })
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=ftp%3A%2F%2Fa.test%2F', admin)).json.error).toBe('ERROR_UNSUPPORTED_PROTOCOL')
    expect((await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F&event_type=sometimes', admin)).json.error_description).toBe('Value must be one of {online|offline}')
    await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', admin)
    const dup = await form(portal, 'event.bind', 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', admin)
    expect([dup.status, dup.json]).toEqual([400, { error: 'ERROR_CORE', error_description: 'Unable to set event handler: Handler already binded' }])
    const hook = createMockPortal()
    const res = await hook.handle({ method: `1/${hook.state.webhooks[0]!.secret}/event.bind`, body: 'event=ONCRMDEALADD&handler=https%3A%2F%2Fa.test%2F', contentType: 'application/x-www-form-urlencoded' })
    expect([res.status, JSON.parse(res.body)]).toEqual([403, { error: 'WRONG_AUTH_TYPE', error_description: 'Current authorization type is denied for this method' }])
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
  it('DEV-11 bind (admin), get, unbind with Bitrix\'s codes, texts and its double count', async () => {
    const { portal, admin, user } = asUser(2)
    const bind = 'PLACEMENT=CRM_DEAL_DETAIL_TAB&HANDLER=https%3A%2F%2Fapp.test%2Ftab&TITLE=Tab&OPTIONS[errorHandlerUrl]=x'
    expect((await form(portal, 'placement.bind', bind, user)).json).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied!' })
    expect((await form(portal, 'placement.bind', bind, admin)).json.result).toBe(true)
    expect((await form(portal, 'placement.bind', bind, admin)).json).toEqual({ error: 'ERROR_CORE', error_description: 'Unable to set placement handler: Handler already binded' })
    expect((await json(portal, 'placement.bind', { placement: 'left_menu', handler: 'https://app.test/menu' }, admin)).json.result).toBe(true)
    expect((await form(portal, 'placement.get', '', admin)).json.result).toEqual([
      { placement: 'CRM_DEAL_DETAIL_TAB', userId: 0, handler: 'https://app.test/tab', options: { errorHandlerUrl: 'x' }, title: 'Tab', description: '', langAll: { en: { TITLE: 'Tab', DESCRIPTION: '', GROUP_NAME: '' } } },
      { placement: 'LEFT_MENU', userId: 0, handler: 'https://app.test/menu', options: [], title: '', description: '', langAll: { en: { TITLE: '', DESCRIPTION: '', GROUP_NAME: '' } } },
    ])
    expect((await form(portal, 'placement.get', '', user)).json.error).toBe('ACCESS_DENIED')
    expect((await form(portal, 'placement.bind', 'PLACEMENT=NOPE&HANDLER=https%3A%2F%2Fa.test', admin)).json).toEqual({ error: 'ERROR_PLACEMENT_NOT_FOUND', error_description: 'Placement not found' })
    expect((await form(portal, 'placement.bind', 'PLACEMENT=DEFAULT&HANDLER=https%3A%2F%2Fa.test', admin)).json).toEqual({ error: 'ERROR_ARGUMENT', error_description: 'Wrong value', argument: 'PLACEMENT' })
    expect((await form(portal, 'placement.bind', 'PLACEMENT=LEFT_MENU&HANDLER=ftp%3A%2F%2Fa.test', admin)).json.error).toBe('ERROR_UNSUPPORTED_PROTOCOL')
    expect((await form(portal, 'placement.bind', 'PLACEMENT=REST_APP_URI&HANDLER=https%3A%2F%2Fa.test%2F1', admin)).json.result).toBe(true)
    expect((await form(portal, 'placement.bind', 'PLACEMENT=REST_APP_URI&HANDLER=https%3A%2F%2Fa.test%2F2', admin)).json).toEqual({ error: 'ERROR_PLACEMENT_MAX_COUNT', error_description: 'Placement max count: 1' })
    expect((await form(portal, 'placement.bind', 'PLACEMENT=CRM_LEAD_DETAIL_TAB&HANDLER=https%3A%2F%2Fa.test&USER_ID=2', admin)).json.error).toBe('ERROR_PLACEMENT_USER_MODE')
    expect((await form(portal, 'placement.unbind', '', admin)).json.error_description).toBe("The value of an argument 'PLACEMENT' must be of type string")
    expect((await form(portal, 'placement.unbind', 'PLACEMENT=', admin)).json.error_description).toBe("Argument 'PLACEMENT' is null or empty")
    // Bitrix's unbind counts each removed handler twice.
    expect((await form(portal, 'placement.unbind', 'PLACEMENT=CRM_DEAL_DETAIL_TAB', admin)).json.result).toEqual({ count: 2 })
    expect((await form(portal, 'placement.list', '', user)).json.result).toContain('TASK_VIEW_SIDEBAR')
    const fresh = createMockPortal()
    const hook = await fresh.handle({ method: `1/${fresh.state.webhooks[0]!.secret}/placement.list`, body: '', contentType: 'application/x-www-form-urlencoded' })
    expect(JSON.parse(hook.body)).toEqual({ error: 'WRONG_AUTH_TYPE', error_description: 'Current authorization type is denied for this method Application context required' })
  })
})

describe('entity.* app storage', () => {
  it('admin creates an entity; items are added, listed with FILTER/SORT/paging, updated and deleted', async () => {
    const { portal, admin, user } = asUser(2)
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', user)).json.error).toBe('ACCESS_DENIED')
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', admin)).json.result).toBe(true)
    expect((await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', admin)).json.error).toBe('ERROR_ENTITY_ALREADY_EXISTS')
    expect((await form(portal, 'entity.add', 'ENTITY=this_is_too_long&NAME=x', admin)).json.error_description).toBe('Entity code is too long. Max length is 13 characters.')
    expect((await form(portal, 'entity.add', 'NAME=x', admin)).json.error_description).toBe("Argument 'ENTITY' is null or empty")
    expect((await form(portal, 'entity.item.property.add', 'ENTITY=menu&PROPERTY=price&NAME=Price&TYPE=N', admin)).json.result).toBe(true)
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
    expect((await form(portal, 'entity.get', '', user)).json.result).toEqual([{ ID: '1', IBLOCK_TYPE_ID: 'rest_entity', ENTITY: 'menu', NAME: 'Menu' }])
    expect((await form(portal, 'entity.delete', 'ENTITY=menu', admin)).json.result).toBe(true)
    expect((await form(portal, 'entity.get', 'ENTITY=menu', admin)).json.error).toBe('ERROR_ENTITY_NOT_FOUND')
  })

  it('a seed can ship entities with items', async () => {
    const { portal, token } = setup({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], entities: [{ ENTITY: 'cfg', NAME: 'Config', items: [{ ID: 3, NAME: 'x' }] }] } })
    expect((await form(portal, 'entity.item.get', 'ENTITY=cfg', token)).json.result).toEqual([{ ID: '3', NAME: 'x' }])
  })
})
