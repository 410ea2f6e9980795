// A RestHandler that reports every call for a live log: method (webhook secrets cut out), a preview of the params
// without the token, status, error code and duration. The dev server logs its HTTP REST this way, and the static demo
// its in-page portal.

import { decodeForm } from '../portal/form-decode'
import { EXAMPLE_HEADER } from '../portal/portal'
import type { RestHandler } from '../rest/contract'
import { logPreview } from './log-preview'

/** Bodies longer than this are logged by their size only: the log is for reading, and parsing them again costs. */
const MAX_LOGGED_BODY = 64 * 1024

export interface RestLogEntry {
  kind: 'rest'
  at: number
  method: string
  params: unknown
  status: number
  ms: number
  error?: string
  /** Methods of this request answered with their documented example (the catalogue), not portal state. */
  example?: string[]
}

export function loggedRestHandler(handle: RestHandler, emit: (entry: RestLogEntry) => void): RestHandler {
  return async (request) => {
    const started = performance.now()
    const response = await handle(request)
    let params: unknown = {}
    if (typeof request.body === 'string' && request.body.length > MAX_LOGGED_BODY) params = { '…': `${request.body.length} characters` }
    else {
      try {
        const parsed = request.contentType === 'application/json' ? JSON.parse(request.body || '{}') : decodeForm(request.body)
        if (parsed && typeof parsed === 'object') delete parsed.auth
        params = logPreview(parsed)
      } catch {
        // a body the portal itself refused; the status says so
      }
    }
    let error: string | undefined
    if (response.status >= 400) {
      try {
        error = String(JSON.parse(response.body).error)
      } catch {}
    }
    // The webhook form carries its secret in the path: only the user id is shown.
    const method = request.method.replace(/\.json$/, '').replace(/^(\d+)\/[^/]+\//, '$1/…/')
    const example = response.headers?.[EXAMPLE_HEADER]?.split(',')
    emit({ kind: 'rest', at: Date.now(), method, params, status: response.status, ms: Math.round(performance.now() - started), error, ...(example ? { example } : {}) })
    return response
  }
}
