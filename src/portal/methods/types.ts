// What a REST method implementation receives and returns.

import type { MethodResult } from '../envelope'
import type { PortalState } from '../state'
import type { PlainObject } from '../values'

export interface CallContext {
  state: PortalState
  params: PlainObject
  userId: number
  isAdmin: boolean
  /** Webhooks cannot do everything an app token can (event.bind, for one). */
  authKind: 'oauth' | 'webhook'
  /** Epoch ms of the request, from the portal's clock. */
  now: number
  /** Raise a portal event (ONCRMDEALADD, …) for the bound handlers. */
  emit(event: string, data: Record<string, unknown>): void
  /** The method name as called (lower-case): user.get and user.search share one handler, as on the server. */
  method: string
  /** The scopes of the caller's token; null for a webhook without a scope list (everything). */
  scope: ReadonlySet<string> | null
  /** Every event name event.bind accepts (upper-case): the built-in ones and the documented ones. */
  knownEvents: ReadonlySet<string>
}

export interface MethodDef {
  /** Scopes of which the caller needs at least one; empty = basic methods every app may call. */
  scope: readonly string[]
  run(ctx: CallContext): MethodResult
  /** Set on the catalogue's fallback: the answer is the documented example, not portal state. */
  example?: true
}

export type MethodTable = Readonly<Record<string, MethodDef>>

export const basic: readonly string[] = []
