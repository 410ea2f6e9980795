// UMD entry: loaded by a <script> tag it defines window.BX and window.BX24, the drop-in globals.
//
// Coexistence: on a real portal page Bitrix's core already defines BX with addCustomEvent. The shim then leaves that
// BX alone and the rest of the shim uses it, so events raised by the shim reach the page's own handlers. If a BX
// exists without the bus (a page that set `BX.message` early, or a small core whose BX is a function with
// BX.namespace and no event bus), the shim adds the bus functions it lacks and overwrites nothing.
import { createBX, type BXBus } from './bx/create-bx'
import { installBX24 } from './bx24/install'
import { installPull } from './pull/index'

export * from './index'

type ShimWindow = Window & { BX?: Record<string, unknown>; BX24?: unknown; bx24ShimConfig?: { legacyEvents?: boolean } }

function scriptConfig(): { legacyEvents: boolean } {
  const script = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null
  const fromTag = script?.dataset?.bxEvents
  const fromWindow = typeof window !== 'undefined' ? (window as ShimWindow).bx24ShimConfig : undefined
  return { legacyEvents: fromTag === 'legacy' || fromWindow?.legacyEvents === true }
}

function install(win: ShimWindow): BXBus {
  const existing = win.BX
  if (existing && typeof existing.addCustomEvent === 'function') return existing as unknown as BXBus
  const bus = createBX({ window: win, legacy: scriptConfig().legacyEvents })
  // Bitrix's cores define BX as a function (BX(node), BX.namespace, ...): it is kept like an object would be.
  if (existing && (typeof existing === 'object' || typeof existing === 'function')) {
    for (const [key, value] of Object.entries(bus)) if (!(key in existing)) existing[key] = value
    return existing as unknown as BXBus
  }
  win.BX = bus as unknown as Record<string, unknown>
  return bus
}

/** The bus the globals use: the page's own BX when it had one, else the shim's. Undefined outside a browser. */
export const BX: BXBus | undefined = typeof window !== 'undefined' ? install(window as ShimWindow) : undefined
if (typeof window !== 'undefined' && BX) {
  const BX24 = installBX24(window as ShimWindow, BX)
  // BX.PullClient and the BX.PULL singleton (never started here: page code calls BX.PULL.start()). An app iframe's
  // singleton runs in restApplication mode over BX24; a page with Bitrix's own pull client keeps it.
  installPull(window, BX, BX24)
}
