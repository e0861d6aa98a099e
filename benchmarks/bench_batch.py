"""Samples per second and peak memory of the whole chain (physics -> solve -> CO2 -> economics).

Run: python benchmarks/bench_batch.py [sizes...]     (default 1000 10000 100000; figures in the README)

Each size runs in a fresh process (so peak RSS is that run's), with one BLAS thread, on the PSM
scenario with five sampled physics parameters of the blast furnaces and a coke battery.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
from steelworks.batch import run_batch
S = int(sys.argv[1])
rng = np.random.default_rng(1)
samples = {
    "units.bf1.model.params.heat_losses": rng.uniform(0.5, 1.0, S),
    "units.bf2.model.params.heat_losses": rng.uniform(0.5, 1.0, S),
    "units.bf1.model.params.blast_temperature": rng.uniform(1000, 1150, S),
    "units.bf2.model.params.oxygen_enrichment": rng.uniform(0.0, 0.04, S),
    "units.coke_battery_1.model.params.underfiring": rng.uniform(3.4, 4.1, S),
}
run_batch("psm", {k: v[:10] for k, v in samples.items()})  # warm: imports, caches
t0 = time.perf_counter()
batch = run_batch("psm", samples)
dt = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"samples": S, "seconds": dt, "per_second": S / dt, "peak_rss_mb": peak_mb,
                  "masked": len(batch.faults), "npv_p50_usd": float(np.nanmedian(batch.economics["npv_usd"]))}))
"""


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    print(f"{'samples':>9} {'seconds':>9} {'samples/s':>10} {'peak RSS MB':>12} {'masked':>7}")
    for size in sizes:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(size)], capture_output=True, text=True, env=env, check=True
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        cells = (row["samples"], row["seconds"], row["per_second"], row["peak_rss_mb"], row["masked"])
        print("{:>9,} {:>9.1f} {:>10,.0f} {:>12,.0f} {:>7}".format(*cells))


if __name__ == "__main__":
    main()
