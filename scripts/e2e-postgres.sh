#!/usr/bin/env bash
# The Playwright specs of the customer's and the agent's flows (rating, appeals, feedback) on
# PostgreSQL: a server of the run's own (scripts/postgres.sh) in a scratch directory on a
# private port, each Playwright worker's Pingjia server on a database of its own there (made
# anew by playwright.config.ts), stopped and removed at the end whatever the outcome. Needs the
# server's debug binary and the release build of the app (dist/), as the main Playwright run.
# Arguments go to Playwright (other specs, --workers …).
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=e2e-postgres
source scripts/lib.sh

scratch_postgres e2e-postgres "${PINGJIA_E2E_POSTGRES_PORT:-55442}"
PINGJIA_E2E_POSTGRES=$postgres_url
export PINGJIA_E2E_POSTGRES
# Ports of their own, so that this runs beside the main Playwright run.
export PINGJIA_E2E_PORT=${PINGJIA_E2E_PORT:-8381}
specs=(tests/rating.spec.ts tests/appeals.spec.ts tests/feedback.spec.ts)
if (($#)); then specs=("$@"); fi
step "rating, appeal and feedback specs on PostgreSQL"
# An output folder of its own: Playwright empties its output folder as it starts, and the
# main run's traces and screenshots are being written to test-results/ at the same time.
cd end2end && npx playwright test --output test-results-postgres "${specs[@]}"
