"""Works-gas allocation: pooled gases go to their users in declared priority.

For each gas ``g`` the producers' outputs form a pool (mass ``M_g``, carbon ``C_g``, energy
``E_g`` from each producer's own composition). Then, per sample and in one vectorised pass:

1. direct (non-fuel) uses of a gas, e.g. natural-gas injection at the tuyeres, take from the
   pool first; what the pool lacks is bought;
2. each fuel user ``u`` in ascending ``priority`` draws its heat demand ``q_u`` [GJ LHV] from
   its gases in the listed order, ``take = min(q, E_available)``; the rest is made up with the
   user's make-up fuel (natural gas by default, bought);
3. a ``power_plant`` unit is a fuel user whose demand is its fuel capacity
   ``P_e * 8766 h * availability / eta`` (or, if the grid takes no power, what covers the
   works' own electricity), so it burns the surplus; net electricity ``q eta (1 - aux) / 3.6``;
4. what is left is sold where the gas can be sold, otherwise flared (row ``flare``).

Carbon and energy of every gas flow follow the pool's mean composition per tonne, so that
C and LHV are conserved exactly through the allocation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError
from steelworks.plant.build import ELECTRICITY, FUEL, KIND_CODES, Plant

Array = NDArray[np.float64]


@dataclass
class GasAllocation:
    fuel_mass: Array  # (S, U+1, C) t of gas burned as fuel per row (row U = flare)
    fuel_gj: Array  # (S, U+1, C) GJ of each gas burned as fuel per row
    c_in: Array  # (S, U+1, C) t C of all gas inputs per row (direct uses and fuel)
    e_in: Array  # (S, U+1, C) GJ of all gas inputs per row
    bought: Array  # (S, C) t of gas bought (direct-use deficits and make-up)
    sold: Array  # (S, C) t of gas sold
    sold_c: Array  # (S, C) t C in gas sold (pool composition)
    sold_e: Array  # (S, C) GJ in gas sold
    flared: Array  # (S, C) t flared
    electricity_mwh: Array  # (S, U+1) net generation per row
    unmet_fuel_gj: Array  # (S, U+1) fuel demand not met (power plants running below capacity)

    @property
    def mass_in(self) -> Array:
        """Fuel gas mass per row (to subtract from the flow table)."""
        return self.fuel_mass


def allocate(plant: Plant, flows: Array, out_c: Array, out_lhv: Array, throughput: Array) -> GasAllocation:
    S, U, C = flows.shape
    rows = U + 1
    kind = plant.carrier_kind
    gases = np.flatnonzero(kind == KIND_CODES["gas"])
    pos = np.clip(flows, 0, None)
    neg = np.clip(-flows, 0, None)

    pool_mass = pos.sum(axis=1)  # (S, C)
    pool_c = (pos * out_c).sum(axis=1)
    pool_e = (pos * out_lhv).sum(axis=1)
    has = pool_mass > 0
    c_per_t = np.where(has, pool_c / np.where(has, pool_mass, 1.0), plant.c_frac)
    e_per_t = np.where(has, pool_e / np.where(has, pool_mass, 1.0), plant.lhv_gj_per_t)

    fuel_mass = np.zeros((S, rows, C))
    fuel_gj = np.zeros((S, rows, C))
    c_in = np.zeros((S, rows, C))
    e_in = np.zeros((S, rows, C))
    bought = np.zeros((S, C))
    sold = np.zeros((S, C))
    sold_c = np.zeros((S, C))
    sold_e = np.zeros((S, C))
    flared = np.zeros((S, C))
    electricity = np.zeros((S, rows))
    unmet = np.zeros((S, rows))

    available = pool_mass.copy()
    # 1. direct uses
    for g in map(int, gases):
        use = neg[:, :, g]  # (S, U)
        total = use.sum(axis=1)
        from_pool = np.minimum(total, available[:, g])
        frac_pool = np.where(total > 0, from_pool / np.where(total > 0, total, 1.0), 0.0)
        own = use * frac_pool[:, None]
        ext = use - own
        c_in[:, :U, g] += own * c_per_t[:, g, None] + ext * plant.c_frac[..., g, None]  # (C,) or (S, C)
        e_in[:, :U, g] += own * e_per_t[:, g, None] + ext * plant.lhv_gj_per_t[g]
        available[:, g] -= from_pool
        bought[:, g] += ext.sum(axis=1)
        if np.any(ext.sum(axis=1) > 1e-9) and not plant.can_buy[g]:
            raise InputError(
                f"units use {float(ext.sum(axis=1).max()):,.1f} t/yr of '{plant.carrier_ids[g]}' more than "
                "the works makes and it cannot be bought",
                location="market.buy",
                allowed=f"add '{plant.carrier_ids[g]}' to market.buy",
            )

    # 2./3. fuel users in priority order
    fuel = plant.carrier(FUEL)
    elec = plant.carrier(ELECTRICITY)
    works_demand_mwh = neg[:, :, elec].sum(axis=1)
    for user in plant.fuel_users:
        u = user.unit
        is_power = plant.basis[u] == "power_plant"
        if is_power:
            eff = plant.power_efficiency[u]
            net = eff * (1.0 - plant.power_auxiliary[u])
            q = np.full(S, plant.effective_capacity[u] * 3.6 / eff)
            if not plant.grid_sell:
                q = np.minimum(q, works_demand_mwh * 3.6 / net)
        else:
            q = neg[:, u, fuel].copy()
        for g in user.gases:
            energy_here = available[:, g] * e_per_t[:, g]
            take = np.minimum(q, energy_here)
            mass = np.where(e_per_t[:, g] > 0, take / np.where(e_per_t[:, g] > 0, e_per_t[:, g], 1.0), 0.0)
            mass = np.minimum(mass, available[:, g])
            available[:, g] -= mass
            fuel_mass[:, u, g] += mass
            fuel_gj[:, u, g] += take
            c_in[:, u, g] += mass * c_per_t[:, g]
            e_in[:, u, g] += take
            q = q - take
        if is_power:
            burned = fuel_gj[:, u].sum(axis=1)
            electricity[:, u] = burned * plant.power_efficiency[u] * (1.0 - plant.power_auxiliary[u]) / 3.6
            unmet[:, u] = q
            continue
        if user.makeup >= 0:
            m = user.makeup
            mass = q / plant.lhv_gj_per_t[m]
            fuel_mass[:, u, m] += mass
            fuel_gj[:, u, m] += q
            c_in[:, u, m] += mass * plant.c_frac[..., m]
            e_in[:, u, m] += q
            bought[:, m] += mass
            if np.any(mass > 1e-9) and not plant.can_buy[m]:
                raise InputError(
                    f"{plant.unit_ids[u]} needs make-up '{plant.carrier_ids[m]}' that cannot be bought",
                    location=f"units.{plant.unit_ids[u]}.fuel.makeup",
                    allowed="a make-up fuel listed in market.buy",
                )
        elif np.any(q > 1e-9):
            raise InputError(
                f"{plant.unit_ids[u]} lacks {float(q.max()):,.0f} GJ/yr of fuel and has no make-up fuel",
                location=f"units.{plant.unit_ids[u]}.fuel.makeup",
                allowed="natural_gas",
            )

    # 4. surplus: sold or flared
    for g in map(int, gases):
        left = np.clip(available[:, g], 0, None)
        left = np.where(left < 1e-12 * (pool_mass[:, g] + 1.0), 0.0, left)  # rounding noise, not a surplus
        if plant.can_sell[g]:
            sold[:, g] += left
            sold_c[:, g] += left * c_per_t[:, g]
            sold_e[:, g] += left * e_per_t[:, g]
        else:
            flared[:, g] += left
            fuel_mass[:, U, g] += left
            fuel_gj[:, U, g] += left * e_per_t[:, g]
            c_in[:, U, g] += left * c_per_t[:, g]
            e_in[:, U, g] += left * e_per_t[:, g]
    return GasAllocation(
        fuel_mass=fuel_mass,
        fuel_gj=fuel_gj,
        c_in=c_in,
        e_in=e_in,
        bought=bought,
        sold=sold,
        sold_c=sold_c,
        sold_e=sold_e,
        flared=flared,
        electricity_mwh=electricity,
        unmet_fuel_gj=unmet,
    )
