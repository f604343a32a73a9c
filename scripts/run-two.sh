#!/usr/bin/env bash
# Two Pingjia instances on one PostgreSQL database, to try running several: PostgreSQL from
# Debian's package in data/postgres (kept between runs, port 55433; for a try-out only: it
# does not sync to disk), the database `pingjia` with demo data, and the instances on
# http://127.0.0.1:8080 and http://127.0.0.1:8081. Ctrl-C stops both and the database server.
# What to put in front of them in production: README.md, "Several instances".
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=run-two
source scripts/lib.sh
scripts/setup.sh --postgres
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
build_for_run

port=${PINGJIA_POSTGRES_PORT:-55433}
step "starting PostgreSQL in data/postgres on port $port"
server=$(scripts/postgres.sh start data/postgres "$port")
pids=()
finish() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  scripts/postgres.sh stop data/postgres || true
  stop_sides
}
trap finish EXIT
trap 'exit 130' INT TERM
if ! psql -qtA "$server/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'pingjia'" | grep -q 1; then
  psql -q "$server/postgres" -c "CREATE DATABASE pingjia"
fi

# The first instance seeds the demo (once: the database keeps it); the second starts once the
# first listens, on the same database.
start() { # PORT [--seed-demo]: an instance in the background; returns once it listens
  local log
  log=$(mktemp)
  target/server/pingjia-server --listen "127.0.0.1:$1" --database "$server/pingjia" \
    --dist dist "${@:2}" > >(tee "$log") 2>&1 &
  pids+=($!)
  until grep -q "Pingjia is running at" "$log"; do
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "the instance on port $1 stopped" >&2
      exit 1
    fi
    sleep 0.2
  done
  rm -f "$log"
}
step "first instance"
start 8080 --seed-demo
step "second instance"
start 8081
step "two instances on $server/pingjia: http://127.0.0.1:8080/ and http://127.0.0.1:8081/ (Ctrl-C stops them)"
wait -n "${pids[@]}"
