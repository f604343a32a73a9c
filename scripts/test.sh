#!/usr/bin/env bash
# Every test of Pingjia. Any failure fails the run.
#
# After the formatting check, three chains run side by side, so that neither core idles while
# one of them links, runs tests or optimises on one core (each builds in its own cargo target
# directory: cargo locks the one it builds in):
#   native   (target/)          clippy and the domain and server tests from one build, then the
#                               tests; the server binary it builds is the one Playwright starts;
#   schemathesis                as soon as that build is done, beside the tests: the whole
#                               OpenAPI document against that binary, as an admin and as a
#                               customer (scripts/schemathesis.sh);
#   app      (target/app-test/) clippy and the app's component tests (wasm) from one build, the
#                               light app's, the link page's and the bench page's clippy, then the component tests in headless Chromium;
#   release  (target/app-*/)    the release build of both apps (scripts/build-app.sh).
# Builds run at a lower priority than tests, so a test never waits for a core behind a compile.
# The Playwright suite starts as soon as the server binary and the release build are there,
# beside the app's component tests.
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=test
source scripts/lib.sh

scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "formatting"
cargo fmt --all -- --check

native_build() {
  step "clippy and build: domain and server, all targets"
  clippy_build nice -n 10 cargo test --locked -p pingjia-domain -p pingjia-server --all-targets --no-run
}

native() {
  step "domain and server tests"
  clippy_build cargo test --locked -p pingjia-domain -p pingjia-server
  step "native done"
}

app() {
  export CARGO_TARGET_DIR=$PWD/target/app-test
  step "clippy and build: the app (wasm) with its component tests, and the domain on wasm"
  clippy_build nice -n 10 cargo test --locked -p pingjia --target wasm32-unknown-unknown --all-targets --no-run
  step "clippy: the sign-in build (without the customer and staff features), the rating link's page and the benchmark's bare page"
  clippy_build nice -n 10 cargo build --locked -p pingjia -p pingjia-link -p pingjia-bench-hello --lib --bins \
    --target wasm32-unknown-unknown --no-default-features
  step "clippy: the light customer app (without the staff feature)"
  clippy_build nice -n 10 cargo build --locked -p pingjia --lib --bins \
    --target wasm32-unknown-unknown --no-default-features --features customer
  step "component tests in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver \
    clippy_build cargo test --locked -p pingjia --target wasm32-unknown-unknown
  step "app done"
}

release() {
  step "release build of the app (full app, light customer app and rating link page, precompressed)"
  nice -n 10 scripts/build-app.sh
  step "release done"
}

end_to_end() {
  step "end-to-end tests (Playwright, a server and database per worker) against the real server"
  cd end2end && npx playwright test
}

side native_build native_build
side app app
side release release
await_side native_build
side native native
side schemathesis scripts/schemathesis.sh
await_side native
await_side release
side e2e end_to_end
await_side schemathesis
await_side app
await_side e2e

step "all tests passed"
