"""Time what users and the risk analysis wait for in the economics engine.

Run: ``python benchmarks/bench_economics.py``. Prints the warm time of one full evaluation
(30-year horizon, IRR, break-even LCOS, debt, country view) and of a batched run over samples.
Target: one scenario under 50 ms warm.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np

from steelworks.economics import (
    Samples,
    build_model,
    evaluate_inputs,
    load_inputs,
    placeholder_plant_year,
    run,
)


def _best(fn: Callable[[], object], repeat: int = 20) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    option = "psm-bf-revival"
    plant = placeholder_plant_year(option)
    inputs = load_inputs(option)
    single = _best(lambda: evaluate_inputs(plant, inputs))
    print(f"evaluate one scenario (30 years, incl. break-even LCOS): {single * 1e3:.1f} ms (target < 50 ms)")
    model, _ = build_model(plant, inputs)
    core = _best(lambda: run(model))
    print(f"cash-flow core for one sample:                          {core * 1e3:.1f} ms")
    rng = np.random.default_rng(0)
    for n in (1_000, 100_000):
        samples = Samples(
            capex_factor=rng.lognormal(0.0, 0.2, n),
            discount_rate=rng.uniform(0.08, 0.12, n),
            price_sell=model.price_sell[None, :] * rng.normal(1.0, 0.1, (n, 1)),
        )
        t = _best(partial(run, model, samples, breakeven=False), repeat=3)
        per = t / n * 1e6
        print(f"batched run, {n:>7} samples (NPV, IRR, payback, tax, debt): {t:.3f} s ({per:.1f} us/sample)")
        t = _best(partial(run, model, samples), repeat=1)
        print(f"  ... with break-even LCOS:                              {t:.3f} s")


if __name__ == "__main__":
    main()
