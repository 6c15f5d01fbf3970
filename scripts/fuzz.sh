#!/usr/bin/env bash
# Builds and runs one fuzz target of the simulation core for some seconds:
#   ./scripts/fuzz.sh TARGET [SECONDS]     TARGET is link or scenario; 60 s by default
# New inputs go to a scratch corpus (the committed seeds stay as they are); a crash leaves its
# input in crates/eda-sim/fuzz/artifacts/TARGET/ and makes this script fail.
set -euo pipefail
cd "$(dirname "$0")/../crates/eda-sim"
target=${1:?usage: fuzz.sh link|scenario [SECONDS]}
seconds=${2:-60}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# One job, so that the fuzzer and the rest of the machine share its two cores politely.
cargo +nightly fuzz run --target-dir ../../target/fuzz "$target" "$scratch" "fuzz/seeds/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1
