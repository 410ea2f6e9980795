// `npm start`: serves the demo pages on 127.0.0.1 and prints their URLs. Ctrl-C stops it cleanly.
import { startStaticServer } from './static-server.mjs'

const port = Number(process.env.PORT ?? 4173)
const server = await startStaticServer({ port })
console.log(`bx24-shim demo: ${server.url}/demo/`)
console.log(`  BX event bus playground: ${server.url}/demo/bus.html`)
console.log('Ctrl-C to stop')

const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
