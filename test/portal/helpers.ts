// Shared helpers for the portal tests: call the engine in wire form and read the envelope back.

import { createMockPortal, type MockPortal, type MockPortalOptions } from '../../src/portal/portal'

export const FORM = 'application/x-www-form-urlencoded' as const
export const JSON_TYPE = 'application/json' as const

export interface Answer {
  status: number
  json: Record<string, any>
  text: string
}

export function setup(options: MockPortalOptions = {}): { portal: MockPortal; token: string } {
  const portal = createMockPortal(options)
  return { portal, token: portal.issueAuth().accessToken }
}

/** POST a form body exactly as given (`auth=` is prepended when a token is passed). */
export async function form(portal: MockPortal, method: string, body: string, token?: string): Promise<Answer> {
  const full = token === undefined ? body : `auth=${token}${body ? '&' + body : ''}`
  const res = await portal.handle({ method, body: full, contentType: FORM })
  return { status: res.status, json: JSON.parse(res.body), text: res.body }
}

/** POST a JSON body the way b24jssdk does ({...params, auth}). */
export async function json(portal: MockPortal, method: string, params: Record<string, unknown>, token?: string): Promise<Answer> {
  const body = JSON.stringify(token === undefined ? params : { ...params, auth: token })
  const res = await portal.handle({ method, body, contentType: JSON_TYPE })
  return { status: res.status, json: JSON.parse(res.body), text: res.body }
}
