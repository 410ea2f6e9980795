// @vitest-environment node
// The live log's streams (/dev/events): a page that stops reading is cut off instead of buffered for ever, and a new
// page gets the whole (bounded) history replayed without tripping that limit. Driven through createDevApi with a
// response that never drains, so the kernel's socket buffers play no part.
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createDevApi, type LogEntry } from '../../src/dev/dev-api'
import { logPreview } from '../../src/dev/log-preview'

/** A response whose bytes are never taken: writableLength grows with every write, as for a page that does not read. */
class StalledResponse extends Writable {
  status = 0
  constructor() {
    super({ write: () => {} })
  }
  writeHead(status: number): this {
    this.status = status
    return this
  }
  setHeader(): this {
    return this
  }
}

function setUp() {
  let listener: (entry: LogEntry) => void = () => {}
  const api = createDevApi({
    portal: {} as never, push: {} as never, pull: {} as never, appUrl: '', appOrigin: '', protocol: 'text',
    emit: (entry) => listener(entry), subscribe: (fn) => ((listener = fn), () => {}), pageOrigins: new Set(),
    launch: { placement: 'DEFAULT', options: {} }, trigger: async () => ({}),
  })
  const open = () => {
    const req = Object.assign(new EventEmitter(), { url: '/dev/events', method: 'GET', headers: {} }) as unknown as IncomingMessage
    const res = new StalledResponse()
    void api(req, res as unknown as ServerResponse)
    return res
  }
  return { emit: (entry: LogEntry) => listener(entry), open }
}

/** The largest entry a REST call can log: params as wide and deep as the preview keeps. */
const level = (depth: number): unknown => (depth === 0 ? 'w'.repeat(400) : Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`key${i}`, level(depth - 1)])))
const WIDE = level(3)
function widestEntry(n: number): LogEntry {
  return { kind: 'rest', at: n, method: 'user.current', params: logPreview(WIDE), status: 200, ms: 0 }
}

describe('SEC-11 live log streams', () => {
  it('SEC-9 a preview of a wide, deep value stays a few KB', () => {
    expect(JSON.stringify(widestEntry(0)).length).toBeLessThan(8 * 1024)
  })

  it('SEC-11 a page that stops reading is cut off once its backlog passes 4 MB', () => {
    const { emit, open } = setUp()
    const stalled = open()
    for (let n = 0; n < 2000 && !stalled.destroyed; n++) emit(widestEntry(n))
    expect(stalled.destroyed).toBe(true)
    expect(stalled.writableLength).toBeLessThan(5 * 1024 * 1024)
  })

  it('SEC-11 a new page gets the full history of the widest entries replayed without being cut off', () => {
    const { emit, open } = setUp()
    for (let n = 0; n < 300; n++) emit(widestEntry(n))
    const page = open()
    expect(page.status).toBe(200)
    expect(page.destroyed).toBe(false)
    expect(page.writableLength).toBeGreaterThan(200 * 1024)
  })
})
