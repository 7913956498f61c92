#!/usr/bin/env bash
# Installs what Hearth needs to build and test, skipping whatever is already there.
# Only package registries are used (crates.io, npm, Debian): no binary downloads.
#   scripts/bootstrap.sh          build tools (make run)
#   scripts/bootstrap.sh test     build tools + test tools (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

CARGO_LEPTOS_VERSION=0.3.10
say() { printf '==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && have sudo && SUDO="sudo"
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { $SUDO apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# Rust: the wasm target for the browser bundle.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos built with no_downloads: it uses wasm-bindgen and wasm-opt from PATH.
if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
wb_version="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  say "installing wasm-bindgen-cli $wb_version"
  # Its own lockfile pins a yanked crate, so no --locked (BUILD-NOTES).
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# Node.js + npm for wasm-opt (npm binaryen: Debian's breaks hydration) and Playwright.
if ! have npm; then
  say "installing Node.js and npm from Debian"
  apt_install nodejs npm
fi
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages (end2end)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" = "test" ]; then
  if ! have cargo-nextest; then
    say "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    apt_install chromium
  fi
  if ! rustup component list --installed | grep -q '^clippy'; then rustup component add clippy; fi
  if ! rustup component list --installed | grep -q '^rustfmt'; then rustup component add rustfmt; fi
fi
