#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (native and wasm32), native tests, browser tests
# (wasm-bindgen-test in headless Chromium), the release build, and Playwright end-to-end tests.
# Ends with one line "N passed, N failed" totalling every suite; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/tools/node_modules/binaryen/bin:$PATH"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export CARGO_TERM_COLOR=never

passed=0
failed=0
failures=()
log_dir=$(mktemp -d)

# Runs a check that counts as one test: passes when the command exits 0.
check() {
  local name=$1; shift
  echo "== $name"
  if "$@" >"$log_dir/out" 2>&1; then
    passed=$((passed + 1)); echo "   ok"
  else
    failed=$((failed + 1)); failures+=("$name"); cat "$log_dir/out"; echo "   FAILED: $name"
  fi
}

# Runs a cargo test command and adds up its "test result:" lines.
cargo_suite() {
  local name=$1; shift
  echo "== $name"
  "$@" 2>&1 | tee "$log_dir/out"
  local status=${PIPESTATUS[0]}
  local p f
  read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
                      END { print p + 0, f + 0 }' "$log_dir/out")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
  if [ "$status" -ne 0 ]; then failures+=("$name"); fi
}

check "cargo fmt --check" cargo fmt --all --check
check "clippy (native)" cargo clippy --workspace --all-targets --offline -- -D warnings
check "clippy (wasm32)" cargo clippy --workspace --all-targets --offline --target wasm32-unknown-unknown -- -D warnings
cargo_suite "native tests" cargo test --workspace --offline
cargo_suite "browser tests (wasm-bindgen-test, headless Chromium)" \
  cargo test --offline --target wasm32-unknown-unknown --test web
check "release build (trunk)" trunk build --release --offline
check "release .wasm within its size budget" ./scripts/wasm-size.sh
# Fuzz targets (share-link decoder, scenario loader): built, then run briefly from their seeds.
# A long run: ./scripts/fuzz.sh link 3600 (see docs/fuzzing.md).
check "fuzz: link decoder (20 s)" ./scripts/fuzz.sh link 20
check "fuzz: scenario loader (20 s)" ./scripts/fuzz.sh scenario 20

echo "== end-to-end tests (Playwright, Chromium)"
if [ -f dist/index.html ]; then
  (cd tests/e2e && npx playwright test)
  e2e_status=$?
  results=tests/e2e/test-results/results.json
  if [ -f "$results" ]; then
    read -r p f < <(node -e 'const s=require(process.argv[1]).stats; console.log(s.expected + s.flaky, s.unexpected)' "$PWD/$results")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$e2e_status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
  else
    failed=$((failed + 1))
  fi
  [ "$e2e_status" -eq 0 ] || failures+=("end-to-end tests")
else
  echo "   skipped: no release build"; failed=$((failed + 1)); failures+=("end-to-end tests (no build)")
fi

rm -rf "$log_dir"
echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "Failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
