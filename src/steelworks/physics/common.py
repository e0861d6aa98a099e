"""Helpers every process model shares: numbers, errors, carrier look-up, ferrous and flux chemistry.

No model imports another model; what two models need in common lives here:

* :func:`num`, :func:`shaped` — floats and arrays over samples;
* :func:`fail`, :func:`first_bad`, :func:`infeasible` — located errors, and the per-sample
  feasibility check that either raises (one run) or masks the sample (a batch, see
  :func:`masked`);
* :func:`get_carrier`, :func:`gas_props`, :func:`gas_atoms_per_nm3`, :func:`gas_formation_per_nm3`
  — carrier properties;
* :func:`ferrous_chemistry` — an iron-bearing carrier split into oxides and gangue;
* :func:`flux_props` — a lime/dolomite/limestone carrier split into CaO, MgO, SiO2 and CO2;
* :data:`ASH_SPLIT`, :data:`DUST_CP` — property estimates used by several models.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.errors import InputError
from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, ParameterSpec, check_parameters
from steelworks.physics.feasibility import (  # re-exported: the models import them from here
    Bad,
    Feasibility,
    OneSample,
    Text,
    any_bad,
    fail,
    first_bad,
    infeasible,
    masked,
    masking,
    num,
    shaped,
)

M = thermo.MOLAR_MASS
VM = thermo.MOLAR_VOLUME_NM3_PER_KMOL
HF = thermo.FORMATION_ENTHALPY_KJ_PER_MOL

#: coke and PCI ash split (mass fractions of ash), estimate: typical coal ash of coking coals
#: (SiO2 45-55 %, Al2O3 25-35 %, Fe2O3/CaO/MgO/alkalis the rest); the Fe of the ash is not counted
#: (carriers give coke and coal no iron)
ASH_SPLIT = {"SiO2": 0.50, "Al2O3": 0.30, "CaO": 0.05, "MgO": 0.02, "other": 0.13}
#: heat capacity of dust, GJ/(t K), estimate (oxide/coke mixture ~0.8 kJ/kg K)
DUST_CP = 0.0008

__all__ = [
    "ASH_SPLIT",
    "DUST_CP",
    "Bad",
    "Feasibility",
    "OneSample",
    "Text",
    "any_bad",
    "broadcast_parameters",
    "fail",
    "ferrous_chemistry",
    "first_bad",
    "flux_props",
    "gas_atoms_per_nm3",
    "gas_formation_per_nm3",
    "gas_props",
    "get_carrier",
    "infeasible",
    "masked",
    "masking",
    "num",
    "shaped",
]


def broadcast_parameters(
    specs: tuple[ParameterSpec, ...], params: Mapping[str, float | Array], *, where: str
) -> tuple[dict[str, Array], tuple[int, ...]]:
    """A model's parameters checked against its table (defaults filled, domains enforced) and broadcast
    to one sample shape, so every equation of the model sees arrays of the same shape: (params, shape)."""
    p = check_parameters(specs, params, where=where)
    shape = np.broadcast_shapes(*(np.shape(v) for v in p.values()))
    return {k: num(np.broadcast_to(v, shape)) for k, v in p.items()}, shape


# --------------------------------------------------------------------------------------------
# carriers
# --------------------------------------------------------------------------------------------


def get_carrier(carriers: Mapping[str, CarrierProps], cid: str, where: str) -> CarrierProps:
    """The carrier ``cid`` or an InputError saying the model needs it."""
    try:
        return carriers[cid]
    except KeyError:
        raise InputError(
            f"the model needs carrier {cid!r}, which is not defined",
            location=f"{where}",
            allowed="a carrier table that includes it (src/steelworks/data/carriers.yaml)",
        ) from None


def gas_props(props: CarrierProps) -> dict[str, Array]:
    """Density, LHV and C content of a gas carrier from its volume fractions (or its own fields)."""
    if props.volume_fractions:
        return thermo.gas_properties(props.volume_fractions)
    return {
        "c_frac": num(props.c_frac),
        "lhv_gj_per_t": num(props.lhv_gj_per_t),
        "density_kg_per_nm3": num(np.nan),
        "lhv_mj_per_nm3": num(np.nan),
    }


def gas_atoms_per_nm3(volume_fractions: Mapping[str, float | Array]) -> dict[str, Array]:
    """kmol of C, H2 (molecules), O (atoms), N2 and Ar per Nm3 of a gas mixture."""
    out = {k: num(0.0) for k in ("C", "H2", "O", "N2", "Ar")}
    for species, frac in volume_fractions.items():
        atoms = thermo.GAS_SPECIES[species]
        kmol = num(frac) / VM
        out["C"] = out["C"] + kmol * atoms.get("C", 0)
        out["H2"] = out["H2"] + kmol * atoms.get("H", 0) / 2.0
        out["O"] = out["O"] + kmol * atoms.get("O", 0)
        out["N2"] = out["N2"] + kmol * atoms.get("N", 0) / 2.0
        out["Ar"] = out["Ar"] + kmol * atoms.get("Ar", 0)
    return out


def gas_formation_per_nm3(volume_fractions: Mapping[str, float | Array]) -> Array:
    """MJ per Nm3: sum of formation enthalpies of a gas mixture at 25 degC."""
    total = num(0.0)
    for species, frac in volume_fractions.items():
        total = total + num(frac) / VM * HF[species]
    return total


def flux_props(props: CarrierProps) -> dict[str, Array]:
    """Mass fractions SiO2, MgO, CaO, CO2 and C of a flux (burnt lime, dolomite).

    ``CO2 = c_frac * 44.01/12.011`` (residual carbonate), ``CaO = 1 - SiO2 - MgO - CO2`` by
    difference, so that the flux mass closes exactly.
    """
    a = props.analysis
    sio2 = num(a.get("SiO2", 0.0))
    mgo = num(a.get("MgO", 0.0))
    co2 = num(props.c_frac) * thermo.CO2_PER_C
    cao = 1.0 - sio2 - mgo - co2  # by difference: the flux mass closes exactly
    return {"SiO2": sio2, "MgO": mgo, "CaO": cao, "CO2": co2, "C": num(props.c_frac)}


# --------------------------------------------------------------------------------------------
# ferrous chemistry
# --------------------------------------------------------------------------------------------

#: Fe mass fraction of the iron oxides
FE_IN = {
    "Fe2O3": 2 * M["Fe"] / thermo.oxide_molar_mass("Fe2O3"),
    "Fe3O4": 3 * M["Fe"] / thermo.oxide_molar_mass("Fe3O4"),
    "FeO": M["Fe"] / thermo.oxide_molar_mass("FeO"),
}

GANGUE = ("SiO2", "Al2O3", "CaO", "MgO", "MnO", "P", "S")


def ferrous_chemistry(
    props: CarrierProps, cid: str, where: str, default_analysis: Mapping[str, float] | None = None
) -> dict[str, Array]:
    """Mass fractions of an iron-bearing carrier split for the element balances.

    Returns Fe (= fe_frac), Fe2O3, Fe3O4, FeO, Fe_metallic (oxide masses), O (bound to Fe),
    hf (MJ/t, formation enthalpy of the iron oxides), the gangue keys of :data:`GANGUE`, H2O
    (LOI), C (= c_frac) and ``other`` = 1 - sum. Iron not listed as FeO, Fe3O4 or metal is
    hematite::

        Fe2O3 = (Fe - 0.7773 FeO - 0.7236 Fe3O4 - Fe_met) / 0.6994

    Infeasible (see :func:`infeasible`) if a listed Fe2O3 disagrees with fe_frac by more than
    0.01 Fe or the analysis does not sum to 0.97-1.01.
    """
    analysis = dict(default_analysis or {}) if not props.analysis else dict(props.analysis)
    fe = num(props.fe_frac)
    a = {k: num(v) for k, v in analysis.items()}
    zero = np.zeros_like(fe)
    feo = a.get("FeO", zero)
    fe3o4 = a.get("Fe3O4", zero)
    fe_met = a.get("Fe_metallic", zero)
    fe_hem = fe - feo * FE_IN["FeO"] - fe3o4 * FE_IN["Fe3O4"] - fe_met
    infeasible(
        fe_hem < -0.005,
        where,
        f"carriers.{cid}",
        lambda bad: f"the analysis of {cid} lists more iron as FeO/Fe3O4/metal than fe_frac = {first_bad(fe, bad):.4f}",
        "analysis consistent with fe_frac",
    )
    fe_hem = np.maximum(fe_hem, 0.0)
    fe2o3 = fe_hem / FE_IN["Fe2O3"]
    if "Fe2O3" in a:
        infeasible(
            np.abs(a["Fe2O3"] - fe2o3) * FE_IN["Fe2O3"] > 0.01,
            where,
            f"carriers.{cid}",
            f"the chemistry of {cid} does not sum: Fe2O3 in the analysis gives a different Fe than fe_frac",
            "Fe2O3 x 0.6994 + FeO x 0.7773 + ... = fe_frac within 0.01",
        )
    oxygen = fe2o3 * (1 - FE_IN["Fe2O3"]) + fe3o4 * (1 - FE_IN["Fe3O4"]) + feo * (1 - FE_IN["FeO"])
    hf = 1000.0 * (
        fe2o3 / thermo.oxide_molar_mass("Fe2O3") * HF["Fe2O3"]
        + fe3o4 / thermo.oxide_molar_mass("Fe3O4") * HF["Fe3O4"]
        + feo / thermo.oxide_molar_mass("FeO") * HF["FeO"]
    )
    out: dict[str, Array] = {
        "Fe": fe,
        "Fe2O3": fe2o3,
        "Fe3O4": fe3o4,
        "FeO": feo,
        "Fe_metallic": fe_met,
        "O": oxygen,
        "hf": hf,
    }
    for key in GANGUE:
        out[key] = a.get(key, zero)
    if "Mn" in a:
        out["MnO"] = out["MnO"] + a["Mn"] * thermo.oxide_molar_mass("MnO") / M["Mn"]
    out["H2O"] = a.get("LOI", zero) + a.get("H2O", zero)
    out["C"] = num(props.c_frac)
    total = fe + oxygen + out["H2O"] + out["C"] + sum(out[k] for k in GANGUE)
    infeasible(
        (total < 0.97) | (total > 1.01),
        where,
        f"carriers.{cid}",
        lambda bad: f"the chemistry of {cid} does not sum: Fe + O + gangue + LOI = {first_bad(total, bad):.4f}",
        "0.97 to 1.01 of the carrier mass",
    )
    out["other"] = 1.0 - total
    return out
