// B.6 system messages (`module_id: 'pull'`, PULL-28, PULL-40) as a pure decision: what the connection has to do.
// Command matching is case-insensitive, as Bitrix's `command.toUpperCase()`.

import { isPlainObject } from '../codecs/types'
import { CloseReasons, SERVER_RESTART_DELAY } from './constants'
import type { PullChannel } from './types'

export type SystemAction =
  /** channel_expire with `action: 'reconnect'`: use this channel from now on, reconnect in 1 s. */
  | { kind: 'replaceChannel'; type: 'private' | 'shared'; channel: PullChannel; code: number; reason: string }
  /** Reload the config, then connect. */
  | { kind: 'restart'; code: number; reason: string }
  /** Connect again after `delaySec`. */
  | { kind: 'reconnect'; code: number; reason: string; delaySec: number }

/** What a system message asks for; null for those the modern client ignores (v1/v2 `open`, `open_exists`, `reopen`). */
export function systemAction(command: unknown, params: unknown): SystemAction | null {
  if (typeof command !== 'string') return null
  const data = isPlainObject(params) ? params : {}
  switch (command.toUpperCase()) {
    case 'CHANNEL_EXPIRE': {
      const type = isPlainObject(data.channel) ? data.channel.type : undefined
      const channel = data.new_channel
      // Only the channel kinds a config has (a type from the wire must not name any other key of `channels`), and a
      // channel the connection URL can be built from; anything else reloads the config, as `get_config` does.
      if (data.action === 'reconnect' && (type === 'private' || type === 'shared') && isPlainObject(channel) && typeof channel.id === 'string' && channel.id !== '') {
        return { kind: 'replaceChannel', type, channel: channel as unknown as PullChannel, code: CloseReasons.CONFIG_REPLACED, reason: 'config was replaced' }
      }
      return { kind: 'restart', code: CloseReasons.CHANNEL_EXPIRED, reason: 'channel expired received' }
    }
    case 'CONFIG_EXPIRE':
      return { kind: 'restart', code: CloseReasons.CONFIG_EXPIRED, reason: 'config expired received' }
    case 'SERVER_RESTART':
      return { kind: 'reconnect', code: CloseReasons.SERVER_RESTARTED, reason: 'server was restarted', delaySec: SERVER_RESTART_DELAY }
    default:
      return null
  }
}
