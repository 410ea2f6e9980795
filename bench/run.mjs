// npm run bench: every benchmark suite; results in bench/results.json.
import { runBusBench } from './bus.mjs'
import { runBX24Bench } from './bx24.mjs'
import { runPullBench } from './pull.mjs'

console.log('== bus ==')
await runBusBench()
console.log('\n== BX24 REST ==')
await runBX24Bench()
console.log('\n== pull ==')
await runPullBench()
