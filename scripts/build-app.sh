#!/usr/bin/env bash
# Builds the app for release into dist/: the full app (index.html, cargo profile `staff-release`),
# the light customer app (customer.html, the `release` profile tuned for size, without the
# staff pages and the chart library) into dist/c, the way in (signin.html: the same app with
# only its home and sign-in pages) into dist/s and the rating link's page (link.html, the
# `link/` crate, `release` profile) into dist/link, each with a brotli (quality 11) and a gzip
# (level 9) copy of every text and wasm file, which the server sends as they are to browsers
# that accept them.
#
# Three chains run side by side, each in its own cargo target directory (cargo locks the one
# it builds in) and each into its own folders: the full app; the light app, then the sign-in
# build (the same dependencies); the link page. The light app, the sign-in build and the link
# page are copied into dist/c, dist/s and dist/link at the end, as the full build empties
# dist/. An app whose inputs (its wasm as cargo builds it, the page,
# styles, static files, tools and these scripts) are the same as at its last build is not
# built again: wasm-opt alone takes minutes.
#
# Clippy is the compiler of the workspace's own crates here too (warnings are errors): the
# release builds are the lint of the light app, the sign-in build and the link page, and the
# run command and the tests share their builds. `--cargo-only` builds the wasm files and stops
# (the tests start it before trunk and wasm-bindgen are installed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
STEP_TAG=${STEP_TAG:-build-app}
source scripts/lib.sh
cargo_only=false
[[ "${1:-}" == "--cargo-only" ]] && cargo_only=true
clippy_env

target=${CARGO_TARGET_DIR:-$PWD/target}
light_dist=$target/dist-c
signin_dist=$target/dist-s
link_dist=$target/dist-link

# wasm DIR PROFILE BIN [CARGO ARGS...]: builds the wasm of the binary BIN as trunk will (a no-op
# when nothing changed).
wasm() {
  local dir=$1 profile=$2 bin=$3
  shift 3
  CARGO_TARGET_DIR=$dir cargo build --locked --offline --target wasm32-unknown-unknown \
    --bin "$bin" --profile "$profile" "$@"
}

# inputs DIR PROFILE BIN: a digest of everything the build of the app whose wasm that is reads.
inputs() {
  local dir=$1 profile=$2 bin=$3
  {
    find "$dir/wasm32-unknown-unknown/$profile/$bin.wasm" index.html customer.html signin.html link.html Cargo.lock \
      Trunk.toml style public scripts/build-app.sh scripts/precompress.mjs \
      node_modules/echarts/dist/echarts.min.js \
      node_modules/echarts-wordcloud/dist/echarts-wordcloud.min.js -type f -print0 |
      sort -z | xargs -0 sha256sum
    trunk --version
    wasm-bindgen --version
    wasm-opt --version
  } | sha256sum
}

# The full app with Leptos' type-erased views (`--cfg erase_components`): every component
# returns an `AnyView`, so its pages are compiled once instead of once per view type: a third
# of the compile and half the wasm. Not for the customer's pages: their smaller builds grow
# with it (the light app's wasm by a quarter before wasm-opt).
full() {
  local dir=$target/app-full digest
  export RUSTFLAGS="--cfg erase_components"
  wasm "$dir" staff-release pingjia
  $cargo_only && return
  digest=$(inputs "$dir" staff-release pingjia)
  if [[ -f dist/index.html && "$(cat "$dir/built" 2>/dev/null)" == "$digest" ]]; then
    echo "the full app is up to date"
    return
  fi
  rm -f "$dir/built"
  CARGO_TARGET_DIR=$dir trunk build --release --locked
  node scripts/precompress.mjs dist
  echo "$digest" >"$dir/built"
}

# sub_build WHAT DIR MARKER DIST PAGE URL BIN [CARGO ARGS...]: builds PAGE (its wasm the binary
# BIN in the target directory DIR, `release` profile) into DIST for the public URL URL, unless
# its inputs are those of the build MARKER (a file in DIR) recorded.
sub_build() {
  local what=$1 dir=$2 marker=$3 out=$4 page=$5 url=$6 digest
  shift 6
  wasm "$dir" release "$@"
  $cargo_only && return
  digest=$(inputs "$dir" release "$1")
  if [[ -f $out/index.html && "$(cat "$dir/$marker" 2>/dev/null)" == "$digest" ]]; then
    echo "$what is up to date"
    return
  fi
  rm -f "$dir/$marker"
  CARGO_TARGET_DIR=$dir trunk build --release --locked --dist "$out" --public-url "$url" "$page"
  node scripts/precompress.mjs "$out"
  echo "$digest" >"$dir/$marker"
}

light() {
  sub_build "the light customer app" "$target/app-light" built "$light_dist" customer.html /c/ \
    pingjia --no-default-features --features customer
}

# The way in (signin.html): the app without its customer and staff pages, built after the
# light app in its target directory (the same dependencies, the same profile).
signin() {
  sub_build "the sign-in build" "$target/app-light" built-signin "$signin_dist" signin.html /s/ \
    pingjia --no-default-features
}

light_and_signin() {
  light
  signin
}

# The rating link's page: its own crate (link/, with its texts taken from locales/ by its
# build.rs), its own page and stylesheet.
link() {
  sub_build "the rating link's page" "$target/app-link" built "$link_dist" link.html /link/ \
    pingjia-link -p pingjia-link
}

side full full
side light light_and_signin
side link link
await_side link
await_side light
await_side full
$cargo_only && exit 0
rm -rf dist/c dist/s dist/link
cp -r "$light_dist" dist/c
cp -r "$signin_dist" dist/s
cp -r "$link_dist" dist/link
