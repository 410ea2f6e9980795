// Property tests (fast-check) for the parsers this issue added or leans on: the event form body, filters and dates,
// the pull event arguments, and every new method with hostile parameters.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePullParams, pullTarget } from '../../src/dev/pull-params'
import { encodeForm } from '../../src/portal/event-delivery'
import { decodeForm } from '../../src/portal/form-decode'
import { applyFilter, parseDate, parseFilter } from '../../src/portal/records'
import { createObject, toPlain, type PlainObject } from '../../src/portal/values'
import { json, setup } from './helpers'

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/)
const text = fc.string({ maxLength: 12 })

/** The shape PHP gives a form body back: scalars as strings, empty containers gone. */
function asPhpSees(value: unknown): unknown {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value !== 'object') return String(value)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const seen = asPhpSees(v)
    if (seen !== undefined) out[k] = seen
  }
  return Object.keys(out).length ? out : undefined
}

describe('the event form body', () => {
  it('DEV-26 encodeForm then PHP-style decoding gives the payload back, whatever the strings hold (fast-check)', () => {
    const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))
    const payload = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 })), { maxKeys: 3 })), { maxKeys: 5 })
    fc.assert(fc.property(payload, (value) => {
      const decoded = decodeForm(encodeForm(value).join('&'))
      expect(JSON.parse(JSON.stringify(decoded))).toEqual(asPhpSees(value) ?? {})
    }), { numRuns: 400 })
  })
})

describe('filters', () => {
  const row = fc.record({ ID: fc.integer({ min: 1, max: 99 }).map(String), TITLE: text, N: fc.integer({ min: -50, max: 50 }).map(String) }) as fc.Arbitrary<PlainObject>
  const rows = fc.array(row, { maxLength: 12 })

  it('DEV-17 = and ! split the rows; > and <= split them; a filter never adds rows (fast-check)', () => {
    fc.assert(fc.property(rows, fc.constantFrom('ID', 'TITLE', 'N'), fc.oneof(text, fc.integer({ min: -60, max: 60 }).map(String)), (list, field, value) => {
      const plain = list.map((r) => toPlain(r) as PlainObject)
      const eq = applyFilter(plain, parseFilter(toPlain({ [`=${field}`]: value })))
      const ne = applyFilter(plain, parseFilter(toPlain({ [`!${field}`]: value })))
      expect(eq.length + ne.length).toBe(plain.length)
      const gt = applyFilter(plain, parseFilter(toPlain({ [`>${field}`]: value })))
      const le = applyFilter(plain, parseFilter(toPlain({ [`<=${field}`]: value })))
      expect(gt.length + le.length).toBe(plain.length)
      expect(eq.every((r) => plain.includes(r))).toBe(true)
    }), { numRuns: 400 })
  })

  it('DEV-17 hostile filter keys and values never throw past a clear argument error (fast-check)', () => {
    const hostile = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '>=', '!%=', '=%', '%', '@', '', ' '))
    fc.assert(fc.property(fc.dictionary(hostile, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), (filter) => {
      const plain = toPlain(JSON.parse(JSON.stringify(filter)))
      const out = applyFilter([toPlain({ ID: '1', TITLE: 'a%b_c' }) as PlainObject], parseFilter(plain))
      expect(out.length).toBeLessThanOrEqual(1)
    }), { numRuns: 300 })
  })

  it('DEV-17 parseDate reads back any date it is given as ISO, YYYY-MM-DD or DD.MM.YYYY (fast-check)', () => {
    const ms = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2090, 0, 1) }).map((n) => Math.floor(n / 1000) * 1000)
    fc.assert(fc.property(ms, fc.integer({ min: -12, max: 14 }), (t, hours) => {
      const d = new Date(t)
      expect(parseDate(d.toISOString())).toBe(t)
      // The same instant written with an offset, as PHP's DATE_ATOM prints it.
      const local = new Date(t + hours * 3_600_000)
      const sign = hours < 0 ? '-' : '+'
      const atom = `${local.toISOString().slice(0, 19)}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`
      expect(parseDate(atom)).toBe(t)
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
      expect(parseDate(d.toISOString().slice(0, 10))).toBe(day)
      const [y, m, dd] = d.toISOString().slice(0, 10).split('-')
      expect(parseDate(`${dd}.${m}.${y}`)).toBe(day)
    }), { numRuns: 300 })
    for (const junk of ['', '2025', '2025-13-01', '31.02', 'yesterday', '2025-01-01T25:00']) expect(parseDate(junk), junk).toBeNull()
  })
})

