r"""Blast-furnace blower station: compression work of the cold blast, then steam or electricity (per t blast).

Equations (per t of blast, dry air as an ideal gas, no intercooling: an axial or centrifugal blower)::

    r       = p_2 / p_1                                    pressure ratio (absolute pressures)
    n       = (k - 1) / (k eta_p)                          polytropic exponent of the temperature rise
    w_c     = c_p T_1 (r^n - 1)                            compression work, GJ/t  (kJ/kg / 1000)
    T_2     = T_1 r^n                                      blast temperature leaving the blower
    w_shaft = w_c / eta_m                                  shaft work incl. bearings, gear, coupling
    steam   = (1 - e) w_shaft / (eta_R eta_T)              GJ steam heat per t (turbine drive)
    elec    = e w_shaft / (3.6 eta_M) + aux                MWh per t (motor drive, plus auxiliaries)

with the isentropic work ``w_s = c_p T_1 (r^((k-1)/k) - 1)`` the adiabatic efficiency is
``eta_s = w_s / w_c``. ``e`` is the share of the blast blown by electric blowers (0: all steam-driven,
1: all electric). The steam drive turns the steam's heat (above feed water, the ``steam`` carrier's
GJ as the boilers make it) into shaft work with the ideal Rankine efficiency ``eta_R`` of its steam
conditions times the turbine's internal efficiency ``eta_T``.

Hand check at the defaults (30 degC inlet, 1.0 -> 3.9 bar abs, eta_p 0.87, eta_m 0.97, eta_R 0.41,
eta_T 0.80): n = 0.2857 / 0.87 = 0.32841, r^n = 3.9^0.32841 = 1.5636, w_c = 1.005 x 303.15 x 0.5636
= 171.7 kJ/kg = 47.7 kWh/t; shaft 177.0 MJ/t; steam 0.540 GJ/t blast (the fixed recipe had
0.95 GJ/t: 70 kWh/t at 25 % steam-to-shaft).

Published check (GSE "Blast Blower", http://ed.newdu.com/k331550.html): Soviet steam turbo-blowers for
2,300-3,000 m3 furnaces deliver 5,500 m3/min at ~0.5 MN/m2, driven by 22,000 kW turbines on
9 MN/m2 / 535 degC steam: 22 MW / (5,500 x 60 x 1.2 kg/m3 = 396 t/h) = 56 kWh/t of rated drive power;
the model at 5 bar abs gives ~57 kWh/t compression work at a 20 degC inlet (tests/physics/test_blower.py).

==============  ==========================================  ==============================
symbol          meaning                                     parameter
==============  ==========================================  ==============================
p_1, p_2        inlet / discharge pressure, absolute        ``inlet_pressure``, ``blast_pressure``
T_1             inlet (ambient) temperature                 ``inlet_temperature``
eta_p           polytropic efficiency of the compressor     ``polytropic_efficiency``
eta_m           mechanical efficiency of the train          ``mechanical_efficiency``
eta_R, eta_T    ideal Rankine / turbine internal efficiency ``rankine_efficiency``, ``turbine_efficiency``
eta_M           electric motor efficiency                   ``motor_efficiency``
e               share of electric blowers                   ``electric_share``
aux             auxiliaries (oil, cooling water, controls)  ``auxiliary_electricity``
==============  ==========================================  ==============================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import broadcast_parameters, get_carrier, shaped

#: dry air: isobaric heat capacity [kJ/(kg K)] near 300 K and its ratio of heat capacities (STD, ideal gas)
CP_AIR_KJ_PER_KG_K = 1.005
KAPPA_AIR = 1.4
KELVIN = 273.15

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "blast_pressure",
        "dimensionless",
        "bar abs",
        3.9,
        1.5,
        7.0,
        "blower discharge pressure, bar absolute",
        "issue 8 / ironmaking practice: a ~1,000 m3 furnace blows at ~3.5-4.3 bar abs (PSM's furnaces, "
        "psm_plant_and_context.md §1.2: ~1,000 m3 useful volume, estimate); GSE 'Blast Blower' "
        "(ed.newdu.com/k331550.html): ~0.5 MN/m2 for 2,300-3,000 m3 furnaces; 3.9 mid-range",
    ),
    ParameterSpec(
        "inlet_pressure",
        "dimensionless",
        "bar abs",
        1.0,
        0.8,
        1.1,
        "blower suction pressure, bar absolute (ambient less the intake filter)",
        "STD: 1.013 bar at sea level (Karachi) less ~1-2 kPa filter and duct loss (estimate)",
    ),
    ParameterSpec(
        "inlet_temperature",
        "temperature",
        "degC",
        30.0,
        -20.0,
        50.0,
        "air temperature at the blower intake",
        "estimate: Karachi's mean daily temperature ~26 degC (annual), ~31 degC in May-Jun; 30 degC chosen",
    ),
    ParameterSpec(
        "polytropic_efficiency",
        "dimensionless",
        "-",
        0.87,
        0.6,
        0.95,
        "polytropic efficiency of the blower (axial or multistage centrifugal, uncooled)",
        "estimate: 0.85-0.90 for industrial axial/centrifugal air compressors (Falck 2008, Lund Univ. MSc "
        "'Axial Flow Compressor Mean Line Design'); 1910s turbo-blowers ~0.70 (Johnson, Blast Furnace "
        "Construction in America, chestofbooks.com)",
    ),
    ParameterSpec(
        "mechanical_efficiency",
        "dimensionless",
        "-",
        0.97,
        0.85,
        1.0,
        "bearings, gearbox and coupling between drive and compressor",
        "estimate: 0.96-0.98 for a geared turbine or motor train",
    ),
    ParameterSpec(
        "rankine_efficiency",
        "dimensionless",
        "-",
        0.41,
        0.15,
        0.5,
        "ideal (isentropic) Rankine efficiency of the drive steam: shaft work per GJ of steam heat above feed water",
        "STD (steam tables): 9 MN/m2 / 535 degC steam, the Soviet blower-turbine conditions (GSE 'Blast "
        "Blower'), expanded to 0.08 bar: h 3,475 -> 2,108 kJ/kg against 3,292 kJ/kg raised = 0.41",
    ),
    ParameterSpec(
        "turbine_efficiency",
        "dimensionless",
        "-",
        0.80,
        0.5,
        0.92,
        "internal (isentropic) efficiency of the blower's drive turbine",
        "estimate: 0.75-0.85 for industrial condensing drive turbines of 10-30 MW",
    ),
    ParameterSpec(
        "motor_efficiency",
        "dimensionless",
        "-",
        0.96,
        0.85,
        0.99,
        "electric drive (motor and converter) efficiency, for electric blowers",
        "estimate: 0.95-0.97 for large synchronous motors with variable-speed drives",
    ),
    ParameterSpec(
        "electric_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "share of the blast blown by electric blowers (0 steam-driven, 1 all electric)",
        "PSM-tpp: PSM's turbo-blower station is steam-driven from the TPP boilers (psm_plant_and_context.md §1.2)",
    ),
    ParameterSpec(
        "auxiliary_electricity",
        "electricity_per_mass",
        "MWh/t",
        0.005,
        0.0,
        0.02,
        "auxiliaries per t blast: lube oil, condenser cooling water, controls",
        "estimate: ~5 kWh/t blast (the fixed recipe's figure)",
    ),
)


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    get_carrier(carriers, "air", where)
    get_carrier(carriers, "cold_blast", where)
    ratio = p["blast_pressure"] / p["inlet_pressure"]  # > 1.36 within the parameter ranges (1.5 / 1.1)
    t1 = p["inlet_temperature"] + KELVIN
    exponent = (KAPPA_AIR - 1.0) / (KAPPA_AIR * p["polytropic_efficiency"])
    w_c = CP_AIR_KJ_PER_KG_K * t1 * (ratio**exponent - 1.0) / 1000.0  # GJ/t
    w_s = CP_AIR_KJ_PER_KG_K * t1 * (ratio ** ((KAPPA_AIR - 1.0) / KAPPA_AIR) - 1.0) / 1000.0
    shaft = w_c / p["mechanical_efficiency"]
    e = p["electric_share"]
    steam = (1.0 - e) * shaft / (p["rankine_efficiency"] * p["turbine_efficiency"])
    elec = e * shaft / (3.6 * p["motor_efficiency"]) + p["auxiliary_electricity"]
    recipe = {
        "cold_blast": np.ones(shape),
        "air": -np.ones(shape),
        "steam": -steam,
        "electricity": -elec,
    }
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    diag = {
        "pressure_ratio": ratio,
        "compression_kwh_per_t": w_c / 0.0036,
        "isentropic_kwh_per_t": w_s / 0.0036,
        "adiabatic_efficiency": np.divide(w_s, w_c, out=np.ones_like(np.asarray(w_c, dtype=float)), where=w_c > 0),
        "shaft_kwh_per_t": shaft / 0.0036,
        "discharge_temperature_degc": t1 * ratio**exponent - KELVIN,
        "steam_gj_per_t": steam,
        "electricity_kwh_per_t": elec * 1000.0,
    }
    diag = {k: shaped(v, shape) for k, v in diag.items()}
    return PhysicsResult(recipe=recipe, diagnostics=diag)


MODEL = Model("blower", "cold_blast", PARAMETERS, solve)
