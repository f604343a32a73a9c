#!/usr/bin/env bash
# Builds the first-visit benchmark's baseline, a bare Leptos 0.8 page (end2end/hello), with the
# customer pages' release profile and wasm-opt settings, precompressed like them, into
# dist/bench-hello/ where the server serves it as plain files (/bench-hello/index.html).
# Run after scripts/build-app.sh (whose full build empties dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target=${CARGO_TARGET_DIR:-$PWD/target}
out=$target/dist-hello
CARGO_TARGET_DIR=$target/app-hello trunk build --release --locked --dist "$out" \
  --public-url /bench-hello/ end2end/hello/index.html
node scripts/precompress.mjs "$out"
rm -rf dist/bench-hello
cp -r "$out" dist/bench-hello
