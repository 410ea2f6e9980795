// The UI side of the rest and mock transports: where resizeWindow, selectUser, openApplication… go when there is no
// portal frame. The default ignores everything and never calls back, like a parent that does not know a command.

import type { FrameCallback, HostAdapter } from '../types'

export const silentHost: HostAdapter = {
  command() {},
}

/** A host that records every command and lets a table of handlers answer some of them (tests, demos). */
export function recordingHost(handlers: Record<string, (params: unknown) => unknown> = {}): HostAdapter & {
  calls: Array<{ command: string; params: unknown }>
} {
  const calls: Array<{ command: string; params: unknown }> = []
  return {
    calls,
    command(command: string, params: unknown, reply: FrameCallback) {
      calls.push({ command, params })
      const handler = Object.prototype.hasOwnProperty.call(handlers, command) ? handlers[command] : undefined
      if (handler) reply(handler(params))
    },
  }
}
