// Shared benchmark plumbing: tinybench tasks that each run a loop of `inner` operations (a single emit is far below
// the timer's resolution), ops/s figures, and bench/results.json (one key per suite, other suites kept).
import { readFileSync, writeFileSync } from 'node:fs'
import { Bench } from 'tinybench'

const RESULTS = new URL('./results.json', import.meta.url)

/** Runs `cases` ({name: () => void}) interleaved by tinybench and returns {name: ops per second}. */
export async function measure(cases, { inner = 1000, time = 400 } = {}) {
  const bench = new Bench({ time, warmup: true })
  for (const [name, fn] of Object.entries(cases)) {
    bench.add(name, () => {
      for (let i = 0; i < inner; i++) fn()
    })
  }
  await bench.run()
  const out = {}
  for (const task of bench.tasks) out[task.name] = Math.round(task.result.throughput.mean * inner)
  return out
}

export function saveSuite(name, data) {
  let all = {}
  try {
    all = JSON.parse(readFileSync(RESULTS, 'utf8'))
  } catch {}
  all[name] = { ...data, measuredAt: new Date().toISOString(), node: process.version }
  writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n')
}

export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells) => cells.map((cell, i) => String(cell).padStart(widths[i])).join('  ')
  console.log(line(columns))
  for (const row of rows) console.log(line(columns.map((c) => row[c])))
}
