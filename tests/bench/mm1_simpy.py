"""The M/M/1 benchmark model in SimPy (scripts/bench-mm1.sh runs it beside `eda run`).

Poisson arrivals at 800/s to one server with exponential service at 1000/s, 2,000,000
customers by default; prints customers per second of wall time and the mean time in system
(queueing theory: 1 / (mu - lambda) = 5 ms), so both models can be seen to agree.
"""
import random
import sys
import time

import simpy

ARRIVAL_RATE_PER_S = 800.0
SERVICE_RATE_PER_S = 1000.0


def run(customers: int, seed: int = 1) -> None:
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    draw = random.Random(seed)
    time_in_system_s = []

    def customer(env):
        arrived = env.now
        with server.request() as turn:
            yield turn
            yield env.timeout(draw.expovariate(SERVICE_RATE_PER_S))
        time_in_system_s.append(env.now - arrived)

    def arrivals(env):
        for _ in range(customers):
            yield env.timeout(draw.expovariate(ARRIVAL_RATE_PER_S))
            env.process(customer(env))

    env.process(arrivals(env))
    started = time.perf_counter()
    env.run()
    elapsed_s = time.perf_counter() - started
    mean_ms = 1000.0 * sum(time_in_system_s) / len(time_in_system_s)
    print(f"simpy {simpy.__version__}: {customers} customers in {elapsed_s:.2f} s, "
          f"{customers / elapsed_s:,.0f} customers/s, mean time in system {mean_ms:.3f} ms")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000)
