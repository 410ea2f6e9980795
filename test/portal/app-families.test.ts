// entity.item.property.*, lists.*, im.*, userfieldtype.*, bizproc.robot.*, app.info, batch and event deliveries.
import { describe, expect, it } from 'vitest'
import { createMockPortal } from '../../src/portal/portal'
import { form, json, setup } from './helpers'

describe('entity.item.property.* and FILTER[PROPERTY_<CODE>]', () => {
  it('DEV-19 properties are declared, items keep only declared PROPERTY_VALUES, filters and sorts reach them', async () => {
    const { portal, token } = setup()
    await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', token)
    expect((await json(portal, 'entity.item.property.add', { ENTITY: 'menu', PROPERTY: 'price', NAME: 'Price', TYPE: 'N' }, token)).json.result).toBe(true)
    expect((await json(portal, 'entity.item.property.add', { ENTITY: 'menu', PROPERTY: 'price', TYPE: 'N' }, token)).json).toEqual({ error: 'ERROR_PROPERTY_ALREADY_EXISTS', error_description: 'Property already exists' })
    expect((await json(portal, 'entity.item.property.add', { ENTITY: 'menu', PROPERTY: 'x', TYPE: 'Q' }, token)).json.error_description).toBe('Wrong entity item property type')
    expect((await json(portal, 'entity.item.property.add', { ENTITY: 'menu' }, token)).json.error_description).toBe("Argument 'PROPERTY' is null or empty")
    for (const [name, price] of [['Soup', 5], ['Steak', 30], ['Salad', 8]] as const) {
      await json(portal, 'entity.item.add', { ENTITY: 'menu', NAME: name, PROPERTY_VALUES: { price, undeclared: 'dropped' } }, token)
    }
    const items = (await json(portal, 'entity.item.get', { ENTITY: 'menu', FILTER: { '>PROPERTY_PRICE': 6 }, SORT: { PROPERTY_PRICE: 'DESC' } }, token)).json.result
    expect(items.map((i: { NAME: string }) => i.NAME)).toEqual(['Steak', 'Salad'])
    expect(items[0].PROPERTY_VALUES).toEqual({ price: 30 })
    expect(items[0]).toMatchObject({ ENTITY: 'menu', ACTIVE: 'Y', SORT: '500', CREATED_BY: '1' })
    expect((await json(portal, 'entity.item.property.get', { ENTITY: 'menu' }, token)).json.result).toEqual([{ PROPERTY: 'price', NAME: 'Price', TYPE: 'N', SORT: '500' }])
    expect((await json(portal, 'entity.item.property.update', { ENTITY: 'menu', PROPERTY: 'price', PROPERTY_NEW: 'cost' }, token)).json.result).toBe(true)
    expect((await json(portal, 'entity.item.get', { ENTITY: 'menu', FILTER: { PROPERTY_COST: 5 } }, token)).json.result[0].PROPERTY_VALUES).toEqual({ cost: 5 })
    expect((await json(portal, 'entity.item.property.delete', { ENTITY: 'menu', PROPERTY: 'cost' }, token)).json.result).toBe(true)
    expect((await json(portal, 'entity.item.property.get', { ENTITY: 'menu', PROPERTY: 'cost' }, token)).json.error).toBe('ERROR_PROPERTY_NOT_FOUND')
    // Storage belongs to an app: a webhook is refused with the documented text.
    const hook = await portal.handle({ method: `1/${portal.state.webhooks[0]!.secret}/entity.get`, body: '', contentType: 'application/x-www-form-urlencoded' })
    expect(JSON.parse(hook.body)).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' })
  })

  it('DEV-19 entity.section.* keeps sections like items', async () => {
    const { portal, token } = setup()
    await form(portal, 'entity.add', 'ENTITY=menu&NAME=Menu', token)
    const id = (await json(portal, 'entity.section.add', { ENTITY: 'menu', NAME: 'Soups' }, token)).json.result
    expect((await json(portal, 'entity.section.get', { ENTITY: 'menu' }, token)).json.result[0]).toMatchObject({ ID: String(id), NAME: 'Soups', ENTITY: 'menu' })
    expect((await json(portal, 'entity.section.delete', { ENTITY: 'menu', ID: 99 }, token)).json).toEqual({ error: 'ERROR_SECTION_NOT_FOUND', error_description: 'Section not found' })
  })
})

