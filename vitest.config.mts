import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    // Type tests (test/types/*.test-d.ts): tsc checks them with the project's tsconfig; a `@ts-expect-error` line
    // that compiles fails its test.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    environmentOptions: {
      // happy-dom >= 20 runs <script> contents only with this set (the UMD bundle test needs it)
      happyDOM: { settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } },
    },
  },
})
