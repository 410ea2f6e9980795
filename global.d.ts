// bx24-shim/global: the drop-in globals for pages that load the bundle with a <script> tag.
//   /// <reference types="bx24-shim/global" />      (or: import type {} from 'bx24-shim/global')
// after which `BX24.callMethod(...)`, `window.BX.addCustomEvent(...)` and `BX24Shim.createBX()` are typed.
// Kept outside src/: a global declaration must not reach projects that import the package as modules.

import type { BX24Global, BX24ShimGlobal, BX24ShimGlobalConfig, BXGlobal } from './dist/types/index'

declare global {
  /** Bitrix's custom-event bus (the page's own when Bitrix's core was there first), with `BX.PullClient` and `BX.PULL`. */
  var BX: BXGlobal
  /** The iframe-app library. */
  var BX24: BX24Global
  /** Every export of the bundle. */
  var BX24Shim: BX24ShimGlobal
  /** Read once, when the bundle loads: the transport, webhook, mock portal, legacy events. */
  var bx24ShimConfig: BX24ShimGlobalConfig | undefined

  interface Window {
    BX: BXGlobal
    BX24: BX24Global
    BX24Shim: BX24ShimGlobal
    bx24ShimConfig?: BX24ShimGlobalConfig
  }
}

export {}
