# Hearth — the two commands: `make run` and `make test`. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# Cargo's target dir lives outside the clone so repeated runs on a machine are warm.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/hearth-target
# wasm-opt from the npm binaryen package, ahead of anything else on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_SITE_ROOT := $(CURDIR)/target/site

HEARTH := $(CARGO_TARGET_DIR)/release/hearth
# The test selection that matches what ships: `app` with `ssr` (not unified with hydrate).
TEST_PACKAGES := -p app -p migration -p server -p demo --features app/ssr

.PHONY: run test bootstrap bootstrap-test build lint fmt-check clippy unit-and-integration e2e clean-data

## make run: install what is missing, build, migrate, serve on http://127.0.0.1:3000
run: bootstrap build
	$(HEARTH) serve --demo

## make test: install what is missing, then every check and test
test: bootstrap-test lint unit-and-integration e2e
	@echo "make test: all checks passed"

bootstrap:
	@scripts/bootstrap.sh run

bootstrap-test:
	@scripts/bootstrap.sh test

build:
	cargo leptos build --release --split --precompress

lint: fmt-check clippy

fmt-check:
	cargo fmt --all --check

clippy:
	cargo clippy $(TEST_PACKAGES) --all-targets -- -D warnings
	cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

unit-and-integration:
	@scripts/check-postgres.sh
	cargo nextest run $(TEST_PACKAGES) --no-fail-fast

e2e: build
	cd end2end && npx playwright test

clean-data:
	rm -rf data
