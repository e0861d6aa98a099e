r"""Direct-reduction shaft (MIDREX/HYL type) on natural gas, hydrogen or a mix (per t DRI).

The DRI composition is the ``dri`` carrier's (Fe, metallic Fe, FeO, C, gangue): metallisation
and carbon are properties of the product the plant holds, not free parameters. Equations::

    pellets  = Fe_DRI / fe_pellet                                  (Fe balance, no fines loss)
    O_rem    = pellets O_pellet - FeO_DRI M_O / M_FeO              oxygen removed, t
    NG       = (1 - h) E_NG / LHV_NG + h C_DRI / c_NG             natural gas, t
    H2       = h [O_rem/M_O + E_heat/LHV_H2 - 2 n_C(carburising NG)] M_H2
    el       = (1 - h) e_NG + h e_H2,   O2 = (1 - h) o_NG

``h`` is the hydrogen share of the reduction work (0 = natural-gas plant, 1 = H2 shaft in which
natural gas only carburises the DRI). In the NG plant the gas energy ``E_NG`` is taken from the
literature (reformer + heater + shaft); in the H2 plant the reduction needs the stoichiometric
H2 and the process-gas heater burns ``E_heat`` of H2. Carbon: NG carbon - DRI carbon is
emitted (>= 0, checked). Mass in - 1 t is the removed oxygen (as H2O/CO2) and the burnt gas.

=============  ======================================  ==========================
symbol         meaning                                 attribute / key
=============  ======================================  ==========================
h              hydrogen share                          param ``hydrogen_share``
E_NG           NG energy of a NG plant, GJ/tDRI        param ``natural_gas_energy``
E_heat         gas-heater energy of a H2 plant         param ``h2_heater_energy``
=============  ======================================  ==========================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import (
    broadcast_parameters,
    ferrous_chemistry,
    first_bad,
    gas_atoms_per_nm3,
    gas_props,
    get_carrier,
    infeasible,
    num,
    shaped,
)

M = thermo.MOLAR_MASS

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "hydrogen_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "share of the reduction done with hydrogen (0 natural gas, 1 hydrogen shaft)",
        "choice of route, not a data value: 0 = natural-gas shaft (MIDREX/HYL), 1 = hydrogen shaft (Vogl18)",
    ),
    ParameterSpec(
        "natural_gas_energy",
        "energy_per_mass",
        "GJ/t",
        9.7,
        7.5,
        13.0,
        "natural gas (LHV) per t DRI of a natural-gas plant",
        "Holling17: 9.7 GJ/tDRI (Sarkar18 8.95, Benavides24 9.6 HHV)",
    ),
    ParameterSpec(
        "h2_heater_energy",
        "energy_per_mass",
        "GJ/t",
        2.61,
        0.0,
        4.0,
        "process-gas heater energy of a hydrogen shaft, burnt as H2",
        "Rechberger20/Sasiain20: 242 Nm3 H2 for heating = 21.8 kg = 2.61 GJ/tDRI (Holling17: 0.23 MWh)",
    ),
    ParameterSpec(
        "electricity_ng",
        "electricity_per_mass",
        "MWh/t",
        0.080,
        0.03,
        0.15,
        "electricity per t DRI, natural-gas plant",
        "Holling17: 80 kWh/t (Benavides24 91, Jacobasch21 78)",
    ),
    ParameterSpec(
        "electricity_h2",
        "electricity_per_mass",
        "MWh/t",
        0.087,
        0.03,
        0.15,
        "electricity per t DRI, hydrogen shaft (excluding electrolysis)",
        "Jacobasch21: 87 kWh/t (Rechberger20 102.5 +- 22.5)",
    ),
    ParameterSpec(
        "oxygen_ng",
        "mass_per_mass",
        "t/t",
        0.0855,
        0.0,
        0.15,
        "oxygen per t DRI, natural-gas plant (partial oxidation / reformer)",
        "Jacobasch21: 85.5 kg/tDRI",
    ),
)


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    dri = get_carrier(carriers, "dri", where)
    pel = ferrous_chemistry(get_carrier(carriers, "dr_pellets", where), "dr_pellets", where)
    ng, h2 = get_carrier(carriers, "natural_gas", where), get_carrier(carriers, "hydrogen", where)
    fe_dri, c_dri = num(dri.fe_frac), num(dri.c_frac)
    feo_dri = num(dri.analysis.get("FeO", 0.0))
    fe_met = num(dri.analysis.get("Fe_metallic", fe_dri - feo_dri * M["Fe"] / thermo.oxide_molar_mass("FeO")))
    infeasible(
        pel["Fe"] <= 0.3,
        where,
        "carriers.dr_pellets",
        "the DR pellets carry (almost) no iron",
        "fe_frac > 0.3",
    )
    pellets = fe_dri / pel["Fe"]
    o_rem = pellets * pel["O"] - feo_dri * M["O"] / thermo.oxide_molar_mass("FeO")
    infeasible(
        o_rem <= 0,
        where,
        "carriers.dri",
        "the DRI holds more oxygen than the pellets",
        "a metallised DRI",
    )
    ng_gp, h2_gp = gas_props(ng), gas_props(h2)
    c_ng = num(ng_gp["c_frac"])
    lhv_ng = num(ng_gp["lhv_gj_per_t"])
    h = p["hydrogen_share"]
    ng_full = p["natural_gas_energy"] / lhv_ng  # t NG per t DRI, NG plant
    infeasible(
        ng_full * c_ng < c_dri,
        where,
        "natural_gas_energy",
        "the natural gas does not carry the carbon of the DRI",
        "more gas",
    )
    ng_carb = c_dri / c_ng  # t NG to carburise in a H2 plant
    ng_t = (1.0 - h) * ng_full + h * ng_carb
    atoms = gas_atoms_per_nm3(ng.volume_fractions)
    h2_per_t_ng = num(atoms["H2"] / (atoms["C"] * M["C"])) * c_ng * 1000.0  # kmol H2 per t NG
    lhv_h2 = num(h2_gp["lhv_gj_per_t"])
    h2_kmol = 1000.0 * o_rem / M["O"] + 1000.0 * p["h2_heater_energy"] / lhv_h2 / (2 * M["H"]) - h2_per_t_ng * ng_carb
    h2_t = h * np.maximum(h2_kmol, 0.0) * 2 * M["H"] / 1000.0
    elec = (1.0 - h) * p["electricity_ng"] + h * p["electricity_h2"]
    o2 = (1.0 - h) * p["oxygen_ng"]
    recipe = {
        "dr_pellets": -pellets + 0.0 * h,
        "natural_gas": -ng_t,
        "hydrogen": -h2_t,
        "electricity": -elec,
        "oxygen": -o2,
        "dri": np.ones(shape),
    }
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    c_em = ng_t * c_ng - c_dri
    m_in = pellets + ng_t + h2_t + o2
    diag = {
        "pellets_t_per_t": pellets + 0.0 * h,
        "metallisation": fe_met / fe_dri + 0.0 * h,
        "natural_gas_gj_per_t": ng_t * lhv_ng,
        "hydrogen_kg_per_t": 1000.0 * h2_t,
        "hydrogen_nm3_per_t": 1000.0 * h2_t / num(h2_gp["density_kg_per_nm3"]),
        "oxygen_removed_t": o_rem + 0.0 * h,
        "carbon_emitted_t": c_em,
        "co2_t_per_t": c_em * thermo.CO2_PER_C,
        "mass_loss_t": m_in - 1.0,
    }
    diag = {k: shaped(v, shape) for k, v in diag.items()}
    infeasible(
        diag["mass_loss_t"] < 0,
        where,
        "hydrogen_share",
        lambda bad: f"inputs weigh less than the DRI ({first_bad(m_in, bad):.3f} t)",
        "consistent pellet and DRI carriers",
    )
    return PhysicsResult(recipe=recipe, diagnostics=diag)


MODEL = Model("dri", "dri", PARAMETERS, solve)
