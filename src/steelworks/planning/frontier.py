"""The budget frontier: the best plan at each total capital budget, one solved MILP a point."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from steelworks.errors import InputError
from steelworks.planning.model import solve_plan
from steelworks.planning.problem import PlanInfeasibleError, PlanningProblem


def parse_sweep(text: str, option: str = "--budget-sweep") -> list[float]:
    """``LOW:HIGH:N`` (USD, N >= 2 points evenly spaced) as the list of budgets."""
    parts = text.split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(f"{option} {text!r} is not LOW:HIGH:N", location=option, allowed="e.g. 0.5e9:3e9:6") from None
    if not (0 < low < high < float("inf")) or not 2 <= n <= 50:
        raise InputError(
            f"{option} {text!r}: need 0 < LOW < HIGH and 2 <= N <= 50", location=option, allowed="e.g. 0.5e9:3e9:6"
        )
    return [low + (high - low) * k / (n - 1) for k in range(n)]


def budget_frontier(
    prob: PlanningProblem,
    budgets: Sequence[float],
    *,
    gap: float = 0.005,
    time_limit: float | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> list[dict[str, Any]]:
    """Per budget: the best plan's NPV (the MILP's surrogate, one basis for every point), capital spent,
    first steel year and actions; a budget no plan meets the mandates within has ``npv_usd`` None."""
    points: list[dict[str, Any]] = []
    for k, budget in enumerate(budgets):
        if progress is not None:
            progress(k, budget)
        point: dict[str, Any] = {"budget_usd": float(budget)}
        try:
            result = solve_plan(dataclasses.replace(prob, budget_total=float(budget)), gap=gap, time_limit=time_limit)
        except PlanInfeasibleError as exc:
            points.append({**point, "npv_usd": None, "capex_usd": 0.0, "first_steel": None, "actions": exc.message})
            continue
        crude = result.lines["crude_steel_t"]
        first = next((y for y, c in zip(prob.years, crude, strict=True) if c > 0), None)
        points.append(
            {
                **point,
                "npv_usd": result.surrogate_npv_usd,
                "capex_usd": float(sum(result.capex_by_year)),
                "first_steel": first,
                "status": result.status,  # "optimal", or "time_limit" with its gap
                "mip_gap": result.mip_gap,
                "actions": ", ".join(f"{a['unit']} {a['action']} {a['start_year']}" for a in result.actions) or "idle",
            }
        )
    return points
