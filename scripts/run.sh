#!/usr/bin/env bash
# Builds Pingjia in release mode and starts it on http://127.0.0.1:8080 with data/pingjia.db
# (created, migrated and filled with demo data on the first start; reused afterwards). The app
# (wasm) and the server (native) build side by side, in their own cargo target directories.
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=run
source scripts/lib.sh
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

build_for_run
mkdir -p data
exec target/server/pingjia-server \
  --listen "${PINGJIA_LISTEN:-127.0.0.1:8080}" \
  --database "${PINGJIA_DATABASE:-data/pingjia.db}" \
  --dist dist \
  --seed-demo
