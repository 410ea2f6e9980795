// The types of the drop-in globals, named so that `bx24-shim/global` (global.d.ts at the package root) can declare
// window.BX, window.BX24 and window.BX24Shim with them. This module declares nothing global itself: importing the
// package must never change the globals of a project that does not load the script tag.

import type { BXBus } from '../bx/create-bx'
import type { BX24ShimConfig } from '../bx24/config'
import type { BX24Api } from '../bx24/full'
import type { PullClient } from '../pull/client/pull-client'

/** `window.BX` as the bundle installs it: the event bus, `BX.PullClient` and the `BX.PULL` singleton. */
export type BXGlobal = BXBus & {
  PullClient: typeof PullClient
  PULL: PullClient
}

/** `window.BX24`. */
export type BX24Global = BX24Api

/** `window.BX24Shim`: every export of the bundle (the factories and transports of the ESM entry, and `BX`). */
export type BX24ShimGlobal = typeof import('../umd')

/** `window.bx24ShimConfig`, read when the bundle loads (docs/bx24.md). */
export type BX24ShimGlobalConfig = BX24ShimConfig & {
  /** Gen-1/gen-2 semantics for the BX bus. */
  legacyEvents?: boolean
}
