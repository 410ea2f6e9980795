// Mobile webview re-emission (B.3.3). Two layers, both as Bitrix's mobile code does them:
// - the mobile JS core's web events: `onPull-<module>`, `onPull`, `onPullClient-<module>`, `onPullOnline`, each
//   with one data object, raised on the page's BX;
// - the older mobile web templates' bridge to the native app: `BXMobileApp.onCustomEvent('onPull-<module>', …, true)`
//   and `('onPull', …, true)`, with module `im` debounced 100 ms into one `{data: [...]}` event.

import type { Clock, MobileAppLike, TimerId } from './types'

export const MOBILE_IM_BATCH_MS = 100

type Raise = (name: string, args: unknown[]) => void

export interface MobileMessage {
  moduleId: string
  command: string
  params: Record<string, unknown>
  extra: Record<string, unknown>
}

export class MobileBridge {
  private imQueue: { command: string; params: unknown; extra: unknown }[] = []
  private imTimer: TimerId | null = null

  constructor(
    private readonly raise: Raise,
    private readonly app: () => MobileAppLike | undefined,
    private readonly clock: Clock,
  ) {}

  server({ moduleId, command, params, extra }: MobileMessage): void {
    this.raise('onPull-' + moduleId, [{ command, params, extra, module_id: moduleId }])
    this.raise('onPull', [{ module_id: moduleId, command, params, extra }])
    const app = this.app()
    if (!app) return
    if (moduleId === 'im') {
      this.imQueue.push({ command, params, extra })
      if (this.imTimer !== null) this.clock.clearTimeout(this.imTimer)
      this.imTimer = this.clock.setTimeout(() => this.flushIm(), MOBILE_IM_BATCH_MS)
    } else {
      app.onCustomEvent('onPull-' + moduleId, { command, params, extra }, true)
    }
    app.onCustomEvent('onPull', { module_id: moduleId, command, params, extra }, true)
  }

  client({ moduleId, command, params, extra }: MobileMessage): void {
    this.raise('onPullClient-' + moduleId, [{ command, params, extra, module_id: moduleId }])
  }

  online({ command, params, extra }: MobileMessage): void {
    this.raise('onPullOnline', [{ command, params, extra }])
    this.app()?.onCustomEvent('onPullOnline', { command, params, extra }, true)
  }

  destroy(): void {
    if (this.imTimer !== null) this.clock.clearTimeout(this.imTimer)
    this.imTimer = null
    this.imQueue = []
  }

  private flushIm(): void {
    this.imTimer = null
    const data = this.imQueue
    this.imQueue = []
    try {
      this.app()?.onCustomEvent('onPull-im', { data }, true)
    } catch (error) {
      // A timer callback has no dispatch loop to protect it; a throwing native bridge must not become unhandled.
      console.error('Pull: BXMobileApp.onCustomEvent failed', error)
    }
  }
}
