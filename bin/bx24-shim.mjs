#!/usr/bin/env node
// npx bx24-shim <serve|trigger> [options] | --help | --version: runs the built dist/node/dev-portal.mjs (see README).
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { run } = await import('../dist/node/dev-portal.mjs')
await run(process.argv.slice(2), root).catch((error) => {
  console.error(String(error && error.message ? error.message : error))
  process.exit(1)
})
