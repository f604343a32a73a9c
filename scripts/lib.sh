# Shared by the scripts (sourced, not run): timed steps and jobs that run side by side.

started=${started:-$(date +%s)}
export started

# Prints a step's name with the seconds since the run started.
step() { printf '\n\033[1;34m[%s]\033[0m %s (%ss)\n' "${STEP_TAG:-step}" "$*" "$(($(date +%s) - started))"; }

# Clippy as the compiler of the workspace's own crates, in a build that also makes the
# binaries: `cargo clippy` sets the same two variables but only checks, so the lints and the
# tests used to cost two compiles. Warnings are errors, as with `cargo clippy -- -D warnings`.
# `clippy_env` sets them for the rest of a script, `clippy_build COMMAND...` for one command.
clippy_env() {
  RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
  CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
  export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
}
clippy_build() { (clippy_env && "$@"); }

# `side NAME COMMAND...` starts COMMAND in the background, its lines prefixed with [NAME];
# `await_side NAME` waits for it and fails as it did. Inside another job, `after NAME...` waits
# for jobs started before that one (each holds a lock while it runs, taken before it starts,
# and leaves its exit status behind) and fails if one of them failed: a chain can build what
# needs nothing from them first. A failure of the script stops the jobs still running (each has
# its own process group, so cargo and its children stop too).
set -m
declare -A side_pids=()
side_dir=$(mktemp -d)
side() {
  local name=$1 lock
  shift
  exec {lock}>"$side_dir/$name.lock"
  flock -x "$lock"
  (
    # The step in a subshell of its own with `set -e` on: a step's status tested here
    # (`cmd || status=$?`) would switch `set -e` off for every command inside it, and a step
    # that is a function would go on after a failing command and end "done".
    set +e
    { (set -e; "$@") 2>&1 | tee "$side_dir/$name.log" | sed -u "s/^/[$name] /"; } {lock}>&-
    status=${PIPESTATUS[0]}
    echo "$status" >"$side_dir/$name.status"
    exit "$status"
  ) &
  side_pids[$name]=$!
  exec {lock}>&-
}
after() {
  local name
  for name; do
    flock -s "$side_dir/$name.lock" true
    if [[ "$(cat "$side_dir/$name.status")" != 0 ]]; then
      echo "$name failed" >&2
      return 1
    fi
  done
}
await_side() {
  local name=$1 status=0
  wait "${side_pids[$name]}" || status=$?
  unset "side_pids[$name]"
  if ((status)); then
    # The failure's own words last, where a CI log's tail shows them: the steps side by side
    # interleave their lines, and a step awaited later may have printed thousands since.
    # The servers' log lines that Playwright passes on ([WebServer]) are left out here.
    printf '\033[1;31m[%s] failed (exit %s); its last lines:\033[0m\n' "$name" "$status" >&2
    grep -av '\[WebServer\]' "$side_dir/$name.log" | tail -n 100 | sed "s/^/[$name] /" >&2 || true
    printf '\033[1;31m[%s] failed (exit %s)\033[0m\n' "$name" "$status" >&2
    return "$status"
  fi
}
# Every process started under PID, children first found while they still have their parent.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
stop_sides() {
  local pid others=()
  for pid in "${side_pids[@]}"; do
    # Those in process groups of their own too (Playwright's web servers are), which the
    # group's kill misses: a failed run would leave its servers holding their ports.
    mapfile -t -O "${#others[@]}" others < <(descendants "$pid")
    kill -- "-$pid" 2>/dev/null || true
  done
  if ((${#others[@]})); then kill "${others[@]}" 2>/dev/null || true; fi
  rm -rf "$side_dir"
}
trap stop_sides EXIT

# The release builds `make run` and `make run-two` serve: the app (wasm) and the server
# (native) side by side, in their own cargo target directories.
build_for_run() {
  step "building the app (release: the full app and the light customer app) and the server"
  side app scripts/build-app.sh
  side server cargo build --locked --profile server -p pingjia-server
  await_side server
  await_side app
  step "built"
}

# `scratch_postgres NAME PORT`: a PostgreSQL server of the script's own (scripts/postgres.sh)
# in a new scratch directory /tmp/pingjia-NAME.*, on PORT, stopped and removed when the script
# exits whatever the outcome; its URL in `postgres_url`.
scratch_postgres() {
  local dir
  dir=$(mktemp -d "/tmp/pingjia-$1.XXXXXX")
  # Stopped by the script's own path (a step may have changed directory meanwhile).
  trap "'$PWD/scripts/postgres.sh' stop '$dir' || true; rm -rf '$dir'; stop_sides" EXIT
  step "starting PostgreSQL in $dir on port $2"
  postgres_url=$(scripts/postgres.sh start "$dir" "$2")
}
