"""Time what users wait for: one PSM solve (warm, in process) and `steelworks balance psm` as a command.

Run: python benchmarks/bench_balance.py    (prints the figures quoted in the README)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from steelworks.api import run_balance
from steelworks.carbon import account
from steelworks.plant.balance import check_balances
from steelworks.plant.build import build_plant
from steelworks.plant.solve import solve
from steelworks.report.balance import balance_report
from steelworks.results import works_results
from steelworks.schema.loader import load_scenario


def timeit(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    scenario = load_scenario("psm")
    med, best = timeit(lambda: solve(build_plant(scenario)), 50)
    print(f"psm build with physics models + solve (warm):  median {med * 1e3:7.2f} ms   best {best * 1e3:7.2f} ms")
    plant = build_plant(scenario)
    med, best = timeit(lambda: solve(plant), 200)
    print(f"psm solve incl. balance checks (warm):        median {med * 1e3:7.2f} ms   best {best * 1e3:7.2f} ms")

    def solve_and_account() -> None:
        sol = solve(plant)
        bal = check_balances(sol)
        balance_report(works_results(sol, bal, account(sol, bal)))

    med, best = timeit(solve_and_account, 100)
    print(f"psm solve + CO2 + report tables (warm):       median {med * 1e3:7.2f} ms   best {best * 1e3:7.2f} ms")
    med, best = timeit(lambda: run_balance("psm"), 50)
    print(f"run_balance('psm') load+build+solve (warm):   median {med * 1e3:7.2f} ms   best {best * 1e3:7.2f} ms")
    import numpy as np

    recipes = np.repeat(plant.recipe[None], 1000, axis=0)
    med, best = timeit(lambda: solve(plant, recipes), 5)
    print(
        f"psm solve, batch of 1,000 samples (warm):     median {med * 1e3:7.1f} ms   ({med / 1000 * 1e6:.0f} us/sample)"
    )
    from steelworks.api import run_evaluation

    med, best = timeit(lambda: run_evaluation("psm-bf-revival"), 20)
    print(f"run_evaluation('psm-bf-revival'), 30 years:    median {med * 1e3:7.2f} ms   best {best * 1e3:7.2f} ms")
    cmd = [sys.executable, "-m", "steelworks.cli", "balance", "psm", "--format", "json"]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    print(f"`steelworks balance psm --format json` (cold): median {statistics.median(times):7.2f} s")


if __name__ == "__main__":
    main()
