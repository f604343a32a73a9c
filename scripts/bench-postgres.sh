#!/usr/bin/env bash
# Runs a benchmark command on a PostgreSQL server of its own (scripts/postgres.sh) in a
# scratch directory on a private port, named to it by PINGJIA_BENCH_POSTGRES; stopped and
# removed at the end whatever the outcome. e.g.
#   scripts/bench-postgres.sh cargo bench -p pingjia-server --profile server --bench submit
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=bench-postgres
source scripts/lib.sh

scratch_postgres bench-postgres "${PINGJIA_BENCH_POSTGRES_PORT:-55452}"
PINGJIA_BENCH_POSTGRES=$postgres_url
export PINGJIA_BENCH_POSTGRES
"$@"
