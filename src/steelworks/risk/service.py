"""A risk run end to end: record it in the store, stream its chunks there, resume it, summarise it.

This is what ``steelworks risk`` and the dashboard call; the store keeps, the engine computes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from steelworks.economics.batch import CASH_FLOW_PREFIX
from steelworks.errors import InputError
from steelworks.risk import analysis
from steelworks.risk.engine import PLAN_PREFIX, ChunkResult, find_uncertainty, load_uncertainty
from steelworks.risk.run import Design, RunSpec, execute, job_for, make_design
from steelworks.schema.loader import find_scenario
from steelworks.store import RunRecord, Store

INPUT_PREFIX = "in:"


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _hashes(spec: RunSpec) -> dict[str, str]:
    from steelworks.schema.planning import load_plan

    out: dict[str, str] = {}
    for s in spec.scenarios:
        if s.startswith(PLAN_PREFIX):  # a plan file and the scenario it is for
            plan, path = load_plan(s[len(PLAN_PREFIX) :])
            out[s] = _hash(path)
            out[f"scenario:{plan.scenario}"] = _hash(find_scenario(plan.scenario))
        else:
            out[f"scenario:{s}"] = _hash(find_scenario(s))
    out["uncertainty"] = _hash(find_uncertainty(spec.uncertainty))
    return out


def _versions() -> dict[str, str]:
    out = {}
    for name in ("steelworks", "numpy", "scipy", "SALib", "dask", "distributed", "duckdb"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def chunk_columns(result: ChunkResult, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n = result.feasible.shape[0]
    reasons = np.array([result.reasons.get(i, "") for i in range(n)], dtype=object)
    cols: dict[str, np.ndarray] = {"sample": np.arange(result.start, result.start + n, dtype=np.int64)}
    cols.update({f"{INPUT_PREFIX}{k}": v for k, v in values.items()})
    cols.update(result.kpis)
    cols["feasible"] = result.feasible
    cols["reason"] = reasons
    return cols


def start(spec: RunSpec, store: Store) -> tuple[str, Design]:
    design = make_design(spec)
    for scenario in spec.scenarios:
        job_for(spec, scenario)  # a bad file, path or scenario fails before the run is recorded
    _uncertainty, path = load_uncertainty(spec.uncertainty)
    run_id = store.new_run_id()
    record = RunRecord(
        run_id=run_id,
        created=datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
        finished=None,
        status="incomplete",
        scenarios=list(spec.scenarios),
        uncertainty=spec.uncertainty,
        method=spec.method,
        seed=spec.seed,
        n_samples=spec.samples,
        chunk_size=spec.chunk_size,
        n_chunks=design.n_chunks(spec.chunk_size),
        inputs={
            "overrides": list(spec.overrides),
            "parameters": design.names,
            "uncertainty_file": str(path),
            "uncertainty_text": path.read_text(encoding="utf-8"),
            "cash_flows": spec.cash_flows,
            "rows": design.rows,
        },
        hashes=_hashes(spec),
        versions=_versions(),
        summary=None,
    )
    store.start_run(record)
    return run_id, design


def _reachable(scheduler: str) -> None:
    from distributed import Client

    try:
        Client(scheduler, timeout="10s").close()
    except OSError as exc:
        raise InputError(f"cannot reach the scheduler: {exc}", location="--scheduler") from None


def spec_of(record: RunRecord) -> RunSpec:
    return RunSpec(
        scenarios=tuple(record.scenarios),
        uncertainty=record.uncertainty,
        samples=record.n_samples,
        method=record.method,  # type: ignore[arg-type]
        seed=record.seed,
        chunk_size=record.chunk_size,
        overrides=tuple(record.inputs.get("overrides", [])),
        cash_flows=bool(record.inputs.get("cash_flows", False)),
    )


def run(
    spec: RunSpec,
    store: Store,
    *,
    resume: str | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[str, int], None] | None = None,
    tornado: bool = True,
) -> tuple[str, dict[str, Any]]:
    """Run (or resume) ``spec`` into ``store``; returns the run id and its summary."""
    if resume is not None:
        record = store.run(resume)
        if record.status == "complete" and record.summary is not None:
            return resume, record.summary
        spec = spec_of(record)
        if _hashes(spec) != record.hashes:
            raise InputError(
                "the scenario or uncertainty file changed since the run started; its chunks would not match",
                location="--resume",
                allowed="start a new run",
            )
        run_id, design = resume, make_design(spec)
    else:
        if scheduler is not None:
            _reachable(scheduler)  # before the run is recorded: an unreachable cluster leaves no stub behind
        run_id, design = start(spec, store)
    skip = {(s, i) for s in spec.scenarios for i in store.done_chunks(run_id, s)}
    if on_start:
        rows = [
            min(spec.chunk_size, design.rows - i * spec.chunk_size) for i in range(design.n_chunks(spec.chunk_size))
        ]
        on_start(run_id, sum(rows[i] for s in spec.scenarios for i in range(len(rows)) if (s, i) not in skip))

    def sink(scenario: str, index: int, result: ChunkResult, values: dict[str, np.ndarray]) -> None:
        store.write_chunk(run_id, scenario, index, chunk_columns(result, values))

    execute(spec, design, sink, skip=skip, workers=workers, scheduler=scheduler, progress=progress)
    summary = summarise(spec, design, store, run_id, tornado=tornado)
    store.finish_run(run_id, summary)
    return run_id, summary


class _Columns(Mapping[str, np.ndarray]):
    """A run's stored columns read one at a time when asked (a summary of 10^7 samples never holds
    the whole table: a column is 8 bytes a sample); the last few are kept."""

    def __init__(self, store: Store, run_id: str, scenario: str, keep: int = 4) -> None:
        self._store, self._run, self._scenario, self._keep = store, run_id, scenario, keep
        self._names = store.column_names(run_id, scenario)
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._cache:
            if len(self._cache) >= self._keep:
                self._cache.pop(next(iter(self._cache)))
            self._cache[name] = self._store.samples(self._run, self._scenario, [name])[name]
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def summarise(spec: RunSpec, design: Design, store: Store, run_id: str, *, tornado: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"run_id": run_id, "spec": asdict(spec), "rows": design.rows, "scenarios": {}}
    npvs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for scenario in spec.scenarios:
        cols = _Columns(store, run_id, scenario)
        feasible = np.asarray(cols["feasible"], dtype=bool)
        job = job_for(spec, scenario)
        block: dict[str, Any] = {
            "samples": int(feasible.size),
            "entries_without_effect": list(job.skipped),
            "entries_held_for_a_plan": list(job.held),
            "feasible": int(feasible.sum()),
            "infeasible_reasons": analysis.reasons_table(cols["reason"], feasible),
            "npv": analysis.npv_statistics(cols["npv_usd"], feasible),
            "kpis": {k: analysis.kpi_statistics(cols[k], feasible) for k in analysis.SUMMARY_KPIS if k in cols},
            "convergence": analysis.convergence(cols["npv_usd"], feasible),
        }
        inputs = {name: cols[f"{INPUT_PREFIX}{name}"] for name in job.names}
        if spec.method != "sobol":
            block["rank_correlation_npv"] = analysis.rank_correlations(inputs, cols["npv_usd"], feasible)
        else:
            names = design.names  # entries without effect here keep their place (their indices ~0)
            block["sobol_npv"] = analysis.sobol_indices(names, cols["npv_usd"], spec.seed, design.groups)
            block["sobol_lcos"] = analysis.sobol_indices(names, cols["lcos_usd_per_t"], spec.seed, design.groups)
        if spec.cash_flows:
            block["cash_flow_fan"] = analysis.yearly_fan(cols, feasible, CASH_FLOW_PREFIX)
        if tornado:
            block["tornado_npv"] = analysis.tornado(job)
        out["scenarios"][scenario] = block
        npvs[scenario] = (np.asarray(cols["npv_usd"], dtype=float), feasible)
    if spec.compare:
        pairs = {}
        names = list(spec.scenarios)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                pairs[f"{a} vs {b}"] = analysis.beats(*npvs[a], *npvs[b])
        out["comparison"] = pairs
    return out


def risk_for_report(run_id: str, scenario: str, store_path: Path | None = None) -> dict[str, Any]:
    """A completed run of the store (``latest``: the newest with ``scenario``) as the report takes it."""
    store = Store(store_path)
    if run_id == "latest":
        done = [r for r in store.runs() if r.status == "complete" and scenario in r.scenarios]
        if not done:
            raise InputError(
                f"no completed risk run of '{scenario}' in {store.path}", location="--risk",
                allowed=f"a run id (steelworks runs list), after `steelworks risk {scenario}`",
            )  # fmt: skip
        run_id = done[-1].run_id
    record = store.run(run_id)
    if record.summary is None:
        raise InputError(f"run {run_id} is {record.status}", location="--risk", allowed=f"--resume {run_id} first")
    npv = {s: store.samples(run_id, s, ["npv_usd"])["npv_usd"] for s in record.summary["scenarios"]}
    return {"summary": record.summary, "npv": npv}
