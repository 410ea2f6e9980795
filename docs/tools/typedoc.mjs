// `npm run docs`: the API reference, generated from the types by typedoc into docs/api/ (git-ignored).
//
// typedoc drives TypeScript's compiler API. The TypeScript this repository builds with (7, the native compiler)
// exposes no such API, so typedoc gets TypeScript 6.0 instead: the dev dependency `typescript-6` (an npm alias of
// typescript@6.0.x; package.json's `overrides` lets typedoc's peer range accept the root TypeScript 7 at install).
// A resolve hook sends typedoc's `import ts from "typescript"` there; nothing else in the repository sees it.
import { register } from 'node:module'
import { fileURLToPath } from 'node:url'

const hook = `export async function resolve(specifier, context, next) {
  return next(specifier === 'typescript' ? 'typescript-6' : specifier, context)
}`
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url)

const root = fileURLToPath(new URL('../..', import.meta.url))
process.chdir(root)
const { Application } = await import('typedoc')
const app = await Application.bootstrapWithPlugins({ options: 'typedoc.json' })
const project = await app.convert()
if (!project) {
  console.error('typedoc: the project could not be converted (see the errors above)')
  process.exit(1)
}
const out = app.options.getValue('out')
await app.generateDocs(project, out)
if (app.logger.hasErrors()) process.exit(1)
console.log(`API reference in ${out}/index.html (TypeScript ${(await import('typescript-6')).default.version} for typedoc)`)
