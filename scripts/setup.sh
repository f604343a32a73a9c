#!/usr/bin/env bash
# Installs what building and testing Pingjia needs, skipping whatever is already there at the
# right version. Safe to run any number of times.
#   scripts/setup.sh         everything the run command needs (Rust wasm target, trunk,
#                            wasm-bindgen, npm build tools)
#   scripts/setup.sh --test  also what the tests need (Chromium, chromedriver, CJK fonts,
#                            the Playwright packages, Schemathesis in target/venv)
#   --postgres               also PostgreSQL, for the server suite on it (make test-postgres)
#                            and two instances on one database (make run-two)
#   --no-tools               all but the tools cargo compiles (trunk, wasm-bindgen), which
#   --tools                  installs alone: the test command compiles them beside its first
#                            builds, which do not need them
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false want_tools=true want_rest=true want_postgres=false
for option; do
  case $option in
    --test) want_test=true ;;
    --postgres) want_postgres=true ;;
    --no-tools) want_tools=false ;;
    --tools) want_rest=false ;;
    *) echo "setup.sh: unknown option $option" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
# scripts/schemathesis.sh; in a virtual environment of Python 3 (3.9 or later).
SCHEMATHESIS_VERSION=4.32.5
VENV=target/venv
# wasm-bindgen-cli must equal the wasm-bindgen crate the app links (Cargo.lock).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

install_tools() {
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    # A debug build of trunk installs in ~3 minutes instead of ~13 and builds the app as fast:
    # cargo and wasm-opt do the work. Without debug info: a third less to compile and link.
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install --debug --locked --config profile.dev.debug=false "trunk@$TRUNK_VERSION"
  fi
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    # --locked fails for this version: one of its pinned dependencies left the registry.
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
    cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  fi
}
if $want_tools; then
  install_tools
fi
if ! $want_rest; then
  exit 0
fi

npm_ci() { # dir: install exactly the lockfile, unless node_modules already matches it
  local dir=$1
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci .

missing=()
# The server suite on a PostgreSQL server of its own, or two instances on one for a try-out
# (scripts/postgres.sh).
if $want_postgres && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
if $want_test; then
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [[ ! -x $VENV/bin/python ]] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3-venv)
  fi
  command -v curl >/dev/null || missing+=(curl)
  # The end-to-end tests move an invitation's expiry into the past in the server's database.
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
fi
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  say "installing ${missing[*]} from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if $want_test; then
  # Playwright never downloads a browser here: the tests launch Debian's Chromium.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_ci end2end
  # Looked up by its installed metadata: starting schemathesis to ask takes a second.
  if ! compgen -G "$VENV/lib/python3*/site-packages/schemathesis-$SCHEMATHESIS_VERSION.dist-info" >/dev/null; then
    say "installing schemathesis $SCHEMATHESIS_VERSION in $VENV (once)"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi
# Trunk builds offline (Trunk.toml), and the builds run side by side from the start: fetch the
# crates of every target first, once.
cargo fetch --locked --quiet

say "ready"