describe('lists.*', () => {
  it('DEV-22 a list with a field and elements: add, get with FILTER on PROPERTY_<n>, update, delete', async () => {
    const { portal, token } = setup()
    const base = { IBLOCK_TYPE_ID: 'lists' }
    expect((await json(portal, 'lists.add', { ...base, IBLOCK_CODE: 'cars', FIELDS: { NAME: 'Cars' } }, token)).json.result).toBe(1)
    expect((await json(portal, 'lists.add', { ...base, IBLOCK_CODE: 'cars', FIELDS: { NAME: 'Cars' } }, token)).json).toEqual({ error: 'ERROR_IBLOCK_ALREADY_EXISTS', error_description: 'Iblock already exists' })
    const field = (await json(portal, 'lists.field.add', { ...base, IBLOCK_ID: 1, FIELDS: { NAME: 'Color', TYPE: 'S', CODE: 'COLOR' } }, token)).json.result
    expect(field).toBe('PROPERTY_1')
    expect((await json(portal, 'lists.element.add', { ...base, IBLOCK_CODE: 'cars', ELEMENT_CODE: 'a', FIELDS: { NAME: 'Astra', PROPERTY_1: 'red' } }, token)).json.result).toBe(1)
    await json(portal, 'lists.element.add', { ...base, IBLOCK_CODE: 'cars', ELEMENT_CODE: 'b', FIELDS: { NAME: 'Bora', PROPERTY_1: ['blue', 'red'] } }, token)
    expect((await json(portal, 'lists.element.add', { ...base, IBLOCK_CODE: 'cars', ELEMENT_CODE: 'a', FIELDS: { NAME: 'x' } }, token)).json.error).toBe('ERROR_ELEMENT_ALREADY_EXISTS')
    const red = (await json(portal, 'lists.element.get', { ...base, IBLOCK_ID: 1, FILTER: { PROPERTY_1: 'red' } }, token)).json
    expect(red.result.map((e: { NAME: string }) => e.NAME)).toEqual(['Astra', 'Bora'])
    expect(red.result[1].PROPERTY_1).toEqual({ 2: 'blue', 3: 'red' })
    expect(red.total).toBe(2)
    expect((await json(portal, 'lists.element.update', { ...base, IBLOCK_ID: 1, ELEMENT_CODE: 'a', FIELDS: { NAME: 'Astra GT' } }, token)).json.result).toBe(true)
    expect((await json(portal, 'lists.element.get', { ...base, IBLOCK_ID: 1, ELEMENT_ID: 1 }, token)).json.result[0]).not.toHaveProperty('PROPERTY_1')
    expect((await json(portal, 'lists.element.delete', { ...base, IBLOCK_ID: 1, ELEMENT_ID: 9 }, token)).json).toEqual({ error: 'ERROR_ELEMENT_NOT_FOUND', error_description: 'Element not found' })
    expect((await json(portal, 'lists.get', base, token)).json.result[0]).toMatchObject({ ID: '1', CODE: 'cars', NAME: 'Cars' })
    expect((await json(portal, 'lists.element.get', { IBLOCK_ID: 1 }, token)).json).toEqual({ error: 'ERROR_REQUIRED_PARAMETERS_MISSING', error_description: 'Required parameter "IBLOCK_TYPE_ID" is missing' })
    expect((await json(portal, 'lists.element.get', { ...base, IBLOCK_ID: 5 }, token)).json.error).toBe('ERROR_IBLOCK_NOT_FOUND')
    expect((await json(portal, 'lists.add', { ...base, IBLOCK_CODE: 'x', FIELDS: { NAME: 'x' } }, portal.issueAuth(2).accessToken)).json.error).toBe('ACCESS_DENIED')
  })
})

