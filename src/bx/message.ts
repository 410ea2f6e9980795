// BX.message: the page's string table. The shim needs USER_ID and SITE_ID from it for the localStorage prefix, and
// page code reads its own messages through it.

export interface MessageFunction {
  /** @example BX.message({ USER_ID: '1', SITE_ID: 's1' }); BX.message('USER_ID') === '1' */
  (name: string): string
  (messages: Record<string, unknown>): boolean
  [name: string]: unknown
}

export function createMessage(): MessageFunction {
  const message = function (this: unknown, arg: unknown): unknown {
    if (typeof arg === 'string') {
      const value = Object.prototype.hasOwnProperty.call(message, arg) ? (message as Record<string, unknown>)[arg] : undefined
      // Bitrix answers '' for an unknown message (and warns in debug builds).
      return value === undefined || value === null ? '' : value
    }
    if (arg !== null && typeof arg === 'object') {
      for (const key of Object.keys(arg)) {
        // Own data properties only, never the function's own machinery: a hostile table cannot replace
        // prototype, call or apply.
        if (key === '__proto__' || key === 'prototype' || key in Function.prototype) continue
        ;(message as Record<string, unknown>)[key] = (arg as Record<string, unknown>)[key]
      }
      return true
    }
    return ''
  } as MessageFunction
  return message
}
