// One form-encoded POST over fetch, shared by the frame and rest transports. Redirects are refused: a 307/308 would
// re-send the body, token included, to whatever origin the redirect names.

import type { RestExchange } from '../types'

export type FetchLike = (url: string, init: { method: string; body: string; headers: Record<string, string>; credentials: 'omit'; redirect: 'error' }) => Promise<{ status: number; text(): Promise<string> }>

export const FORM = 'application/x-www-form-urlencoded'

export function defaultFetch(): FetchLike {
  return (url, init) => {
    if (typeof fetch !== 'function') return Promise.reject(new Error('fetch is not available'))
    return fetch(url, init)
  }
}

export async function postForm(fetchImpl: FetchLike, url: string, body: string): Promise<RestExchange> {
  const response = await fetchImpl(url, { method: 'POST', body, headers: { 'Content-Type': FORM }, credentials: 'omit', redirect: 'error' })
  return { status: response.status, text: await response.text() }
}

/** The REST path from init data, accepted only as an absolute path on the same origin (no '//', '\\', '@', '?', '#'). */
export function safePath(path: string): string | null {
  if (path === '') return '/rest'
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.startsWith('//')) return null
  return path.replace(/\/+$/, '')
}
