"""Constraints of the revival planner (equations in :mod:`steelworks.planning.model`).

Each function adds one named constraint set, so an infeasible model can be diagnosed by set
(:func:`steelworks.planning.model.diagnose`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from steelworks.planning.problem import PlanInfeasibleError, PlanningProblem
from steelworks.planning.variables import Timing, coords, power_plants

#: the constraint sets, in the order they are added (a diagnosis relaxes them one at a time)
SETS = (
    "budget_total",
    "budget_year",
    "fixed_plan",
    "mandate_output",
    "mandate_first_steel",
    "mandate_co2",
    "one_vintage",
    "capacity",
    "balance",
    "sell_made",
    "service",
    "power",
)


def actions_of(prob: PlanningProblem, uid: str) -> list[int]:
    return [a for a, act in enumerate(prob.actions) if act.unit == uid]


def action_units(prob: PlanningProblem, co: dict) -> xr.DataArray:
    """The unit of each action, as a grouping array over ``a``."""
    return xr.DataArray([act.unit for act in prob.actions], coords=[co["a"]], name="u")


def by_unit(prob: PlanningProblem, v: dict, arr: np.ndarray, co: dict) -> Any:
    """sum_{a in A(u), s} arr[a, s, t] * start[a, s], an expression over (u, t) for units with actions."""
    per_action = (v["start"] * xr.DataArray(arr, coords=[co["a"], co["s"], co["t"]])).sum("s")
    return per_action.groupby(action_units(prob, co)).sum()


def timed(v: dict, arr: np.ndarray, idx: list[int], co: dict) -> Any:
    """sum_{a in idx, s} arr[a, s, t] * start[a, s] as a linopy expression over t."""
    da = xr.DataArray(arr[idx], coords=[co["a"][idx], co["s"], co["t"]])
    return (v["start"].sel(a=idx) * da).sum(["a", "s"])


def site_co2(prob: PlanningProblem, v: dict, co: dict) -> Any:
    """Direct (site) CO2 per year, t: ``44/12 (sum_c c_c buy[c,t] - sum_c c^sold_c sell[c,t])``.

    All carbon that enters the works and does not leave in what it sells leaves its stacks as CO2
    (the carbon account's direct emission; closure checks the same C balance every year). Linear
    because a sold carrier's C fraction is a constant (:attr:`PlanningProblem.sold_c_frac`).
    """
    from steelworks.physics.thermo import CO2_PER_C

    sold = prob.sold_c_frac if prob.sold_c_frac.size else prob.c_frac
    c_in = xr.DataArray(prob.c_frac, coords=[co["c"]])
    c_out = xr.DataArray(sold, coords=[co["c"]])
    return CO2_PER_C * ((v["buy"] * c_in).sum("c") - (v["sell"] * c_out).sum("c"))


def steel_units(prob: PlanningProblem) -> list[str]:
    """Units whose recipe makes a crude-steel carrier."""
    cols = [prob.carrier_index(c) for c in prob.crude_steel]
    return [uid for u, uid in enumerate(prob.unit_ids) if cols and (prob.recipe[u, cols] > 0).any()]


def capital(v: dict, tm: Timing, co: dict) -> Any:
    """Capital spending per year: sum_{a,s} spend[a, s, t] * start[a, s]."""
    return (v["start"] * xr.DataArray(tm.spend, coords=[co["a"], co["s"], co["t"]])).sum(["a", "s"])


def made(prob: PlanningProblem, v: dict, co: dict) -> Any:
    """Gross production of every carrier per year: sum_u max(R[u, c], 0) x[u, t] (c, t)."""
    plus = xr.DataArray(np.clip(prob.recipe, 0.0, None), coords=[co["u"], co["c"]])
    return (v["x"] * plus).sum("u")


def add_constraints(m: Any, prob: PlanningProblem, v: dict, tm: Timing, skip: tuple[str, ...] = ()) -> None:
    co = coords(prob)
    T = prob.n_years
    has_start = "start" in v

    if has_start:
        lo, up = v["start_bounds"]
        # horizon: a start must commission inside the horizon (structural, never relaxed)
        horizon = np.asarray(tm.can_start, dtype=float)
        m.add_constraints(v["start"] <= xr.DataArray(horizon, coords=[co["a"], co["s"]]), name="horizon")
        # fixed_plan: forced starts, and nothing else when the plan is fixed
        if "fixed_plan" not in skip:
            m.add_constraints(v["start"] >= lo, name="fixed_plan_on")
            m.add_constraints(v["start"] <= up, name="fixed_plan_off")
        # one_vintage: at most one action of a unit under construction or in service in any year; a
        # unit whose life ends may be restored, rebuilt or replaced again
        if "one_vintage" not in skip:
            occupied = by_unit(prob, v, tm.occupy, co)
            m.add_constraints(occupied <= 1, name="one_vintage")

    # capacity: x[u,t] <= C_u A_u state[u,t] (a unit with neither service nor action stays at 0)
    if "capacity" not in skip:
        cap = xr.DataArray(prob.capacity * prob.availability, coords=[co["u"]])
        with_actions = list(dict.fromkeys(a.unit for a in prob.actions)) if has_start else []
        fixed_units = [uid for u, uid in enumerate(prob.unit_ids) if uid not in with_actions]
        in_service = xr.DataArray(prob.in_service.astype(float), coords=[co["u"]])
        if fixed_units:
            bound = (cap * in_service).sel(u=fixed_units)
            m.add_constraints(v["x"].sel(u=fixed_units) <= bound, name="capacity_fixed")
        if with_actions:
            state = by_unit(prob, v, tm.state, co)
            m.add_constraints(
                v["x"].sel(u=with_actions) - cap.sel(u=with_actions) * state.sel(u=with_actions) <= 0,
                name="capacity",
            )

    # balance: per carrier and year, made + bought = used + sold (+ burned, flared)
    R = xr.DataArray(prob.recipe, coords=[co["u"], co["c"]])
    base = (v["x"] * R).sum("u") + v["buy"] - v["sell"]
    if "burn" in v:
        base = base - v["burn"]
    if "flare" in v:
        base = base - v["flare"]
    if "power" in v:
        base = base - v["power"].sum("p")
    special = {c for c in (prob.fuel_heat, prob.electricity) if c is not None}
    active = (np.abs(prob.recipe).sum(axis=0) > 0) | prob.can_buy | prob.can_sell
    ordinary = np.array([bool(active[i]) and c not in special for i, c in enumerate(prob.carrier_ids)])
    lhv = xr.DataArray(prob.lhv if prob.lhv.size else np.zeros(len(prob.carrier_ids)), coords=[co["c"]])
    pps = power_plants(prob)
    if "balance" not in skip:
        mask = xr.DataArray(np.repeat(ordinary[:, None], T, axis=1), coords=[co["c"], co["t"]])
        m.add_constraints(base == 0, name="balance", mask=mask)
        if prob.fuel_heat is not None:
            heat = base.sel(c=prob.fuel_heat)
            if "burn" in v:
                heat = heat + (v["burn"] * lhv).sum("c")
            m.add_constraints(heat == 0, name="balance_fuel_heat")
        if prob.electricity is not None:
            el = base.sel(c=prob.electricity)
            if pps:
                el = el + v["x"].sel(u=pps).sum("u")
            m.add_constraints(el == 0, name="balance_electricity")

    # sell_made: sell only what the works makes (no buy-and-resell of a carrier both traded)
    if "sell_made" not in skip:
        gross = made(prob, v, co)
        sellable = [c for i, c in enumerate(prob.carrier_ids) if prob.can_sell[i] and c != prob.electricity]
        if sellable:
            m.add_constraints(v["sell"].sel(c=sellable) - gross.sel(c=sellable) <= 0, name="sell_made")
        if prob.electricity is not None and prob.can_sell[prob.carrier_index(prob.electricity)]:
            rhs = gross.sel(c=prob.electricity)
            if pps:
                rhs = rhs + v["x"].sel(u=pps).sum("u")
            m.add_constraints(v["sell"].sel(c=prob.electricity) - rhs <= 0, name="sell_made_electricity")

    # service: a service unit's throughput is the purchases (or production) it handles
    if "service" not in skip:
        gross = made(prob, v, co)
        for uid, carriers in prob.service_purchases.items():
            bought = [c for c in carriers if prob.can_buy[prob.carrier_index(c)]]
            if bought:
                m.add_constraints(v["x"].sel(u=uid) - v["buy"].sel(c=bought).sum("c") == 0, name=f"service[{uid}]")
        for uid, carriers in prob.service_production.items():
            m.add_constraints(v["x"].sel(u=uid) - gross.sel(c=carriers).sum("c") == 0, name=f"service[{uid}]")

    # power: 3.6 x[p,t] = eta_p sum_g LHV_g power[p,g,t]  (MWh from GJ of works gas)
    if "power" in v and "power" not in skip:
        for p in pps:
            eta = float(prob.power_efficiency[prob.unit_index(p)])
            fuel = (v["power"].sel(p=p) * lhv).sum("c")
            m.add_constraints(3.6 * v["x"].sel(u=p) - eta * fuel == 0, name=f"power[{p}]")

    # mandate_output: the owner's least crude steel per year (made[crude, t] >= M_t)
    if prob.min_crude_steel_t is not None and prob.crude_steel and "mandate_output" not in skip:
        need = xr.DataArray(np.asarray(prob.min_crude_steel_t, dtype=float), coords=[co["t"]])
        crude = made(prob, v, co).sel(c=prob.crude_steel).sum("c")
        m.add_constraints(crude >= need, name="mandate_output")

    # mandate_first_steel: a unit making crude steel in service in year Y (today's, or commissioned by Y)
    if prob.first_steel_by is not None and "mandate_first_steel" not in skip:
        steel = steel_units(prob)
        ready = sum(1.0 for uid in steel if prob.in_service[prob.unit_index(uid)])
        idx = [a for uid in steel for a in actions_of(prob, uid)] if has_start else []
        can_serve = bool(idx) and bool(tm.serve[idx, :, prob.first_steel_by].any())
        if ready < 1.0 and not can_serve:  # linopy drops a row with no terms: say so here
            raise PlanInfeasibleError(
                f"no plan meets the first-steel mandate (constraint set 'mandate_first_steel'): no unit making "
                f"crude steel is in service in {prob.years[prob.first_steel_by]} or can be commissioned by then",
                location="plan.mandate_first_steel",
                allowed="a later first_steel_by, or a steel shop the plan may restore or build in time",
            )
        if ready < 1.0:
            with_actions = list(dict.fromkeys(prob.actions[a].unit for a in idx))
            serving = by_unit(prob, v, tm.serve, co).sel(u=with_actions, t=prob.first_steel_by).sum("u")
            m.add_constraints(serving >= 1.0 - ready, name="mandate_first_steel")

    # mandate_co2: direct CO2 at most the cap in each year that has one
    if prob.max_co2_t is not None and "mandate_co2" not in skip:
        co2_cap = np.asarray(prob.max_co2_t, dtype=float)
        years = [t for t in range(T) if np.isfinite(co2_cap[t])]
        if years:
            limit = xr.DataArray(co2_cap[years], coords=[co["t"][years]])
            m.add_constraints(site_co2(prob, v, co).sel(t=years) <= limit, name="mandate_co2")

    # budgets on capital spending
    if has_start and prob.budget_per_year is not None and "budget_year" not in skip:
        bud = xr.DataArray(np.asarray(prob.budget_per_year, dtype=float), coords=[co["t"]])
        m.add_constraints(capital(v, tm, co) <= bud, name="budget_year")
    if has_start and prob.budget_total is not None and "budget_total" not in skip:
        m.add_constraints(capital(v, tm, co).sum() <= float(prob.budget_total), name="budget_total")
