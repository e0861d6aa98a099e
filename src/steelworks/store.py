"""The results store: one DuckDB file of runs, and each run's samples as Parquet chunks beside it.

Layout (``--store PATH``; default ``$STEELWORKS_STORE`` or ``<user data dir>/steelworks/results.duckdb``)::

    results.duckdb                 table ``runs``: one row per run (inputs, seed, versions, hashes,
                                   status, summary statistics as JSON)
    results.chunks/<run>/<scenario>/chunk-000042.parquet
                                   one file per finished chunk: sample index, every drawn input,
                                   every KPI, feasible, reason

Why chunks in Parquet and not rows in DuckDB: a chunk is written once, atomically (a temporary file,
fsync, rename), by whoever finished it, without holding the database's single-writer lock for the
length of a run; a killed run leaves whole chunk files only, and ``--resume`` skips exactly those.
DuckDB reads them as one table with ``read_parquet`` (:meth:`Store.samples`), and the ``runs``
table is touched only at a run's start and end. A run is ``incomplete`` from its start until its last
chunk is stored and its summary written.

The store computes nothing: it keeps and returns what it is given.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from steelworks.errors import InputError
from steelworks.fileio import check_output_path

RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$")
_COLUMNS = (
    ("run_id", "VARCHAR PRIMARY KEY"),
    ("created", "TIMESTAMP"),
    ("finished", "TIMESTAMP"),
    ("status", "VARCHAR"),
    ("scenarios", "VARCHAR"),  # JSON list
    ("uncertainty", "VARCHAR"),
    ("method", "VARCHAR"),
    ("seed", "BIGINT"),
    ("n_samples", "BIGINT"),
    ("chunk_size", "BIGINT"),
    ("n_chunks", "BIGINT"),
    ("inputs", "VARCHAR"),  # JSON: overrides, the uncertainty file's text, parameter names
    ("hashes", "VARCHAR"),  # JSON: scenario and uncertainty file hashes
    ("versions", "VARCHAR"),  # JSON: steelworks, numpy, SALib, dask, duckdb
    ("summary", "VARCHAR"),  # JSON: the statistics, written when the run completes
)


def default_store() -> Path:
    env = os.environ.get("STEELWORKS_STORE")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "steelworks" / "results.duckdb"


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    created: str
    finished: str | None
    status: str
    scenarios: list[str]
    uncertainty: str
    method: str
    seed: int
    n_samples: int
    chunk_size: int
    n_chunks: int
    inputs: dict[str, Any]
    hashes: dict[str, Any]
    versions: dict[str, Any]
    summary: dict[str, Any] | None


class Store:
    """A results store at ``path`` (created on first write)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store()
        self.chunk_root = self.path.with_suffix(".chunks")

    # -- the database ---------------------------------------------------------------------------
    @contextmanager
    def _connect(self, write: bool) -> Iterator[Any]:
        import duckdb

        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            check_output_path(self.path, "--store")
        elif not self.path.exists():
            raise InputError(f"no results store at '{self.path}'", location="--store", allowed="a store a run wrote")
        try:
            con = duckdb.connect(str(self.path), read_only=not write)
        except duckdb.Error as exc:
            raise InputError(f"cannot open the results store: {exc}", file=str(self.path), location="--store") from None
        try:
            if write:
                cols = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS)
                con.execute(f"CREATE TABLE IF NOT EXISTS runs ({cols})")
            yield con
        finally:
            con.close()

    @staticmethod
    def new_run_id() -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        return f"{stamp}-{np.random.default_rng().integers(0, 16**6):06x}"

    def start_run(self, record: RunRecord) -> None:
        with self._connect(write=True) as con:
            con.execute(
                f"INSERT INTO runs VALUES ({', '.join('?' for _ in _COLUMNS)})",
                [
                    record.run_id,
                    record.created,
                    None,
                    "incomplete",
                    json.dumps(record.scenarios),
                    record.uncertainty,
                    record.method,
                    record.seed,
                    record.n_samples,
                    record.chunk_size,
                    record.n_chunks,
                    json.dumps(record.inputs),
                    json.dumps(record.hashes),
                    json.dumps(record.versions),
                    None,
                ],
            )

    def finish_run(self, run_id: str, summary: Mapping[str, Any]) -> None:
        with self._connect(write=True) as con:
            con.execute(
                "UPDATE runs SET status = 'complete', finished = ?, summary = ? WHERE run_id = ?",
                [datetime.now(UTC).replace(tzinfo=None), json.dumps(summary, default=_json), run_id],
            )

    def runs(self) -> list[RunRecord]:
        if not self.path.exists():
            return []
        with self._connect(write=False) as con:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "runs" not in tables:
                return []
            rows = con.execute(f"SELECT {', '.join(n for n, _ in _COLUMNS)} FROM runs ORDER BY created").fetchall()
        return [_record(row) for row in rows]

    def run(self, run_id: str) -> RunRecord:
        for record in self.runs():
            if record.run_id == run_id:
                return record
        known = ", ".join(r.run_id for r in self.runs()[-5:]) or "(none)"
        raise InputError(f"no run '{run_id}' in '{self.path}'", location="RUN", allowed=f"latest: {known}")

    # -- the chunks -----------------------------------------------------------------------------
    def _chunk_dir(self, run_id: str, scenario: str) -> Path:
        if not RUN_ID.match(run_id):
            raise InputError(f"'{run_id}' is not a run id", location="RUN", allowed="e.g. 20261204T201500-1a2b3c")
        return self.chunk_root / run_id / re.sub(r"[^A-Za-z0-9_.-]", "_", scenario)

    def write_chunk(self, run_id: str, scenario: str, chunk: int, columns: Mapping[str, np.ndarray]) -> Path:
        """One finished chunk's columns (equal lengths) as a Parquet file, atomically."""
        import duckdb
        import pandas as pd

        folder = self._chunk_dir(run_id, scenario)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"chunk-{chunk:06d}.parquet"
        temporary = folder / f".chunk-{chunk:06d}.{os.getpid()}.tmp"
        frame = pd.DataFrame({k: np.asarray(v) for k, v in columns.items()})
        con = duckdb.connect()
        try:
            con.register("chunk_frame", frame)
            con.execute(f"COPY chunk_frame TO '{temporary.as_posix()}' (FORMAT parquet)")
        finally:
            con.close()
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return target

    def done_chunks(self, run_id: str, scenario: str) -> set[int]:
        folder = self._chunk_dir(run_id, scenario)
        if not folder.is_dir():
            return set()
        return {int(p.stem.split("-")[1]) for p in folder.glob("chunk-*.parquet")}

    def samples(self, run_id: str, scenario: str, columns: list[str] | None = None) -> dict[str, np.ndarray]:
        """Every stored sample of a run's scenario, ordered by sample index, as column arrays."""
        import duckdb

        folder = self._chunk_dir(run_id, scenario)
        files = sorted(folder.glob("chunk-*.parquet"))
        if not files:
            return {}
        select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        con = duckdb.connect()
        try:
            pattern = (folder / "chunk-*.parquet").as_posix()
            frame = con.execute(f"SELECT {select} FROM read_parquet('{pattern}') ORDER BY sample").df()
        finally:
            con.close()
        return {str(c): frame[c].to_numpy() for c in frame.columns}

    def column_names(self, run_id: str, scenario: str) -> list[str]:
        """The columns of a run's stored samples (those of its first chunk file)."""
        import duckdb

        files = sorted(self._chunk_dir(run_id, scenario).glob("chunk-*.parquet"))
        if not files:
            return []
        con = duckdb.connect()
        try:
            rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{files[0].as_posix()}')").fetchall()
        finally:
            con.close()
        return [str(r[0]) for r in rows]

    def export(self, run_id: str, folder: Path) -> list[Path]:
        """Each scenario's samples of a run as one Parquet file in ``folder``."""
        import duckdb

        record = self.run(run_id)
        folder.mkdir(parents=True, exist_ok=True)
        out: list[Path] = []
        for scenario in record.scenarios:
            pattern = (self._chunk_dir(run_id, scenario) / "chunk-*.parquet").as_posix()
            target = check_output_path(folder / f"{run_id}-{scenario}.parquet", "--parquet")
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            con = duckdb.connect()
            try:
                con.execute(
                    f"COPY (SELECT * FROM read_parquet('{pattern}') ORDER BY sample) "
                    f"TO '{temporary.as_posix()}' (FORMAT parquet)"
                )
            finally:
                con.close()
            os.replace(temporary, target)
            out.append(target)
        return out


def _json(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _record(row: tuple[Any, ...]) -> RunRecord:
    d = dict(zip([n for n, _ in _COLUMNS], row, strict=True))
    return RunRecord(
        run_id=d["run_id"],
        created=str(d["created"]),
        finished=str(d["finished"]) if d["finished"] is not None else None,
        status=d["status"],
        scenarios=json.loads(d["scenarios"]),
        uncertainty=d["uncertainty"],
        method=d["method"],
        seed=int(d["seed"]),
        n_samples=int(d["n_samples"]),
        chunk_size=int(d["chunk_size"]),
        n_chunks=int(d["n_chunks"]),
        inputs=json.loads(d["inputs"]),
        hashes=json.loads(d["hashes"]),
        versions=json.loads(d["versions"]),
        summary=json.loads(d["summary"]) if d["summary"] else None,
    )
