// The bus benchmark (issue 3, item 12): BX.onCustomEvent and EventEmitter.emit against nanoevents, mitt and
// eventemitter3 in the same run, with 1, 10 and 100 listeners. Every figure is reported as a ratio to nanoevents.
import EventEmitter3 from 'eventemitter3'
import mitt from 'mitt'
import { createNanoEvents } from 'nanoevents'
import { createBX } from '../dist/bx.mjs'
import { createBitrixModel } from './bitrix-model.mjs'
import { measure, saveSuite, table } from './harness.mjs'

let sink = 0
const handler = (a) => { sink += typeof a === 'number' ? a : 1 }
const modern = (event) => { sink += event.getData().length }

export async function runBusBench() {
  const rows = []
  for (const n of [1, 10, 100]) {
    const BX = createBX({ window: undefined })
    const BXobject = createBX({ window: undefined })
    const target = {}
    const BXmodern = createBX({ window: undefined })
    // Realistic for a page with 100 listeners: raise the limit, or the bus prints its leak warning (as Bitrix does).
    for (const bx of [BX, BXobject, BXmodern]) bx.Event.EventEmitter.setMaxListeners(200), bx.Event.EventEmitter.setMaxListeners(target, 200)
    const model = createBitrixModel()
    const nano = createNanoEvents()
    const m = mitt()
    const ee3 = new EventEmitter3()
    for (let i = 0; i < n; i++) {
      // Distinct functions: the bus refuses a duplicate, as Bitrix does.
      BX.addCustomEvent('onBench', (a, b) => handler(a, b))
      BXobject.addCustomEvent(target, 'onBench', (a, b) => handler(a, b))
      BXmodern.Event.EventEmitter.subscribe('onBench', (e) => modern(e))
      model.addCustomEvent('onBench', (a, b) => handler(a, b))
      nano.on('bench', (a, b) => handler(a, b))
      m.on('bench', (a) => handler(a))
      ee3.on('bench', (a, b) => handler(a, b))
    }
    const args = [1, 'x']
    const payload = [{ id: 1, tags: ['a', 'b'], nested: { ok: true } }]
    const ops = await measure({
      nanoevents: () => nano.emit('bench', 1, 'x'),
      mitt: () => m.emit('bench', 1),
      eventemitter3: () => ee3.emit('bench', 1, 'x'),
      'BX.onCustomEvent global': () => BX.onCustomEvent('onBench', args),
      'Bitrix algorithm model global': () => model.onCustomEvent('onBench', args),
      'BX.onCustomEvent object': () => BXobject.onCustomEvent(target, 'onBench', args),
      'BX.onCustomEvent global secureParams': () => BX.onCustomEvent('onBench', payload, true),
      'Bitrix algorithm model secureParams': () => model.onCustomEvent('onBench', payload, true),
      'EventEmitter.emit global': () => BXmodern.Event.EventEmitter.emit('onBench', args),
    }, { inner: n >= 100 ? 100 : 1000 })
    for (const [name, value] of Object.entries(ops)) {
      rows.push({ listeners: n, case: name, 'ops/s': value, 'x nanoevents': +(value / ops.nanoevents).toFixed(3) })
    }
  }
  table(rows, ['listeners', 'case', 'ops/s', 'x nanoevents'])
  const pick = (n, name) => rows.find((r) => r.listeners === n && r.case === name)
  const key = pick(10, 'BX.onCustomEvent global')
  const model = pick(10, 'Bitrix algorithm model global')
  console.log(`\nBX.onCustomEvent, 10 global listeners, no secureParams: ${key['x nanoevents']} x nanoevents (target >= 0.5),` +
    ` ${(key['ops/s'] / model['ops/s']).toFixed(2)} x the Bitrix algorithm model`)
  saveSuite('bus', { note: 'ops/s per emit; ratio = case / nanoevents with the same listener count, same run', rows, sink: sink > 0 })
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) await runBusBench()
