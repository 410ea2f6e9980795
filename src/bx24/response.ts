// Turns a raw HTTP exchange into the answer object ajaxResult wraps (spec §4.7).
//
// The real library threw 'Query error!' inside the XHR handler for 5xx, unparseable bodies and network errors, so
// the app's callback never ran. We follow the portal's own later client (BX.RestClient) and deliver those as error
// results instead; `legacyQueryErrors` restores the old silence for apps that depend on it.

import type { Answer } from './ajax-result'
import type { RestExchange } from './types'

export type Outcome = { kind: 'answer'; answer: Answer; status: number } | { kind: 'query-error'; reason: string }

export const ERROR_NETWORK = { error: 'ERROR_NETWORK', error_description: 'A network error occurred while the request was being executed.' }
export const ERROR_UNEXPECTED_ANSWER = { error: 'ERROR_UNEXPECTED_ANSWER', error_description: 'Server returned an unexpected response.' }

/** The statuses the real library treated as "parse the JSON and call back" (ajax.isSuccess). */
function realSuccess(status: number): boolean {
  return (status >= 200 && status < 300) || status === 304 || (status >= 400 && status < 500) || status === 1223 || status === 0
}

export function readExchange(exchange: RestExchange | null, legacy: boolean): Outcome {
  if (!exchange || exchange.text === null) {
    return legacy ? { kind: 'query-error', reason: 'network error' } : { kind: 'answer', answer: { ...ERROR_NETWORK }, status: 0 }
  }
  const status = Number.isFinite(exchange.status) ? exchange.status : 0
  const text = typeof exchange.text === 'string' ? exchange.text : ''
  if (legacy) {
    if (!realSuccess(status)) return { kind: 'query-error', reason: `HTTP ${status}` }
    if (text.length === 0) return { kind: 'answer', answer: { result: {} }, status }
  } else if (text.length === 0) {
    const error = status === 200 ? 'BLANK_ANSWER' : 'BLANK_ANSWER_WITH_ERROR_CODE'
    return { kind: 'answer', answer: { error, error_description: '' }, status }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  // Only an object is a REST envelope; `null`, numbers, strings and arrays are as unexpected as broken JSON.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return legacy ? { kind: 'query-error', reason: 'unparseable answer' } : { kind: 'answer', answer: { ...ERROR_UNEXPECTED_ANSWER }, status }
  }
  return { kind: 'answer', answer: parsed as Answer, status }
}
