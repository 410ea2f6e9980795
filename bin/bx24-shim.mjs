#!/usr/bin/env node
// npx bx24-shim serve [options]: the dev portal (see README). Runs the built dist/node/dev-portal.mjs.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const [command, ...rest] = process.argv.slice(2)
if (command !== 'serve') {
  console.error('Usage: bx24-shim serve [--port N] [--protocol text|protobuf|json-rpc] [--seed file.json] [--app-url URL] ... (--help)')
  process.exit(command ? 1 : 0)
}
const { main } = await import('../dist/node/dev-portal.mjs')
await main(rest, root).catch((error) => {
  console.error(String(error && error.message ? error.message : error))
  process.exit(1)
})
