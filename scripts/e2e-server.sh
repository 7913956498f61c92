#!/usr/bin/env bash
# Starts the release `hearth` for the browser tests: a fresh SQLite database in a
# temporary directory, the compiled site from target/site, demo users. Extra
# arguments go to `hearth serve`. Playwright stops it. Every test signs in from
# 127.0.0.1, like an office behind one public address: the per-address limit on
# failed sign-ins is raised accordingly (the integration tests cover the limit). The
# daily auto-exit sweep is off: what the tests see must not depend on the hour.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
bin="${HEARTH_BIN:-$target/release/hearth}"
data="$(mktemp -d -t hearth-e2e.XXXXXX)"
trap 'rm -rf "$data"' EXIT
cd "$root"
unset DATABASE_URL HEARTH_CONFIG HEARTH_DATA_KEY
"$bin" serve \
  --addr "127.0.0.1:${HEARTH_E2E_PORT:-3100}" \
  --data-dir "$data" \
  --demo \
  --login-ip-max-failures 1000 \
  --auto-exit-at off \
  --site-root "$root/target/site" \
  "$@" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT INT TERM
wait $pid
