"""Full-chain risk throughput: samples per second at 10^4, 10^5, 10^6 samples, peak memory, stage split.

    python benchmarks/bench_risk.py --samples 10000 --workers 2 [--chunk 4000] [--scenario psm-bf-revival]
    python benchmarks/bench_risk.py --stages            # per-sample cost of each stage, one process

Each run goes through ``steelworks.risk.service.run`` exactly as ``steelworks risk`` does (a Dask
LocalCluster of --workers processes, one BLAS thread each, chunks streamed into a fresh store), with
the bundled psm-default uncertainty (prices, overrun, slip, steady state, physics). The figure
printed is wall-clock samples per second from the first chunk submitted to the summary written.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def run(samples: int, workers: int, chunk: int, scenario: str) -> dict[str, float]:
    from steelworks.risk.run import RunSpec
    from steelworks.risk.service import run as risk_run
    from steelworks.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        spec = RunSpec((scenario,), "psm-default", samples, chunk_size=chunk)
        done = [0]
        last = [time.perf_counter()]

        def progress(n: int) -> None:
            done[0] += n
            if time.perf_counter() - last[0] > 60:
                last[0] = time.perf_counter()
                print(f"  {done[0]:,} samples", file=sys.stderr, flush=True)

        started = time.perf_counter()
        _run_id, summary = risk_run(spec, store, workers=workers, progress=progress, tornado=False)
        wall = time.perf_counter() - started
        npv = summary["scenarios"][scenario]["npv"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"samples": samples, "workers": workers, "chunk": chunk, "wall_s": wall, "samples_per_s": samples / wall,
            "peak_rss_client_mb": peak_mb, "peak_rss_largest_worker_mb": children_mb,
            "p_npv_positive": npv["p_positive"], "npv_p50_musd": npv["p50"] / 1e6}  # fmt: skip


def stages(scenario: str, n: int = 2000) -> dict[str, float]:
    """Per-sample microseconds of each stage in one process: draws, works (physics+solve+CO2), economics."""
    from steelworks.risk.engine import bind, draws_to_values, evaluate_chunk
    from steelworks.risk.sampling import correlate, mc_chunk

    job = bind(scenario, "psm-default")
    evaluate_chunk(job, mc_chunk(1, 0, 50, job.dimension))  # warm caches
    t0 = time.process_time()
    u = correlate(mc_chunk(1, 1, n, job.dimension), job.correlation)
    draws_to_values(job, u)
    t1 = time.process_time()
    evaluate_chunk(job, u)
    t2 = time.process_time()
    # the works alone: the same physics draws through run_batch without the business case
    from steelworks.batch import run_batch

    values = draws_to_values(job, u)
    physics = {t.path: values[p.name] for p in job.parameters if p.route == "physics" for t in p.targets}
    t3 = time.process_time()
    run_batch(scenario, physics, economics=False)
    t4 = time.process_time()
    per = 1e6 / n
    return {
        "draws_us": (t1 - t0) * per,
        "chain_us": (t2 - t1) * per,
        "works_only_us": (t4 - t3) * per,
        "economics_and_groups_us": ((t2 - t1) - (t4 - t3)) * per,
        "samples_per_s_one_process": n / (t2 - t1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=4_000)
    ap.add_argument("--scenario", default="psm-bf-revival")
    ap.add_argument("--stages", action="store_true")
    args = ap.parse_args()
    out = stages(args.scenario) if args.stages else run(args.samples, args.workers, args.chunk, args.scenario)
    print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in out.items()}, indent=1))


if __name__ == "__main__":
    main()
