// npm run bench: every benchmark suite; results in bench/results.json.
import { runBusBench } from './bus.mjs'

console.log('== bus ==')
await runBusBench()
