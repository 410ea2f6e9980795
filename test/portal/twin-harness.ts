// Harness for the twin conformance test (issue 4, item 9): one "world" = a fresh mock portal, our HTTP server on
// 127.0.0.1:0, a happy-dom app window and our parent side (createFrameHost, listen: false) behind a fake `parent`.
// Spec §11: the fake parent hands app messages to the frame host, and the host's replies are dispatched as
// MessageEvents carrying the portal origin explicitly (native postMessage would label them with the wrong origin).
// Everything the app posts to the parent is recorded, as is (via portal.calls) everything it sent to the server.

import { Window } from 'happy-dom'
import { createMockPortal, type MockPortal } from '../../src/portal/portal'
import { startPortalServer, type PortalServer } from '../../src/portal/server'
import { createFrameHost, type FrameHost } from '../../src/portal/frame/frame-host'
import { createRecordingUi } from '../../src/portal/frame/ui'
import { defaultSeed, type PortalSeed } from '../../src/portal/seed'

export const APP_ORIGIN = 'https://app.example.test'

export interface ParentMessage {
  /** The command name: first `:` segment of a string message, or `method` of the object form. */
  command: string
  raw: unknown
  targetOrigin: string
}

export interface FakeParent {
  postMessage(message: unknown, targetOrigin: string): void
}

export interface World {
  portal: MockPortal
  server: PortalServer
  win: Window
  host: FrameHost
  parent: FakeParent
  /** `http://127.0.0.1:<port>`: where commands must be posted and where replies come from. */
  portalOrigin: string
  /** `127.0.0.1:<port>`: DOMAIN in the frame name and the init data. */
  portalHost: string
  toParent: ParentMessage[]
  /** Replies the host tried to post somewhere other than the app origin (must stay empty). */
  misdirectedReplies: string[]
  close(): Promise<void>
}

export function commandOf(message: unknown): string {
  if (typeof message === 'string') return message.split(':')[0] ?? ''
  if (typeof message === 'object' && message !== null && 'method' in message) return String((message as { method: unknown }).method)
  return `<${typeof message}>`
}

/** The twins compare what they were given field by field, so both worlds pin the secrets a default seed randomises. */
const TWIN_MEMBER_ID = 'a3f1c4e5d6b7a8c9d0e1f2a3b4c5d6e7'

export async function startWorld(seedPatch: (seed: PortalSeed) => void = () => {}): Promise<World> {
  const seed = defaultSeed()
  seed.portal = { ...seed.portal, memberId: TWIN_MEMBER_ID }
  seedPatch(seed)
  const portal = createMockPortal({ seed })
  const server = await startPortalServer({ portal })
  const portalOrigin = server.url
  const portalHost = `127.0.0.1:${server.port}`
  const win = new Window({ url: `${APP_ORIGIN}/app/index.html` })
  const toParent: ParentMessage[] = []
  const misdirectedReplies: string[] = []
  const host = createFrameHost({
    appOrigin: APP_ORIGIN,
    portal,
    ui: createRecordingUi({ portal }),
    portalHost,
    protocol: 0,
    listen: false,
    post: (data, targetOrigin) => {
      if (targetOrigin !== APP_ORIGIN) {
        misdirectedReplies.push(`${targetOrigin} ${data}`)
        return
      }
      setTimeout(() => win.dispatchEvent(new win.MessageEvent('message', { data, origin: portalOrigin })), 0)
    },
  })
  const parent: FakeParent = {
    postMessage(message, targetOrigin) {
      toParent.push({ command: commandOf(message), raw: message, targetOrigin })
      // The browser delivers only when targetOrigin matches the parent's origin; the host then checks the sender.
      if (targetOrigin === portalOrigin) setTimeout(() => host.handleMessage(message, APP_ORIGIN), 0)
    },
  }
  return {
    portal,
    server,
    win,
    host,
    parent,
    portalOrigin,
    portalHost,
    toParent,
    misdirectedReplies,
    async close() {
      host.destroy()
      await server.close()
      await win.happyDOM.close()
    },
  }
}

/** Reject after `ms` so one hanging step cannot take the whole scenario down. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
