"""Balances of a solved works, checked on every solve.

Per row (unit, or the flare) the *declared losses* are what goes in minus what comes out:

    L_mass = sum_in m - sum_out m          (stack gas of burned fuel, CO2 of calcination, vent, ...)
    L_Fe   = sum_in m w_Fe - sum_out m w_Fe (dust and unaccounted iron, bounded by max_fe_loss)
    L_C    = sum_in C - sum_out C           (carbon leaving as CO2: the unit's direct emissions)
    L_E    = sum_in E - sum_out E           (LHV basis: heat losses, reaction heat, electricity used)

and for the works as a whole, with B/S the boundary purchases and sales::

    B - S - sum_u L_u = 0                   (mass, Fe, C to 1e-9 relative; energy to 1e-6)

which holds only if every carrier balances (production + purchases = use + sales), i.e. only if
the solve and the gas allocation are right. A violation raises :class:`BalanceError` naming the
unit or carrier and the element.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from steelworks.plant.build import FUEL, KIND_CODES
from steelworks.plant.solution import ABSOLUTE_FLOOR, Balances, Solution

__all__ = ["ABSOLUTE_FLOOR", "ENERGY_TOL", "MATERIAL_TOL", "BalanceError", "Balances", "check_balances"]

Array = NDArray[np.float64]

#: relative tolerance of the mass, Fe and C balances
MATERIAL_TOL = 1e-9
#: relative tolerance of the energy balance (LHV data are given to 3-4 significant figures)
ENERGY_TOL = 1e-6


class BalanceError(RuntimeError):
    """A solved state that breaks a conservation law: a bug, never a user's input problem."""


def per_row(values: Array) -> Array:
    """A carrier property, (C,) or per sample (S, C), shaped to multiply (S, rows, C) flows."""
    return values[:, None, :] if values.ndim == 2 else values


def compute_balances(sol: Solution) -> Balances:
    plant = sol.plant
    mass = plant.carrier_kind != KIND_CODES["energy"]
    fuel = plant.carrier(FUEL)
    flows = sol.flows
    neg = np.clip(-flows, 0, None)
    loss_mass = -(flows * mass).sum(axis=2)
    loss_fe = -(flows * per_row(plant.fe_frac)).sum(axis=2)
    loss_c = sol.c_in.sum(axis=2) - sol.c_out.sum(axis=2)
    loss_e = sol.e_in.sum(axis=2) - sol.e_out.sum(axis=2)
    fe_in_rows = (neg * per_row(plant.fe_frac)).sum(axis=2)

    gas = plant.carrier_kind == KIND_CODES["gas"]
    bought, sold = sol.bought, sol.sold
    e_unit = np.where(np.array(plant.carrier_unit) == "MWh", 3.6, np.where(mass, plant.lhv_gj_per_t, 1.0))
    e_unit[fuel] = 0.0
    sold_c = np.where(gas, sol.gas.sold_c, sold * plant.c_frac)
    sold_e = np.where(gas, sol.gas.sold_e, sold * e_unit)
    residual = flows.sum(axis=1) + bought - sold
    residual[:, fuel] = 0.0
    return Balances(
        mass_in=(bought * mass).sum(axis=1),
        mass_out=(sold * mass).sum(axis=1) + loss_mass.sum(axis=1),
        fe_in=(bought * plant.fe_frac).sum(axis=1),
        fe_out=(sold * plant.fe_frac).sum(axis=1) + loss_fe.sum(axis=1),
        c_in=(bought * plant.c_frac).sum(axis=1),
        c_out=sold_c.sum(axis=1) + loss_c.sum(axis=1),
        energy_in=(bought * e_unit).sum(axis=1),
        energy_out=sold_e.sum(axis=1) + loss_e.sum(axis=1),
        loss_mass=loss_mass,
        loss_fe=loss_fe,
        loss_c=loss_c,
        loss_energy=loss_e,
        fe_in_rows=fe_in_rows,
        carrier_residual=residual,
    )


def _violations(sol: Solution, bal: Balances) -> list[tuple[NDArray[np.bool_], Callable[[int], str]]]:
    """Each conservation check as (per-sample violation mask, message of a failing sample)."""
    plant = sol.plant
    rows = sol.row_ids
    scale_flow = np.abs(sol.flows).max(axis=(1, 2)) + 1.0  # (S,)
    out: list[tuple[NDArray[np.bool_], Callable[[int], str]]] = []
    bad = np.abs(bal.carrier_residual) > MATERIAL_TOL * scale_flow[:, None]

    def carrier_msg(s: int) -> str:
        c = int(np.flatnonzero(bad[s])[0])
        return (
            f"carrier {plant.carrier_ids[c]} does not balance (production + purchases - use - sales = "
            f"{bal.carrier_residual[s, c]:.3g}) in sample {s}"
        )

    out.append((bad.any(axis=1), carrier_msg))
    for element in ("mass", "fe", "c"):
        loss = getattr(bal, f"loss_{element}")
        lows = loss < -MATERIAL_TOL * scale_flow[:, None]
        label = element if element == "mass" else element.capitalize()

        def creates(s: int, loss: Array = loss, lows: NDArray[np.bool_] = lows, label: str = label) -> str:
            r = int(np.flatnonzero(lows[s])[0])
            return f"unit {rows[r]} creates {label}: loss {loss[s, r]:.6g} t/yr in sample {s}"

        out.append((lows.any(axis=1), creates))
    limit = np.append(plant.max_fe_loss, 0.0)[None, :] * bal.fe_in_rows + MATERIAL_TOL * scale_flow[:, None]
    over = bal.loss_fe > limit

    def dust(s: int) -> str:
        r = int(np.flatnonzero(over[s])[0])
        return f"unit {rows[r]} loses {bal.loss_fe[s, r]:.6g} t Fe/yr, more than its max_fe_loss"

    out.append((over.any(axis=1), dust))
    for element, tol in (("mass", MATERIAL_TOL), ("fe", MATERIAL_TOL), ("c", MATERIAL_TOL), ("energy", ENERGY_TOL)):
        rel = np.abs(bal.residual_rel(element))

        def off(s: int, rel: Array = rel, element: str = element) -> str:
            return f"the works' {element} balance is off by {rel[s]:.3g} (relative) in sample {s}"

        out.append((~(rel <= tol), off))  # NaN fails every comparison: a NaN balance is broken
    return out


def balance_faults(sol: Solution, bal: Balances) -> dict[int, str]:
    """Report instead of raise (for batches): sample -> the first conservation law it breaks."""
    faults: dict[int, str] = {}
    for mask, message in _violations(sol, bal):
        for s in map(int, np.flatnonzero(mask)):  # only the failing samples
            faults.setdefault(s, message(s))
    return faults


def check_balances(sol: Solution) -> Balances:
    """Raise :class:`BalanceError` if any balance of any sample is broken; return the balances."""
    bal = compute_balances(sol)
    for mask, message in _violations(sol, bal):
        if np.any(mask):
            raise BalanceError(message(int(np.flatnonzero(mask)[0])))
    return bal
