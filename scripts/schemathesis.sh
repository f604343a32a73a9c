#!/usr/bin/env bash
# Schemathesis against the whole OpenAPI document the server serves (the one committed as
# docs/openapi.json: a server test checks they are equal), signed in once as the demo admin and
# once as a demo customer: every check, a fixed seed, a bounded number of examples per
# operation. Fails on any server error and on any answer the document does not describe.
#
# Starts the debug server binary (target/debug/pingjia-server: built by the native chain of
# scripts/test.sh, or `cargo build -p pingjia-server`) on a scratch database with the demo
# data. Schemathesis comes from `scripts/setup.sh --test` (target/venv); its settings are in
# scripts/schemathesis.toml. Reports (JUnit) and, after a failure, the server's log go to
# target/schemathesis/.
#
#   scripts/schemathesis.sh                  both roles
#   scripts/schemathesis.sh customer         one role (admin or customer)
#   EXAMPLES=50 SEED=7 scripts/schemathesis.sh   more examples per operation, another seed
#
# Left out, so that the run stays signed in and the rest means something (every other
# operation is exercised, the destructive ones included: deleting dimensions, service types,
# subscriptions, calendar days, revoking API keys, moderation decisions, ...):
#   POST /auth/logout          ends the session the run uses: every later request is a 401;
#   POST /auth/login           a successful login revokes the session cookie it is sent with;
#   POST /auth/password        a right guess of the demo password would change it and end the
#                              run's other sessions;
#   PATCH /users/{id}          may disable or demote the signed-in admin (ids are small
#                              integers): every later admin request would be a 401 or 403;
#   POST /users/{id}/password  may reset the signed-in admin's password, ending the session;
#   GET /me/notifications/stream  an event stream: it answers 200 and stays open, so every
#                              request would wait out the request timeout.
# The server tests cover these (server/tests/server/auth.rs, users.rs, notifications.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
STEP_TAG=${STEP_TAG:-schemathesis}
source scripts/lib.sh

SEED=${SEED:-20260101}
EXAMPLES=${EXAMPLES:-12}
SERVER=target/debug/pingjia-server
SCHEMATHESIS=target/venv/bin/schemathesis
PASSWORD=Pingjia-Demo-2026
OUT=target/schemathesis
if (($#)); then roles=("$@"); else roles=(admin customer); fi

[[ -x $SERVER ]] || { echo "$SERVER is missing: cargo build -p pingjia-server" >&2; exit 1; }
[[ -x $SCHEMATHESIS ]] || { echo "$SCHEMATHESIS is missing: scripts/setup.sh --test" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pingjia-schemathesis.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# A free port, chosen by the kernel.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$SERVER" --listen "127.0.0.1:$port" --database "$scratch/pingjia.db" --dist "$scratch/dist" \
  --seed-demo >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1200); do
  curl -fs "$base/api/v1/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs "$base/api/v1/health" >/dev/null || { echo "the server did not start" >&2; exit 1; }

# Signs in and prints the session token (the value of the cookie `pingjia_session`).
session() { # kind login
  curl -fsS -o /dev/null -D - -H 'Content-Type: application/json' \
    -d "{\"kind\":\"$1\",\"login\":\"$2\",\"password\":\"$PASSWORD\"}" "$base/api/v1/auth/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: pingjia_session=\([^;]*\).*/\1/p'
}
# The helpdesk's API key for the ingestion, created by the admin.
api_key=$(curl -fsS -H 'Content-Type: application/json' \
  -H "Cookie: pingjia_session=$(session staff A0001)" \
  -d '{"name":"schemathesis"}' "$base/api/v1/api-keys" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

status=0
for role in "${roles[@]}"; do
  case $role in
    admin) token=$(session staff A0001) ;;
    customer) token=$(session customer 13800000001) ;;
    *) echo "unknown role $role (admin or customer)" >&2; exit 2 ;;
  esac
  [[ -n $token ]] || { echo "could not sign in as $role" >&2; exit 1; }
  step "schemathesis as $role: $EXAMPLES examples per operation, seed $SEED"
  # `timeout` bounds a run that hangs; a normal one takes well under a minute.
  PINGJIA_SESSION=$token PINGJIA_API_KEY=$api_key timeout 600 \
    "$SCHEMATHESIS" --config-file scripts/schemathesis.toml \
    run "$base/api/v1/openapi.json" --url "$base" \
    --checks all \
    --seed "$SEED" \
    --max-examples "$EXAMPLES" \
    --request-timeout 10 \
    --generation-database none \
    --exclude-operation-id logout \
    --exclude-operation-id login \
    --exclude-operation-id change_password \
    --exclude-operation-id update_user \
    --exclude-operation-id set_user_password \
    --exclude-operation-id my_notification_stream \
    --no-color \
    --report junit --report-dir "$OUT/$role" || status=$?
done
if ((status)); then
  cp "$scratch/server.log" "$OUT/server.log"
  echo "schemathesis failed; the server's log is $OUT/server.log" >&2
fi
exit "$status"
