"""Time the revival planner on PSM: 30 years, every action open, to a 0.5 % MIP gap on this machine.

Three instances: the bundled psm scenario (at pk-2025 prices the optimum is to keep the works idle),
the same with product prices +30 % (so the optimum revives part of the works: a MILP that has to branch),
and the plan fixed to psm-bf-revival. Each: assembly (scenario -> arrays), build (linopy), solve (HiGHS),
model size. Figures go to benchmarks/PLANNER.md.

Run: python benchmarks/bench_planner.py
"""

from __future__ import annotations

import dataclasses
import os
import time
from importlib import metadata

import linopy
import numpy as np

from steelworks.planning import option_plan, problem_from_scenario, solve_plan

GAP = 0.005


def run(label: str, prob) -> dict:  # type: ignore[no-untyped-def]
    r = solve_plan(prob, gap=GAP, time_limit=600)
    first = next((y for y, q in zip(prob.years, r.lines["crude_steel_t"], strict=True) if q > 0), None)
    return {
        "instance": label,
        "build_s": r.build_s,
        "solve_s": r.solve_s,
        **r.size,
        "npv_musd": r.npv_usd / 1e6,
        "actions": len(r.actions),
        "capital_musd": sum(r.capex_by_year) / 1e6,
        "first_steel": first,
        "status": r.status,
        "gap": r.mip_gap,
    }


def main() -> None:
    t0 = time.perf_counter()
    base = problem_from_scenario("psm")
    assembly = time.perf_counter() - t0
    products = np.isfinite(base.market_cap).all(axis=1) & (base.market_cap.max(axis=1) > 0)
    dearer = dataclasses.replace(base, price_sell=np.where(products, 1.3 * base.price_sell, base.price_sell))
    rows = [
        run("psm, every action open", base),
        run("psm, product prices +30 %", dearer),
        run("psm fixed to psm-bf-revival", base.fix(option_plan("psm"))),
    ]
    print(f"linopy {linopy.__version__}, highspy {metadata.version('highspy')}")
    print(
        f"cpus {os.cpu_count()}, horizon {base.n_years} years, "
        f"{len(base.actions)} actions on {len(base.unit_ids)} units"
    )
    print(f"assembly (scenario, plant, capex of every action, prices): {assembly:.1f} s")
    cols = [
        "instance",
        "build_s",
        "solve_s",
        "variables",
        "binaries",
        "constraints",
        "npv_musd",
        "actions",
        "capital_musd",
        "first_steel",
        "status",
    ]
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in cols))


if __name__ == "__main__":
    main()