describe('im.notify* and im.message.*', () => {
  it('DEV-23 notifications and messages are stored and answered with ids; errors carry the documented codes', async () => {
    const { portal, token } = setup()
    expect((await json(portal, 'im.notify.system.add', { USER_ID: 2, MESSAGE: 'Hi' }, token)).json.result).toBe(1)
    expect((await json(portal, 'im.notify.personal.add', { USER_ID: 2, MESSAGE: 'Hey', TAG: 't1' }, token)).json.result).toBe(2)
    expect((await json(portal, 'im.notify', { to: 3, message: 'Legacy', type: 'SYSTEM' }, token)).json.error).toBe('USER_ID_EMPTY')
    expect((await json(portal, 'im.notify', { USER_ID: 3, MESSAGE: 'Legacy', TYPE: 'SYSTEM' }, token)).json.result).toBe(3)
    expect(portal.state.im.notifications.map((n) => [n.TYPE, n.TO_USER_ID, n.FROM_USER_ID])).toEqual([['SYSTEM', 2, 0], ['USER', 2, 1], ['SYSTEM', 3, 0]])
    expect((await json(portal, 'im.notify.system.add', { USER_ID: 2 }, token)).json).toEqual({ error: 'MESSAGE_EMPTY', error_description: "Message can't be empty" })
    expect((await json(portal, 'im.notify.delete', {}, token)).json).toEqual({ error: 'PARAMS_ERROR', error_description: 'Incorrect params' })
    expect((await json(portal, 'im.notify.delete', { TAG: 't1' }, token)).json.result).toBe(true)
    expect(portal.state.im.notifications).toHaveLength(2)
    expect((await json(portal, 'im.message.add', { DIALOG_ID: 2, MESSAGE: 'Hello Boris' }, token)).json.result).toBe(1)
    expect((await json(portal, 'im.message.add', { DIALOG_ID: 'chat7', MESSAGE: 'Hello chat' }, token)).json.result).toBe(2)
    expect((await json(portal, 'im.message.add', { DIALOG_ID: 99, MESSAGE: 'x' }, token)).json).toEqual({ error: 'USER_NOT_FOUND', error_description: 'User not found' })
    expect((await json(portal, 'im.message.update', { MESSAGE_ID: 1, MESSAGE: 'Edited' }, token)).json.result).toBe(true)
    expect((await json(portal, 'im.message.delete', { MESSAGE_ID: 1 }, portal.issueAuth(2).accessToken)).json.error).toBe('CANT_EDIT_MESSAGE')
  })
})

describe('userfieldtype.*, bizproc.robot.*, app.info', () => {
  it('DEV-24 userfieldtype.add/list/update/delete with the documented errors', async () => {
    const { portal, token } = setup()
    const add = { USER_TYPE_ID: 'rating', HANDLER: 'https://app.test/uf', TITLE: 'Rating' }
    expect((await json(portal, 'userfieldtype.add', add, token)).json.result).toBe(true)
    expect((await json(portal, 'userfieldtype.add', add, token)).json).toEqual({ error: 'ERROR_CORE', error_description: 'Unable to set placement handler: Handler already binded' })
    expect((await json(portal, 'userfieldtype.add', { HANDLER: 'https://a.test' }, token)).json.error_description).toBe("Argument 'USER_TYPE_ID' is null or empty")
    expect((await json(portal, 'userfieldtype.list', {}, token)).json).toMatchObject({ result: [{ USER_TYPE_ID: 'rating', HANDLER: 'https://app.test/uf', TITLE: 'Rating', DESCRIPTION: '' }], total: 1 })
    expect((await json(portal, 'userfieldtype.update', { USER_TYPE_ID: 'nope', TITLE: 'x' }, token)).json).toEqual({ error: 'ERROR_NOT_FOUND', error_description: 'User Field Type not found' })
    // An app's own type is then a valid USER_TYPE_ID for CRM user fields.
    expect((await json(portal, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'SCORE', USER_TYPE_ID: 'rating' } }, token)).json.result).toBeGreaterThan(0)
    expect((await json(portal, 'userfieldtype.delete', { USER_TYPE_ID: 'rating' }, token)).json.result).toBe(true)
  })

  it('DEV-24 bizproc.robot.add/list/update/delete with bizproc\'s own codes and texts', async () => {
    const { portal, token } = setup()
    const robot = { CODE: 'send_sms', HANDLER: 'https://app.test/robot', NAME: 'Send SMS', PROPERTIES: { phone: { Name: 'Phone', Type: 'string' } } }
    expect((await json(portal, 'bizproc.robot.add', robot, token)).json.result).toBe(true)
    expect((await json(portal, 'bizproc.robot.add', robot, token)).json).toEqual({ error: 'ERROR_ACTIVITY_ALREADY_INSTALLED', error_description: 'Activity or Automation rule already installed!' })
    expect((await json(portal, 'bizproc.robot.add', { ...robot, CODE: 'bad code' }, token)).json.error_description).toBe('Wrong activity code!')
    expect((await json(portal, 'bizproc.robot.add', { ...robot, CODE: 'x', NAME: '' }, token)).json.error_description).toBe('Empty activity NAME!')
    expect((await json(portal, 'bizproc.robot.add', { ...robot, CODE: 'y', PROPERTIES: { 'bad key': { Name: 'x' } } }, token)).json.error_description).toBe('Wrong property key bad key!')
    expect((await json(portal, 'bizproc.robot.list', {}, token)).json.result).toEqual(['send_sms'])
    expect((await json(portal, 'bizproc.robot.update', { CODE: 'send_sms', FIELDS: {} }, token)).json.error_description).toBe('No fields to update')
    expect((await json(portal, 'bizproc.robot.update', { CODE: 'nope', FIELDS: { NAME: 'x' } }, token)).json.error).toBe('ERROR_ACTIVITY_NOT_FOUND')
    expect((await json(portal, 'bizproc.robot.delete', { CODE: 'send_sms' }, token)).json.result).toBe(true)
    expect((await json(portal, 'bizproc.robot.list', {}, portal.issueAuth(2).accessToken)).json).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied!' })
  })

  it('DEV-24 app.info answers the app for an app token and scope + licence for a webhook', async () => {
    const { portal, token } = setup()
    expect((await form(portal, 'app.info', '', token)).json.result).toEqual({
      ID: 1, CODE: 'local.dev.app', VERSION: 1, STATUS: 'L', INSTALLED: true, PAYMENT_EXPIRED: 'N', DAYS: null, LANGUAGE_ID: 'en',
      LICENSE: 'en_ent', LICENSE_TYPE: 'ent', LICENSE_FAMILY: 'ent',
    })
    const fresh = createMockPortal()
    const hook = await fresh.handle({ method: `1/${fresh.state.webhooks[0]!.secret}/app.info`, body: '', contentType: 'application/x-www-form-urlencoded' })
    expect(JSON.parse(hook.body).result).toMatchObject({ LICENSE: 'en_ent' })
    expect(JSON.parse(hook.body).result.SCOPE).toContain('crm')
  })
})

