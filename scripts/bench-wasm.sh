#!/usr/bin/env bash
# Prints the core's throughput benchmark (a) natively and compiled to WebAssembly (run by node,
# as V8 runs it in Chromium), and the ratio of the two, for docs/performance.md. Asserts
# nothing. The wasm32-wasip1 target (so the benchmark's own clock and output work unchanged)
# is added from rustup's server the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
native=$(cargo bench --offline -p eda-sim --bench throughput -- a | grep '^(a)')
echo "native: $native"
cargo bench --offline -p eda-sim --bench throughput --target wasm32-wasip1 --no-run 2>/dev/null
wasm=$(ls -t target/wasm32-wasip1/release/deps/throughput-*.wasm | head -n 1)
in_wasm=$(node --no-warnings tests/bench/wasi-run.mjs "$wasm" a | grep '^(a)')
echo "wasm (node $(node --version)): $in_wasm"
rate() { echo "$1" | sed -n 's/.* \([0-9.]*\) M events\/s.*/\1/p'; }
node -e "console.log('wasm / native: ' + ($(rate "$in_wasm") / $(rate "$native")).toFixed(2))"
