"""Sourcing: one yearly blend LP (build + solve), the LP-physics fixed point, and the 7-point sweep.

    python benchmarks/bench_sourcing.py [--scenario psm-domestic-ore] [--repeat 10]

Wall-clock medians after a warm-up (the first call imports linopy/HiGHS and builds the plant once).
Target (issue 11): well under a second per yearly solve.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="psm-domestic-ore")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    from steelworks.sourcing.blend import solve_blend
    from steelworks.sourcing.coupling import demand_from
    from steelworks.sourcing.run import run_sourcing, sourcing_data, sourcing_spec, sweep

    first = run_sourcing(args.scenario)  # warm-up
    spec, file = sourcing_spec(args.scenario)
    data = sourcing_data(spec, file)
    demand = demand_from(first.coupled.balance)
    lp = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        solve_blend(data, demand, domestic_share=first.domestic_share)
        lp.append(time.perf_counter() - t)
    coupled = []
    for _ in range(max(3, args.repeat // 3)):
        t = time.perf_counter()
        run_sourcing(args.scenario)
        coupled.append(time.perf_counter() - t)
    t = time.perf_counter()
    points = sweep(args.scenario, np.linspace(0.0, 0.6, 7))
    sweep_s = time.perf_counter() - t
    out = {
        "scenario": args.scenario,
        "yearly_lp_s_median": statistics.median(lp),
        "fixed_point_s_median": statistics.median(coupled),
        "fixed_point_passes": first.coupled.iterations,
        "sweep_7_points_s": sweep_s,
        "sweep_feasible_points": sum(1 for _, run, _ in points if run is not None),
    }
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}, indent=1))


if __name__ == "__main__":
    main()
