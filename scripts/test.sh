#!/usr/bin/env bash
# Every test of Pingjia. Any failure fails the run.
#
# After the formatting check, four chains run side by side, so that neither core idles while
# one of them links, runs tests or optimises on one core (each builds in its own cargo target
# directory: cargo locks the one it builds in):
#   tools                       trunk and wasm-bindgen, compiled on a new machine (setup.sh
#                               --tools); only the steps that run them wait for them;
#   native   (target/)          clippy and the domain and server tests from one build, then the
#                               tests; the server binary it builds is the one Playwright starts;
#   postgres                    as soon as that build is done, beside the tests: the server
#                               suite again, on a PostgreSQL server the step starts in a
#                               scratch directory and removes (scripts/test-postgres.sh);
#   schemathesis                as soon as that build is done, beside the tests: the whole
#                               OpenAPI document against that binary, as an admin and as a
#                               customer (scripts/schemathesis.sh);
#   app      (target/app-test/) clippy and the app's component tests (wasm) from one build, with
#                               the benchmark's bare page, then the component tests in headless
#                               Chromium;
#   release  (target/app-*/)    the release builds of the app's three variants and the rating
#                               link's page (scripts/build-app.sh, which lints them as it
#                               compiles them): their wasm first, then trunk.
# Builds run at a lower priority than tests, so a test never waits for a core behind a compile.
# The Playwright suite starts as soon as the server binary and the release build are there,
# beside the app's component tests; after it, the rating, appeal and feedback specs on
# PostgreSQL (scripts/e2e-postgres.sh, a server of their own): one browser suite at a time, so
# that neither waits for a core behind the other's browsers and servers.
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=test
source scripts/lib.sh

scripts/setup.sh --test --no-tools --postgres
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "formatting"
cargo fmt --all -- --check

# A first build (a new clone: CI) has no incremental caches to reuse, and writing them costs
# time: without them. Decided once per target directory, so that the tests' runs after the
# builds see the same setting and rebuild nothing.
incremental() { if [[ -d $1 ]]; then echo 1; else echo 0; fi; }
native_incremental=$(incremental target/debug)
app_incremental=$(incremental target/app-test/wasm32-unknown-unknown/debug)

native_build() {
  step "clippy and build: domain and server, all targets"
  CARGO_INCREMENTAL=$native_incremental clippy_build nice -n 10 \
    cargo test --locked -p pingjia-domain -p pingjia-server --all-targets --no-run
}

native() {
  step "domain and server tests"
  CARGO_INCREMENTAL=$native_incremental clippy_build \
    cargo test --locked -p pingjia-domain -p pingjia-server
  step "native done"
}

app() {
  export CARGO_TARGET_DIR=$PWD/target/app-test CARGO_INCREMENTAL=$app_incremental
  # Leptos' type-erased views (as the full app's release build): a third of the compile.
  export RUSTFLAGS="--cfg erase_components"
  step "clippy and build: the app (wasm) with its component tests, the domain on wasm and the benchmark's bare page"
  clippy_build nice -n 10 cargo test --locked -p pingjia -p pingjia-bench-hello \
    --target wasm32-unknown-unknown --all-targets --no-run
  after tools
  step "component tests in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver \
    clippy_build cargo test --locked -p pingjia --target wasm32-unknown-unknown
  step "app done"
}

release() {
  step "release builds: the app's wasm (full app, light customer app, sign-in build) and the rating link page's"
  nice -n 10 scripts/build-app.sh --cargo-only
  after tools
  step "release builds: trunk (wasm-bindgen, wasm-opt, precompressed)"
  nice -n 10 scripts/build-app.sh
  step "release done"
}

postgres() {
  # The same test binary as the native step's (the same build settings: nothing is rebuilt).
  CARGO_INCREMENTAL=$native_incremental scripts/test-postgres.sh
  step "postgres done"
}

end_to_end() {
  step "end-to-end tests (Playwright, a server and database per worker) against the real server"
  (cd end2end && npx playwright test)
  scripts/e2e-postgres.sh
}

side tools scripts/setup.sh --tools
side native_build native_build
side app app
side release release
await_side native_build
side native native
side postgres postgres
side schemathesis scripts/schemathesis.sh
await_side native
await_side release
side e2e end_to_end
await_side schemathesis
await_side postgres
await_side app
await_side e2e
await_side tools

step "all tests passed"
