"""Decision variables of the revival planner and the timing arrays that tie action starts to years.

Symbols (see :mod:`steelworks.planning.model` for the full table):

==========================  ===================================================================
``start[a, s]``  binary     action ``a`` (one unit, one of restore/rebuild/clear_and_reline/new)
                            starts in year index ``s``; bounded to 0 where it could not commission
                            inside the horizon (``s + d_a > T - 1``)
``x[u, t] >= 0``            output of unit ``u`` in year ``t`` (its product unit per year)
``buy[c, t] >= 0``          purchase of carrier ``c`` (bound 0 unless ``market.buy`` / grid buy)
``sell[c, t] >= 0``         sale of ``c`` (bound 0 unless ``market.sell`` / grid sell);
                            upper bound ``D[c, t]`` (market cap) for products
``burn[c, t] >= 0``         t of a works gas (or make-up fuel) burned for the fuel-heat pool
``flare[c, t] >= 0``        t of a works gas flared
``power[p, c, t] >= 0``     t of works gas ``c`` burned in power plant ``p``
==========================  ===================================================================

Timing arrays (numpy, shape ``(A, T, T)`` over action, start year ``s``, year ``t``), with
``c = s + d_a`` the commissioning year and ``j = t - c`` the service year:

* ``spend[a, s, t] = K_a * p_a[t - s]`` for ``0 <= t - s < d_a``, plus the reline cost in reline years;
* ``serve[a, s, t] = 1`` for ``c <= t < c + L_a`` (in service: fixed costs run);
* ``occupy[a, s, t] = 1`` for ``s <= t < c + L_a`` (the unit is being built or serves);
* ``state[a, s, t] = serve * ramp_a[j]`` (1 after the curve) ``* (1 - loss_a)`` in reline years;
* ``residual[a, s]`` the straight-line undepreciated value at the end of the horizon of the action's
  capital and each reline (a vintage in service from year ``t0`` keeps ``max(0, 1 - (T - t0) / life)``
  of its cost, as :func:`steelworks.economics.capex.schedule_capex`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from steelworks.planning.problem import PlanningProblem

Array = np.ndarray


@dataclass
class Timing:
    spend: Array  # (A, T, T)
    serve: Array  # (A, T, T)
    occupy: Array  # (A, T, T): 1 from the start to the end of life (construction and service)
    state: Array  # (A, T, T)
    residual: Array  # (A, T)
    can_start: Array  # (A, T) bool
    additions: Array  # (A, T, T): capital brought into service in year t (at commissioning, each reline)


def timing(prob: PlanningProblem) -> Timing:
    """The timing arrays of every action at every start year (see the module docstring)."""
    T, A = prob.n_years, len(prob.actions)
    spend = np.zeros((A, T, T))
    serve = np.zeros((A, T, T))
    occupy = np.zeros((A, T, T))
    state = np.zeros((A, T, T))
    residual = np.zeros((A, T))
    can_start = np.zeros((A, T), dtype=bool)
    additions = np.zeros((A, T, T))
    for a, act in enumerate(prob.actions):
        d = act.duration
        for s in range(T):
            c = s + d
            can_start[a, s] = c <= T - 1
            for k in range(d):
                if s + k < T:
                    spend[a, s, s + k] += act.cost_usd * act.profile[k]
            vintages = [(c, act.cost_usd, float(act.life))]
            if c < T:
                additions[a, s, c] += act.cost_usd
            end = min(T, c + act.life)
            occupy[a, s, s:end] = 1.0
            for t in range(c, end):
                j = t - c
                serve[a, s, t] = 1.0
                state[a, s, t] = act.ramp[j] if j < len(act.ramp) else 1.0
            if act.reline_interval and act.reline_first:
                t = c + act.reline_first
                while t < end:
                    spend[a, s, t] += act.reline_usd
                    additions[a, s, t] += act.reline_usd
                    state[a, s, t] *= 1.0 - act.reline_loss
                    vintages.append((t, act.reline_usd, float(act.reline_interval)))
                    t += act.reline_interval
            for t0, cost, life in vintages:
                if t0 < T:
                    residual[a, s] += cost * max(0.0, 1.0 - (T - t0) / life)
    return Timing(spend, serve, occupy, state, residual, can_start, additions)


def coords(prob: PlanningProblem) -> dict[str, pd.Index]:
    return {
        "a": pd.Index(range(len(prob.actions)), name="a"),
        "s": pd.Index(range(prob.n_years), name="s"),
        "t": pd.Index(range(prob.n_years), name="t"),
        "u": pd.Index(prob.unit_ids, name="u"),
        "c": pd.Index(prob.carrier_ids, name="c"),
    }


def power_plants(prob: PlanningProblem) -> list[str]:
    eff = prob.power_efficiency
    return [uid for u, uid in enumerate(prob.unit_ids) if eff.size and eff[u] > 0]


def add_variables(m, prob: PlanningProblem, tm: Timing) -> dict:
    """Add the planner's variables to linopy model ``m``; returns them by symbol.

    Slots that may not be used (a start that cannot commission inside the horizon, a carrier the
    market does not trade, a non-gas in the gas variables) have the upper bound 0; HiGHS's presolve
    drops them (linopy masks would change the arithmetic of absent terms between its versions).
    """
    co = coords(prob)
    T = prob.n_years
    v: dict = {}
    if prob.actions:
        allowed = tm.can_start.copy()
        lower = np.zeros_like(allowed, dtype=float)
        for a, act in enumerate(prob.actions):
            if act.fixed and act.fixed_year is not None:
                lower[a, act.fixed_year] = 1.0
            elif prob.only_fixed or (act.unit, act.name) in prob.forbidden:
                allowed[a, :] = False
        if prob.only_fixed:  # a fixed action may be renewed after its life ends (as evaluate replaces it)
            for a, act in enumerate(prob.actions):
                if act.fixed and act.fixed_year is not None:
                    allowed[a, : act.fixed_year + act.duration + act.life] = False
                    allowed[a, act.fixed_year] = True
        if prob.exact_starts is not None:  # an exact plan: these starts and no other
            allowed[:] = False
            lower[:] = 0.0
            for a, s in prob.exact_starts:
                allowed[a, s] = True
                lower[a, s] = 1.0
        v["start"] = m.add_variables(
            binary=True,
            coords=[co["a"], co["s"]],
            name="start",
        )
        fixed_lo = xr.DataArray(lower, coords=[co["a"], co["s"]])
        fixed_up = xr.DataArray(allowed.astype(float), coords=[co["a"], co["s"]])
        v["start_bounds"] = (fixed_lo, fixed_up)
    v["x"] = m.add_variables(lower=0.0, coords=[co["u"], co["t"]], name="x")
    buy_up = np.where(np.repeat(prob.can_buy[:, None], T, axis=1), np.inf, 0.0)
    sell_up = np.where(np.repeat(prob.can_sell[:, None], T, axis=1), prob.market_cap, 0.0)
    v["buy"] = m.add_variables(
        lower=0.0, upper=xr.DataArray(buy_up, coords=[co["c"], co["t"]]), coords=[co["c"], co["t"]], name="buy"
    )
    v["sell"] = m.add_variables(
        lower=0.0, upper=xr.DataArray(sell_up, coords=[co["c"], co["t"]]), coords=[co["c"], co["t"]], name="sell"
    )
    gases = np.array([c in prob.works_gases for c in prob.carrier_ids])
    fuels = gases | np.array([c == prob.makeup_fuel for c in prob.carrier_ids])

    def open_where(mask: np.ndarray, shape: tuple[int, ...], dims: list) -> xr.DataArray:
        return xr.DataArray(np.broadcast_to(np.where(mask, np.inf, 0.0), shape).copy(), coords=dims)

    if prob.fuel_heat is not None and fuels.any():
        up = open_where(fuels[:, None], (len(fuels), T), [co["c"], co["t"]])
        v["burn"] = m.add_variables(lower=0.0, upper=up, coords=[co["c"], co["t"]], name="burn")
    if gases.any():
        up = open_where(gases[:, None], (len(gases), T), [co["c"], co["t"]])
        v["flare"] = m.add_variables(lower=0.0, upper=up, coords=[co["c"], co["t"]], name="flare")
        pps = power_plants(prob)
        if pps:
            p_index = pd.Index(pps, name="p")
            up = open_where(gases[None, :, None], (len(pps), len(gases), T), [p_index, co["c"], co["t"]])
            v["power"] = m.add_variables(lower=0.0, upper=up, coords=[p_index, co["c"], co["t"]], name="power")
    return v