describe('batch beyond 50 commands', () => {
  it('BX24-42 DEV-25 the 51st and later commands each get ERROR_BATCH_LENGTH_EXCEEDED (no time entry); HALT in any case stops', async () => {
    const { portal, token } = setup()
    const cmd = Object.fromEntries(Array.from({ length: 53 }, (_, i) => [`c${i}`, `crm.deal.get?id=${i + 1}`]))
    const res = await json(portal, 'batch', { CMD: cmd }, token)
    expect(res.status).toBe(200)
    expect(Object.keys(res.json.result.result)).toHaveLength(50)
    expect(res.json.result.result_error).toEqual({
      c50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      c51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      c52: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
    })
    expect(Object.keys(res.json.result.result_time)).toHaveLength(50)
    const list = await json(portal, 'batch', { cmd: Array.from({ length: 52 }, (_, i) => `crm.deal.get?id=${i + 1}`) }, token)
    // Keys 50 and 51 of a list: a PHP array that is not 0..n-1 encodes as an object.
    expect(list.json.result.result_error).toEqual({ 50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' }, 51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' } })
    const halted = await json(portal, 'batch', { HALT: 1, cmd: ['crm.deal.get?id=1', 'crm.deal.get?id=999', 'crm.deal.get?id=2'] }, token)
    expect(Object.keys(halted.json.result.result)).toEqual(['0'])
    expect(halted.json.result.result_error).toEqual({ 1: { error: '', error_description: 'Not found' } })
  })
})

