"""Mass, Fe and C closure of each year of a solved plan, by the balance's own laws and tolerances.

The balance (:mod:`steelworks.plant.balance`) checks a solved works per row: the declared loss of a row
is what goes in minus what comes out (mass, Fe, C), no row may create an element, and the boundary closes,
``bought - sold - sum_rows loss = 0`` to :data:`~steelworks.plant.balance.MATERIAL_TOL` relative. A plan's
year is the same kind of state with the planner's rows: every unit at its output ``x[u, t]`` on the recipe
matrix, plus the rows where works gas (or make-up fuel) is burned for heat, flared or burned in a power
plant (their whole mass, Fe and C leave as stack gas). Carrier properties (mass or energy, ``fe_frac``,
``c_frac``) are the plant's (:func:`steelworks.plant.build.build_plant`). Carbon as the balance counts it:
a unit's outputs at its own composition (``out_c_frac``: a furnace's top gas is not the carrier record's),
its inputs at the year's pool composition of that carrier (made at each maker's composition plus bought at
the carrier's, mixed), which is what the gas allocation does for works gases.

A violation raises :class:`~steelworks.plant.balance.BalanceError` naming the year, the row or the
element: a bug of the planner, never the user's input.
"""

from __future__ import annotations

import numpy as np

from steelworks.planning.problem import PlanningProblem
from steelworks.plant.balance import ABSOLUTE_FLOOR, MATERIAL_TOL, BalanceError

Array = np.ndarray


def check_year_flows(prob: PlanningProblem, flows: dict[str, Array]) -> dict[str, Array]:
    """Check every year of a solved plan; return the yearly boundary totals and residuals per element.

    ``flows`` holds ``x (U, T)``, ``buy, sell (C, T)`` and, where the model has them, ``burn, flare (C, T)``
    and ``power (P, C, T)``. Needs ``prob.mass``, ``prob.fe_frac`` and ``prob.c_frac`` (C,).
    """
    x, buy, sell = flows["x"], flows["buy"], flows["sell"]
    C, T = buy.shape
    stack = np.zeros((C, T))
    for key in ("burn", "flare"):
        if key in flows:
            stack += flows[key]
    if "power" in flows:
        stack += flows["power"].sum(axis=0)
    net = np.einsum("uc,ut->uct", prob.recipe, x)  # + made, - used, per unit row
    carrier_residual = net.sum(axis=0) + buy - sell - stack  # (C, T)
    scale = np.abs(net).max(axis=(0, 1)) + 1.0  # (T,) as the balance scales its tolerances
    props = {"mass": prob.mass.astype(float), "fe": prob.fe_frac, "c": prob.c_frac}
    checked = props["mass"] > 0
    out_c = prob.out_c_frac if prob.out_c_frac.size else np.broadcast_to(prob.c_frac, prob.recipe.shape)
    made_c = np.einsum("uct,uc->ct", np.clip(net, 0.0, None), out_c) + buy * prob.c_frac[:, None]
    made_q = np.clip(net, 0.0, None).sum(axis=0) + buy
    pool_c = np.where(made_q > 0, made_c / np.where(made_q > 0, made_q, 1.0), prob.c_frac[:, None])  # (C, T)
    bad = (np.abs(carrier_residual) > MATERIAL_TOL * scale[None, :]) & (checked[:, None] | (props["c"] > 0)[:, None])
    if bad.any():
        c, t = (int(i[0]) for i in np.nonzero(bad))
        raise BalanceError(
            f"plan year {prob.years[t]}: carrier {prob.carrier_ids[c]} does not balance "
            f"(made + bought - used - sold - burned = {carrier_residual[c, t]:.3g})"
        )
    out: dict[str, Array] = {}
    for element, w in props.items():
        if element == "c":  # outputs at the unit's composition, inputs, sales and stack at the pool's
            loss_rows = np.einsum("uct,ct->ut", np.clip(-net, 0.0, None), pool_c) - np.einsum(
                "uct,uc->ut", np.clip(net, 0.0, None), out_c
            )
            inflow = (buy * prob.c_frac[:, None]).sum(axis=0)
            outflow = (sell * pool_c).sum(axis=0) + loss_rows.sum(axis=0) + (stack * pool_c).sum(axis=0)
        else:
            loss_rows = -np.einsum("uct,c->ut", net, w)  # (U, T): in - out of each unit row
            inflow = (buy * w[:, None]).sum(axis=0)
            outflow = (sell * w[:, None]).sum(axis=0) + loss_rows.sum(axis=0) + (stack * w[:, None]).sum(axis=0)
        lows = loss_rows < -MATERIAL_TOL * scale[None, :]
        if lows.any():
            u, t = (int(i[0]) for i in np.nonzero(lows))
            raise BalanceError(
                f"plan year {prob.years[t]}: unit {prob.unit_ids[u]} creates {element}: loss {loss_rows[u, t]:.6g} t/yr"
            )
        rel = (inflow - outflow) / np.maximum(inflow, ABSOLUTE_FLOOR)
        off = ~(np.abs(rel) <= MATERIAL_TOL)
        if off.any():
            t = int(np.flatnonzero(off)[0])
            raise BalanceError(f"plan year {prob.years[t]}: the works' {element} balance is off by {rel[t]:.3g}")
        out[f"{element}_in"] = inflow
        out[f"{element}_out"] = outflow
        out[f"{element}_residual_rel"] = rel
        if element == "c":
            out["c_sold"] = (sell * pool_c).sum(axis=0)  # the rest of the C bought leaves as CO2
    return out
