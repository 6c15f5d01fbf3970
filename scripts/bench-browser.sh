#!/usr/bin/env bash
# Prints the browser figures of docs/performance.md: wasm size, first paint, seek time and frame
# times, measured in headless Chromium against a fresh release build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
export PATH="$PWD/tools/node_modules/binaryen/bin:$PATH"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
trunk build --release --offline >/dev/null 2>&1
node tests/bench/browser.mjs
