# The two commands of the README. Both install what is missing first.
.PHONY: run run-two test test-postgres openapi schemathesis bench-e2e bench-submit bench-submit-postgres \
	bench-analytics bench-analytics-postgres

## Build and start the app and reference server on http://127.0.0.1:8080 with demo data.
run:
	scripts/run.sh

## Two instances on one PostgreSQL database with demo data (PostgreSQL from Debian's package,
## in data/postgres), on http://127.0.0.1:8080 and http://127.0.0.1:8081: a try-out of
## running several.
run-two:
	scripts/run-two.sh

## Run every test: formatting, clippy (native and wasm), domain and server tests (on SQLite and
## on PostgreSQL), component tests in headless Chromium, the release build, and the Playwright
## suite.
test:
	scripts/test.sh

## The server's tests on a PostgreSQL server of their own (started in a scratch directory,
## stopped at the end); `make test-postgres ARGS=name` runs only the tests named so.
test-postgres:
	scripts/setup.sh --test --no-tools --postgres
	scripts/test-postgres.sh $(ARGS)

## Rewrite docs/openapi.json from the server's routes.
openapi:
	UPDATE_OPENAPI=1 cargo test -p pingjia-server openapi

## Schemathesis over the whole OpenAPI document, as an admin and as a customer (part of
## `make test`; scripts/schemathesis.sh says what it leaves out and why).
schemathesis:
	scripts/setup.sh --test
	cargo build --locked -p pingjia-server
	scripts/schemathesis.sh

## Print what a first visit of the customer's pages transfers and how long it takes on a phone,
## beside a bare Leptos page built the same way (builds the release apps first when they changed).
bench-e2e:
	scripts/build-app.sh
	scripts/build-hello.sh
	cargo build -p pingjia-server
	cd end2end && npx playwright test --config bench.config.ts

## Rating submissions at 16 and 64 concurrent customers against the real server (optimised
## build), beside a bare axum + sqlx insert: accepted/s, p50, p99, errors and the ratio.
bench-submit:
	cargo bench -p pingjia-server --profile server --bench submit

## The same on PostgreSQL (a server of its own in a scratch directory): 32 customers against
## one instance, then 32 others spread over two instances on one database, beside a bare insert.
bench-submit-postgres:
	scripts/setup.sh --postgres --no-tools
	scripts/bench-postgres.sh cargo bench -p pingjia-server --profile server --bench submit

## Every analytics report, the agent's and lead's first pages and the weekly and monthly reports
## over 1,000,000 generated evaluations (PINGJIA_BENCH_EVALUATIONS=5000000 for another number),
## each beside the raw SQL of the same aggregate.
bench-analytics:
	cargo test --locked -p pingjia-server --profile server --test server analytics_bench -- \
		--ignored --nocapture --test-threads 1

## The same on PostgreSQL (a server of its own in a scratch directory; the rows written by
## PostgreSQL's own SQL, e.g. PINGJIA_BENCH_EVALUATIONS=10000000).
bench-analytics-postgres:
	scripts/setup.sh --postgres --no-tools
	scripts/bench-postgres.sh cargo test --locked -p pingjia-server --profile server --test server \
		analytics_bench -- --ignored --nocapture --test-threads 1
