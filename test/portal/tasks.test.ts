// tasks.task.* (camelCase answers) and the legacy task.item.* (positional parameters, NAV_PARAMS) on one task table.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeParams } from '../../src/bx24/encode-params'
import { decodeForm } from '../../src/portal/form-decode'
import { positionalArgs } from '../../src/portal/positional'
import { form, json, setup } from './helpers'

describe('tasks.task.*', () => {
  it('DEV-18 add/get/update/list/delete: {task}/{tasks} with camelCase keys, upper-case filter and select', async () => {
    const { portal, token } = setup()
    const added = (await json(portal, 'tasks.task.add', { fields: { TITLE: 'Write docs', RESPONSIBLE_ID: 2, DEADLINE: '2026-01-01T10:00:00+00:00' } }, token)).json.result.task
    expect(added).toMatchObject({ id: '37', title: 'Write docs', responsibleId: '2', createdBy: '1', status: '2', deadline: '2026-01-01T10:00:00+00:00' })
    expect((await json(portal, 'tasks.task.get', { taskId: 37, select: ['ID', 'TITLE'] }, token)).json.result).toEqual({ task: { id: '37', title: 'Write docs' } })
    expect((await json(portal, 'tasks.task.update', { taskId: 37, fields: { STATUS: 3 } }, token)).json.result.task.status).toBe('3')
    const list = await json(portal, 'tasks.task.list', { filter: { RESPONSIBLE_ID: 2, '!STATUS': 5 }, order: { ID: 'desc' }, select: ['ID', 'TITLE'] }, token)
    expect(list.json.result.tasks[0]).toEqual({ id: '37', title: 'Write docs' })
    expect(list.json.total).toBe(list.json.result.tasks.length)
    expect((await json(portal, 'tasks.task.complete', { taskId: 37 }, token)).json.result.task).toMatchObject({ status: '5', closedBy: '1' })
    expect((await json(portal, 'tasks.task.complete', { taskId: 37 }, token)).json).toEqual({ error: '0', error_description: 'Action on the task is not allowed' })
    expect((await json(portal, 'tasks.task.delete', { taskId: 37 }, token)).json.result).toEqual({ task: true })
    expect((await json(portal, 'tasks.task.get', { taskId: 37 }, token)).json).toEqual({ error: '0', error_description: 'wrong task id' })
  })

  it('DEV-18 tasks.task.list pages 50 at a time with start; a bad sort key and bad fields are the documented errors', async () => {
    const { portal, token } = setup()
    for (let i = 0; i < 20; i++) await json(portal, 'tasks.task.add', { fields: { TITLE: `T${i}` } }, token)
    const first = await json(portal, 'tasks.task.list', { order: { ID: 'asc' } }, token)
    expect([first.json.result.tasks.length, first.json.total, first.json.next]).toEqual([50, 56, 50])
    const second = await json(portal, 'tasks.task.list', { order: { ID: 'asc' }, start: 50 }, token)
    expect(second.json.result.tasks.map((t: { id: string }) => t.id)).toEqual(['51', '52', '53', '54', '55', '56'])
    expect((await json(portal, 'tasks.task.list', { order: { NOPE: 'asc' } }, token)).json).toEqual({ error: '0', error_description: 'Invalid sorting key (internal error)' })
    expect((await json(portal, 'tasks.task.add', { fields: { DESCRIPTION: 'no title' } }, token)).json).toEqual({ error: 'ERROR_CORE', error_description: 'Task title not specified' })
    expect((await json(portal, 'tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 99 } }, token)).json.error_description).toBe('User specified in the "Responsible" field not found')
    expect((await json(portal, 'tasks.task.add', { fields: { TITLE: 'x', STATUS: 9 } }, token)).json.error_description).toBe('Incorrect status')
  })

  it('DEV-18 task events carry FIELDS_BEFORE/FIELDS_AFTER as documented', async () => {
    const { portal, token } = setup()
    portal.state.events.push({ id: 3, event: 'ONTASKADD', handler: 'https://a.test/h', authType: 0, offline: false, connectorId: '', options: Object.create(null) })
    await json(portal, 'tasks.task.add', { fields: { TITLE: 'evented' } }, token)
    const body = new URLSearchParams(portal.deliveries.at(-1)!.body)
    expect([body.get('event'), body.get('data[FIELDS_AFTER][ID]'), body.get('data[FIELDS_BEFORE]'), body.get('data[IS_ACCESSIBLE_BEFORE]')]).toEqual(['ONTASKADD', '37', 'undefined', 'N'])
  })
})

describe('task.item.* (legacy, positional)', () => {
  it('DEV-1 task.item.list reads ORDER, FILTER, PARAMS[NAV_PARAMS], SELECT by position; an empty FILTER object may be left out', async () => {
    const { portal, token } = setup()
    // BX24.callMethod('task.item.list', [{ID: 'asc'}, {}, {NAV_PARAMS: {nPageSize: 10, iNumPage: 2}}, ['ID', 'TITLE']])
    const page2 = await form(portal, 'task.item.list', '&0[ID]=asc&2[NAV_PARAMS][nPageSize]=10&2[NAV_PARAMS][iNumPage]=2&3[0]=ID&3[1]=TITLE', token)
    expect(page2.json.result.map((t: { ID: string }) => t.ID)).toEqual(['11', '12', '13', '14', '15', '16', '17', '18', '19', '20'])
    expect(page2.json.result[0]).toEqual({ ID: '11', TITLE: 'Call the client #11' })
    expect([page2.json.total, page2.json.next]).toEqual([36, 20])
    // Named parameters in the documented order work alike.
    const named = await json(portal, 'task.item.list', { ORDER: { ID: 'desc' }, FILTER: { RESPONSIBLE_ID: 2 }, PARAMS: { NAV_PARAMS: { nPageSize: 3 } } }, token)
    expect(named.json.result.map((t: { ID: string }) => t.ID)).toEqual(['35', '32', '29'])
    // Without NAV_PARAMS, BX24's next() start picks the page (50 a page); the default order is ID desc.
    const next = await json(portal, 'task.item.list', { 0: {}, start: 0 }, token)
    expect([next.json.result.length, next.json.result[0].ID, next.json.total]).toEqual([36, '36', 36])
  })

  it('DEV-1 a FILTER without an ORDER is ignored, as the reference warns; REAL_STATUS filters the status; nPageSize is capped at 50', async () => {
    const { portal, token } = setup()
    expect((await json(portal, 'task.item.list', [[], { ID: 3 }] as never, token)).json.total).toBe(36)
    expect((await json(portal, 'task.item.list', [{ ID: 'asc' }, { ID: 3 }] as never, token)).json.result.map((t: { ID: string }) => t.ID)).toEqual(['3'])
    const done = await json(portal, 'task.item.list', [{ ID: 'asc' }, { REAL_STATUS: 5 }] as never, token)
    expect(done.json.result.every((t: { REAL_STATUS: string }) => t.REAL_STATUS === '5')).toBe(true)
    expect((await json(portal, 'task.item.list', [{ ID: 'asc' }, {}, { NAV_PARAMS: { nPageSize: 500 } }] as never, token)).json.result).toHaveLength(36)
  })

  it('DEV-1 task.item.add/getdata/update/complete/delete by position; a missing task is the legacy TASKS_ERROR_EXCEPTION', async () => {
    const { portal, token } = setup()
    const id = (await form(portal, 'task.item.add', '0[TITLE]=Legacy&0[RESPONSIBLE_ID]=3', token)).json.result
    expect(id).toBe(37)
    expect((await form(portal, 'task.item.getdata', '0=37', token)).json.result).toMatchObject({ ID: '37', TITLE: 'Legacy', RESPONSIBLE_ID: '3', REAL_STATUS: '2' })
    expect((await form(portal, 'task.item.update', '0=37&1[TITLE]=Renamed', token)).json.result).toBe(true)
    expect((await form(portal, 'task.item.complete', '0=37', token)).json.result).toBe(true)
    expect((await json(portal, 'task.item.getdata', { TASKID: 37 }, token)).json.result).toMatchObject({ TITLE: 'Renamed', STATUS: '5' })
    expect((await form(portal, 'task.item.delete', '0=37', token)).json.result).toBe(true)
    expect((await form(portal, 'task.item.getdata', '0=37', token)).json).toEqual({ error: 'ERROR_CORE', error_description: 'TASKS_ERROR_EXCEPTION_#8; Action failed; 8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>' })
  })

  it('DEV-1 positional arguments survive BX24\'s encoding whatever they hold (fast-check)', () => {
    const scalar = fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.stringMatching(/^[A-Za-z0-9 _-]{1,8}$/))
    const object = fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,6}$/), scalar, { minKeys: 1, maxKeys: 4 })
    fc.assert(fc.property(fc.array(fc.oneof(scalar, object, fc.constant({})), { minLength: 1, maxLength: 4 }), (args) => {
      const names = ['A', 'B', 'C', 'D'].slice(0, args.length)
      const decoded = positionalArgs(decodeForm(encodeParams(args)), names)
      args.forEach((arg, i) => {
        const got = decoded[i]
        if (typeof arg === 'object' && Object.keys(arg).length === 0) expect(got).toBeUndefined()
        else if (typeof arg === 'object') expect({ ...(got as object) }).toEqual(Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, String(v)])))
        else expect(got).toBe(String(arg))
      })
    }), { numRuns: 300 })
  })
})
