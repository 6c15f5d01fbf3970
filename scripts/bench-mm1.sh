#!/usr/bin/env bash
# Prints the M/M/1 comparison of docs/performance.md: `eda run` (the README's full-speed
# release build) and SimPy 4.1.2 on the same model (tests/bench/mm1-request-reply.json and
# tests/bench/mm1_simpy.py), in customers per second of wall time (the fastest of five runs of
# `eda run` and of three of SimPy), and their ratio. It asserts nothing. SimPy is installed
# from PyPI into target/bench-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
customers=2000000
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import simpy, sys; sys.exit(simpy.__version__ != "4.1.2")' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet simpy==4.1.2
fi
cargo build --release --offline -p eda-cli --quiet
"$venv/bin/python" - "$customers" <<'PY'
# Each side runs several times and the fastest run counts: the machine is shared, and the
# fastest run is the one least disturbed by what else ran (the same rule for both sides).
import json, subprocess, sys, time
customers = int(sys.argv[1])
def fastest(command, runs):
    best, out = None, None
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return best, out
eda_s, out = fastest(["target/release/eda", "run", "tests/bench/mm1-request-reply.json", "--json", "--quiet"], 5)
report = json.loads(out)
print(f"eda run (fastest of 5): {customers} customers in {eda_s:.3f} s, {customers / eda_s:,.0f} customers/s, "
      f"{report['events_processed']} events, trace hash {report['trace_hash']}")
simpy_s, simpy = fastest([sys.executable, "tests/bench/mm1_simpy.py", str(customers)], 3)
print(f"{simpy.strip()} (fastest of 3: {simpy_s:.2f} s)")
print(f"ratio (customers/s): {simpy_s / eda_s:.1f}x")
PY
