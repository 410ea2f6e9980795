// Placeholder until the BX24 issue lands: the global exists so `typeof BX24` checks see an object.
import type { BXBus } from '../bx/create-bx'

export type BX24Api = Record<string, unknown>

export function installBX24(win: Window & { BX24?: unknown }, bus: BXBus): BX24Api {
  void bus
  const existing = win.BX24
  if (existing && typeof existing === 'object') return existing as BX24Api
  const api: BX24Api = {}
  win.BX24 = api
  return api
}