describe('pull.application.event.add arguments', () => {
  it('DEV-20 USER_ID: a non-admin reaches only themself by their id as a string; an admin reaches positive ids only (fast-check)', () => {
    const anyValue = fc.oneof(fc.integer(), fc.string(), fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 4 }), fc.constant(undefined), fc.constant(null))
    fc.assert(fc.property(anyValue, fc.integer({ min: 1, max: 1000 }), (value, self) => {
      const user = pullTarget(value, self, false)
      if (value === undefined || value === null) expect(user).toEqual({ kind: 'shared' })
      else if (value === String(self)) expect(user).toEqual({ kind: 'users', ids: [self] })
      else expect(user).toEqual({ kind: 'forbidden' })
      const admin = pullTarget(value, self, true)
      expect(admin.kind).not.toBe('forbidden')
      if (admin.kind === 'users') expect(admin.ids.every((id) => Number.isInteger(id) && id > 0) && new Set(admin.ids).size === admin.ids.length).toBe(true)
    }), { numRuns: 500 })
    expect(pullTarget('[3,"4",3,-1]', 1, true)).toEqual({ kind: 'users', ids: [3, 4] })
    expect(pullTarget(577, 577, false)).toEqual({ kind: 'forbidden' })
    expect(pullTarget(['577'], 577, false)).toEqual({ kind: 'forbidden' })
  })

  it('DEV-21 PARAMS: JSON text of an object or list parses; any other text is an error, never a throw (fast-check)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
      const parsed = parsePullParams(JSON.stringify(value))
      if (typeof value === 'object' && value !== null) expect(parsed).toEqual(JSON.parse(JSON.stringify(value)))
      else expect(parsed).toBeUndefined()
    }), { numRuns: 300 })
    fc.assert(fc.property(fc.string(), (value) => {
      const parsed = parsePullParams(value)
      expect(parsed === undefined || typeof parsed === 'object').toBe(true)
    }), { numRuns: 300 })
    expect(parsePullParams('{"param1":"value1"}')).toEqual({ param1: 'value1' })
    expect(parsePullParams('')).toEqual([])
  })
})

const NEW_METHODS = [
  'user.get', 'user.search', 'user.update', 'user.add', 'user.fields', 'department.get', 'department.add', 'department.update',
  'crm.deal.fields', 'crm.deal.list', 'crm.deal.add', 'crm.deal.userfield.add', 'crm.deal.userfield.list', 'crm.status.list',
  'crm.status.add', 'crm.activity.add', 'tasks.task.add', 'tasks.task.list', 'tasks.task.update', 'tasks.task.get',
  'task.item.list', 'task.item.add', 'task.item.update', 'task.items.getlist', 'entity.add', 'entity.item.add',
  'entity.item.get', 'entity.item.property.add', 'entity.section.add', 'lists.add', 'lists.element.add', 'lists.element.get',
  'lists.field.add', 'im.notify.system.add', 'im.message.add', 'im.notify.delete', 'placement.bind', 'placement.unbind',
  'userfieldtype.add', 'bizproc.robot.add', 'bizproc.robot.update', 'event.bind', 'event.unbind', 'event.offline.get',
  'event.offline.clear', 'app.info',
]

describe('hostile parameters', () => {
  it('DEV-38 every new method answers hostile parameters with a REST answer: never a 500, never a prototype write (fast-check)', async () => {
    const hostileKey = fc.oneof(key, fc.constantFrom('__proto__', 'constructor', 'prototype', 'fields', 'FIELDS', 'filter', 'ID', 'id', '0', '1', 'ENTITY', 'IBLOCK_TYPE_ID', 'PLACEMENT', 'HANDLER', 'CODE', 'TITLE'))
    const hostileValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('__proto__', 'https://a.test/h', 'lists', '-1', '1e400', '%', '<>', 'ID'))
    const { portal, token } = setup()
    await fc.assert(fc.asyncProperty(fc.constantFrom(...NEW_METHODS), fc.dictionary(hostileKey, hostileValue, { maxKeys: 5 }), async (method, params) => {
      const res = await json(portal, method, JSON.parse(JSON.stringify(params)), token)
      expect(res.status, `${method} ${JSON.stringify(params)}`).not.toBe(500)
      expect(res.json.error === undefined || typeof res.json.error === 'string').toBe(true)
    }), { numRuns: 600 })
    // Found by this property: an object where a sort direction or a select name should be was String()ed and threw.
    expect((await json(portal, 'crm.deal.list', { order: { ID: {} }, select: [{}] }, token)).status).toBe(200)
    expect((await json(portal, 'task.items.getlist', { _: { '': {} } }, token)).status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('ID')
    expect(createObject()).toEqual({})
  })
})
