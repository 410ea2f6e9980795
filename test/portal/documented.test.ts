// Documented methods without a stateful implementation answer the REST catalogue's example; unknown ones stay 404.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../src/dev/catalog-file'
import { documentedMethod } from '../../src/portal/documented'
import { EXAMPLE_HEADER } from '../../src/portal/portal'
import { form, json, setup } from './helpers'

const { catalog } = loadCatalog(resolve(__dirname, '../..'))

describe('the catalogue behind the engine', () => {
  it('DEV-8 a documented method the portal does not keep answers its documented example, marked in a header and in calls', async () => {
    const { portal, token } = setup({ catalog })
    const res = await portal.handle({ method: 'crm.deal.contact.items.get', body: `auth=${token}&id=1`, contentType: 'application/x-www-form-urlencoded' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).result).toEqual(catalog!.methods['crm.deal.contact.items.get']!.example!.result)
    expect(res.headers![EXAMPLE_HEADER]).toBe('crm.deal.contact.items.get')
    expect(portal.calls.at(-1)).toMatchObject({ method: 'crm.deal.contact.items.get', status: 200, example: true })
    // A stateful method is never marked.
    const deal = await portal.handle({ method: 'crm.deal.get', body: `auth=${token}&id=1`, contentType: 'application/x-www-form-urlencoded' })
    expect(deal.headers![EXAMPLE_HEADER]).toBeUndefined()
  })

  it('DEV-8 unknown methods keep ERROR_METHOD_NOT_FOUND; without a catalogue documented ones are unknown too', async () => {
    const withCatalog = setup({ catalog })
    expect((await form(withCatalog.portal, 'no.such.method', '', withCatalog.token)).json).toEqual({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' })
    const bare = setup()
    expect((await form(bare.portal, 'calendar.section.get', '', bare.token)).status).toBe(404)
  })

  it('DEV-8 the documented scope applies: an app without it gets insufficient_scope', async () => {
    const { portal, token } = setup({ catalog, seed: { users: [{ ID: 1, NAME: 'A', ADMIN: true }], app: { scope: ['crm'] } } })
    const res = await form(portal, 'calendar.section.get', '', token)
    expect([res.status, res.json.error]).toEqual([403, 'insufficient_scope'])
  })

  it('DEV-8 inside a batch each example answer is marked', async () => {
    const { portal, token } = setup({ catalog })
    const res = await portal.handle({
      method: 'batch', contentType: 'application/json',
      body: JSON.stringify({ auth: token, cmd: { a: 'user.current', b: 'crm.deal.contact.items.get?id=1', c: 'crm.currency.list' } }),
    })
    expect(res.headers![EXAMPLE_HEADER]).toBe('crm.deal.contact.items.get,crm.currency.list')
    expect(portal.calls.filter((c) => c.inBatch && c.example).map((c) => c.method)).toEqual(['crm.deal.contact.items.get', 'crm.currency.list'])
    expect(JSON.parse(res.body).result.result.c).toEqual(catalog!.methods['crm.currency.list']!.example!.result)
  })

  it('DEV-8 every call gets its own copy of the example', async () => {
    const { portal, token } = setup({ catalog })
    // The HTTP answer is text anyway; an in-process caller (extraMethods, batch references) gets objects.
    const method = documentedMethod(catalog, 'crm.deal.contact.items.get')!
    const first = method.run({} as never).result as { CONTACT_ID: number }[]
    first[0]!.CONTACT_ID = -1
    expect((method.run({} as never).result as { CONTACT_ID: number }[])[0]!.CONTACT_ID).toBe(55)
    expect((await json(portal, 'crm.deal.contact.items.get', { id: 1 }, token)).json.result[0].CONTACT_ID).toBe(55)
  })

  it('DEV-8 event.bind accepts every documented event, not only the ones the portal raises', async () => {
    const { portal, token } = setup({ catalog })
    expect((await form(portal, 'event.bind', 'event=ONCALENDARENTRYADD&handler=https%3A%2F%2Fa.test%2Fh', token)).json.result).toBe(true)
    const bare = setup()
    expect((await form(bare.portal, 'event.bind', 'event=ONCALENDARENTRYADD&handler=https%3A%2F%2Fa.test%2Fh', bare.token)).json.error).toBe('ERROR_EVENT_NOT_FOUND')
  })
})
