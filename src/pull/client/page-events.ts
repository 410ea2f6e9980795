// The page events the client follows (B.3.1, B.7): window online/offline/beforeunload, the back-forward cache's
// pagehide/pageshow, and the BX event BXLinkOpened. One function attaches them all and returns the one way to detach
// them; the client attaches them when it starts and detaches them when it stops, so a stopped client hears nothing.

import type { BXEventsLike, LoggerLike, WindowEventsLike } from './types'

export interface PageEventHandlers {
  online(): void
  offline(): void
  beforeUnload(): void
  /** `persisted`: the page goes into (or comes back from) the back-forward cache rather than away for good. */
  pageHide(persisted: boolean): void
  pageShow(persisted: boolean): void
  linkOpened(): void
}

const persisted = (event: unknown): boolean => (event as { persisted?: unknown } | null)?.persisted === true

export function listenToPage(
  win: WindowEventsLike | null, bx: BXEventsLike | null, handlers: PageEventHandlers, log: LoggerLike,
): () => void {
  const { online, offline, beforeUnload, linkOpened } = handlers
  // Named functions, not handlers' own: the window calls a listener with itself as `this` and the event as argument.
  const windowListeners: [string, (event: unknown) => void][] = [
    ['online', () => online()],
    ['offline', () => offline()],
    ['beforeunload', () => beforeUnload()],
    ['pagehide', (event) => handlers.pageHide(persisted(event))],
    ['pageshow', (event) => handlers.pageShow(persisted(event))],
  ]
  const onLinkOpened = (): void => linkOpened()
  for (const [type, listener] of windowListeners) win?.addEventListener(type, listener)
  try {
    bx?.addCustomEvent('BXLinkOpened', onLinkOpened)
  } catch (error) {
    log.error('Pull: could not listen to BXLinkOpened', error instanceof Error ? error.message : String(error))
  }
  return () => {
    for (const [type, listener] of windowListeners) win?.removeEventListener(type, listener)
    try {
      bx?.removeCustomEvent('BXLinkOpened', onLinkOpened)
    } catch {
      // a foreign BX that cannot remove: the client ignores the event once stopped anyway
    }
  }
}
