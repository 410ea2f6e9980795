// An exception thrown by an app's callback must reach the page the way it does with the real library, whose
// callbacks ran straight from XHR and message handlers: as an uncaught error that window.onerror and the console
// report, never swallowed into a log of ours, and never breaking our own dispatch (the next reply still arrives).

type ErrorReporter = { reportError?: (error: unknown) => void; setTimeout?: (fn: () => void, ms: number) => unknown }

/**
 * Report `error` as uncaught on `win` (or the global scope): its reportError where it exists, else a rethrow in a
 * task of that window's own (Node: the process's uncaught-exception path).
 */
export function reportUncaught(error: unknown, win?: unknown): void {
  const target = (win ?? globalThis) as ErrorReporter
  if (typeof target.reportError === 'function') target.reportError(error)
  else {
    // Not a clock timer on purpose: this is the host's own error path, not BX24 timing.
    const later = typeof target.setTimeout === 'function' ? target.setTimeout : setTimeout
    later.call(target, () => {
      throw error
    }, 0)
  }
}

/** Call an app callback; if it throws, report that as uncaught and carry on. */
export function callApp(fn: (...args: never[]) => unknown, self: unknown, args: unknown[], win?: unknown): void {
  try {
    ;(fn as (...a: unknown[]) => unknown).apply(self, args)
  } catch (error) {
    reportUncaught(error, win)
  }
}
