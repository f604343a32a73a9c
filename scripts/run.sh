#!/usr/bin/env bash
# Builds Pingjia in release mode and starts it on http://127.0.0.1:8080 with data/pingjia.db
# (created, migrated and filled with demo data on the first start; reused afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "[run] building the app (release): the full app and the light customer app"
scripts/build-app.sh
echo "[run] building the server"
cargo build --locked --profile server -p pingjia-server
mkdir -p data
exec target/server/pingjia-server \
  --listen "${PINGJIA_LISTEN:-127.0.0.1:8080}" \
  --database "${PINGJIA_DATABASE:-data/pingjia.db}" \
  --dist dist \
  --seed-demo
