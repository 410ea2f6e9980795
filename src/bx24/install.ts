// installBX24: the drop-in global. Called by the UMD entry while its <script> evaluates, so `document.currentScript`
// is the shim's tag and a bootstrap failure throws synchronously from that script, as the real library does.

import type { BXBus } from '../bx/create-bx'
import { chooseTransport, configFromScript, mergeConfig, type BX24ShimConfig } from './config'
import { createBX24, type BX24Api } from './full'
import { mockTransport } from './transports/mock'
import { parentFrameTransport } from './transports/parent-frame'
import { restTransport } from './transports/rest'
import type { BX24Transport } from './types'
import { INIT_ERROR_MESSAGE } from './window-name'

export type { BX24Api } from './full'

type InstallWindow = Window & { BX24?: unknown; bx24ShimConfig?: unknown }

export function transportFromConfig(win: Window, config: BX24ShimConfig): BX24Transport | null {
  switch (chooseTransport(config, win.name)) {
    case 'parentFrame':
      return parentFrameTransport({ window: win, fetch: config.fetch })
    case 'rest':
      return restTransport({
        webhook: config.webhook, auth: config.auth, lang: config.lang, isAdmin: config.isAdmin,
        persistOptions: config.persistOptions, fetch: config.fetch, host: config.host,
      })
    case 'mock':
      return mockTransport({ ...config.mock, host: config.host })
    default:
      return null
  }
}

/**
 * Install window.BX24 unless one exists, choosing the transport from window.bx24ShimConfig, the script tag's data-*
 * attributes and window.name. Throws the real bootstrap error (and leaves BX24 null) for a broken frame name.
 * @example
 * installBX24(window, BX)   // what the UMD entry does
 */
export function installBX24(win: InstallWindow, bus: BXBus): BX24Api {
  // The bus is not needed by BX24 itself yet; the signature is the UMD entry's contract.
  void bus
  const existing = win.BX24
  if (existing && typeof existing === 'object') return existing as BX24Api
  const script = typeof document !== 'undefined' ? document.currentScript : null
  const config = mergeConfig(win.bx24ShimConfig, configFromScript(script))
  let transport: BX24Transport | null
  try {
    transport = transportFromConfig(win, config)
  } catch (error) {
    if ((error as Error).message === INIT_ERROR_MESSAGE) win.BX24 = null
    throw error
  }
  const api = createBX24({
    window: win, transport, legacyQueryErrors: config.legacyQueryErrors, limiter: config.limiter, retry: config.retry,
    refreshTimeout: config.refreshTimeout,
  })
  win.BX24 = api
  return api
}
