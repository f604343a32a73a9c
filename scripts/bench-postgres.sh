#!/usr/bin/env bash
# Runs a benchmark command on a PostgreSQL server of its own (scripts/postgres.sh) in a
# scratch directory on a private port, named to it by PINGJIA_BENCH_POSTGRES; stopped and
# removed at the end whatever the outcome. e.g.
#   scripts/bench-postgres.sh cargo bench -p pingjia-server --profile server --bench submit
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=bench-postgres
source scripts/lib.sh

scratch=$(mktemp -d /tmp/pingjia-bench-postgres.XXXXXX)
port=${PINGJIA_BENCH_POSTGRES_PORT:-55452}
cleanup() {
  scripts/postgres.sh stop "$scratch" || true
  rm -rf "$scratch"
}
trap 'cleanup; stop_sides' EXIT

step "starting PostgreSQL in $scratch on port $port"
PINGJIA_BENCH_POSTGRES=$(scripts/postgres.sh start "$scratch" "$port")
export PINGJIA_BENCH_POSTGRES
"$@"
