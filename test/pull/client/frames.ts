// Frames of all three wire formats built from message bodies, and a guard that notices (and undoes) any change to
// the prototypes a polluting message would reach. Shared by the hostile-input, parity and property tests.
import { encodeResponseBatch, encodeRpcBatchFrame, encodeRpcIncomingMessage, encodeTextFrame, hexToBytes } from '../../../src/pull/codecs'

/** Every own name of Object.prototype, plus `prototype` (a property of every function). */
export const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype']

const GUARDED: [string, object][] = [['Object', Object], ['Object.prototype', Object.prototype], ['Function.prototype', Function.prototype], ['Array.prototype', Array.prototype]]

/** Own property descriptors of the objects a pollution would reach; `restore()` puts them back whatever happened. */
export function guardPrototypes() {
  const before = GUARDED.map(([, target]) => Object.getOwnPropertyDescriptors(target))
  return {
    changes(): string[] {
      const out: string[] = []
      GUARDED.forEach(([name, target], i) => {
        const now = Object.getOwnPropertyDescriptors(target)
        for (const key of new Set([...Object.keys(before[i]!), ...Object.keys(now)])) {
          const a = before[i]![key]
          const b = now[key]
          if (!a || !b || a.value !== b.value || a.get !== b.get || a.set !== b.set) out.push(`${name}.${key}`)
        }
      })
      return out
    },
    restore(): void {
      GUARDED.forEach(([, target], i) => {
        for (const key of Object.getOwnPropertyNames(target)) if (!(key in before[i]!)) delete (target as Record<string, unknown>)[key]
        for (const [key, descriptor] of Object.entries(before[i]!)) {
          try {
            Object.defineProperty(target, key, descriptor)
          } catch {
            // non-configurable and unchanged
          }
        }
      })
    },
  }
}

export interface Body {
  module_id: string
  command: string
  params?: unknown
  extra?: Record<string, unknown>
}

/** One frame holding `bodies`, in the wire format of `version`; mids from `n`. */
export function frameOf(version: number, bodies: Body[], n: number): string | ArrayBuffer {
  const mid = (i: number) => (version === 3 ? '1795424610' + String(n + i).padStart(16, '0') : (n + i).toString(16).padStart(32, '0'))
  if (version === 3) {
    return bodies.map((body, i) => encodeTextFrame({ id: n + i, mid: mid(i), channel: 'a'.repeat(32), tag: '1', time: 'x', text: JSON.stringify(body) })).join('')
  }
  if (version === 4) {
    const messages = bodies.map((body, i) => ({ id: hexToBytes(mid(i)), body: JSON.stringify(body), expiry: 0, created: 0, sender: { type: 2 } }))
    return encodeResponseBatch([{ command: 'outgoingMessages', messages }]).slice().buffer as ArrayBuffer
  }
  return encodeRpcBatchFrame(bodies.map((body, i) => encodeRpcIncomingMessage({ mid: mid(i), bodyJson: JSON.stringify(body), sender: { type: 2 } })))
}
