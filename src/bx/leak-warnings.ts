// "Possible memory leak" reports for targets that pass their max-listener count. Like Bitrix, the listener is still
// added; the report is printed once, 500 ms after the last offending subscription, as a collapsed console group
// with the stack of every offending subscribe call.

interface Report {
  size: number
  errors: Error[]
}

export interface LeakWarnings {
  add(target: object, eventName: string, size: number): void
}

export function createLeakWarnings(delayMs = 500): LeakWarnings {
  let pending = new Map<object, Map<string, Report>>()
  let timer: ReturnType<typeof setTimeout> | undefined

  function print(): void {
    timer = undefined
    const reports = pending
    pending = new Map()
    for (const byName of reports.values()) {
      for (const [eventName, report] of byName) {
        console.groupCollapsed(
          `Possible BX.Event.EventEmitter memory leak detected. ${report.size} "${eventName}" listeners added. ` +
            'Use emitter.setMaxListeners() to increase limit.',
        )
        console.dir(report.errors)
        console.groupEnd()
      }
    }
  }

  return {
    add(target, eventName, size) {
      let byName = pending.get(target)
      if (!byName) pending.set(target, (byName = new Map()))
      let report = byName.get(eventName)
      if (!report) byName.set(eventName, (report = { size, errors: [] }))
      report.size = size
      // Bounded: the stacks are for finding the culprit, ten are plenty and 10,000 would cost real time.
      if (report.errors.length < 10) report.errors.push(new Error())
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(print, delayMs)
    },
  }
}
