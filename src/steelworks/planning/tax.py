r"""Income tax in the planner's objective, in a linear form (real terms, cost-year USD).

Symbols: ``pi_t`` profit before tax (the objective's yearly cash before capital, less tax depreciation),
``b_t`` taxable base, ``l_t`` loss pool carried forward, ``tau_t`` tax, ``g = 1 / (1 + i)``::

    D_t   = sum_{a,s} start[a,s] sum_{tau} A[a,s,tau] K[tau,t] g ** (t - tau)      tax depreciation
    pi_t  = (1 - o) sum_c P^s_c sell[c,t] - sum_c P^b_c buy[c,t] - k made[crude,t] - F_t - D_t
    l_t   = g l_{t-1} - pi_t + b_t,        l_t >= 0, b_t >= 0                       loss carry-forward
    tau_t >= r b_t,   tau_t >= m sum_c P^s_c sell[c,t],   tau_t >= 0                 corporate / turnover
    NPV  -= sum_t delta_t tau_t

``A[a,s,tau]`` is the capital an action brings into service in year ``tau`` (its cost at commissioning,
each reline in its year), ``K`` the finance file's depreciation kernel (evaluate's). Minimising tax, the
LP sets ``b_t = max(0, pi_t - g l_{t-1})``: unlimited carry-forward of losses, as
:func:`steelworks.economics.finance.income_tax`. Stated departures from it: no super tax (its brackets
are not convex); depreciation and the loss pool are nominal in law, so in real terms they lose ``g`` a
year; and in a year where the turnover minimum binds the LP may declare a larger base than the profit
without paying for it, which grows the pool (an optimistic bias in such years only).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from steelworks.planning.constraints import made
from steelworks.planning.problem import PlanningProblem
from steelworks.planning.variables import Timing, coords


def has_tax(prob: PlanningProblem) -> bool:
    return prob.tax_rate > 0.0 or prob.minimum_tax_rate > 0.0


def depreciation(prob: PlanningProblem, tm: Timing) -> np.ndarray:
    """``dep[a, s, t]``: the tax depreciation in year ``t`` of action ``a`` started in ``s`` (real USD)."""
    T = prob.n_years
    if prob.tax_depreciation is None or not prob.actions:
        return np.zeros((len(prob.actions), T, T))
    lag = np.arange(T)[None, :] - np.arange(T)[:, None]  # t - tau
    erosion = np.where(lag >= 0, (1.0 + prob.inflation) ** -np.clip(lag, 0, None), 0.0)
    kernel = np.asarray(prob.tax_depreciation, dtype=float) * erosion  # [tau, t]
    return np.einsum("ast,tu->asu", tm.additions, kernel)


def add_tax(m: Any, prob: PlanningProblem, v: dict, tm: Timing, fixed_constant: float) -> Any:
    """Add the tax variables and constraints; returns the tax expression ``tau_t`` (over t)."""
    co = coords(prob)
    T = prob.n_years
    turnover = (v["sell"] * xr.DataArray(prob.price_sell, coords=[co["c"]])).sum("c")
    profit = (1.0 - prob.overhead_share) * turnover
    profit = profit - (v["buy"] * xr.DataArray(prob.price_buy, coords=[co["c"]])).sum("c")
    if prob.crude_steel and prob.consumables_usd_per_t:
        profit = profit - prob.consumables_usd_per_t * made(prob, v, co).sel(c=prob.crude_steel).sum("c")
    if "start" in v:
        f_a = np.array([prob.fixed_cost[prob.unit_index(act.unit)] for act in prob.actions])
        fixed = xr.DataArray(tm.serve * f_a[:, None, None], coords=[co["a"], co["s"], co["t"]])
        dep = xr.DataArray(depreciation(prob, tm), coords=[co["a"], co["s"], co["t"]])
        profit = profit - (v["start"] * (fixed + dep)).sum(["a", "s"])
    base = m.add_variables(lower=0.0, coords=[co["t"]], name="tax_base")
    pool = m.add_variables(lower=0.0, coords=[co["t"]], name="loss_pool")
    tax = m.add_variables(lower=0.0, coords=[co["t"]], name="tax")
    g = 1.0 / (1.0 + prob.inflation)
    carried = pool - g * pool.shift(t=1).fillna(0) if T > 1 else pool  # l_{t-1} = 0 in the first year
    # l_t - g l_{t-1} + (pi_t + F0) - b_t = F0, with F0 the fixed cost of the units in service from year 0
    m.add_constraints(carried + profit - base == fixed_constant, name="tax_loss_pool")
    m.add_constraints(tax - prob.tax_rate * base >= 0, name="tax_corporate")
    if prob.minimum_tax_rate > 0:
        m.add_constraints(tax - prob.minimum_tax_rate * turnover >= 0, name="tax_turnover")
    v["tax"] = tax
    return tax
