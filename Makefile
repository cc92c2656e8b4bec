# Sellout: the two commands a newcomer needs are `make dev` and `make test`.
# Everything else here is a building block of those two.

SHELL := /bin/bash
CARGO ?= cargo
# Keep tool builds and cargo output from fighting over the 2 cores less.
export CARGO_TERM_COLOR ?= auto

.PHONY: help dev test tools build release web web-lint web-unit crds fmt fmt-check lint deps-check unit it clean-tools bench-operator-scale bench-hold-designs bench-flash-sale bench-scan-storm bench-graphql

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

dev: tools build web ## build everything, start the local platform, Ctrl-C stops it
	./target/debug/sellout-dev

test: tools fmt-check lint web-lint deps-check build release web web-unit ## every check and test CI runs (the browser tests run in the gateway's)
	$(CARGO) test --workspace --all-targets --locked

tools: ## build/install the pinned external components into the cache
	bash scripts/tools.sh

build: ## build the workspace
	$(CARGO) build --workspace --locked

release: ## the release binaries the Dockerfile's images copy (operator, gateway, worker)
	$(CARGO) build --release --locked -p sellout-operator -p sellout-gateway -p sellout-workers --bins

# npm's cache lives in the tool cache, like every other download.
NPM_CACHE := $(or $(SELLOUT_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/sellout)/npm

node_modules/.package-lock.json: package-lock.json package.json packages/*/package.json mobile/package.json web/package.json
	npm ci --cache "$(NPM_CACHE)" --prefer-offline --no-audit --no-fund

web: node_modules/.package-lock.json ## install the npm workspaces and build the scanner app (mobile/dist)
	npm run build

web-lint: node_modules/.package-lock.json ## ESLint and Prettier over the web and mobile code
	npm run lint

web-unit: node_modules/.package-lock.json ## the web and mobile unit tests (Vitest)
	npm run test:unit

crds: ## regenerate charts/sellout/crds from the Rust types
	$(CARGO) run -q -p sellout-crds --bin crdgen

fmt: ## format the code
	$(CARGO) fmt --all

fmt-check: ## check formatting
	$(CARGO) fmt --all -- --check

lint: ## clippy, warnings are errors
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

deps-check: ## the gateway depends on the client, store and notify crates, never on the workers' application crate
	@tree="$$($(CARGO) tree -p sellout-gateway -e normal --locked --prefix none </dev/null)" || exit 1; \
	if grep -q '^sellout-workers ' <<<"$$tree"; then \
		echo "sellout-gateway depends on sellout-workers: use sellout-client, sellout-store or sellout-notify"; exit 1; \
	else echo "deps-check: sellout-gateway does not depend on sellout-workers"; fi

unit: ## fast tests only: no components started
	$(CARGO) test --workspace --lib --bins --locked

it: tools build ## integration tests against the real components
	$(CARGO) test --workspace --tests --locked

bench-operator-scale: tools ## Events to Ready on a real API server (BENCH_EVENTS=200, BENCH_IDLE_SECONDS=60)
	$(CARGO) bench -p sellout-operator --bench operator-scale

bench-hold-designs: tools ## hold designs side by side on NATS and FerretDB (BENCH_BUYERS=5000, BENCH_QUANTITY=2600)
	$(CARGO) bench -p sellout-workers --bench hold-designs

bench-flash-sale: tools ## a flash crowd against the real checkout worker over NATS (BENCH_BUYERS=5000, BENCH_QUANTITY=2600)
	$(CARGO) bench -p sellout-workers --bench flash-sale

bench-scan-storm: tools ## the doors open: 20 gates scanning signed tickets through the real scan worker, against a naive read-then-write (BENCH_TICKETS=20000)
	$(CARGO) bench -p sellout-workers --bench scan-storm

bench-graphql: tools web ## the event page: our gateway vs Apollo Server 5, same load; the hold path through the gateway vs over NATS; the purchase path (page, hold, order with a card); the portal's first load in Chromium (BENCH_CONNECTIONS=64, BENCH_SECONDS=10, BENCH_HOLD_BUYERS=700, BENCH_ORDER_BUYERS=250)
	@# Both packages in both commands: one feature resolution, so the worker
	@# binary and the bench share their compiled dependencies.
	$(CARGO) build --profile bench --locked -p sellout-workers -p sellout-gateway --bin sellout-worker --bench graphql
	$(CARGO) bench --locked -p sellout-workers -p sellout-gateway --bench graphql

clean-tools: ## forget the tool cache (next run rebuilds every tool)
	rm -rf "$${SELLOUT_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/sellout}"
