// Connects BX24's host adapter (the mock and rest transports send UI commands there) to the portal's frame host, so
// a page without a real iframe protocol (the static demo) gets exactly the parent's semantics: the same deny lists,
// replies, pickers and sliders as the dev portal, from one implementation.

import type { FrameHost } from '../portal/frame/frame-host'

type Reply = (payload: unknown) => void

export interface FrameHostBridge {
  /** For FrameHostOptions.post: the host's replies, in wire form, come back here. */
  post(message: string): void
  attach(host: FrameHost): void
  /** BX24's HostAdapter. */
  adapter: { command(command: string, params: unknown, reply: Reply): void }
}

export function createFrameHostBridge(): FrameHostBridge {
  let host: FrameHost | null = null
  // Kept after a reply, as the real library keeps its callbacks: the parent may answer one id again.
  const replies = new Map<string, Reply>()
  let next = 0
  return {
    post(message) {
      const colon = message.indexOf(':')
      const reply = replies.get(colon < 0 ? message : message.slice(0, colon))
      if (!reply) return
      const text = colon < 0 ? '' : message.slice(colon + 1)
      let payload: unknown
      try {
        payload = text ? JSON.parse(text) : undefined
      } catch {
        return
      }
      reply(payload)
    },
    attach(next) {
      host = next
      replies.clear()
    },
    adapter: {
      command(command, params, reply) {
        if (!host) return
        const id = `bridge${++next}`
        replies.set(id, reply)
        const message = command.includes(':')
          ? { method: command, params: params ?? '', callback: id, appSid: host.appSid }
          : `${command}:${params ? JSON.stringify(params) : ''}:${id}:${host.appSid}`
        host.handleMessage(message, host.appOrigin)
      },
    },
  }
}
