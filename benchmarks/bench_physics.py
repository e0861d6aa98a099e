"""Time the process physics: one full set of recipes for a scenario, and a batch of samples.

Run ``python benchmarks/bench_physics.py``. Prints the warm time per model (median of many
calls, scalar parameters) and the total for one scenario (one call of each model), then the
time for a batch of 10,000 samples of each model. Target: one scenario well under 5 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "physics"))

from physics_testutil import load_carriers

from steelworks.physics import MODELS


def _time(fn, repeat: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    carriers = load_carriers()
    total = 0.0
    print(f"{'model':15s} {'scalar ms':>10s} {'10k batch ms':>13s}")
    for kind, model in MODELS.items():
        t = _time(lambda model=model: model.recipe({}, carriers), 200)
        total += t
        spec = model.PARAMETERS[-1]
        batch = {spec.name: np.full(10_000, spec.default)}
        tb = _time(lambda model=model, batch=batch: model.recipe(batch, carriers), 10)
        print(f"{kind:15s} {1000 * t:10.3f} {1000 * tb:13.2f}")
    print(f"{'one scenario':15s} {1000 * total:10.3f}  (target < 5 ms)")


if __name__ == "__main__":
    main()
