// Names and numbers that are part of Bitrix's public surface or wire contract (spec B.1, B.5, B.7). Kept in one place
// so the statics on BX.PullClient and the client internals cannot drift apart.

/** The client API revision the server compares with `revision_web` (B.8). Bitrix's ES5 and ES6 lines both say 19. */
export const REVISION = 19

export const PullStatus = {
  Online: 'online',
  Offline: 'offline',
  Connecting: 'connect',
} as const
export type PullStatusValue = (typeof PullStatus)[keyof typeof PullStatus]

export const SubscriptionType = {
  Server: 'server',
  Client: 'client',
  Online: 'online',
  Status: 'status',
  Revision: 'revision',
} as const
export type SubscriptionTypeValue = (typeof SubscriptionType)[keyof typeof SubscriptionType]

export const CloseReasons = {
  NORMAL_CLOSURE: 1000,
  SERVER_DIE: 1001,
  CONFIG_REPLACED: 3000,
  CHANNEL_EXPIRED: 3001,
  SERVER_RESTARTED: 3002,
  CONFIG_EXPIRED: 3003,
  MANUAL: 3004,
  STUCK: 3005,
  WRONG_CHANNEL_ID: 4010,
} as const

export const ServerMode = { Shared: 'shared', Personal: 'personal' } as const

/** `extra.sender.type` of a message another browser published (B.3). */
export const SENDER_CLIENT = 1

/** Seconds unless the name says otherwise. */
export const CONFIG_CHECK_INTERVAL_MS = 60_000
export const OFFLINE_STATUS_DELAY_MS = 5_000
export const ONLINE_EVENT_MAX_AGE = 240
export const SESSION_TTL = 20
export const BEFOREUNLOAD_RECONNECT_DELAY = 15
export const SERVER_RESTART_DELAY = 15
export const PING_TIMEOUT = 10
export const RPC_TIMEOUT = 5
export const LONG_POLLING_TIMEOUT = 60
export const LONG_POLLING_FAILURE_TIMEOUT_MS = 5_000
export const MAX_IDS_TO_STORE = 10
/**
 * Ours: the longest frame (characters, or bytes of a binary frame) the client reads; longer ones are skipped with a
 * log, unread. 16 Mi is sixteen times push-server's 1 MiB message cap, room for a catch-up of many stored messages,
 * while parsing stays a bounded pause of the page (about 0.1 s). A body's nesting is bounded by the copy Bitrix's
 * handlers get: one too deep to copy costs only its own message (PULL-30).
 */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024
export const WATCH_UPDATE_INTERVAL_MS = 1_740_000
export const WATCH_FORCE_UPDATE_INTERVAL_MS = 5_000

/** Storage names; StorageManager prefixes them with `bx-pull-<userId>-<siteId>-`. */
export const LS_CONFIG = 'bx-pull-config'
export const LS_SESSION = 'bx-pull-session'

/** What push-server 1.x puts in `Expires` on a long-polling 304 that carries `Last-Message-Id` (B.5). */
export const LONG_POLLING_MAGIC_EXPIRES = 'Thu, 01 Jan 1973 11:11:01 GMT'
