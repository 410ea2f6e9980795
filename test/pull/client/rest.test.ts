import { describe, expect, it } from 'vitest'
import { ajaxResult } from '../../../src/bx24/ajax-result'
import { RestError } from '../../../src/pull'
import { callRest } from '../../../src/pull/client/rest'

const reissue = () => undefined
const bx24Like = (answer: Record<string, unknown>, status: number, mode: 'resolve' | 'reject' = 'resolve') => ({
  callMethod: (method: string, data?: Record<string, unknown>) => {
    const result = new ajaxResult(answer, { method, data }, status, reissue)
    return mode === 'resolve' ? Promise.resolve(result) : Promise.reject(result)
  },
})

describe('REST adapter (BX24 without a callback, BX.rest, anything else)', () => {
  it('returns data() of a BX24 ajaxResult', async () => {
    await expect(callRest(bx24Like({ result: { a: 1 } }, 200), 'm', {})).resolves.toEqual({ a: 1 })
  })

  it('maps AUTHORIZE_ERROR and WRONG_AUTH_TYPE to status 403, keeps other statuses', async () => {
    for (const code of ['AUTHORIZE_ERROR', 'WRONG_AUTH_TYPE']) {
      const error = await callRest(bx24Like({ error: code, error_description: 'no' }, 400), 'm', {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RestError)
      expect(error).toMatchObject({ status: 403, code })
    }
    // BX.rest style: the promise rejects with the result
    const rejected = await callRest(bx24Like({ error: 'QUERY_LIMIT_EXCEEDED' }, 503, 'reject'), 'm', {}).catch((e: unknown) => e)
    expect(rejected).toMatchObject({ status: 503, code: 'QUERY_LIMIT_EXCEEDED' })
  })

  it('a client that throws, rejects with anything, or returns garbage gives a RestError', async () => {
    const cases = [
      { callMethod: () => { throw new Error('sync throw') } },
      { callMethod: () => Promise.reject('a string') },
      { callMethod: () => Promise.reject(null) },
      { callMethod: () => 42 },
      { callMethod: () => Promise.resolve({ data: 'not a function' }) },
    ]
    for (const client of cases) {
      await expect(callRest(client, 'm', {})).rejects.toBeInstanceOf(RestError)
    }
  })
})
