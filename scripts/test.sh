#!/usr/bin/env bash
# Every test of Pingjia, in the order a failure is cheapest to find. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n\033[1;34m[test]\033[0m %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "formatting"
cargo fmt --all -- --check

step "clippy, native (domain, server)"
cargo clippy --locked -p pingjia-domain -p pingjia-server --all-targets -- -D warnings

step "clippy, wasm (app with its tests, domain library)"
cargo clippy --locked -p pingjia --target wasm32-unknown-unknown --all-targets -- -D warnings
# The light customer app is the same crate without the `staff` feature.
cargo clippy --locked -p pingjia --target wasm32-unknown-unknown --no-default-features --lib -- -D warnings
# The domain's own tests run natively: proptest's RNG has no wasm backend.
cargo clippy --locked -p pingjia-domain --target wasm32-unknown-unknown --lib -- -D warnings

step "domain and server tests"
cargo test --locked -p pingjia-domain -p pingjia-server

step "component tests in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --locked -p pingjia --target wasm32-unknown-unknown

step "release build of the app (full and light customer app, precompressed)"
scripts/build-app.sh

step "end-to-end tests (Playwright) against the real server"
cargo build --locked -p pingjia-server
(cd end2end && npx playwright test)

step "all tests passed"
