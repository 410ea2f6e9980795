// RestRequest (wire form) → method name, optional webhook credentials and decoded params. Query and body are merged
// with the body winning, as PHP's request array does; `auth` is taken out of the params like the server does.

import type { RestRequest } from '../rest/contract'
import { RestError } from './errors'
import { decodeForm, type FormLimits } from './form-decode'
import { createObject, isObject, toPlain, type PlainObject } from './values'

export interface ParsedRequest {
  method: string
  webhook?: { userId: number; secret: string }
  auth?: string
  params: PlainObject
}

/** PHP's json_decode default depth. */
export const JSON_MAX_DEPTH = 512

const METHOD_NAME = /^[a-z0-9_.:-]{1,128}$/

/** `user.current`, `user.current.json`, `1/secret/user.current.json`; a leading `rest/` or `/` is tolerated. */
export function parseMethodPath(path: string): { method: string; webhook?: { userId: number; secret: string } } {
  const clean = path.replace(/^\/+/, '').replace(/^rest\//, '').replace(/\.json$/i, '')
  const hook = /^(\d{1,10})\/([^/]{1,128})\/([^/]+)$/.exec(clean)
  const method = (hook ? hook[3]! : clean).toLowerCase()
  // Anything that is not a method-shaped name cannot exist on the server: the same 404 as an unknown method.
  if (!METHOD_NAME.test(method)) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!')
  return hook ? { method, webhook: { userId: Number(hook[1]), secret: hook[2]! } } : { method }
}

function depthOf(text: string): number {
  // Cheap bracket scan before JSON.parse, so a hostile 100k-deep body is refused instead of blowing the stack.
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') max = Math.max(max, ++depth)
    else if (c === '}' || c === ']') depth--
  }
  return max
}

export function decodeJsonBody(text: string): PlainObject {
  if (text.trim() === '') return createObject()
  if (depthOf(text) > JSON_MAX_DEPTH) throw new RestError('INVALID_REQUEST', 'Invalid JSON: maximum nesting depth exceeded')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new RestError('INVALID_REQUEST', 'Invalid JSON body')
  }
  const plain = toPlain(parsed)
  if (!isObject(plain)) throw new RestError('INVALID_REQUEST', 'Invalid JSON body: an object is expected')
  return plain
}

export function parseRequest(request: RestRequest, limits: FormLimits = {}): ParsedRequest {
  if (typeof request.method !== 'string' || typeof request.body !== 'string') {
    throw new RestError('INVALID_REQUEST', 'Malformed request')
  }
  const { method, webhook } = parseMethodPath(request.method)
  const params = request.query ? decodeForm(request.query, limits) : createObject()
  const body = request.contentType === 'application/json' ? decodeJsonBody(request.body) : decodeForm(request.body, limits)
  Object.assign(params, body)
  const auth = params.auth
  delete params.auth
  const out: ParsedRequest = { method, params }
  if (webhook) out.webhook = webhook
  if (typeof auth === 'string' && auth !== '') out.auth = auth
  return out
}
