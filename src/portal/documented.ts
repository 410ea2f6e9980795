// Documented methods without a stateful implementation answer their documented example (the REST catalogue, see
// src/catalog/). The catalogue is plain data handed to createMockPortal; only the Node dev portal loads the file,
// so browser bundles never carry it.

import type { RestCatalog } from '../catalog/types'
import type { MethodDef } from './methods/types'
import { toPlain } from './values'

/** `basic` in the reference means "no scope needed", which is an empty scope list here. */
function scopesOf(scope: readonly string[]): string[] {
  return scope.filter((s) => s !== 'basic')
}

export function documentedMethod(catalog: RestCatalog | undefined, name: string): MethodDef | undefined {
  const entry = catalog && Object.prototype.hasOwnProperty.call(catalog.methods, name) ? catalog.methods[name] : undefined
  if (!entry) return undefined
  return {
    scope: scopesOf(entry.scope),
    example: true,
    run() {
      // A page without a parsable example still names a real method: answer `null`, like a handler that returns nothing.
      if (!entry.example) return { result: null }
      // A fresh copy per call: a client that mutates the answer must not change the next one.
      const out: { result: unknown; total?: number; next?: number } = { result: toPlain(entry.example.result) }
      if (entry.example.total !== undefined) out.total = entry.example.total
      if (entry.example.next !== undefined) out.next = entry.example.next
      return out
    },
  }
}

/** Event names (upper-case) the catalogue documents. */
export function documentedEvents(catalog: RestCatalog | undefined): string[] {
  return catalog ? Object.keys(catalog.events) : []
}
