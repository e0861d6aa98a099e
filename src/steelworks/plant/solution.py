"""What a plant solve returns: the solved works (:class:`Solution`) and its conservation totals
(:class:`Balances`), as plain data. :mod:`steelworks.plant.solve` fills them, :mod:`steelworks.plant.balance`
checks them; both import this module, neither the other's data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from steelworks.plant.build import Plant
from steelworks.plant.gas import GasAllocation

Array = NDArray[np.float64]

#: t (or GJ): amounts below this are treated as zero when a residual is made relative
ABSOLUTE_FLOOR = 1e-6


@dataclass
class Balances:
    """Boundary totals and per-row losses, (S,) and (S, rows)."""

    mass_in: Array
    mass_out: Array
    fe_in: Array
    fe_out: Array
    c_in: Array
    c_out: Array
    energy_in: Array
    energy_out: Array
    loss_mass: Array
    loss_fe: Array
    loss_c: Array
    loss_energy: Array
    fe_in_rows: Array
    carrier_residual: Array  # (S, C)

    def residual_rel(self, element: str) -> Array:
        """(in - out) / in; below 1 g (or 1 MJ) of throughput the denominator is held at that floor."""
        a = getattr(self, f"{element}_in")
        b = getattr(self, f"{element}_out")
        return np.asarray((a - b) / np.maximum(a, ABSOLUTE_FLOOR))


@dataclass
class Solution:
    """A solved works (arrays with a leading sample axis S)."""

    plant: Plant
    throughput: Array  # (S, U) per year, product units
    produced: Array  # (S, U+1, C) gross outputs per year (t, GJ, MWh); last row is the flare
    consumed: Array  # (S, U+1, C) gross inputs per year, incl. gases burned as fuel
    bought: Array  # (S, C)
    sold: Array  # (S, C) incl. final demand delivered
    delivered: Array  # (S, C) final demand met (part of sold)
    demand_scale: Array  # (S,) factor applied to the demand shape to meet the target
    gas: GasAllocation
    c_in: Array  # (S, U+1, C) carbon of inputs per flow (t C)
    c_out: Array  # (S, U+1, C) carbon of outputs per flow (t C)
    e_in: Array  # (S, U+1, C) energy of inputs (GJ)
    e_out: Array  # (S, U+1, C) energy of outputs (GJ)
    electricity_generated_mwh: Array  # (S,)
    electricity_bought_mwh: Array
    electricity_sold_mwh: Array
    shares: dict[int, Array]
    balances: Balances | None = None  # set by the checks of every solve
    faults: dict[int, str] = field(default_factory=dict)  # sample -> why it failed (solve(mask_faults=True))

    @property
    def flows(self) -> Array:
        """Net signed flows (S, U+1, C): outputs positive, inputs negative."""
        return np.asarray(self.produced - self.consumed)

    @property
    def row_ids(self) -> list[str]:
        return [*self.plant.unit_ids, "flare"]
