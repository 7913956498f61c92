#!/usr/bin/env bash
# Tells, before the tests run, whether the PostgreSQL half will run.
# With CI=true a missing server is an error; otherwise those tests skip themselves.
set -uo pipefail
url="${HEARTH_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v pg_isready >/dev/null 2>&1; then
  pg_isready -q -d "$url" -t 3; ok=$?
else
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; ok=$?
fi
if [ "$ok" -eq 0 ]; then
  echo "==> PostgreSQL answers: integration tests run on SQLite and PostgreSQL"
elif [ "${CI:-}" = "true" ]; then
  echo "error: CI=true needs PostgreSQL at ${url%%\?*} (integration tests run on both databases)" >&2
  exit 1
else
  echo "==> SKIPPING the PostgreSQL integration tests: no server answers at ${url%%\?*} (they are required when CI=true)"
fi
