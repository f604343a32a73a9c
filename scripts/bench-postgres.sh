#!/usr/bin/env bash
# Runs a benchmark command on a PostgreSQL server of its own (scripts/postgres.sh) in a
# scratch directory on a private port, named to it by PINGJIA_BENCH_POSTGRES (and
# PINGJIA_TEST_POSTGRES, which the benchmarks of the server's test suite read); stopped and
# removed at the end whatever the outcome. e.g.
#   scripts/bench-postgres.sh cargo bench -p pingjia-server --profile server --bench submit
# The server has memory for its cache and checkpoints spaced as a database server of a real
# installation would (PINGJIA_POSTGRES_OPTIONS for others), not the defaults of a laptop.
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=bench-postgres
source scripts/lib.sh

export PINGJIA_POSTGRES_OPTIONS=${PINGJIA_POSTGRES_OPTIONS:--c shared_buffers=4GB -c max_wal_size=4GB -c checkpoint_timeout=30min -c work_mem=64MB -c effective_cache_size=16GB}
scratch_postgres bench-postgres "${PINGJIA_BENCH_POSTGRES_PORT:-55452}"
PINGJIA_BENCH_POSTGRES=$postgres_url PINGJIA_TEST_POSTGRES=$postgres_url
export PINGJIA_BENCH_POSTGRES PINGJIA_TEST_POSTGRES
"$@"
