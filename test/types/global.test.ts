// The consumer's view of the types: test/types/global/ is a separate strict project that reaches the built
// declarations by package name (`bx24-shim`, `bx24-shim/global`) without skipLibCheck, with a script-tag page typed by
// the global declarations alone and an app augmenting PullCommands / RestMethods / BXEventMap. It is compiled by the
// TypeScript this repository uses (7) and by 6.0, the newest the JS-API tools (typedoc) run on, since consumers use
// both. Each `@ts-expect-error` line there must fail to compile. Needs `node build.mjs` first (dist/types).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const project = resolve(__dirname, 'global')

function compile(tscPackage: string): { status: number | null; output: string } {
  const tsc = resolve(root, 'node_modules', tscPackage, 'bin/tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

describe('bx24-shim/global and augmentation, as a consumer compiles them', () => {
  it('the built declarations exist (run `node build.mjs` first)', () => {
    expect(existsSync(resolve(root, 'dist/types/index.d.ts'))).toBe(true)
  })

  for (const [name, tscPackage] of [['TypeScript 7', 'typescript'], ['TypeScript 6.0', 'typescript-6']] as const) {
    it(`window.BX24, window.BX and window.BX24Shim are typed for a script-tag page; wrong lines fail (${name})`, () => {
      const { status, output } = compile(tscPackage)
      expect(output).toBe('')
      expect(status).toBe(0)
    }, 120_000)
  }
})
