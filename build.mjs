// node build.mjs: every bundle, its source map, the d.ts files and dist/size.json.
// esbuild has no UMD format, so the UMD files are an IIFE inside a classic returnExports wrapper.
import * as esbuild from 'esbuild'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const UMD_GLOBAL = 'BX24Shim'
// The custom-event bus alone (dist/bx-bus.min.mjs: ESM, minified, gzip) must stay within this: issue 3, item 13.
const BUS_BUDGET = 3072

const umdBanner =
  '(function (root, factory) {' +
  " if (typeof define === 'function' && define.amd) define([], factory);" +
  " else if (typeof module === 'object' && module.exports) module.exports = factory();" +
  ` else root.${UMD_GLOBAL} = factory();` +
  "})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {"
const umdFooter = 'return __umd_exports; });'

// Properties whose names end in "_" are internal (see src/bx/bus.ts) and may be shortened.
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', mangleProps: /_$/ }
const builds = []
for (const minify of [false, true]) {
  const min = minify ? '.min' : ''
  builds.push(
    { ...common, minify, entryPoints: ['src/umd.ts'], format: 'iife', globalName: '__umd_exports', target: 'es2017',
      banner: { js: umdBanner }, footer: { js: umdFooter }, outfile: `dist/bx24-shim.umd${min}.js` },
    { ...common, minify, entryPoints: ['src/index.ts'], format: 'esm', target: 'es2020', outfile: `dist/bx24-shim${min}.mjs` },
    { ...common, minify, entryPoints: ['src/bx/index.ts'], format: 'esm', target: 'es2020', outfile: `dist/bx${min}.mjs` },
    { ...common, minify, entryPoints: ['src/bx/custom-event-bus.ts'], format: 'esm', target: 'es2020', outfile: `dist/bx-bus${min}.mjs` },
    { ...common, minify, entryPoints: ['src/portal/index.ts'], format: 'esm', target: 'es2020', outfile: `dist/portal${min}.mjs` },
  )
}

// Node-only parts (the dev portal's servers), for `npm start`, the benchmarks and the browser tests' servers.
const nodeBuilds = [
  { entryPoints: ['src/portal/node.ts'], outfile: 'dist/node/portal.mjs' },
  { entryPoints: ['src/dev/node.ts'], outfile: 'dist/node/dev-portal.mjs' },
].map((b) => ({
  ...b, bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning',
  // ws and nanoevents are bundled, so `npx bx24-shim serve` needs no dependency beyond the package itself; ws's
  // optional native speed-ups stay external (ws works without them), and its CommonJS requires get a real require.
  external: ['bufferutil', 'utf-8-validate'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
}))
nodeBuilds.push({ ...nodeBuilds[0], entryPoints: ['src/testing/index.ts'], outfile: 'dist/testing.mjs', external: [...nodeBuilds[0].external, 'happy-dom'] }) // bx24-shim/testing (Node; happy-dom is the app's)

// The demo portal page's script (a plain script under the page's strict CSP).
builds.push({ ...common, entryPoints: ['src/dev/portal-page.ts'], format: 'iife', target: 'es2020', outfile: 'dist/dev/portal-page.js' })
// The same pieces as an ES module, for the static demo (demo/static/), which has no server behind it.
builds.push({ ...common, entryPoints: ['src/dev/portal-kit.ts'], format: 'esm', target: 'es2020', outfile: 'dist/dev/portal-kit.mjs' })

rmSync('dist', { recursive: true, force: true })
const t0 = performance.now()
await Promise.all([...builds, ...nodeBuilds].map((b) => esbuild.build(b)))
const ms = Math.round(performance.now() - t0)
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })

const size = {}
for (const b of builds) {
  const buf = readFileSync(b.outfile)
  size[b.outfile.slice('dist/'.length)] = { bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}
size.busBudget = { gzip: BUS_BUDGET, file: 'bx-bus.min.mjs' }
writeFileSync('dist/size.json', JSON.stringify(size, null, 2) + '\n')

if (!process.argv.includes('--quiet')) {
  console.log('bundle                      bytes    gzip')
  for (const [file, s] of Object.entries(size)) {
    if (file !== 'busBudget') console.log(`${file.padEnd(26)} ${String(s.bytes).padStart(7)} ${String(s.gzip).padStart(7)}`)
  }
  console.log(`built ${builds.length} bundles in ${ms} ms; d.ts in dist/types; sizes in dist/size.json`)
}
const bus = size['bx-bus.min.mjs'].gzip
if (bus > BUS_BUDGET) {
  console.error(`size budget: the bus is ${bus} B gzip, over its ${BUS_BUDGET} B budget`)
  process.exit(1)
}