describe('event deliveries', () => {
  it('DEV-26 the POST body is the documented one: event, event_handler_id, data, ts, auth with application_token', async () => {
    const { portal, token } = setup()
    await form(portal, 'event.bind', 'event=ONCRMDEALUPDATE&handler=https%3A%2F%2Fapp.test%2Fh', token)
    await json(portal, 'crm.deal.update', { id: 4, fields: { TITLE: 'x' } }, token)
    const d = portal.deliveries.at(-1)!
    expect(d.handler).toBe('https://app.test/h')
    const keys = [...new URLSearchParams(d.body).keys()]
    expect(keys.slice(0, 4)).toEqual(['event', 'event_handler_id', 'data[FIELDS][ID]', 'ts'])
    const body = new URLSearchParams(d.body)
    expect(body.get('event_handler_id')).toBe('1')
    expect(body.get('auth[application_token]')).toBe(portal.state.app.applicationToken)
    expect(body.get('auth[client_endpoint]')).toBe(`https://${portal.state.domain}/rest/`)
    expect(portal.tokens.check(body.get('auth[access_token]')!)).toEqual({ status: 'ok', userId: 1 })
  })

  it('DEV-27 finishing the install sends ONAPPINSTALL to the install handler and to bound handlers, once per URL', async () => {
    const portal = createMockPortal({ seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], app: { installed: false, installHandler: 'https://app.test/install', version: 3 } } })
    portal.state.events.push({ id: 7, event: 'ONAPPINSTALL', handler: 'https://app.test/install', authType: 0, offline: false, connectorId: '', options: Object.create(null) })
    portal.state.events.push({ id: 8, event: 'ONAPPINSTALL', handler: 'https://app.test/other', authType: 0, offline: false, connectorId: '', options: Object.create(null) })
    portal.markInstalled(true)
    expect(portal.deliveries.map((d) => d.handler)).toEqual(['https://app.test/install', 'https://app.test/other'])
    const body = new URLSearchParams(portal.deliveries[0]!.body)
    expect([body.get('event'), body.get('event_handler_id'), body.get('data[VERSION]'), body.get('data[INSTALLED]')]).toEqual(['ONAPPINSTALL', '0', '3', 'Y'])
    portal.markInstalled(true)
    expect(portal.deliveries).toHaveLength(2)
  })

  it('DEV-28 offline bindings queue one record per object; event.offline.get hands them out, clear and error work; ONOFFLINEEVENT wakes the handler', async () => {
    const { portal, token } = setup()
    await form(portal, 'event.bind', 'event=ONCRMDEALUPDATE&event_type=offline', token)
    await form(portal, 'event.bind', 'event=ONOFFLINEEVENT&handler=https%3A%2F%2Fapp.test%2Fwake', token)
    expect((await form(portal, 'event.bind', 'event=ONOFFLINEEVENT&event_type=offline', token)).json.error_description).toBe('Offline event cannot be registered for this event.')
    for (const id of [1, 2, 1]) await json(portal, 'crm.deal.update', { id, fields: { TITLE: `t${id}` } }, token)
    expect(portal.deliveries.filter((d) => d.event === 'ONOFFLINEEVENT')).toHaveLength(3)
    const listed = await json(portal, 'event.offline.list', {}, token)
    expect(listed.json.result.map((r: { EVENT_DATA: { FIELDS: { ID: number } } }) => r.EVENT_DATA.FIELDS.ID)).toEqual([1, 2])
    const reserved = (await json(portal, 'event.offline.get', { clear: 0, limit: 1 }, token)).json.result
    expect(reserved.process_id).toMatch(/^[0-9a-f]{32}$/)
    expect(reserved.events).toHaveLength(1)
    // A second caller gets the other record, not the reserved one.
    const other = (await json(portal, 'event.offline.get', { clear: 0 }, token)).json.result
    expect(other.events.map((e: { ID: string }) => e.ID)).not.toContain(reserved.events[0].ID)
    expect((await json(portal, 'event.offline.error', { process_id: other.process_id, message_id: [other.events[0].MESSAGE_ID] }, token)).json.result).toBe(true)
    expect((await json(portal, 'event.offline.clear', { process_id: reserved.process_id }, token)).json.result).toBe(true)
    expect((await json(portal, 'event.offline.get', {}, token)).json.result).toEqual({ process_id: null, events: [] })
    expect((await json(portal, 'event.offline.get', { error: 1 }, token)).json.result.events).toHaveLength(1)
    expect((await json(portal, 'event.offline.clear', {}, token)).json.error_description).toBe("Argument 'PROCESS_ID' is null or empty")
    expect((await json(portal, 'event.offline.get', { limit: 0 }, token)).json.error_description).toBe('Value must be positive integer')
    expect((await json(portal, 'event.offline.get', {}, portal.issueAuth(2).accessToken)).json).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied!' })
  })
})
