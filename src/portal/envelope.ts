// The REST envelope (spec §4.3): {result, next?, total?, time} on success, {error, error_description} on failure.

import type { RestResponse } from '../rest/contract'
import { RestError } from './errors'
import { encodeJson } from './php-array'

export interface TimeBlock {
  start: number
  finish: number
  duration: number
  processing: number
  date_start: string
  date_finish: string
  operating_reset_at?: number
  operating?: number
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=utf-8' }

/** ISO-8601 with an explicit offset, as PHP's DATE_ATOM prints it (the dev portal runs on UTC). */
export function atomDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

export function timeBlock(startMs: number, finishMs: number, operating?: { resetAt: number; seconds: number }): TimeBlock {
  const seconds = (ms: number) => Math.round(ms) / 1000
  const block: TimeBlock = {
    start: seconds(startMs),
    finish: seconds(finishMs),
    duration: seconds(finishMs - startMs),
    processing: seconds(finishMs - startMs),
    date_start: atomDate(startMs),
    date_finish: atomDate(finishMs),
  }
  if (operating) {
    block.operating_reset_at = operating.resetAt
    block.operating = operating.seconds
  }
  return block
}

/** What a method returns: the server lifts `total` and `next` out of it into the envelope. */
export interface MethodResult {
  result: unknown
  total?: number
  next?: number
}

export function successResponse(out: MethodResult, time: TimeBlock): RestResponse {
  const envelope: Record<string, unknown> = { result: out.result }
  if (out.next !== undefined) envelope.next = Math.trunc(out.next)
  if (out.total !== undefined) envelope.total = Math.trunc(out.total)
  envelope.time = time
  return { status: 200, body: encodeJson(envelope), headers: { ...JSON_HEADERS } }
}

export function errorResponse(error: RestError): RestResponse {
  return {
    status: error.status,
    body: JSON.stringify(errorBody(error)),
    headers: { ...JSON_HEADERS },
  }
}

/** `{error, error_description, ...additional}`: CRestServer::outputError merges the additional keys after the two. */
export function errorBody(error: RestError): Record<string, string> {
  return { error: error.code, error_description: error.description, ...error.additional }
}

/** Anything thrown that is not a RestError is our bug or hostile input we did not foresee: never crash, answer 500. */
export function toRestError(thrown: unknown): RestError {
  if (thrown instanceof RestError) return thrown
  return new RestError('INTERNAL_SERVER_ERROR', 'Internal server error')
}
