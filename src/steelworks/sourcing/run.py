"""``steelworks source``: a scenario's sourcing block, the coupled solve, and the domestic-share sweep.

A scenario file may hold, beside ``scenario:``, a top-level ``sourcing:`` block
(:class:`~steelworks.schema.sourcing.SourcingSpec`: data files, excluded sources, a forced domestic
share, dotted changes of the data). ``balance`` and ``evaluate`` ignore it; a scenario without one is
sourced from the bundled data with every source on offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from steelworks.errors import InputError
from steelworks.schema.loader import find_scenario
from steelworks.schema.sourcing import SourcingSpec
from steelworks.schema.yamlio import load_yaml
from steelworks.sourcing.coupling import Coupled, solve_coupled
from steelworks.sourcing.data import SourcingData, apply_changes, exclude, load_sourcing


def sourcing_spec(scenario: str | Path) -> tuple[SourcingSpec, Path]:
    """The scenario file's ``sourcing:`` block (empty when it has none) and the file."""
    path = find_scenario(scenario).resolve()
    doc, _lines = load_yaml(path)
    block = doc.get("sourcing") if isinstance(doc, dict) else None
    try:
        return SourcingSpec.model_validate(block or {}), path
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(err["msg"], file=str(path), location=f"sourcing.{where}") from None


def _file(ref: str | None, anchor: Path) -> Path | None:
    if ref is None:
        return None
    p = Path(ref)
    p = p if p.is_absolute() else (anchor.parent / p).resolve()
    if not p.exists():
        raise InputError("file not found", file=str(anchor), location=f"sourcing: {ref}")
    return p


def sourcing_data(spec: SourcingSpec, file: Path) -> SourcingData:
    data = load_sourcing(
        _file(spec.sources_file, file), _file(spec.logistics_file, file), _file(spec.limits_file, file)
    )
    if spec.exclude:
        data = exclude(data, spec.exclude, str(file))
    if spec.set:
        data = apply_changes(data, spec.set, str(file))
    return data


@dataclass
class SourcingRun:
    scenario: str
    spec: SourcingSpec
    file: Path
    coupled: Coupled
    domestic_share: float | None


def run_sourcing(
    scenario: str, domestic_share: float | None = None, overrides: dict[str, Any] | None = None
) -> SourcingRun:
    """The scenario's sourcing and works at their fixed point; ``domestic_share`` overrides the block's."""
    spec, file = sourcing_spec(scenario)
    data = sourcing_data(spec, file)
    share = spec.domestic_ore_share if domestic_share is None else domestic_share
    coupled = solve_coupled(str(file), data, overrides=overrides, domestic_share=share)
    return SourcingRun(scenario, spec, file, coupled, share)


def parse_sweep(text: str) -> np.ndarray:
    """``LOW:HIGH:N`` -> N evenly spaced shares in [0, 1]."""
    parts = text.split(":")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(
            f"cannot read sweep '{text}'", location="--sweep", allowed="LOW:HIGH:N, e.g. 0:0.6:7"
        ) from None
    if not (0.0 <= lo <= hi <= 1.0) or not (1 <= n <= 101):
        raise InputError(
            f"sweep '{text}' out of range", location="--sweep", allowed="0 <= LOW <= HIGH <= 1, 1 <= N <= 101"
        )
    return np.linspace(lo, hi, n)


def sweep(
    scenario: str, shares: np.ndarray, progress: Callable[[], None] | None = None
) -> list[tuple[float, SourcingRun | None, str]]:
    """One coupled solve per forced domestic share; an infeasible share keeps its reason."""
    out: list[tuple[float, SourcingRun | None, str]] = []
    for s in shares:
        try:
            out.append((float(s), run_sourcing(scenario, float(s)), ""))
        except InputError as exc:
            out.append((float(s), None, exc.message + (f" [{exc.location}]" if exc.location else "")))
        if progress is not None:
            progress()
    return out
