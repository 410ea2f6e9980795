// Console output of the client: errors and warnings always, chatter only after enableLogging() (as Bitrix's
// logToConsole), and never a channel id, signature or token in a message.

import type { LoggerLike } from './types'

export class PullLogger implements LoggerLike {
  enabled = false

  constructor(private readonly sink: LoggerLike) {}

  log(...args: unknown[]): void {
    if (this.enabled) this.sink.log(...args)
  }
  info(...args: unknown[]): void {
    this.sink.info(...args)
  }
  warn(...args: unknown[]): void {
    this.sink.warn(...args)
  }
  error(...args: unknown[]): void {
    this.sink.error(...args)
  }
}

/** Query parameters that carry secrets, masked in anything the client prints or returns from getDebugInfo(). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:CHANNEL_ID|token|clientId)=)[^&]*/g, '$1***')
}
