"""A risk run: its design cut into chunks, each chunk through the chain here or on a Dask cluster.

The run is described by :class:`RunSpec` (plain data, so a worker can rebuild the job); a chunk is a
pure function of the spec and its index (:func:`chunk_task`), which is why the same seed gives the
same numbers on one core, on two Dask workers or on a cluster, and why a run can resume from any set
of finished chunks. Finished chunks go to a ``sink`` as they complete (the CLI's is the results
store), so the run never holds its samples in memory.

Several scenarios in one run share every draw (common random numbers): the design spans all entries
of the uncertainty file, and each scenario reads the columns of the entries it has.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError
from steelworks.risk.engine import ChunkResult, RiskJob, draws_to_values, evaluate_chunk, load_uncertainty
from steelworks.risk.sampling import Method, correlate, correlation_groups, mc_chunk, saltelli_rows, whole_design
from steelworks.risk.targets import cached_job

Array = NDArray[np.float64]
#: environment a worker process starts with: one BLAS/OpenMP thread each (the chunks are the parallelism)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
MAX_SAMPLES = 100_000_000


@dataclass(frozen=True)
class RunSpec:
    scenarios: tuple[str, ...]
    uncertainty: str
    samples: int  # rows of the design (for Sobol: N base samples; the design has N (d + 2) rows)
    method: Method = "mc"
    seed: int = 1
    chunk_size: int = 1_000
    overrides: tuple[str, ...] = ()
    cash_flows: bool = False  # store each sample's yearly cash flow too

    def __post_init__(self) -> None:
        if not 1 <= self.samples <= MAX_SAMPLES:
            raise InputError(
                f"{self.samples} samples",
                location="--samples",
                allowed=f"1 to {MAX_SAMPLES:,} (a power of 2 for sobol)",
            )
        if not 1 <= self.chunk_size <= 1_000_000:
            raise InputError(f"chunks of {self.chunk_size} samples", location="--chunk", allowed="1 to 1,000,000")
        if self.method not in ("mc", "lhs", "sobol"):
            raise InputError(f"no sampling method '{self.method}'", location="--method", allowed="mc, lhs, sobol")

    @property
    def compare(self) -> bool:
        return len(self.scenarios) > 1


@dataclass
class Design:
    """The run's draws: names of the columns, rows in all, and (LHS, Sobol) the whole design."""

    names: list[str]
    rows: int
    correlation: Array | None
    whole: Array | None = field(default=None, repr=False)
    groups: list[str] | None = None  # Sobol: each input's group (correlated inputs move together)

    def n_chunks(self, chunk_size: int) -> int:
        return -(-self.rows // chunk_size)

    def chunk(self, spec: RunSpec, index: int) -> Array:
        start = index * spec.chunk_size
        stop = min(self.rows, start + spec.chunk_size)
        if self.whole is not None:
            u = self.whole[start:stop]
        else:
            u = mc_chunk(spec.seed, index, stop - start, len(self.names))
        return correlate(u, self.correlation)


def make_design(spec: RunSpec) -> Design:
    uncertainty, _path = load_uncertainty(spec.uncertainty)
    names = list(uncertainty.parameters)
    correlation = uncertainty.correlation_matrix() if uncertainty.correlations else None
    if spec.method == "sobol":
        groups = correlation_groups(names, correlation)
        whole = whole_design("sobol", spec.samples, len(names), spec.seed, groups)
        return Design(names, saltelli_rows(spec.samples, len(names), groups), correlation, whole, groups)
    if spec.method == "lhs":
        return Design(names, spec.samples, correlation, whole_design("lhs", spec.samples, len(names), spec.seed))
    return Design(names, spec.samples, correlation)


def job_for(spec: RunSpec, scenario: str) -> RiskJob:
    return cached_job(scenario, spec.uncertainty, spec.overrides, not spec.compare, spec.cash_flows)


def columns_for(job: RiskJob, names: list[str], u: Array) -> Array:
    """The job's columns of the run's design (a scenario may lack some entries of the file)."""
    return u[:, [names.index(n) for n in job.names]]


def chunk_task(spec: RunSpec, names: list[str], scenario: str, index: int, u: Array) -> tuple[str, int, Any]:
    """One chunk of one scenario (runs on a worker): its KPIs and the values drawn."""
    job = job_for(spec, scenario)
    own = columns_for(job, names, u)
    result = evaluate_chunk(job, own, start=index * spec.chunk_size)
    return scenario, index, (result, draws_to_values(job, own))


Sink = Callable[[str, int, ChunkResult, dict[str, Array]], None]


def execute(
    spec: RunSpec,
    design: Design,
    sink: Sink,
    *,
    skip: Iterable[tuple[str, int]] = (),
    workers: int = 0,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Every chunk not in ``skip`` of every scenario, to ``sink`` as it finishes; here (``workers=0``
    and no scheduler), on a local Dask cluster of ``workers`` processes, or on ``scheduler``."""
    for scenario in spec.scenarios:
        job_for(spec, scenario)  # bind here first: a bad file or path fails before any worker starts
    done = set(skip)
    todo = [(s, i) for s in spec.scenarios for i in range(design.n_chunks(spec.chunk_size)) if (s, i) not in done]
    if not todo:
        return
    if workers <= 0 and scheduler is None:
        for scenario, index in todo:
            u = design.chunk(spec, index)
            _, _, (result, values) = chunk_task(spec, design.names, scenario, index, u)
            sink(scenario, index, result, values)
            if progress:
                progress(u.shape[0])
        return
    _execute_dask(spec, design, sink, todo, workers, scheduler, progress)


def _execute_dask(
    spec: RunSpec,
    design: Design,
    sink: Sink,
    todo: list[tuple[str, int]],
    workers: int,
    scheduler: str | None,
    progress: Callable[[int], None] | None,
) -> None:
    import dask
    from distributed import Client, LocalCluster, as_completed

    for key, value in ONE_THREAD.items():
        os.environ.setdefault(key, value)  # inherited by the worker processes a LocalCluster spawns
    with dask.config.set({"distributed.nanny.pre-spawn-environ": dict(ONE_THREAD)}):
        cluster = None
        try:
            if scheduler is None:
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
                client = Client(cluster)
            else:
                try:
                    client = Client(scheduler, timeout="10s")
                except OSError as exc:
                    raise InputError(f"cannot reach the scheduler: {exc}", location="--scheduler") from None
            try:
                pending = []
                window = max(4, 4 * max(workers, len(client.scheduler_info().get("workers", {})) or 1))
                queue = iter(todo)

                def submit_next() -> bool:
                    item = next(queue, None)
                    if item is None:
                        return False
                    scenario, index = item
                    u = design.chunk(spec, index)
                    pending.append(client.submit(chunk_task, spec, design.names, scenario, index, u, pure=False))
                    return True

                while len(pending) < window and submit_next():
                    pass
                stream = as_completed(pending)
                for future in stream:
                    scenario, index, (result, values) = future.result()
                    sink(scenario, index, result, values)
                    if progress:
                        progress(result.feasible.shape[0])
                    future.release()
                    if submit_next():
                        stream.add(pending[-1])
            finally:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()
