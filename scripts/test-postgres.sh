#!/usr/bin/env bash
# The server's test suite on PostgreSQL: a server of the run's own (scripts/postgres.sh) in a
# scratch directory on a private port, each test app on a database copied from a migrated
# template, stopped and removed at the end whatever the outcome. Arguments go to the test
# binary (a test name to run only those).
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=postgres
source scripts/lib.sh

scratch_postgres postgres "${PINGJIA_TEST_POSTGRES_PORT:-55432}"
PINGJIA_TEST_POSTGRES=$postgres_url
export PINGJIA_TEST_POSTGRES
step "server tests on PostgreSQL"
clippy_build cargo test --locked -p pingjia-server --test server -- "$@"
step "server tests on PostgreSQL passed"
