#!/usr/bin/env bash
# Prints the release .wasm's size (raw and GNU `gzip -9`) and fails when the gzip size is over
# the budget written in docs/performance.md (the line "Size budget: N bytes gzip -9").
# Run after `trunk build --release --offline` (scripts/test.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=$(ls dist/*.wasm 2>/dev/null | head -n 1 || true)
if [ -z "$wasm" ]; then
  echo "no .wasm in dist/: build the release first (trunk build --release --offline)"
  exit 1
fi
budget=$(sed -n 's/^Size budget: \([0-9,]*\) bytes gzip -9.*/\1/p' docs/performance.md | tr -d ,)
if [ -z "$budget" ]; then
  echo "docs/performance.md has no line 'Size budget: N bytes gzip -9'"
  exit 1
fi
raw=$(wc -c <"$wasm")
gzipped=$(gzip -9 -c "$wasm" | wc -c)
echo "release .wasm: $raw bytes raw, $gzipped bytes gzip -9 (budget $budget)"
if [ "$gzipped" -gt "$budget" ]; then
  echo "over the size budget by $((gzipped - budget)) bytes: shrink it, or raise the budget in"
  echo "docs/performance.md in the same commit, with a line naming the feature and its cost"
  exit 1
fi
