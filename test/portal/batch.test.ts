import { describe, expect, it } from 'vitest'
import { substitute, type Buckets } from '../../src/portal/references'
import { form, json, setup } from './helpers'

describe('batch', () => {
  it('BX24-38 decodes the real library double-encoded cmd and substitutes the reference after URL-decoding', async () => {
    const { portal, token } = setup()
    const body = 'halt=0&cmd[a]=user.current%3F&cmd[b]=department.get%3FID%3D%2524result%255Ba%255D%255BUF_DEPARTMENT%255D'
    const res = await form(portal, 'batch', body, token)
    expect(res.status).toBe(200)
    expect(res.json.result.result.a.ID).toBe('1')
    expect(res.json.result.result.b.map((d: { NAME: string }) => d.NAME)).toEqual(['Dev Portal Ltd'])
    expect(res.json.result.result_total).toEqual({ b: 1 })
  })

  it('BX24-41 runs in order: $result, $total, $next, $time and $error references see earlier commands only', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', {
      halt: 0,
      cmd: {
        list: 'crm.deal.list?select[]=ID&order[ID]=ASC',
        bad: 'crm.deal.get?id=999999',
        second: 'crm.deal.get?id=$result[list][1][ID]',
        total: 'crm.deal.get?id=$total[list]',
        next: 'crm.deal.get?id=$next[list]',
        text: 'crm.deal.list?filter[%3DTITLE]=Deal%20%23$result[list][2][ID]&select[]=TITLE',
        frag: 'crm.deal.list?filter[%3DTITLE]=Deal #1&select[]=TITLE',
        err: 'crm.deal.list?filter[COMMENTS]=$error[bad][error_description]&select[]=ID',
        time: 'crm.deal.list?filter[%3DTITLE]=$time[list][duration]&select[]=ID',
      },
    }, token)
    const r = res.json.result.result
    expect(r.second.ID).toBe('2')
    expect(r.total.ID).toBe('120')
    expect(r.next.ID).toBe('50')
    expect(r.text.map((d: { TITLE: string }) => d.TITLE)).toEqual(['Deal #3'])
    // parse_url: an unencoded '#' ends the query, so the filter value is just 'Deal '.
    expect(r.frag).toEqual([])
    // The legacy CRM handler's not-found answer has an empty code (DEV-12).
    expect(res.json.result.result_error.bad).toEqual({ error: '', error_description: 'Not found' })
    expect(portal.calls.find((c) => c.inBatch && c.params.filter && (c.params.filter as any).COMMENTS)!.params.filter).toEqual({ COMMENTS: 'Not found' })
    expect(res.json.result.result_next).toEqual({ list: 50 })
    expect(Object.keys(res.json.result.result_time)).toEqual(['list', 'bad', 'second', 'total', 'next', 'text', 'frag', 'err', 'time'])
  })

  it('BX24-41 a whole-value reference keeps arrays; an embedded one is the PHP string form', async () => {
    const { portal, token } = setup()
    await json(portal, 'batch', {
      cmd: ['user.current', 'department.get?ID=$result[0][UF_DEPARTMENT]', 'department.get?NAME=x$result[0][UF_DEPARTMENT]y'],
    }, token)
    const subs = portal.calls.filter((c) => c.inBatch && c.method === 'department.get')
    expect(subs[0]!.params.ID).toEqual([1])
    expect(subs[1]!.params.NAME).toBe('xArrayy')
  })

  it('BX24-41 a missing path segment stops the walk and keeps the value reached', async () => {
    const { portal, token } = setup()
    await json(portal, 'batch', { cmd: { u: 'user.current', d: 'department.get?ID=$result[u][ID][nope][deeper]' } }, token)
    expect(portal.calls.find((c) => c.method === 'department.get')!.params.ID).toBe('1')
  })

  it('BX24-41 references are substituted in keys too', () => {
    // Through a query string PHP's bracket parsing splits such a key first, so this is checked on the decoded params.
    const buckets: Buckets = { result: new Map([['u', { ID: '7' } as never]]), error: new Map(), total: new Map(), next: new Map(), time: new Map() }
    const out = substitute({ ['k_$result[u][ID]']: 'v', nested: { ['$result[u][ID]']: '$result[u][ID]' } } as never, buckets)
    expect(JSON.parse(JSON.stringify(out))).toEqual({ k_7: 'v', nested: { 7: '7' } })
  })

  it('BX24-41 halt=1 stops after the first error: later keys are absent from every bucket', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', { halt: 1, cmd: { a: 'user.current', b: 'no.method', c: 'user.current' } }, token)
    expect(Object.keys(res.json.result.result)).toEqual(['a'])
    expect(res.json.result.result_error.b.error).toBe('ERROR_METHOD_NOT_FOUND')
    expect(res.json.result.result.c).toBeUndefined()
    expect(Object.keys(res.json.result.result_time)).toEqual(['a', 'b'])
  })

  it('BX24-41 halt is read with PHP truthiness: "0" and "" continue, "false" halts', async () => {
    const { portal, token } = setup()
    for (const [halt, keys] of [['0', ['a', 'c']], ['', ['a', 'c']], ['false', ['a']]] as const) {
      const res = await form(portal, 'batch', `halt=${halt}&cmd[a]=user.current&cmd[b]=no.method&cmd[c]=user.current`, token)
      expect(Object.keys(res.json.result.result), halt).toEqual(keys)
    }
  })

  it('BX24-42 the 51st and later commands each get ERROR_BATCH_LENGTH_EXCEEDED; the HTTP status stays 200', async () => {
    const { portal, token } = setup()
    const cmd = Array.from({ length: 53 }, () => 'server.time')
    const res = await json(portal, 'batch', { cmd }, token)
    expect(res.status).toBe(200)
    expect(res.json.result.result).toHaveLength(50)
    expect(res.json.result.result_error).toEqual({
      50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      52: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
    })
    expect(portal.calls.filter((c) => c.inBatch)).toHaveLength(50)
  })

  it('BX24-42 a nested batch is ERROR_BATCH_METHOD_NOT_ALLOWED per item; empty buckets are []', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', { cmd: ['batch?cmd[0]=user.current', 'BATCH'] }, token)
    expect(res.status).toBe(200)
    expect(res.text).toContain('"result":[]')
    expect(res.json.result.result_error).toEqual([
      { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' },
      { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' },
    ])
    expect(res.json.result.result_total).toEqual([])
    expect(res.json.result.result_next).toEqual([])
  })

  it('BX24-42 buckets with keys 0..n-1 are JSON arrays; gaps make objects', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', { cmd: ['user.current', 'no.method', 'user.current'] }, token)
    expect(res.text).toContain('"result":{"0":')
    expect(res.json.result.result_error).toEqual({ 1: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } })
  })

  it('skips non-string commands silently and answers empty buckets for a missing or scalar cmd', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', { cmd: { a: 5, b: null, c: ['x'], d: { e: 1 }, f: 'user.current' } }, token)
    expect(Object.keys(res.json.result.result)).toEqual(['f'])
    for (const body of [{}, { cmd: 'user.current' }, { cmd: 7 }]) {
      const empty = await json(portal, 'batch', body, token)
      expect(empty.json.result).toEqual({ result: [], result_error: [], result_total: [], result_next: [], result_time: [] })
    }
  })

  it('hostile: malformed references are left as literal text', async () => {
    const { portal, token } = setup()
    const refs = ['$result[', '$result[]', '$foo[a]', '$result[a', '$result', '$$result[u]x', '$RESULT[u][ID]']
    const cmd: Record<string, string> = { u: 'user.current' }
    refs.forEach((r, i) => (cmd[`k${i}`] = `user.option.set?options[v${i}]=${encodeURIComponent(r)}`))
    await json(portal, 'batch', { cmd }, token)
    const opts = portal.userOptions(1)
    expect([opts.v0, opts.v1, opts.v2, opts.v3, opts.v4]).toEqual(['$result[', '$result[]', '$foo[a]', '$result[a', '$result'])
    // An embedded reference is still replaced, and the name is case-insensitive.
    expect(opts.v5).toBe('$Arrayx')
    expect(opts.v6).toBe('1')
  })

  it('hostile: an auth inside a command is ignored; the batch auth is used', async () => {
    const { portal, token } = setup()
    const res = await json(portal, 'batch', { cmd: { a: 'user.current?auth=stolen' } }, token)
    expect(res.json.result.result.a.ID).toBe('1')
    expect(portal.calls.find((c) => c.inBatch)!.params.auth).toBeUndefined()
  })

  it('batch auth failures are one 401 for the whole call', async () => {
    const { portal } = setup()
    const res = await json(portal, 'batch', { cmd: { a: 'user.current' } }, 'nope')
    expect([res.status, res.json.error]).toEqual([401, 'NO_AUTH_FOUND'])
  })
})
