#!/usr/bin/env bash
# Builds the app for release into dist/: the full app (index.html), then the light customer app
# (customer.html, without the staff pages and the chart library) into dist/c, then a brotli
# (quality 11) and a gzip (level 9) copy of every text and wasm file, which the server sends as
# they are to browsers that accept them. The full build empties dist/, so the order matters.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

trunk build --release --locked
trunk build --release --locked --dist dist/c --public-url /c/ customer.html
node scripts/precompress.mjs dist
