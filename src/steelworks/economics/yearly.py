"""The plant state of each year: the works solved at the year's output, not its full-output year scaled.

A ramp-up year at 45 % of nameplate, or a year with a furnace down for its reline, is the works run at
that output: units kept hot burn their fixed energy whatever they make (``standby_share``), works gas
that covered the fuel users at full output may not at part load, and what is bought and sold follows
from the solve. The schedule gives each year's output fraction ``f_t`` (ramp-up curve x phase shares x
(1 - reline loss)); the works is solved once per distinct fraction, as one batch, with the target (or
the demand) scaled by ``f``:

    q_buy[t, c] = bought_c(works at f_t),   q_sell[t, c] = sold_c(works at f_t)

A works of several phases is solved as a whole at the blended fraction (every unit at the same
utilisation); which units run in which year is the planner's question (issue 10), not this one's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from steelworks.carbon import account
from steelworks.economics.cashflow import YearStates
from steelworks.errors import InputError
from steelworks.plant.build import Plant
from steelworks.plant.solve import solve
from steelworks.results import WorksResults, works_results

Array = NDArray[np.float64]


def output_fractions(production: Array) -> tuple[Array, NDArray[np.int_]]:
    """The distinct output fractions of the operating years and each year's index into them (-1: none)."""
    prod = np.asarray(production, dtype=float)
    operating = prod > 1e-12
    fractions = np.unique(np.round(prod[operating], 12))
    index = np.full(prod.shape, -1, dtype=int)
    if fractions.size:
        index[operating] = np.searchsorted(fractions, np.round(prod[operating], 12))
    return fractions, index


def at_output(plant: Plant, fractions: Array, n_samples: int = 1) -> tuple[Plant, Array]:
    """The works with its target scaled to each fraction (or, without a target, the demand to pass the
    solve), fraction-major: sample ``k * S + s`` is sample ``s`` of a batch at ``fractions[k]``."""
    f_rep = np.repeat(np.asarray(fractions, dtype=float), n_samples)
    changes: dict[str, object] = {}
    demand = np.broadcast_to(plant.demand, (f_rep.size, plant.n_carriers))
    if plant.target_amount is not None:
        changes["target_amount"] = plant.target_amount * f_rep
    else:
        demand = demand * f_rep[:, None]
    for name in ("fe_frac", "c_frac"):
        values = getattr(plant, name)
        if np.ndim(values) == 2:  # per-sample compositions of a batch
            changes[name] = np.tile(values, (len(fractions), 1))
    return replace(plant, **changes), demand  # type: ignore[arg-type]


def solve_at_output(
    plant: Plant,
    fractions: Array,
    *,
    recipe: Array | None = None,
    out_c_frac: Array | None = None,
    out_lhv: Array | None = None,
) -> WorksResults:
    """The works (or each sample of a batch, ``recipe`` (S, U, C)) solved and accounted at each fraction."""
    f = np.asarray(fractions, dtype=float)
    key = None
    if plant.memo is not None and recipe is None and out_c_frac is None and out_lhv is None:
        key = ("solve_at_output", f.tobytes())  # a plant that nothing changes: its year states are kept
        kept = plant.memo.get(key)
        if kept is not None:
            return kept
    states = _solve_at_output(plant, f, recipe=recipe, out_c_frac=out_c_frac, out_lhv=out_lhv)
    if key is not None and plant.memo is not None:
        _read_only(states)
        plant.memo[key] = states
    return states


def _read_only(states: WorksResults) -> None:
    for group in (states.data, states.kpi):
        for values in group.values():
            values.flags.writeable = False
    states.feasible.flags.writeable = False


def _solve_at_output(
    plant: Plant,
    f: Array,
    *,
    recipe: Array | None,
    out_c_frac: Array | None,
    out_lhv: Array | None,
) -> WorksResults:
    S = 1 if recipe is None else recipe.shape[0]
    scaled, demand = at_output(plant, f, S)

    def tile(a: Array | None) -> Array | None:
        return None if a is None else np.tile(a, (f.size, 1, 1))

    R = np.broadcast_to(plant.recipe, (f.size, *plant.recipe.shape)) if recipe is None else tile(recipe)
    sol = solve(scaled, R, demand, tile(out_c_frac), tile(out_lhv), mask_faults=True)
    if sol.faults and recipe is None:
        s, reason = next(iter(sol.faults.items()))
        raise InputError(
            f"the works cannot run at {f[s]:.0%} of its output in a ramp-up or reline year: {reason}",
            location="option.ramp_up",
        )
    assert sol.balances is not None
    ok = np.ones(f.size * S, dtype=bool)
    ok[list(sol.faults)] = False
    return works_results(sol, sol.balances, account(sol, sol.balances), feasible=ok, reasons=sol.faults)


def year_states(states: WorksResults, index: NDArray[np.int_], carriers: list[str], n_samples: int = 1) -> YearStates:
    """Each year's flows in the cash-flow model's carrier order; ``(T, C)``, or ``(S, T, C)`` for a batch."""
    cols = [states.carriers.ids.index(c) for c in carriers]
    T = index.size
    k = np.where(index >= 0, index, 0)
    on = (index >= 0).astype(float)

    def per_year(values: Array) -> Array:  # (F*S, ...) fraction-major -> (S, T, ...)
        by_fraction = values.reshape(-1, n_samples, *values.shape[1:])  # (F, S, ...)
        picked = np.moveaxis(by_fraction[k], 0, 1)  # (S, T, ...)
        shape = (1, T) + (1,) * (picked.ndim - 2)
        return picked * on.reshape(shape)

    products_mask = states.carriers.tags.get("product", np.zeros(len(states.carriers.ids), dtype=bool))
    q_buy = per_year(states["bought"][:, cols]) if cols else np.zeros((n_samples, T, 0))
    q_sell = per_year(states["sold"][:, cols]) if cols else np.zeros((n_samples, T, 0))
    crude = per_year(states["crude_steel_t"])
    products = per_year((states["sold"] * products_mask).sum(axis=1))
    if n_samples == 1:
        return YearStates(q_buy[0], q_sell[0], crude[0], products[0])
    return YearStates(q_buy, q_sell, crude, products)
