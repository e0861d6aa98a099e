r"""Sinter plant (per t sinter): ore blend from the Fe balance, fluxes from basicity and MgO.

Equations::

    O_ore = (Fe_s - d fe_dust - s fe_scale) / fe_blend                       ore blend, t
    L cao_L + D cao_D + CaO_0 = B (L sio2_L + D sio2_D + SiO2_0)            basicity
    L mgo_L + D mgo_D + MgO_0 = m                                            MgO target (t/t)
    q_solid = solid_fuel + H_cal(L, D) - H_cal,ref                            solid fuel follows the flux
    H_cal   = 1000 (L c_L dH_CaCO3 + D c_D (dH_CaCO3 + dH_MgCO3) / 2) / M_C  calcination, GJ/t sinter
    breeze = q_solid / LHV_breeze,   ignition = fuel_heat

``Fe_s`` is ``carriers["sinter"].fe_frac`` (the plant holds one sinter composition); ``SiO2_0``,
``CaO_0``, ``MgO_0`` are the ore, dust and breeze-ash contributions; limestone ``L`` and raw
dolomite ``D`` are clipped at 0 (a basic ore needs no flux). The sinter made from these inputs
weighs ``S_ox`` = iron oxides (at the FeO content ``sinter_feo``) + gangue + flux oxides; if it
differs from 1 t by more than 4 % the blend cannot make sinter at ``fe_frac`` and the model
raises InputError with the Fe the blend would give. All carbon (breeze, carbonates, dust) is
emitted; mass in - 1 t is LOI, CO2 and burnt breeze. The breeze carries the calcination heat of
the fluxes (dH_CaCO3 = 178.3, dH_MgCO3 = 101.1 kJ/mol CO2 from the formation enthalpies in
:mod:`~steelworks.physics.thermo`, [STD]; dolomite as half of each per mol CO2): ``solid_fuel``
holds at the reference calcination ``reference_calcination`` and the breeze follows the flux
beyond it; sensible heat of the extra calcine is taken as recuperated by the bed (the heat front
regenerates, estimate). Breeze ash feeds back into the flux (three passes converge to <1e-6).

==============  ===================================  =============================
symbol          meaning                              attribute / key
==============  ===================================  =============================
B               basicity CaO/SiO2                    param ``basicity`` (the plant sets it where
                                                     ``basicity_follows_furnace`` = 1)
m               MgO per t sinter                     param ``mgo``
q_solid         solid-fuel heat per t sinter         param ``solid_fuel`` (at ``reference_calcination``)
H_cal           calcination heat of the fluxes       diag ``calcination_gj_per_t``
d, s            recycled dust, mill scale per t      params ``dust_recycle``, ``mill_scale``
==============  ===================================  =============================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import (
    ASH_SPLIT,
    broadcast_parameters,
    fail,
    ferrous_chemistry,
    first_bad,
    get_carrier,
    infeasible,
    num,
    shaped,
)

M = thermo.MOLAR_MASS
ORES = {"fines_share": "iron_ore_fines", "local_ore_share": "local_ore_fines"}
#: allowed relative difference between the sinter the inputs make and 1 t
MASS_TOLERANCE = 0.04
#: coke-breeze ash (estimate: breeze carries ~18 % ash, carriers.yaml)
BREEZE_ASH = 0.18

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "fines_share",
        "dimensionless",
        "-",
        1.0,
        0.0,
        1.0,
        "imported fines share of the ore blend (mass)",
        "estimate: PSM sintered imported fines",
    ),
    ParameterSpec(
        "local_ore_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "local ore share of the ore blend (mass)",
        "estimate",
    ),
    ParameterSpec(
        "dust_recycle",
        "mass_per_mass",
        "t/t",
        0.02,
        0.0,
        0.08,
        "recycled dust and sludge per t sinter",
        "estimate: works dust/sludge is recycled through the sinter plant",
    ),
    ParameterSpec(
        "mill_scale",
        "mass_per_mass",
        "t/t",
        0.0,
        0.0,
        0.08,
        "mill scale per t sinter",
        "estimate: 0 unless the plant routes scale to sinter",
    ),
    ParameterSpec(
        "basicity",
        "dimensionless",
        "-",
        1.7,
        0.5,
        2.5,
        "sinter basicity CaO/SiO2",
        "estimate: fluxed sinter 1.6-2.0 (matches the blast furnace's default sinter chemistry)",
    ),
    ParameterSpec(
        "mgo",
        "mass_per_mass",
        "t/t",
        0.015,
        0.0,
        0.04,
        "MgO per t sinter (raw dolomite)",
        "estimate: 1-2 % MgO",
    ),
    ParameterSpec(
        "sinter_feo",
        "dimensionless",
        "-",
        0.08,
        0.03,
        0.15,
        "FeO mass fraction of the sinter",
        "estimate: 6-10 %",
    ),
    ParameterSpec(
        "solid_fuel",
        "energy_per_mass",
        "GJ/t",
        1.45,
        0.8,
        2.5,
        "coke breeze heat per t sinter (LHV)",
        "He17: 1.45 GJ/t (51 kg breeze at 28.4 GJ/t)",
    ),
    ParameterSpec(
        "reference_calcination",
        "energy_per_mass",
        "GJ/t",
        0.30,
        0.0,
        1.0,
        "calcination heat of the fluxes at which solid_fuel holds; more flux takes more breeze, less flux less",
        "estimate: He17's 1.45 GJ/t breeze taken to belong to the default fluxed sinter (basicity 1.7, MgO "
        "1.5 % from 62 % Fe fines: ~126 kg limestone + ~55 kg raw dolomite per t, 0.18 t flux within "
        "process_coefficients 1.2's 0.10-0.15 t + dolomite), whose calcination is 0.30 GJ/t at 178.3 / "
        "140 MJ per kmol CO2 (STD)",
    ),
    ParameterSpec(
        "ignition",
        "energy_per_mass",
        "GJ/t",
        0.054,
        0.0,
        0.3,
        "ignition-hood fuel per t sinter",
        "He17: 0.054 GJ/t",
    ),
    ParameterSpec(
        "electricity",
        "electricity_per_mass",
        "MWh/t",
        0.040,
        0.01,
        0.08,
        "electricity per t sinter",
        "He17: 180.4 MJ/t steel = 40 kWh/t sinter",
    ),
    ParameterSpec(
        "composition_from_blend",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "1: the sinter's Fe and chemistry follow from the blend (and are handed on to the plant); "
        "0: the blend is fitted to the sinter carrier's fe_frac",
        "switch, not a data value: 1 for blends whose grade differs from the carrier's (local ore)",
    ),
    ParameterSpec(
        "basicity_follows_furnace",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "1: the plant sets basicity to what the blast furnaces need for their slag target without flux "
        "(their diagnostic sinter_basicity_for_target, weighted by sinter per t hot metal); needs "
        "composition_from_blend = 1 so the furnaces read the sinter made",
        "switch, not a data value: a works fluxes its burden through the sinter and charges limestone or "
        "quartzite at the furnace only to trim (mechtechguru.com 'Fluxes and its composition', 2021: the "
        "flux is chosen against the gangue; process_coefficients 1.2: fluxed sinter)",
    ),
    ParameterSpec(
        "return_fines",
        "dimensionless",
        "-",
        0.30,
        0.1,
        0.5,
        "return fines per t sinter (internal loop)",
        "process_coefficients 1.2: 25-35 % recirculated [EST]",
    ),
)


def _flux(props: CarrierProps, carbonate: str) -> dict[str, Array]:
    a = props.analysis
    sio2 = num(a.get("SiO2", 0.0))
    c = num(props.c_frac)
    co2 = c * thermo.CO2_PER_C
    if carbonate == "CaMgCO3_2":
        mgo = num(a.get("MgO", 0.0)) + num(a.get("CaMgCO3_2", 0.0)) * thermo.oxide_molar_mass(
            "MgO"
        ) / thermo.oxide_molar_mass("CaMgCO3_2")
    else:
        mgo = num(a.get("MgO", 0.0))
    cao = 1.0 - sio2 - mgo - co2  # by difference: flux mass closes exactly
    return {"SiO2": sio2, "CaO": cao, "MgO": mgo, "C": c}


#: calcination enthalpy per kmol CO2 released, MJ/kmol (STD: formation enthalpies in thermo)
_HF = thermo.FORMATION_ENTHALPY_KJ_PER_MOL
DH_CALCITE = _HF["CaO"] + _HF["CO2"] - _HF["CaCO3"]
DH_MAGNESITE = _HF["MgO"] + _HF["CO2"] - _HF["MgCO3"]


def _calcination(L: Array, D: Array, lime: Mapping[str, Array], dolo: Mapping[str, Array]) -> Array:
    """Heat to calcine limestone ``L`` and raw dolomite ``D`` (t/t sinter), GJ/t sinter."""
    kmol_l = 1000.0 * L * lime["C"] / M["C"]
    kmol_d = 1000.0 * D * dolo["C"] / M["C"]
    return (kmol_l * DH_CALCITE + kmol_d * 0.5 * (DH_CALCITE + DH_MAGNESITE)) / 1000.0


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    total = p["fines_share"] + p["local_ore_share"]
    infeasible(
        np.abs(total - 1.0) > 1e-6,
        where,
        "fines_share",
        lambda bad: f"ore shares sum to {first_bad(total, bad):.6f}",
        "fines_share + local_ore_share = 1",
    )
    infeasible(
        (p["basicity_follows_furnace"] > 0.5) & (p["composition_from_blend"] < 0.5),
        where,
        "basicity_follows_furnace",
        "the sinter basicity can follow the furnaces only if they read the sinter made (composition_from_blend = 1)",
        "composition_from_blend = 1, or basicity_follows_furnace = 0",
    )
    chem = {k: ferrous_chemistry(get_carrier(carriers, cid, where), cid, where) for k, cid in ORES.items()}
    blend: dict[str, Array] = {key: num(sum(p[k] * chem[k][key] for k in ORES)) for key in chem["fines_share"]}
    infeasible(
        blend["Fe"] <= 0.2,
        where,
        "fines_share",
        "the ore blend carries (almost) no iron",
        "ores with fe_frac > 0.2",
    )
    sinter = get_carrier(carriers, "sinter", where)
    dust, scale = get_carrier(carriers, "dust_sludge", where), get_carrier(carriers, "mill_scale", where)
    breeze = get_carrier(carriers, "coke_breeze", where)
    if not np.all(num(breeze.lhv_gj_per_t) > 0):  # the solid fuel is counted by its heat (issue 9)
        raise fail(where, "solid_fuel", "coke_breeze has no positive lhv to count the solid fuel by", "lhv > 0")
    lime = _flux(get_carrier(carriers, "limestone", where), "CaCO3")
    dolo = _flux(get_carrier(carriers, "dolomite", where), "CaMgCO3_2")
    fe_d, c_d, fe_m = (num(x) for x in (dust.fe_frac, dust.c_frac, scale.fe_frac))
    d, s = p["dust_recycle"], p["mill_scale"]
    recycled_fe = d * fe_d + s * fe_m

    def make(ore: Array) -> dict[str, Array]:
        fuel = p["solid_fuel"]
        for _ in range(3):  # the breeze follows the flux, the flux the breeze's ash
            made = _sinter_from(ore, p, fuel, blend, recycled_fe, d, fe_d, c_d, breeze, lime, dolo)
            fuel = np.maximum(
                p["solid_fuel"] + _calcination(made["L"], made["D"], lime, dolo) - p["reference_calcination"],
                0.2 * p["solid_fuel"],
            )
        made = _sinter_from(ore, p, fuel, blend, recycled_fe, d, fe_d, c_d, breeze, lime, dolo)
        made["fuel"] = fuel
        return made

    if np.any(p["composition_from_blend"] > 0.5):
        # the sinter is whatever 1 t of oxides the blend makes: solve s_ox(ore) = 1 (affine in ore
        # within a flux regime; a secant step and one correction make it exact)
        o1 = (num(sinter.fe_frac) - recycled_fe) / blend["Fe"]
        o2 = 1.1 * o1
        for _ in range(3):
            s1, s2 = make(o1)["s_ox"], make(o2)["s_ox"]
            slope = np.where(np.abs(s2 - s1) > 1e-15, (s2 - s1) / np.where(o2 != o1, o2 - o1, 1.0), 1.0)
            o1, o2 = o2, o2 + (1.0 - s2) / slope
        from_blend = np.where(p["composition_from_blend"] > 0.5, o2, o1)
        fitted = (num(sinter.fe_frac) - recycled_fe) / blend["Fe"]
        ore = np.where(p["composition_from_blend"] > 0.5, from_blend, fitted)
    else:
        ore = (num(sinter.fe_frac) - recycled_fe) / blend["Fe"]
    infeasible(
        ore <= 0,
        where,
        "dust_recycle",
        "recycled dust and scale bring more iron than the sinter holds",
        "less recycle",
    )
    q = make(ore)
    fe_s, s_ox, L, D, b_t = q["fe_s"], q["s_ox"], q["L"], q["D"], q["b_t"]
    sio2, cao, mgo = q["sio2"], q["cao"], q["mgo"]
    derived = p["composition_from_blend"] > 0.5
    bad = (np.abs(s_ox - 1.0) > MASS_TOLERANCE) & ~derived
    implied = fe_s / s_ox
    infeasible(
        bad,
        where,
        "fines_share",
        lambda bad: (
            f"this blend makes sinter with {first_bad(implied, bad):.3f} Fe, not the "
            f"sinter carrier's {first_bad(fe_s, bad):.3f}"
        ),
        f"a blend (or carriers.sinter.fe_frac) that agree within {MASS_TOLERANCE:.0%}, or composition_from_blend = 1",
    )
    recipe = {
        "iron_ore_fines": -p["fines_share"] * ore,
        "local_ore_fines": -p["local_ore_share"] * ore,
        "dust_sludge": -d + 0.0 * ore,
        "mill_scale": -s + 0.0 * ore,
        "limestone": -L,
        "dolomite": -D,
        "coke_breeze": -b_t + 0.0 * ore,
        "fuel_heat": -p["ignition"],
        "electricity": -p["electricity"],
        "sinter": np.ones(shape),
    }
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    c_in = b_t * num(breeze.c_frac) + L * lime["C"] + D * dolo["C"] + d * c_d
    m_in = ore + d + s + L + D + b_t
    diag = {
        "ore_t_per_t": ore,
        "limestone_kg_per_t": 1000 * L,
        "dolomite_kg_per_t": 1000 * D,
        "breeze_kg_per_t": 1000 * b_t + 0.0 * ore,
        "energy_gj_per_t": q["fuel"] + p["ignition"] + 3.6 * p["electricity"],
        "solid_fuel_gj_per_t": q["fuel"] + 0.0 * ore,
        "calcination_gj_per_t": _calcination(L, D, lime, dolo),
        "basicity_actual": cao / sio2,
        "mgo_actual": mgo / s_ox,
        "implied_fe_frac": fe_s / s_ox,
        "sinter_sio2": sio2 / s_ox,
        "sinter_cao": cao / s_ox,
        "return_fines_t_per_t": p["return_fines"],
        "carbon_emitted_t": c_in,
        "co2_t_per_t": c_in * thermo.CO2_PER_C,
        "mass_loss_t": m_in - 1.0,
    }
    diag = {k: shaped(v, shape) for k, v in diag.items()}
    composition: dict[str, object] = {}
    if np.any(derived):
        # per t sinter (s_ox = 1): the chemistry the blast furnace will read
        analysis = {
            "Fe2O3": q["fe2o3"],
            "FeO": q["feo"],
            "SiO2": sio2,
            "CaO": cao,
            "MgO": mgo,
            "Al2O3": q["al2o3"],
            "MnO": q["mno"],
            "P": q["p"],
        }
        composition = {
            "fe_frac": shaped(fe_s, shape),
            "c_frac": shaped(0.0 * fe_s, shape),
            "analysis": {k: shaped(v, shape) for k, v in analysis.items()},
        }
    return PhysicsResult(recipe=recipe, diagnostics=diag, product_composition=composition)


def _quotient(top: Array, bottom: Array) -> Array:
    """``top / bottom``, and 0 where ``bottom`` is 0 (no warning, no infinity)."""
    bottom = np.asarray(bottom, dtype=float)
    safe = np.where(bottom != 0.0, bottom, 1.0)
    return np.where(bottom != 0.0, np.asarray(top, dtype=float) / safe, 0.0)


def _sinter_from(
    ore: Array,
    p: Mapping[str, Array],
    fuel: Array,
    blend: Mapping[str, Array],
    recycled_fe: Array,
    d: Array,
    fe_d: Array,
    c_d: Array,
    breeze: CarrierProps,
    lime: Mapping[str, Array],
    dolo: Mapping[str, Array],
) -> dict[str, Array]:
    """Fluxes and the oxide mass ``s_ox`` of the sinter made from ``ore`` t of the blend (per t basis)."""
    fe_s = ore * blend["Fe"] + recycled_fe
    b_t = fuel / num(breeze.lhv_gj_per_t)
    ash = b_t * BREEZE_ASH
    # dust gangue (not Fe2O3, not C) counted as SiO2-like gangue, mill scale as iron oxide only
    dust_gangue = d * np.maximum(1.0 - fe_d - c_d - fe_d * 1.5 * M["O"] / M["Fe"], 0.0)
    sio2_0 = ore * blend["SiO2"] + ash * ASH_SPLIT["SiO2"] + dust_gangue * 0.5
    cao_0 = ore * blend["CaO"] + ash * ASH_SPLIT["CaO"] + dust_gangue * 0.5
    mgo_0 = ore * blend["MgO"] + ash * ASH_SPLIT["MgO"]
    beta, mgo_t = p["basicity"], p["mgo"]
    # 2x2: [cao_L - b sio2_L, cao_D - b sio2_D; mgo_L, mgo_D] [L, D] = [b sio2_0 - cao_0, m - mgo_0]
    a11, a12 = lime["CaO"] - beta * lime["SiO2"], dolo["CaO"] - beta * dolo["SiO2"]
    a21, a22 = lime["MgO"], dolo["MgO"]
    r1, r2 = beta * sio2_0 - cao_0, mgo_t - mgo_0
    det = a11 * a22 - a12 * a21
    # a flux that carries none of an oxide (a dolomite without MgO: the two fluxes act alike) makes a
    # quotient 0/0 or x/0: that flux alone then gives nothing, and a singular pair is limestone alone
    L = _quotient(r1 * a22 - a12 * r2, det)
    D = np.where(det != 0.0, _quotient(a11 * r2 - a21 * r1, det), -1.0)
    # clip: no dolomite -> limestone alone; no limestone -> dolomite alone (MgO floats or basicity floats)
    L_only = np.maximum(_quotient(r1, a11), 0.0)
    D_only = np.maximum(_quotient(r2, a22), 0.0)
    L, D = np.where(D < 0, L_only, L), np.where(D < 0, 0.0, D)
    L, D = np.where(L < 0, 0.0, L), np.where(L < 0, D_only, D)
    sio2 = sio2_0 + L * lime["SiO2"] + D * dolo["SiO2"]
    cao = cao_0 + L * lime["CaO"] + D * dolo["CaO"]
    mgo = mgo_0 + L * lime["MgO"] + D * dolo["MgO"]
    feo = p["sinter_feo"]
    fe_in_feo = feo * M["Fe"] / thermo.oxide_molar_mass("FeO")
    fe2o3 = (fe_s - fe_in_feo) * thermo.oxide_molar_mass("Fe2O3") / (2 * M["Fe"])
    al2o3 = ore * blend["Al2O3"] + ash * ASH_SPLIT["Al2O3"]
    mno = ore * blend["MnO"]
    minor = ore * (blend["P"] + blend["S"] + np.maximum(blend["other"], 0.0)) + ash * ASH_SPLIT["other"]
    s_ox = fe2o3 + feo + sio2 + cao + mgo + al2o3 + mno + minor
    return {
        "fe_s": fe_s,
        "b_t": b_t,
        "L": L,
        "D": D,
        "sio2": sio2,
        "cao": cao,
        "mgo": mgo,
        "fe2o3": fe2o3,
        "feo": feo + 0.0 * fe_s,
        "al2o3": al2o3,
        "mno": mno,
        "p": ore * blend["P"],
        "s_ox": s_ox,
    }


MODEL = Model("sinter", "sinter", PARAMETERS, solve)
