"""Works-gas allocation: pooled gases go to their users in declared priority.

For each gas ``g`` the producers' outputs form a pool (mass ``M_g``, carbon ``C_g``, energy
``E_g`` from each producer's own composition). Then, per sample and in one vectorised pass:

1. direct (non-fuel) uses of a gas, e.g. natural-gas injection at the tuyeres, take from the
   pool first; what the pool lacks is bought;
2. each fuel user ``u`` in ascending ``priority`` draws its heat demand ``q_u`` [GJ LHV] from
   its gases in the listed order, ``take = min(q, E_available)``; the rest is made up with the
   user's make-up fuel (natural gas by default, bought);
3. a ``power_plant`` unit is a fuel user whose demand follows its dispatch rule
   (``units.<id>.fuel.dispatch``, :data:`steelworks.schema.plant.DISPATCH_RULES`). With fuel
   capacity ``Q = P_e * 8766 h * availability * 3.6 / eta`` [GJ], net efficiency
   ``eta_n = eta (1 - aux)`` and the works' electricity demand ``D`` [MWh]:

   * ``works_gas_only``: burns works gas up to ``Q`` (up to ``D 3.6 / eta_n`` if the grid takes
     no power), buys nothing; what it cannot fire is reported as unmet fuel;
   * ``own_demand``: burns works gas up to the same limit, then buys make-up fuel
     ``max(0, min(Q, D 3.6 / eta_n) - works gas burned)`` so that it covers the works' demand
     (``D`` less what power plants served before it generate);
   * ``fixed_load``: runs at ``L * 8766 h * availability`` gross MWh (``fixed_load`` ``L`` <=
     capacity): fuel ``q = L ... * 3.6 / eta``, works gas first, make-up for the rest; works gas
     above that load is left to step 4.

   net electricity ``q eta (1 - aux) / 3.6``;
4. what is left is sold where the gas can be sold, otherwise flared (row ``flare``).

Gas bought is kept per row (``bought_by_row``): direct-use deficits fall on the rows that use the
gas in proportion to their use, make-up on the row it fires.

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
    bought_by_row: Array  # (S, U+1, C) t of gas bought for each row (its direct-use deficit and make-up)
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
    bought_by_row = np.zeros((S, rows, C))
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
        bought_by_row[:, :U, g] += ext
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
        makeup_q = None  # fuel a power plant buys after its works gas (None: the whole rest, as other users)
        if is_power:
            eff = plant.power_efficiency[u]
            net = eff * (1.0 - plant.power_auxiliary[u])
            capacity_q = plant.effective_capacity[u] * 3.6 / eff
            # what the works still needs after the power plants served before this one
            own_need_q = np.clip(works_demand_mwh - electricity.sum(axis=1), 0.0, None) * 3.6 / net
            q = np.full(S, capacity_q)
            if user.dispatch == "fixed_load":
                cap_mw = plant.effective_capacity[u] / 8766
                if user.fixed_mwh > plant.effective_capacity[u] * (1 + 1e-12) and cap_mw > 0:
                    raise InputError(
                        f"{plant.unit_ids[u]}: fixed load of {user.fixed_mwh / 8766:,.3g} MW (at its availability) "
                        f"is above its capacity of {cap_mw:,.3g} MW",
                        location=f"units.{plant.unit_ids[u]}.fuel.fixed_load",
                        allowed=f"a gross load up to the unit's capacity ({cap_mw:,.3g} MW at its availability)",
                    )
                q = np.full(S, user.fixed_mwh * 3.6 / eff if plant.effective_capacity[u] > 0 else 0.0)
            if not plant.grid_sell:
                q = np.minimum(q, own_need_q)
            if user.dispatch == "own_demand":
                makeup_q = np.minimum(capacity_q, own_need_q)  # fuel that covers the works, less gas burned
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
            if user.dispatch == "works_gas_only" or user.makeup < 0:
                unmet[:, u] = q
                q = np.zeros(S)
            elif makeup_q is not None:  # own_demand: the works' need less the works gas burned
                unmet[:, u] = q
                q = np.clip(makeup_q - fuel_gj[:, u].sum(axis=1), 0.0, None)
                unmet[:, u] -= q
        if user.makeup >= 0 and np.any(q > 0):
            m = user.makeup
            mass = q / plant.lhv_gj_per_t[m]
            fuel_mass[:, u, m] += mass
            fuel_gj[:, u, m] += q
            c_in[:, u, m] += mass * plant.c_frac[..., m]
            e_in[:, u, m] += q
            bought[:, m] += mass
            bought_by_row[:, u, m] += mass
            if np.any(mass > 1e-9) and not plant.can_buy[m]:
                raise InputError(
                    f"{plant.unit_ids[u]} needs make-up '{plant.carrier_ids[m]}' that cannot be bought",
                    location=f"units.{plant.unit_ids[u]}.fuel.makeup",
                    allowed="a make-up fuel listed in market.buy",
                )
            q = np.zeros(S)
        if is_power:
            burned = fuel_gj[:, u].sum(axis=1)
            electricity[:, u] = burned * plant.power_efficiency[u] * (1.0 - plant.power_auxiliary[u]) / 3.6
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
        bought_by_row=bought_by_row,
        sold=sold,
        sold_c=sold_c,
        sold_e=sold_e,
        flared=flared,
        electricity_mwh=electricity,
        unmet_fuel_gj=unmet,
    )
