#!/usr/bin/env bash
# The one test command (npm test): type-check, lint, then every test file (unit, integration,
# HTTP, browser). Uses embedded PGlite, or PostgreSQL when DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm install --no-audit --no-fund
echo "== type-check"; npx tsc --noEmit
echo "== lint"; npx biome lint src test scripts migrations
node scripts/build-islands.mjs
exec bash scripts/run-tests.sh "$@"
