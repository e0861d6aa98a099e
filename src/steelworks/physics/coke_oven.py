r"""Coke-oven battery with by-product plant (per t dry blast-furnace coke).

Equations (per t dry coal, then divided by the coke yield)::

    Y_tot   = (1 - VM_coal) / (1 - VM_coke)             total dry coke (fixed C + ash stay)
    breeze  = f_b Y_tot,   coke = (1 - f_b) Y_tot
    tar, benzol, (NH4)2SO4 = fixed yields per t dry coal
    V_COG   = (C_coal - C_coke - C_breeze - C_tar - C_benzol) / c_COG     [Nm3]
    c_COG   = sum_i y_i n_C,i M_C / V_m                                    [kg C / Nm3]
    q_under = q_ref + 3.3 GJ/t x (water per t coke - water at the reference moisture)

So the carbon of the coal not found in coke, breeze, tar and benzol leaves in the coke-oven gas
(whose composition is the ``coke_oven_gas`` carrier's): carbon closes with zero emission inside
the battery (the underfiring fuel is the separate ``fuel_heat`` demand). Mass in - mass out is
the pyrolysis water, H2S and NH3 not recovered (must be >= 0).

==============  ==================================  =====================================
symbol          meaning                             attribute / key
==============  ==================================  =====================================
VM_coal         coal volatile matter (dry)          ``carriers["coking_coal"].analysis``
VM_coke         coke volatile matter                ``carriers["coke"].analysis``
f_b             breeze share of total coke          param ``breeze_share``
q_ref           underfiring at reference moisture   param ``underfiring``
==============  ==================================  =====================================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import (
    broadcast_parameters,
    first_bad,
    gas_atoms_per_nm3,
    gas_props,
    get_carrier,
    infeasible,
    num,
    shaped,
)

#: GJ per t of extra coal moisture (estimate: evaporation 2.26 GJ/t + superheating the vapour to
#: ~700 degC, at ~75 % heating efficiency)
WATER_HEAT_GJ_PER_T = 3.3
#: coal moisture at which the reference underfiring applies (estimate: HTC data for ~8-10 % moisture)
REFERENCE_MOISTURE = 0.09

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "coal_moisture",
        "dimensionless",
        "-",
        0.09,
        0.0,
        0.16,
        "moisture of the charged coal (mass fraction of wet coal)",
        "estimate: 8-10 % for wet-charged batteries",
    ),
    ParameterSpec(
        "breeze_share",
        "dimensionless",
        "-",
        0.066,
        0.0,
        0.15,
        "share of the total coke screened out as breeze (< 10 mm)",
        "process_coefficients 1.1: breeze 4-6 % of coal [EST] = 5 % / 0.758 total coke",
    ),
    ParameterSpec(
        "tar_yield",
        "mass_per_mass",
        "t/t",
        0.045,
        0.0,
        0.07,
        "tar per t dry coal",
        "between TF-coke (~3 % tar) and Sydney (45.6 L per 0.9 t coal = ~6 % at 1.17 kg/L)",
    ),
    ParameterSpec(
        "benzol_yield",
        "mass_per_mass",
        "t/t",
        0.010,
        0.0,
        0.02,
        "crude benzol per t dry coal",
        "process_coefficients 1.1: 8-12 kg/t [EST]",
    ),
    ParameterSpec(
        "ammonium_sulphate_yield",
        "mass_per_mass",
        "t/t",
        0.0133,
        0.0,
        0.02,
        "ammonium sulphate per t dry coal",
        "Sydney: 12 kg per 0.9 t coal",
    ),
    ParameterSpec(
        "underfiring",
        "energy_per_mass",
        "GJ/t",
        3.72,
        2.5,
        5.0,
        "underfiring heat per t coke at the reference coal moisture (9 %)",
        "HTC: 3.2 MMBtu/short t = 3.72 GJ/t coke; He17 4.06 GJ/t",
    ),
    ParameterSpec(
        "electricity",
        "electricity_per_mass",
        "MWh/t",
        0.035,
        0.0,
        0.08,
        "electricity per t coke",
        "He17: 42.5 MJ per 337.3 kg coke = 35 kWh/t",
    ),
    ParameterSpec(
        "steam",
        "energy_per_mass",
        "GJ/t",
        0.35,
        0.0,
        1.0,
        "process steam per t coke (by-product plant)",
        "estimate: ammonia stills and benzol stripping ~0.12-0.15 t steam/t coke at ~2.7 GJ/t",
    ),
)


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    coal, coke = get_carrier(carriers, "coking_coal", where), get_carrier(carriers, "coke", where)
    breeze, tar, benzol = (get_carrier(carriers, c, where) for c in ("coke_breeze", "tar", "benzol"))
    get_carrier(carriers, "ammonium_sulphate", where)
    cog = get_carrier(carriers, "coke_oven_gas", where)
    vm_coal = num(coal.analysis.get("volatile_matter", 0.25))
    vm_coke = num(coke.analysis.get("volatile_matter", 0.01))
    ash_coal = num(coal.analysis.get("ash", 0.09))
    infeasible(
        (vm_coal <= 0.05) | (vm_coal >= 0.45),
        where,
        "carriers.coking_coal",
        "coal volatile matter outside the range of coking coals",
        "0.05 to 0.45",
    )
    y_tot = (1.0 - vm_coal) / (1.0 - vm_coke)
    y_coke = y_tot * (1.0 - p["breeze_share"])
    y_breeze = y_tot * p["breeze_share"]
    c_coal = num(coal.c_frac)
    c_solid = y_coke * num(coke.c_frac) + y_breeze * num(breeze.c_frac)
    c_liquid = p["tar_yield"] * num(tar.c_frac) + p["benzol_yield"] * num(benzol.c_frac)
    c_gas = c_coal - c_solid - c_liquid  # t C per t dry coal into COG
    infeasible(
        c_gas <= 0,
        where,
        "carriers.coking_coal",
        lambda bad: (
            f"the coal carbon {first_bad(c_coal, bad):.3f} does not cover the "
            "carbon of coke, breeze, tar and benzol: the chemistry does not sum"
        ),
        "coking_coal c_frac above coke yield x coke c_frac + by-products",
    )
    atoms = gas_atoms_per_nm3(cog.volume_fractions)
    gp = gas_props(cog)
    v_cog = c_gas * 1000.0 / (atoms["C"] * thermo.MOLAR_MASS["C"])  # Nm3 per t dry coal
    m_cog = v_cog * gp["density_kg_per_nm3"] / 1000.0
    loss = 1.0 - y_tot - p["tar_yield"] - p["benzol_yield"] - p["ammonium_sulphate_yield"] - m_cog
    infeasible(
        loss < 0,
        where,
        "tar_yield",
        "the products weigh more than the coal (by-product yields too high for this coal's volatile matter)",
        "lower tar/benzol/ammonium sulphate yields",
    )
    per = 1.0 / y_coke  # dry coal per t coke
    w = p["coal_moisture"]
    water = per * (w / (1.0 - w) - REFERENCE_MOISTURE / (1.0 - REFERENCE_MOISTURE))
    underfiring = p["underfiring"] + WATER_HEAT_GJ_PER_T * water
    recipe = {
        "coking_coal": -per + 0.0 * w,
        "coke": np.ones(shape),
        "coke_breeze": y_breeze * per,
        "tar": p["tar_yield"] * per,
        "benzol": p["benzol_yield"] * per,
        "ammonium_sulphate": p["ammonium_sulphate_yield"] * per,
        "coke_oven_gas": m_cog * per,
        "fuel_heat": -underfiring,
        "electricity": -p["electricity"],
        "steam": -p["steam"],
    }
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    diag = {
        "coal_t_per_t_coke": per,
        "wet_coal_t_per_t_coke": per / (1.0 - w),
        "coke_yield": y_coke,
        "total_coke_yield": y_tot,
        "cog_nm3_per_t_coal": v_cog,
        "cog_nm3_per_t_coke": v_cog * per,
        "cog_lhv_mj_per_nm3": gp["lhv_mj_per_nm3"] + 0.0 * v_cog,
        "cog_gj_per_t_coke": v_cog * per * gp["lhv_mj_per_nm3"] / 1000,
        "cog_mass_share_of_coal": m_cog,
        "coke_ash_implied": ash_coal / y_tot + 0.0 * per,
        "underfiring_gj_per_t_coke": underfiring,
        "mass_loss_t": loss * per,
        "carbon_emitted_t": 0.0 * per,
    }
    diag = {k: shaped(v, shape) for k, v in diag.items()}
    gas = {
        "volume_fractions": {k: num(v) for k, v in cog.volume_fractions.items()},
        **{k: gp[k] for k in ("c_frac", "lhv_gj_per_t", "density_kg_per_nm3", "lhv_mj_per_nm3")},
    }
    return PhysicsResult(recipe=recipe, gas_properties={"coke_oven_gas": gas}, diagnostics=diag)  # type: ignore[dict-item]


MODEL = Model("coke_oven", "coke", PARAMETERS, solve)
