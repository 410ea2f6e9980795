// npm run catalog -- <path to a bitrix24/b24restdocs checkout>: bundles src/catalog/cli.ts with esbuild (a dev
// dependency) and runs it. See src/catalog/cli.ts for the options.
import * as esbuild from 'esbuild'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(resolve(tmpdir(), 'bx24-catalog-'))
const outfile = resolve(dir, 'catalog-cli.mjs')
try {
  await esbuild.build({
    entryPoints: [resolve(root, 'src/catalog/cli.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    outfile, logLevel: 'warning',
  })
  const { main } = await import(pathToFileURL(outfile).href)
  main(process.argv.slice(2))
} catch (error) {
  console.error(String(error && error.message ? error.message : error))
  process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
