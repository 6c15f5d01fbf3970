#!/usr/bin/env bash
# Installs whatever is missing, builds the release app and serves it at http://127.0.0.1:8080
# (Trunk rebuilds on file changes). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/tools/node_modules/binaryen/bin:$PATH"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
echo "[serve] building and serving EDA Playground at http://127.0.0.1:8080"
exec trunk serve --release --offline --no-autoreload --address 127.0.0.1 --port 8080
