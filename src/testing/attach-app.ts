// Binds a page that loaded the bx24-shim bundle to a test portal, right after the bundle ran and before the page's
// own scripts: BX24 on the mock transport as one portal user (UI commands through the portal's frame host, so they
// follow the parent's rules and a recording UI answers the pickers), and every pull client on the hub. The same
// wiring as the static demo (demo/static/static.js), for any window: a happy-dom window or a same-origin frame.

import type { PortalSessionOptions } from '../portal/mock-session'
import { createFrameHost, type FrameHost, type PlacementInterface } from '../portal/frame/frame-host'
import { createRecordingUi, type RecordingUi } from '../portal/frame/ui'
import { createFrameHostBridge } from '../dev/frame-host-bridge'
import type { BX24Api } from '../bx24/full'
import type { BX24Transport } from '../bx24/types'
import type { BXGlobal, BX24ShimGlobal } from '../types/globals'
import type { PullWindowLike } from '../pull/client/options'
import type { Plain } from '../portal/values'
import type { TestPortal } from './test-portal'

export interface AttachOptions extends PortalSessionOptions {
  /** The placement's own commands and events (placement.call, placement.bindEvent). */
  placementInterface?: PlacementInterface
}

/** What a page window holds once the bundle ran. */
export interface ShimWindow extends PullWindowLike {
  BX24: BX24Api
  BX: BXGlobal
  BX24Shim: BX24ShimGlobal
  location: { origin: string; href: string }
  Object: ObjectConstructor
  JSON: JSON
}

export interface AttachedApp {
  /** The portal's side of the UI: every command the app sent (`calls`), the title, the size, open sliders. */
  readonly ui: RecordingUi
  /** The parent side of the frame protocol: `firePlacementEvent(...)` for placement.bindEvent callbacks. */
  readonly frameHost: FrameHost
}

/** Nothing in a portal page writes options without storing them: the mock transport's echo is kept in the portal too. */
function persistOptions(transport: BX24Transport, test: TestPortal, userId: number): void {
  const send = transport.send.bind(transport)
  transport.send = (command, params, callback) => {
    const p = (params ?? {}) as { name?: unknown; value?: unknown }
    const name = typeof p.name === 'string' ? p.name : ''
    if (command === 'setUserOption' && name) test.portal.setUserOption(userId, name, (p.value ?? null) as Plain)
    if (command === 'setAppOption' && name && test.portal.isAdmin(userId)) test.portal.setAppOption(name, (p.value ?? null) as Plain)
    send(command, params, callback)
  }
}

export function attachToPortal(win: ShimWindow, test: TestPortal, options: AttachOptions = {}): AttachedApp {
  const { portal } = test
  const userId = options.userId ?? portal.defaultUserId
  const ui = createRecordingUi({ portal })
  const bridge = createFrameHostBridge()
  const frameHost = createFrameHost({
    portal, ui, userId, appOrigin: win.location.origin, portalHost: portal.state.domain, protocol: 1,
    lang: options.lang, placement: options.placement, placementOptions: options.placementOptions,
    placementInterface: options.placementInterface, listen: false, post: bridge.post,
  })
  bridge.attach(frameHost)

  // Objects BX24 keeps (init data) are made in the page's realm: its checks for plain objects are realm-bound.
  const session = test.session({ ...options, userId })
  const transport = win.BX24Shim.mockTransport({
    handler: session.handler,
    initData: win.JSON.parse(JSON.stringify(session.initData)),
    refresh: () => session.refresh(),
    host: bridge.adapter,
  })
  persistOptions(transport, test, userId)
  win.BX24.shim.useTransport(transport)

  // Pull: every client the page makes (BX.PULL, `new BX.PullClient(...)`) connects to the hub unless it brings
  // its own transport. The singleton was never started (page code starts it), so it is replaced by one that has.
  const BX = win.BX
  const ShimPullClient = BX.PullClient
  const hubTransport = () => win.BX24Shim.pluggableTransport(test.pull.source())
  class TestPullClient extends ShimPullClient {
    constructor(params?: ConstructorParameters<typeof ShimPullClient>[0]) {
      super(win.Object.assign(new win.Object(), { transport: hubTransport() }, params))
    }
  }
  BX.PullClient = TestPullClient
  BX.PULL = new TestPullClient(win.Object.assign(new win.Object(), { bx: BX, window: win, restClient: win.BX24, restApplication: true }))
  return { ui, frameHost }
}
