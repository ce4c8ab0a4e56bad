#!/usr/bin/env bash
# The whole suite: lint, types, migrations, translations, tests on SQLite, and under CI
# (CI=true) the same tests again on PostgreSQL with Redis, plus browser tests in chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export HAMKOR_VAR_DIR="${HAMKOR_VAR_DIR:-$(mktemp -d)}"
PG_URL="${HAMKOR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
REDIS_URL="${HAMKOR_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
CI="${CI:-false}"

step() { printf '\n== %s\n' "$*"; }

if [ "$CI" = "true" ]; then
  step "CI services: PostgreSQL, Redis, chromium"
  bash scripts/ci-services.sh
  export HAMKOR_TEST_POSTGRES_URL="$PG_URL" HAMKOR_TEST_REDIS_URL="$REDIS_URL"
  export HAMKOR_REQUIRE_SERVICES=1
fi

step "lint"
$BIN/ruff check src tests bench
$BIN/ruff format --check src tests bench

step "types"
$BIN/mypy src

step "migrations are complete"
$BIN/hamkor makemigrations --check --dry-run

step "translations compile, none fuzzy or missing"
$BIN/hamkor compiletranslations --strict

step "tests on SQLite"
status=0
$BIN/pytest -p no:cacheprovider "$@" || status=$?

if [ -n "${HAMKOR_TEST_POSTGRES_URL:-}" ]; then
  step "tests on PostgreSQL ($HAMKOR_TEST_POSTGRES_URL) with Redis"
  HAMKOR_DATABASE_URL="$HAMKOR_TEST_POSTGRES_URL" $BIN/pytest -p no:cacheprovider "$@" || status=$?
else
  echo
  echo "SKIPPED: the PostgreSQL run (set CI=true, or HAMKOR_TEST_POSTGRES_URL=postgres://..., to run it)."
fi
exit $status
