// The page events the client follows (B.3.1, B.7): window online/offline/beforeunload and the BX event BXLinkOpened.
// One function attaches them all and returns the one way to detach them.

import type { BXEventsLike, LoggerLike, WindowEventsLike } from './types'

export interface PageEventHandlers {
  online(): void
  offline(): void
  beforeUnload(): void
  linkOpened(): void
}

export function listenToPage(
  win: WindowEventsLike | null, bx: BXEventsLike | null, handlers: PageEventHandlers, log: LoggerLike,
): () => void {
  const { online, offline, beforeUnload, linkOpened } = handlers
  win?.addEventListener('online', online)
  win?.addEventListener('offline', offline)
  win?.addEventListener('beforeunload', beforeUnload)
  try {
    bx?.addCustomEvent('BXLinkOpened', linkOpened)
  } catch (error) {
    log.error('Pull: could not listen to BXLinkOpened', error instanceof Error ? error.message : String(error))
  }
  return () => {
    win?.removeEventListener('online', online)
    win?.removeEventListener('offline', offline)
    win?.removeEventListener('beforeunload', beforeUnload)
    try {
      bx?.removeCustomEvent('BXLinkOpened', linkOpened)
    } catch {
      // a foreign BX that cannot remove: nothing more to do
    }
  }
}
