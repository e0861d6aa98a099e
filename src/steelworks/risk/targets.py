"""A risk target by name: a scenario (its option through the whole chain, :mod:`.engine`) or a plan file
(``plan:NAME``, its business case on its own years, :mod:`.plans`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from steelworks.risk.engine import PLAN_PREFIX, RiskJob, bind
from steelworks.risk.plans import bind_plan


def bind_target(target: str, uncertainty: str | Path, overrides: Sequence[str] = (), *, strict: bool = True) -> RiskJob:
    """:func:`steelworks.risk.engine.bind` for a scenario, :func:`steelworks.risk.plans.bind_plan` for a plan."""
    if target.startswith(PLAN_PREFIX):
        return bind_plan(target, uncertainty, overrides, strict=strict)
    return bind(target, uncertainty, overrides, strict=strict)


@lru_cache(maxsize=16)
def cached_job(
    scenario: str, uncertainty: str, overrides: tuple[str, ...], strict: bool, cash_flows: bool = False
) -> RiskJob:
    """A worker binds each job once (a Dask worker process keeps it between chunks)."""
    job = bind_target(scenario, uncertainty, overrides, strict=strict)
    job.cash_flows = cash_flows
    return job
