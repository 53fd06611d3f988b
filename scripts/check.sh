#!/usr/bin/env bash
# The whole suite: type-check, lint, build, then every test on the embedded default (SQLite + DuckDB)
# and the storage-backed tests again on PostgreSQL (VEXIL_TEST_POSTGRES_URL, default: the local server).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type-check" && npm run --silent typecheck
echo "== lint" && npm run --silent lint
echo "== build" && npm run --silent build
echo "== tests on SQLite + DuckDB" && npx vitest run
export VEXIL_TEST_POSTGRES_URL="${VEXIL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
echo "== tests on PostgreSQL ($VEXIL_TEST_POSTGRES_URL)" && npx vitest run packages/server packages/sdk packages/web
