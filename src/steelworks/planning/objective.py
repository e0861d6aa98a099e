"""The planner's objective: the NPV of the plan, linear, end-of-year discounting as ``evaluate``.

    NPV = sum_t delta_t [ (1 - o) sum_c P^s_c sell[c,t] - sum_c P^b_c buy[c,t]
                          - k sum_{c in crude} made[c,t] - sum_u F_u serve[u,t] - K[t] ]
          + delta_{T-1} sum_{a,s} V[a,s] start[a,s]

with ``delta_t = (1 + r) ** -t`` (year 0 undiscounted, as :func:`steelworks.economics.finance.npv`; in
cost-year USD this equals evaluate's nominal discounting of inflated flows divided by ``infl[0]``).
Income tax is subtracted in its linear form where the finance file has one (:mod:`.tax`: corporate
rate after loss carry-forward, the turnover minimum, evaluate's depreciation kernel); working capital
is omitted (see the consistency test for how far that moves the NPV). Units in service from year 0
carry their fixed cost as a constant outside the LP; :func:`npv_breakdown` adds it back.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from steelworks.planning.constraints import capital, made
from steelworks.planning.problem import PlanningProblem
from steelworks.planning.variables import Timing, coords


def npv_expression(prob: PlanningProblem, v: dict, tm: Timing) -> Any:
    co = coords(prob)
    df = xr.DataArray(prob.discount, coords=[co["t"]])
    ps = xr.DataArray((1.0 - prob.overhead_share) * prob.price_sell, coords=[co["c"]])
    pb = xr.DataArray(prob.price_buy, coords=[co["c"]])
    expr = ((v["sell"] * ps).sum("c") * df).sum() - ((v["buy"] * pb).sum("c") * df).sum()
    if prob.crude_steel and prob.consumables_usd_per_t:
        crude = made(prob, v, co).sel(c=prob.crude_steel).sum("c")
        expr = expr - (crude * (prob.consumables_usd_per_t * df)).sum()
    if "start" in v:
        expr = expr - (capital(v, tm, co) * df).sum()
        f_a = np.array([prob.fixed_cost[prob.unit_index(act.unit)] for act in prob.actions])
        serve = xr.DataArray(
            tm.serve * f_a[:, None, None] * prob.discount[None, None, :], coords=[co["a"], co["s"], co["t"]]
        )
        expr = expr - (v["start"] * serve).sum()
        if prob.residual_value:
            res = xr.DataArray(tm.residual * prob.discount[-1], coords=[co["a"], co["s"]])
            expr = expr + (v["start"] * res).sum()
    return expr


def constant_fixed_cost(prob: PlanningProblem) -> float:
    """Discounted fixed cost of the units in service from year 0 (a constant of the objective)."""
    return float((prob.fixed_cost * prob.in_service).sum() * prob.discount.sum())


def npv_breakdown(prob: PlanningProblem, sol: dict[str, np.ndarray], tm: Timing) -> dict[str, Any]:
    """The yearly cash lines of a solved plan (numpy, cost-year USD) and their NPV.

    ``sol`` holds the solution arrays: ``start (A, T)``, ``x (U, T)``, ``buy (C, T)``, ``sell (C, T)``.
    """
    start, x, buy, sell = sol["start"], sol["x"], sol["buy"], sol["sell"]
    revenue = ((1.0 - prob.overhead_share) * prob.price_sell[:, None] * sell).sum(axis=0)
    purchases = (prob.price_buy[:, None] * buy).sum(axis=0)
    gross = np.clip(prob.recipe, 0.0, None).T @ x  # (C, T)
    crude_idx = [prob.carrier_index(c) for c in prob.crude_steel]
    crude = gross[crude_idx].sum(axis=0) if crude_idx else np.zeros(prob.n_years)
    consumables = prob.consumables_usd_per_t * crude
    capex = np.einsum("as,ast->t", start, tm.spend) if start.size else np.zeros(prob.n_years)
    serve_a = np.einsum("as,ast->at", start, tm.serve) if start.size else np.zeros((0, prob.n_years))
    fixed = np.full(prob.n_years, float((prob.fixed_cost * prob.in_service).sum()))
    for a, act in enumerate(prob.actions):
        fixed += prob.fixed_cost[prob.unit_index(act.unit)] * serve_a[a]
    residual = float((start * tm.residual).sum()) if (start.size and prob.residual_value) else 0.0
    tax = np.asarray(sol.get("tax", np.zeros(prob.n_years)), dtype=float)
    cash = revenue - purchases - consumables - fixed - capex - tax
    npv = float((cash * prob.discount).sum() + residual * prob.discount[-1])
    return {
        "revenue": revenue,
        "purchases": purchases,
        "consumables": consumables,
        "fixed": fixed,
        "capex": capex,
        "tax": tax,
        "cash": cash,
        "residual": residual,
        "crude_steel_t": crude,
        "npv": npv,
    }
