#!/usr/bin/env bash
# Installs every tool the project needs, skipping what is already there (idempotent).
# Only the package registries are used: apt, crates.io (cargo install), npm and rustup's own server.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14

log() { printf '[setup] %s\n' "$*"; }

# Debian packages: Chromium and its driver (browser tests), unless both are present.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  log "installing chromium and chromium-driver (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
else
  log "chromium and chromedriver present"
fi

# A CJK font from the distribution, so the browser tests draw the page's Simplified Chinese.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  log "installing fonts-noto-cjk (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null
else
  log "a CJK font is present"
fi

# The pinned stable toolchain (rust-toolchain.toml) with its wasm32 target: rustup installs
# whatever of it is missing on first use; this makes sure the target is there.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
else
  log "wasm32-unknown-unknown present"
fi

# wasm-bindgen-cli at exactly the version in Cargo.lock (Trunk downloads otherwise).
# Not --locked: its own lockfile pins a crate version crates.io no longer serves.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
else
  log "wasm-bindgen $WASM_BINDGEN_VERSION present"
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
else
  log "trunk $TRUNK_VERSION present"
fi

# cargo-fuzz (the fuzz targets build with the nightly toolchain, part of the machine image).
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
else
  log "cargo-fuzz $CARGO_FUZZ_VERSION present"
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  log "installing the nightly toolchain (for cargo-fuzz)"
  rustup toolchain install nightly --profile minimal
else
  log "nightly toolchain present"
fi

# Node tooling: wasm-opt (binaryen 132) for release builds, Playwright for end-to-end tests.
for dir in tools tests/e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    log "node packages in $dir present"
  fi
done

# Crates, fetched once so that builds can run with --offline.
cargo fetch --quiet
log "done"
