"""CO2 accounting from the solved flows (carbon mass balance, IPCC Tier 3 / worldsteel style).

* **Direct** emissions of a unit are the carbon it takes in and does not pass on in a product,
  co-product or gas: ``CO2_u = 44.009/12.011 * (C_in,u - C_out,u)``. Works gases therefore
  count where they are burned (stoves, boilers, power plant, flare), not where they are made;
  carbon kept in hot metal, steel, tar, benzol or gas sold does not count.
* **Indirect** (scope 2): purchased electricity x the grid factor (``grid.co2_per_mwh``).
* **Credits**, shown separately and never netted silently: exported electricity x the grid
  factor, and sold by-products x their factor (``credits`` in the plant file), the way
  worldsteel / ISO 14404 credit exports.

Intensities are per tonne of crude steel (the first solid state, as worldsteel defines it:
carriers tagged ``crude_steel``, and the products of units that ``counts_as: [crude_steel]``)
and per tonne of hot-rolled coil produced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from steelworks.physics.thermo import CO2_PER_C
from steelworks.plant.balance import Balances
from steelworks.plant.build import ELECTRICITY
from steelworks.plant.solve import Solution

Array = NDArray[np.float64]


@dataclass
class CarbonAccount:
    direct_by_row_t: Array  # (S, U+1) t CO2/yr; last row is the flare
    direct_t: Array  # (S,)
    indirect_t: Array
    credit_electricity_t: Array
    credit_byproducts_t: Array
    credit_by_carrier_t: Array  # (S, C)
    crude_steel_t: Array
    hot_rolled_coil_t: Array

    @property
    def gross_t(self) -> Array:
        return np.asarray(self.direct_t + self.indirect_t)

    @property
    def net_t(self) -> Array:
        return np.asarray(self.gross_t - self.credit_electricity_t - self.credit_byproducts_t)


def production_of_tag(sol: Solution, tag: str) -> Array:
    """Production counting under ``tag``: carriers with the tag, and unit products that count as it."""
    mask = sol.plant.tag_mask(tag)
    return np.asarray((sol.produced[:, :-1, :] * mask).sum(axis=(1, 2)))


def account(sol: Solution, balances: Balances) -> CarbonAccount:
    plant = sol.plant
    direct_rows = balances.loss_c * CO2_PER_C
    elec = plant.carrier(ELECTRICITY)
    credits = sol.sold * plant.credit_co2_per_unit
    credits[:, elec] = 0.0
    hrc = plant.carrier_ids.index("hot_rolled_coil") if "hot_rolled_coil" in plant.carrier_ids else None
    hrc_t = sol.produced[:, :, hrc].sum(axis=1) if hrc is not None else np.zeros(sol.produced.shape[0])
    return CarbonAccount(
        direct_by_row_t=direct_rows,
        direct_t=direct_rows.sum(axis=1),
        indirect_t=sol.electricity_bought_mwh * plant.grid_co2_t_per_mwh,
        credit_electricity_t=sol.electricity_sold_mwh * plant.grid_co2_t_per_mwh,
        credit_byproducts_t=credits.sum(axis=1),
        credit_by_carrier_t=credits,
        crude_steel_t=production_of_tag(sol, "crude_steel"),
        hot_rolled_coil_t=np.asarray(hrc_t),
    )
