#!/usr/bin/env bash
# A PostgreSQL server of the test run's own, in a scratch directory, on a private port, run by
# a user who is not root (PostgreSQL refuses root: as root, Debian's `postgres` user runs it).
#   scripts/postgres.sh start DIR PORT   initialises DIR/data, starts the server (waiting until
#                                        it accepts connections) and prints its URL
#   scripts/postgres.sh stop DIR         stops it (fast: open sessions are ended)
# Installed by `scripts/setup.sh --test` (Debian's postgresql package: 15 on Debian 12).
# For tests only: nothing is synced to disk (fsync and synchronous commits off).
# PINGJIA_POSTGRES_OPTIONS: more of the server's settings (`-c name=value ...`) at start.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $bin ]]; then
  echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi

as_owner() { # COMMAND...: as the cluster's owner
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

case ${1:-} in
  start)
    dir=$(realpath -m "$2") port=$3
    mkdir -p "$dir"
    [[ $(id -u) -ne 0 ]] || chown postgres "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale C.UTF-8 >"$dir/initdb.log"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PINGJIA_POSTGRES_OPTIONS:-}" >/dev/null; then
      # Why, where it shows (a port taken, a setting refused): the server's own words.
      echo "postgres.sh: PostgreSQL did not start on port $port; its log:" >&2
      tail -n 20 "$dir/server.log" >&2
      exit 1
    fi
    echo "postgres://postgres@127.0.0.1:$port"
    ;;
  stop)
    dir=$(realpath -m "$2")
    if [[ -f $dir/data/postmaster.pid ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: scripts/postgres.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
