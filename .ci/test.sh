#!/usr/bin/env bash
# `npm test`: every test. Installs Debian's chromium when missing, typechecks, builds, runs vitest (happy-dom) and
# Playwright (chromium), and ends with the line `total: N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=.ci-out
rm -rf "$OUT" && mkdir -p "$OUT"

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "::: installing chromium (apt, --no-install-recommends)"
  { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium; } \
    >"$OUT/apt.log" 2>&1 || { tail -30 "$OUT/apt.log"; echo "chromium install failed"; }
fi

fail=0
echo "::: typecheck"; npx tsc -p . || fail=1
echo "::: build"; node build.mjs || fail=1
echo "::: vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json="$OUT/vitest.json"; VRC=$?
echo "::: playwright"
PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/playwright.json" npx playwright test --reporter=list,json; PRC=$?

node - "$OUT" "$VRC" "$PRC" "$fail" <<'JS'
const fs = require('fs')
const [out, vrc, prc, setup] = process.argv.slice(2)
const read = (f) => { try { return JSON.parse(fs.readFileSync(`${out}/${f}`, 'utf8')) } catch { return null } }
const v = read('vitest.json'), p = read('playwright.json')
let passed = 0, failed = 0, skipped = 0
if (v) { passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests } else if (+vrc) failed++
if (p) { passed += p.stats.expected + p.stats.flaky; failed += p.stats.unexpected; skipped += p.stats.skipped } else if (+prc) failed++
if (+setup) failed++ // typecheck or build failed: counted as one failure so the run cannot look green
console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || +vrc || +prc ? 1 : 0)
JS
