// One way to call REST whatever client the page has: BX24 (callMethod without a callback returns a promise of an
// ajaxResult), BX.rest / b24jssdk-style clients (the promise rejects with the result on error), or a test fake.
// Errors come out as RestError with an HTTP-like status, so restart() can tell an auth failure from the rest.

import { isPlainObject } from '../codecs/types'
import type { RestClientLike, RestResultLike } from './types'

export class RestError extends Error {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message)
    this.name = 'RestError'
  }
}

/** REST error codes that mean "not authorised"; Bitrix maps both to status 403 (B.3.1). */
const AUTH_CODES = new Set(['AUTHORIZE_ERROR', 'WRONG_AUTH_TYPE'])

function isResult(value: unknown): value is RestResultLike {
  return typeof value === 'object' && value !== null && typeof (value as RestResultLike).data === 'function' &&
    typeof (value as RestResultLike).error === 'function'
}

/** Reads `{error, error_description}` and a status out of the shapes ajaxError, BX.rest and fetch errors take. */
function toRestError(source: unknown): RestError {
  let error: unknown = source
  if (isResult(source)) error = source.error() ?? source.answer
  let status = 0
  let code = 'REST_ERROR'
  let description = ''
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>
    const body = typeof e.getError === 'function' ? (e.getError as () => unknown).call(e) : (e.ex ?? e)
    if (isPlainObject(body)) {
      if (typeof body.error === 'string') code = body.error
      if (typeof body.error_description === 'string') description = body.error_description
    }
    const rawStatus = typeof e.getStatus === 'function' ? (e.getStatus as () => unknown).call(e) : e.status
    if (typeof rawStatus === 'number') status = rawStatus
    if (error instanceof Error && code === 'REST_ERROR') description = error.message
  } else if (typeof error === 'string') {
    description = error
  }
  if (isResult(source) && status === 0 && typeof source.status === 'number') status = source.status
  if (AUTH_CODES.has(code)) status = 403
  return new RestError(description ? `${code}: ${description}` : code, status, code)
}

/** The method's `result`, or a RestError. Accepts a client that throws synchronously or returns a non-promise. */
export async function callRest(rest: RestClientLike, method: string, params: Record<string, unknown>): Promise<unknown> {
  let result: unknown
  try {
    result = await rest.callMethod(method, params)
  } catch (error) {
    throw error instanceof RestError ? error : toRestError(error)
  }
  if (!isResult(result)) throw new RestError(`${method}: the REST client returned no result object`, 0, 'BAD_RESULT')
  if (result.error()) throw toRestError(result)
  return result.data()
}
