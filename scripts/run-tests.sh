#!/usr/bin/env bash
# Runs test files with node's runner through tsx (globs expanded here: Node 20 does not).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find src test -name '*.test.ts' -o -name '*.test.tsx' | sort); fi
echo "== tests ($([ -n "${DATABASE_URL:-}" ] && echo "PostgreSQL" || echo "PGlite embarqué")): ${#files[@]} files"
npx tsx test/support/prepare.ts
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec "${files[@]}"
