r"""Blast furnace: mass, oxygen, carbon and heat balance in the Rist tradition (per t hot metal).

The furnace is solved for two unknowns, the coke rate :math:`K` (t/tHM) and the dry air blast
:math:`V` (Nm3/tHM), from two conditions:

1. **Chemical (Rist W point).** In the thermal-reserve zone the gas reaches the fraction
   :math:`\omega` (shaft efficiency) of the Fe/FeO equilibrium utilisation, for CO
   (:math:`\eta_{W,CO}`) and for H2 (:math:`\eta_{W,H_2}`). Counting oxygen atoms in the gas
   at the W point (kmol/tHM)::

       C_g (1 + w eta_WCO) + H2 w eta_WH2 = O_b + O_inj + O_f + y_W n_Fe            (W)

   with ``C_g`` the carbon gasified from fuels (coke + PCI + natural gas - C to hot metal and
   dust), ``H2`` all hydrogen (blast moisture, PCI, natural gas), ``O_b`` blast oxygen
   (2 O2 + H2O), ``O_inj`` oxygen of the injectants, ``O_f`` oxygen of the reduced Si, Mn and P
   oxides and ``y_W = min(1.05, y_A)`` the wüstite O/Fe. If this would make direct reduction
   negative (very hot, hydrogen-rich blast), it is replaced by ``O_direct = 0``.

2. **Global heat balance** (reference 25 degC, Hess's law)::

       sum_in n_i (dHf_i + h_i(T_i)) = sum_out n_j (dHf_j + h_j(T_j)) + Q_loss          (H)

   Inputs: burden iron oxides, reduced SiO2/MnO/P2O5, limestone CaCO3, ore moisture (LOI as
   liquid water), coke/PCI (formation enthalpy from their LHV), natural gas, hot blast at
   ``T_blast``. Outputs: hot metal at ``T_HM`` (sensible heat + heats of solution), slag at
   ``T_HM + 50 K``, dust, top gas (CO, CO2, H2, H2O, N2, Ar) at ``T_top``, heat losses.

   The same balance written for the **lower zone** only (below the thermal reserve zone at
   ``T_R``: wüstite FeO_yW, gangue and coke enter at ``T_R``, the gas leaves at ``T_R`` with its
   W-point composition, ``s_L Q_loss`` is lost there) is Rist's thermal condition (P point). The
   furnace needs the larger of the two coke rates: the lower-zone one, with the global balance
   then giving the top-gas temperature, unless that would fall below ``top_gas_temperature``
   (then the global balance at that temperature binds).

All conditions are affine in (K, V) once the burden is fixed, so they are solved exactly as a
2x2 linear system per sample; the small coupling of slag iron to burden mass is resolved by a
fixed-point loop (contraction ~1e-3 per pass, three passes). The slag is held at the basicity
target ``CaO/SiO2 = B`` by a flux affine in K (coke ash): limestone where the burden and ash are
acid, quartzite (an acid flux, SiO2) where they are basic (an over-fluxed sinter), one or the
other (:func:`_flux_regime`); ``acid_flux = 0`` lets an over-basic slag float instead. A works
fluxes through the sinter: the diagnostic ``sinter_basicity_for_target`` is the sinter basicity at
which neither flux is needed (a sinter plant with ``basicity_follows_furnace`` takes it). Top gas:
H2 leaves with the utilisation it had at W (water-gas shift moves the upper-shaft oxygen to CO2),
the rest of the oxygen splits CO/CO2 from the C and O counts::

    n_CO2 = O_C - C_gas,   n_CO = 2 C_gas - O_C,   eta_CO = n_CO2 / (n_CO + n_CO2)

Rist line (per mol Fe in hot metal): ``y = mu x - (y_b + y_f)`` with ``mu = (C_g + H2)/n_Fe``,
passing through the W' point ``(x_W', y_W)`` and the top ``(x_top, y_A)``.

Symbols and attributes:

=====================  ===================================  ============================
symbol                 meaning                              attribute / key
=====================  ===================================  ============================
K                      coke rate, t/tHM                     ``recipe["coke"]`` (negative)
V                      dry air blast, Nm3/tHM               diag ``air_nm3_per_thm``
omega                  shaft efficiency                     param ``shaft_efficiency``
eta_WCO                CO utilisation at W                  param ``w_point_co_utilisation``
T_blast, T_HM, T_top   temperatures, degC                   params ``blast_temperature`` ...
Q_loss                 heat losses, GJ/tHM                  param ``heat_losses``
B                      slag basicity CaO/SiO2               param ``slag_basicity``
L, Q                   limestone, quartzite, t/tHM          diag ``limestone_kg_per_thm`` ...
eta_CO                 top-gas CO utilisation               diag ``eta_co``
r_d                    degree of direct reduction           diag ``direct_reduction_degree``
=====================  ===================================  ============================

Conventions: iron in the burden comes from ``carriers[...].fe_frac`` (sinter, iron_ore_pellets,
iron_ore_lump, local_ore_fines), its oxides and gangue from ``analysis`` (Fe not bound as FeO,
Fe3O4 or metal is hematite; LOI is water). Mn and P that the hot metal needs beyond what the
analyses list are taken, as oxides, from the unspecified remainder of the gangue (reported as
``minor_oxides_unsourced_kg_per_thm``). Slag iron is FeO at ``carriers["bf_slag"].fe_frac``;
dust is Fe2O3 + C + gangue at ``carriers["dust_sludge"]`` fractions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import (
    ASH_SPLIT,
    DUST_CP,
    Bad,
    any_bad,
    broadcast_parameters,
    ferrous_chemistry,
    first_bad,
    gas_atoms_per_nm3,
    gas_formation_per_nm3,
    gas_props,
    get_carrier,
    infeasible,
    num,
    shaped,
)

M = thermo.MOLAR_MASS
VM = thermo.MOLAR_VOLUME_NM3_PER_KMOL
HF = thermo.FORMATION_ENTHALPY_KJ_PER_MOL

#: sinter chemistry used when ``carriers["sinter"].analysis`` is empty (gangue only; iron oxides
#: follow from fe_frac with 8 % FeO)
SINTER_DEFAULT_ANALYSIS: dict[str, float] = {
    "FeO": 0.08,
    "SiO2": 0.058,
    "CaO": 0.100,
    "MgO": 0.015,
    "Al2O3": 0.018,
    "MnO": 0.003,
    "P": 0.0006,
}
SINTER_DEFAULT_SOURCE = (
    "estimate: fluxed sinter, basicity CaO/SiO2 1.7, FeO 8 %, MgO 1.5 %, Al2O3 1.8 %; iron oxides from "
    "carriers.sinter.fe_frac; to be replaced by carriers.sinter.analysis when the plant data gives one"
)


class _Aff:
    """An affine form c + k*K + v*V of the two unknowns (coke t/tHM, dry air Nm3/tHM)."""

    __slots__ = ("c", "k", "v")
    __array_ufunc__ = None  # make numpy arrays defer to the reflected operators below

    def __init__(self, c: Array | float = 0.0, k: Array | float = 0.0, v: Array | float = 0.0) -> None:
        self.c = c
        self.k = k
        self.v = v

    def __add__(self, other: _Aff | Array | float) -> _Aff:
        if isinstance(other, _Aff):
            return _Aff(self.c + other.c, self.k + other.k, self.v + other.v)
        return _Aff(self.c + other, self.k, self.v)

    __radd__ = __add__

    def __sub__(self, other: _Aff | Array | float) -> _Aff:
        if isinstance(other, _Aff):
            return _Aff(self.c - other.c, self.k - other.k, self.v - other.v)
        return _Aff(self.c - other, self.k, self.v)

    def __rsub__(self, other: Array | float) -> _Aff:
        return _Aff(other - self.c, -self.k, -self.v)

    def __mul__(self, s: Array | float) -> _Aff:
        return _Aff(self.c * s, self.k * s, self.v * s)

    __rmul__ = __mul__

    def __truediv__(self, s: Array | float) -> _Aff:
        return _Aff(self.c / s, self.k / s, self.v / s)

    def at(self, K: Array, V: Array) -> Array:
        return num(self.c + self.k * K + self.v * V)

    def where(self, cond: NDArray[np.bool_], other: _Aff) -> _Aff:
        return _Aff(np.where(cond, self.c, other.c), np.where(cond, self.k, other.k), np.where(cond, self.v, other.v))


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

FEEDS = {
    "sinter_share": "sinter",
    "pellet_share": "iron_ore_pellets",
    "lump_share": "iron_ore_lump",
    "local_ore_share": "local_ore_fines",
}

#: PCI coal elemental analysis besides C and ash (dry), estimate for a low-volatile coal
#: (VM ~20 %: H 4.5 %, N 1.5 %, S 0.5 %, O = remainder)
PCI_H, PCI_N, PCI_S = 0.045, 0.015, 0.005
#: K above the hot metal at which the slag is tapped (estimate: slag runs 30-70 K hotter)
SLAG_SUPERHEAT_K = 50.0
#: H2 utilisation at the Fe/FeO equilibrium (W point), estimate: H2O/(H2+H2O) ~ 0.41 at 1000 degC
#: for FeO + H2 = Fe + H2O (Baur-Glaessner diagram)
ETA_W_H2 = 0.41
#: O/Fe of wüstite at the W point (RIST)
Y_WUSTITE = 1.05
#: flux (limestone or quartzite) below which the furnace charges none, t/tHM (1 g/tHM: round-off of a
#: sinter fluxed for the furnace, not a flux)
FLUX_DEADBAND = 1e-6
#: leanest burden the model accepts (estimate: below ~30 % Fe the slag volume stops a furnace)
MIN_BURDEN_FE = 0.30
#: coldest raceway flame the model accepts, degC (estimate: furnaces are run at RAFT 2,000-2,300
#: degC; below ~1,850 degC coal burnout and hearth heat fail)
MIN_RAFT_C = 1850.0
#: mean heat capacity of gangue, slag-forming solids and ash below ~1000 degC, GJ/(t K)
#: (estimate: oxide mixtures ~1.0 kJ/kg K)
SOLID_CP = 0.0010
#: temperature of the coke arriving in the raceway, degC (estimate, usual RAFT convention)
RACEWAY_COKE_C = 1500.0

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "sinter_share",
        "dimensionless",
        "-",
        0.85,
        0.0,
        1.0,
        "mass share of sinter in the iron-bearing burden",
        "estimate: 1980s Soviet-design furnaces ran on 80-100 % fluxed sinter; PSM imported lump "
        "ore for the rest (psm_plant_and_context.md gives no burden figures)",
    ),
    ParameterSpec(
        "pellet_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "mass share of BF pellets in the iron-bearing burden",
        "estimate: PSM had no pellet supply",
    ),
    ParameterSpec(
        "lump_share",
        "dimensionless",
        "-",
        0.15,
        0.0,
        1.0,
        "mass share of lump ore in the iron-bearing burden",
        "estimate: rest of the burden; Japan 15 % lump (process_coefficients 1.2)",
    ),
    ParameterSpec(
        "local_ore_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "mass share of raw local ore in the iron-bearing burden",
        "estimate: not charged raw",
    ),
    ParameterSpec(
        "pci_rate",
        "mass_per_mass",
        "t/t",
        0.0,
        0.0,
        0.25,
        "pulverised coal injection per t hot metal",
        "estimate: Soviet-design furnaces injected natural gas, not coal; modern 0.205 (He17)",
    ),
    ParameterSpec(
        "natural_gas_rate",
        "volume_per_mass",
        "m**3/t",
        80.0,
        0.0,
        200.0,
        "natural gas injected at the tuyeres, Nm3 per t hot metal",
        "estimate: Soviet practice 60-120 Nm3/tHM; PSM furnaces used Sui gas (gas bill "
        "'Rs 2 bn for the furnaces', psm_plant_and_context.md)",
    ),
    ParameterSpec(
        "blast_temperature",
        "temperature",
        "degC",
        1050.0,
        700.0,
        1350.0,
        "hot blast temperature",
        "estimate: 1980s Soviet stoves 1000-1100 degC; modern 1100-1250 (process_coefficients 1.4)",
    ),
    ParameterSpec(
        "blast_moisture",
        "density",
        "kg/m**3",
        0.012,
        0.0,
        0.06,
        "water vapour in the blast, kg per Nm3 of dry blast",
        "estimate: natural humidity at Karachi ~15-20 g/Nm3, partly dried; 5-30 g/Nm3 usual",
    ),
    ParameterSpec(
        "oxygen_enrichment",
        "dimensionless",
        "-",
        0.02,
        0.0,
        0.15,
        "O2 added to the blast, volume-fraction points above air (0.02 = 23 % O2)",
        "estimate: Soviet natural-gas furnaces 23-25 % O2; +2 to +8 points modern (process_coefficients 1.4)",
    ),
    ParameterSpec(
        "hot_metal_temperature",
        "temperature",
        "degC",
        1450.0,
        1350.0,
        1560.0,
        "hot metal tapping temperature",
        "Britannica: 1,400-1,500 degC (process_coefficients 1.4)",
    ),
    ParameterSpec(
        "slag_basicity",
        "dimensionless",
        "-",
        1.05,
        0.8,
        1.4,
        "slag basicity target CaO/SiO2 (flux: limestone)",
        "estimate: BF slags run CaO/SiO2 1.0-1.2",
    ),
    ParameterSpec(
        "shaft_efficiency",
        "dimensionless",
        "-",
        0.88,
        0.6,
        1.0,
        "approach of the gas to the W-point equilibrium (Rist shaft efficiency omega)",
        "RIST: typical omega 0.90-0.95 [EST]; 0.88 estimate for an older, smaller furnace",
    ),
    ParameterSpec(
        "w_point_co_utilisation",
        "dimensionless",
        "-",
        0.29,
        0.25,
        0.33,
        "CO2/(CO+CO2) at the Fe/FeO equilibrium in the thermal reserve zone",
        "RIST: eta_W 0.28-0.30 at 950-1000 degC [EST]",
    ),
    ParameterSpec(
        "heat_losses",
        "energy_per_mass",
        "GJ/t",
        0.70,
        0.1,
        1.5,
        "heat lost through the shell and cooling water per t hot metal",
        "estimate: 0.3-0.5 GJ/tHM for large modern furnaces, higher for ~1000 m3 furnaces with "
        "older cooling (more shell area per t)",
    ),
    ParameterSpec(
        "top_gas_temperature",
        "temperature",
        "degC",
        110.0,
        60.0,
        300.0,
        "minimum top gas temperature (burden drying, dew point); the balance gives the actual one",
        "estimate: furnaces are run with top gas above ~100 degC; 100-250 degC usual",
    ),
    ParameterSpec(
        "reserve_zone_temperature",
        "temperature",
        "degC",
        950.0,
        850.0,
        1050.0,
        "temperature of the thermal reserve zone (boundary of the lower-zone heat balance)",
        "RIST: W point evaluated at 950-1000 degC",
    ),
    ParameterSpec(
        "lower_zone_loss_share",
        "dimensionless",
        "-",
        0.7,
        0.3,
        1.0,
        "share of the heat losses that occurs below the thermal reserve zone",
        "estimate: bosh, belly and hearth carry most of the cooling load",
    ),
    ParameterSpec(
        "stove_efficiency",
        "dimensionless",
        "-",
        0.78,
        0.5,
        0.95,
        "hot-stove efficiency (blast sensible heat / fuel LHV)",
        "estimate: 75-85 %; He17 1.89 GJ/tHM stove fuel for ~1.4 GJ blast heat",
    ),
    ParameterSpec(
        "dust_rate",
        "mass_per_mass",
        "t/t",
        0.018,
        0.0,
        0.05,
        "top-gas dust and sludge per t hot metal",
        "estimate: 10-25 kg/tHM flue dust + sludge",
    ),
    ParameterSpec(
        "blower_kwh_per_nm3",
        "dimensionless",
        "kWh/Nm3",
        0.085,
        0.0,
        0.2,
        "electricity of the blast blowers per Nm3 blast",
        "estimate: adiabatic compression of air to ~4 bar abs at 80 % efficiency (STD); "
        "total ~105 kWh/tHM vs He17 110 kWh/tHM",
    ),
    ParameterSpec(
        "auxiliary_electricity",
        "electricity_per_mass",
        "MWh/t",
        0.015,
        0.0,
        0.1,
        "other electricity (charging, cast house, gas cleaning) per t hot metal",
        "estimate: He17 total 110 kWh/tHM minus blowers",
    ),
)


PARAMETERS += (
    ParameterSpec(
        "trt_efficiency",
        "dimensionless",
        "-",
        0.0,
        0.0,
        0.9,
        "isentropic efficiency x mechanical/generator efficiency of a top-gas recovery turbine (0 = none)",
        "estimate: PSM's 1980s furnaces have no top-gas recovery turbine (none listed in "
        "psm_plant_and_context.md §1.2); modern axial TRTs 0.75-0.85 overall",
    ),
    ParameterSpec(
        "top_pressure",
        "dimensionless",
        "bar",
        2.5,
        1.2,
        4.0,
        "top-gas pressure at the turbine inlet, bar absolute (used only when trt_efficiency > 0)",
        "estimate: large high-top-pressure furnaces run 2.5-3.5 bar abs at the top, a ~1,000 m3 "
        "furnace ~2 bar abs (issue 8 quotes 3.5-4.3 bar abs blast for a ~1,000 m3 furnace)",
    ),
)

PARAMETERS += (
    ParameterSpec(
        "slag_heat_loss",
        "energy_per_mass",
        "GJ/t",
        3.6,
        0.0,
        5.0,
        "extra hearth and bosh heat demand per t of slag above reference_slag_rate (slag superheat held "
        "for fluidity, bosh cooling, slower burden descent), GJ per t slag",
        "calibrated (tests/physics/test_blast_furnace.py): with the slag's own enthalpy it gives the "
        "published -1 to -1.5 % fuel rate per +1 %-point burden Fe at ~20-30 kg slag per point "
        "(process_coefficients.md §5.1 [EST])",
    ),
    ParameterSpec(
        "reference_slag_rate",
        "mass_per_mass",
        "t/t",
        0.30,
        0.1,
        0.6,
        "slag rate at which heat_losses holds (the losses grow with slag above it, fall below it)",
        "NSC-slag: ~300 kg slag/t pig iron (process_coefficients.md 2.5)",
    ),
    ParameterSpec(
        "lump_shaft_penalty",
        "dimensionless",
        "-",
        0.20,
        0.0,
        0.3,
        "loss of shaft efficiency per unit lump share of the burden (lump is less reducible than sinter "
        "and decrepitates; its water of hydration is in the heat balance through LOI)",
        "estimate, calibrated (tests/physics/test_blast_furnace.py) to ~+5-10 kg fuel/tHM per +10 "
        "points of lump replacing sinter",
    ),
    ParameterSpec(
        "acid_flux",
        "dimensionless",
        "-",
        1.0,
        0.0,
        1.0,
        "1: an over-basic burden (fluxed sinter richer in CaO than the slag target needs) is brought to "
        "slag_basicity with quartzite; 0: no acid flux, the slag basicity floats above the target",
        "switch, not a data value: SiO2 is the acid flux that corrects a basic charge as CaO corrects an "
        "acid one (mechtechguru.com 'Fluxes and its composition', 2021); ironmakers hold CaO/SiO2 within "
        "~0.05 of the target for fluidity and desulphurisation (estimate)",
    ),
)

#: top gas at the recovery-turbine inlet after wet cleaning, degC, and the gas-network pressure it
#: expands to, bar abs (estimates: saturated wet-cleaned gas 45-60 degC; works gas mains ~0.1 bar g)
TRT_INLET_C = 55.0
TRT_OUTLET_BAR = 1.1
#: ratio of heat capacities of dry blast-furnace gas (STD: N2/CO 1.40, CO2 1.29; ~55 % N2, 22 % CO,
#: 20 % CO2 gives ~1.38)
TRT_GAMMA = 1.38


def trt_kwh_per_nm3(top_pressure: Array, efficiency: Array) -> Array:
    r"""Electricity of a top-gas recovery turbine per Nm3 of dry top gas (STD, ideal-gas expansion)::

        w = eta gamma / (gamma - 1) p_0 V_0 (T_in / T_0) (1 - (p_out / p_in)^((gamma - 1)/gamma))

    with ``p_0 V_0 = 101.325 kJ`` per Nm3, ``T_0 = 273.15 K``; result in kWh/Nm3.
    """
    g = TRT_GAMMA
    ratio = np.minimum(TRT_OUTLET_BAR / np.maximum(top_pressure, TRT_OUTLET_BAR), 1.0)
    w_kj = g / (g - 1.0) * 101.325 * (TRT_INLET_C + 273.15) / 273.15 * (1.0 - ratio ** ((g - 1.0) / g))
    return efficiency * w_kj / 3600.0


def _ash_fraction(props: CarrierProps, default: float) -> Array:
    return num(props.analysis.get("ash", default))


#: quantities per t hot metal that the stages hand on (keys as in each stage's symbol table)
Quantities = dict[str, Any]


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    """Solve the furnace for a batch of parameter samples (see module docstring).

    The stages, each a function below with its equation: feed chemistry (:func:`_burden_chemistry`,
    :func:`_hot_metal`, :func:`_fuels`, :func:`_flux_slag_dust`), blast (:func:`_blast`), element
    inputs (:func:`_element_inputs`), reference enthalpies (:func:`_enthalpies`), then per pass of
    the slag fixed point the burden need (:func:`_burden_need`) and the conditions affine in
    (K, V) — slag (:func:`_slag`), top gas (:func:`_top_gas`), global and lower-zone heat balance
    (:func:`_heat_balance`, :func:`_lower_zone_heat`), Rist W point (:func:`_w_point`) — solved by
    :func:`_solve_kv` in the limestone regime :func:`_flux_regime` picks; last the checks
    (:func:`_check_solution`), top gas and recipe (:func:`_recipe`), raceway flame (:func:`_raft`)
    and diagnostics with the Rist line (:func:`_diagnostics`).
    """
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    # lump is less reducible than sinter: the shaft efficiency falls with its share
    p["shaft_efficiency"] = p["shaft_efficiency"] - p["lump_shaft_penalty"] * p["lump_share"]
    q: Quantities = {"shape": shape}
    q.update(_burden_chemistry(p, carriers, where))
    q.update(_hot_metal(carriers, where))
    q.update(_fuels(p, carriers, where))
    q.update(_flux_slag_dust(carriers, where))
    q.update(_blast(p, carriers, where))
    q.update(_element_inputs(p, q))
    q.update(_enthalpies(p, q))
    K, V, neg_direct, eqs, last = _fixed_point(p, q)
    n_co, n_co2 = _check_solution(K, V, eqs, p, q, where)
    recipe, gas, out = _recipe(K, V, eqs, n_co, n_co2, p, q)
    raft = _raft(
        V,
        q["n_o2_v"],
        q["n_h2o_v"],
        q["y_air"],
        p["blast_temperature"],
        p["pci_rate"],
        q["c_p"],
        q["o_p"],
        q["hf_p"],
        p["natural_gas_rate"],
        q["ng_atoms"],
        q["ng_hf"],
    )
    infeasible(
        raft < MIN_RAFT_C,
        where,
        lambda bad: _culprit(bad, p["pci_rate"], p["natural_gas_rate"], "blast_moisture"),
        lambda bad: (
            f"no solution: the raceway flame would be {first_bad(raft, bad):.0f} degC, too cold for the injection"
        ),
        f"injection, blast temperature and O2 giving a flame above {MIN_RAFT_C:.0f} degC",
    )
    diag = _diagnostics(K, V, neg_direct, eqs, last, out, raft, p, q)
    return PhysicsResult(recipe=recipe, gas_properties={"bf_gas": gas}, diagnostics=diag)  # type: ignore[dict-item]


# ---- feed chemistry --------------------------------------------------------------------------


def _burden_chemistry(p: Mapping[str, Array], carriers: Mapping[str, CarrierProps], where: str) -> Quantities:
    r"""The iron-bearing burden: share-weighted chemistry of its feeds (per t burden)::

        x_burden = sum_k s_k x_k,        sum_k s_k = 1,        Fe_burden > MIN_BURDEN_FE

    =========  ==================================================  ======
    symbol     meaning                                             unit
    =========  ==================================================  ======
    s_k        share of feed k: params ``sinter_share`` ...        t/t
    x_k        Fe, O, Fe2O3, ..., SiO2, CaO, H2O of feed k         t/t
               (:func:`~steelworks.physics.common.ferrous_chemistry`)
    hf         formation enthalpy of the burden's iron oxides      MJ/t
    =========  ==================================================  ======

    Returns ``shares`` and ``burden`` (the dict of x_burden).
    """
    shares = {k: p[k] for k in FEEDS}
    share_sum = sum(shares.values())
    infeasible(
        np.abs(share_sum - 1.0) > 1e-6,
        where,
        "sinter_share",
        lambda bad: f"burden shares sum to {first_bad(share_sum, bad):.6f}",
        "sinter_share + pellet_share + lump_share + local_ore_share = 1",
    )
    chem = {
        k: ferrous_chemistry(
            get_carrier(carriers, cid, where),
            cid,
            where,
            SINTER_DEFAULT_ANALYSIS if cid == "sinter" else None,
        )
        for k, cid in FEEDS.items()
    }
    burden = {key: sum(shares[k] * chem[k][key] for k in FEEDS) for key in chem["sinter_share"]}
    infeasible(
        burden["Fe"] <= MIN_BURDEN_FE,
        where,
        "sinter_share",
        lambda bad: f"the burden carries (almost) no iron: {first_bad(burden['Fe'], bad):.3f} Fe on average",
        f"a burden averaging more than {MIN_BURDEN_FE} Fe",
    )
    return {"shares": shares, "burden": burden, "sinter": chem["sinter_share"]}


def _hot_metal(carriers: Mapping[str, CarrierProps], where: str) -> Quantities:
    r"""Hot metal chemistry from the ``hot_metal`` carrier::

        other = 1 - Fe - C - Si - Mn - P - S >= 0,        Fe >= 0.85

    =========  ===========================================  ======
    symbol     meaning                                      unit
    =========  ===========================================  ======
    fe_hm      Fe of hot metal (``fe_frac``)                t/t
    c_hm       C of hot metal (``c_frac``)                  t/t
    hm_a       Si, Mn, P, S (``analysis``)                  t/t
    hm_other   residual elements (clipped at 0)             t/t
    =========  ===========================================  ======
    """
    hm = get_carrier(carriers, "hot_metal", where)
    hm_a = {k: num(hm.analysis.get(k, 0.0)) for k in ("C", "Si", "Mn", "P", "S")}
    fe_hm = num(hm.fe_frac)
    c_hm = num(hm.c_frac)
    hm_other = 1.0 - fe_hm - c_hm - hm_a["Si"] - hm_a["Mn"] - hm_a["P"] - hm_a["S"]
    infeasible(
        (hm_other < -1e-6) | (fe_hm < 0.85),
        where,
        "carriers.hot_metal",
        "hot metal chemistry does not sum (Fe + C + Si + Mn + P + S > 1 or Fe < 0.85)",
        "fe_frac + C + Si + Mn + P + S <= 1",
    )
    hm_other = np.maximum(hm_other, 0.0)
    return {"hm_a": hm_a, "fe_hm": fe_hm, "c_hm": c_hm, "hm_other": hm_other}


def _fuels(p: Mapping[str, Array], carriers: Mapping[str, CarrierProps], where: str) -> Quantities:
    r"""Coke, PCI coal and natural gas: composition and formation enthalpy (Hess, from the LHV)::

        hf_coke = 1000 LHV_k + 1000 c_k / M_C dHf(CO2)                              MJ/t
        hf_PCI  = 1000 (LHV_p + c_p / M_C dHf(CO2) + h_p / (2 M_H) dHf(H2O))       MJ/t
        o_p     = 1 - c_p - ash_p - h_p - n_p - s_p >= 0

    =========  =============================================  ========
    symbol     meaning                                        unit
    =========  =============================================  ========
    c_k        carbon of coke (``coke.c_frac``)               t/t
    ash_k      ash of coke (``analysis.ash``, else 0.115)     t/t
    s_k        sulphur of coke                                t/t
    rest_k     volatiles of coke, 1 - c - ash - S (lost)      t/t
    c_p        carbon of PCI coal; h_p, n_p, s_p: PCI_H ...   t/t
    ash_p      ash of PCI coal (else 0.09)                    t/t
    o_p        oxygen of PCI coal, by difference              t/t
    ng_atoms   kmol C, H2, O, N2 per Nm3 natural gas          kmol/Nm3
    ng_hf      formation enthalpy of natural gas              MJ/Nm3
    ng_mass    natural gas injected                           t/tHM
    =========  =============================================  ========
    """
    coke = get_carrier(carriers, "coke", where)
    c_k = num(coke.c_frac)
    ash_k = _ash_fraction(coke, 0.115)
    s_k = num(coke.analysis.get("S", 0.0))
    rest_k = 1.0 - c_k - ash_k - s_k
    infeasible(
        rest_k < -1e-9,
        where,
        "carriers.coke",
        "coke chemistry does not sum (C + ash + S > 1)",
        "C + ash + S <= 1",
    )
    infeasible(  # issue 9: a missing LHV made the heat balance blame the injection rates
        ~(num(coke.lhv_gj_per_t) > 0),
        where,
        "carriers.coke.lhv",
        "carrier 'coke' (carriers file) has no positive lhv: the furnace's heat balance counts the coke by it",
        "lhv > 0 GJ/t",
    )
    hf_k = 1000.0 * num(coke.lhv_gj_per_t) + 1000.0 * c_k / M["C"] * HF["CO2"]  # MJ/t

    pci = get_carrier(carriers, "pci_coal", where)
    c_p = num(pci.c_frac)
    ash_p = _ash_fraction(pci, 0.09)
    o_p = 1.0 - c_p - ash_p - PCI_H - PCI_N - PCI_S
    infeasible(
        o_p < 0,
        where,
        "carriers.pci_coal",
        "PCI coal chemistry does not sum (C + ash + H + N + S > 1)",
        "c_frac + ash <= 0.935",
    )
    infeasible(
        ~(num(pci.lhv_gj_per_t) > 0),
        where,
        "carriers.pci_coal.lhv",
        "carrier 'pci_coal' (carriers file) has no positive lhv: the furnace's heat balance counts the coal by it",
        "lhv > 0 GJ/t",
    )
    hf_p = 1000.0 * (num(pci.lhv_gj_per_t) + c_p / M["C"] * HF["CO2"] + PCI_H / (2 * M["H"]) * HF["H2O"])

    ng = get_carrier(carriers, "natural_gas", where)
    ng_gp = gas_props(ng)
    ng_atoms = gas_atoms_per_nm3(ng.volume_fractions)
    ng_hf = gas_formation_per_nm3(ng.volume_fractions)
    ng_mass = p["natural_gas_rate"] * ng_gp["density_kg_per_nm3"] / 1000.0  # t/tHM
    return {
        "c_k": c_k,
        "ash_k": ash_k,
        "s_k": s_k,
        "rest_k": rest_k,
        "hf_k": hf_k,
        "c_p": c_p,
        "ash_p": ash_p,
        "o_p": o_p,
        "hf_p": hf_p,
        "ng_gp": ng_gp,
        "ng_atoms": ng_atoms,
        "ng_hf": ng_hf,
        "ng_mass": ng_mass,
    }


def _flux_slag_dust(carriers: Mapping[str, CarrierProps], where: str) -> Quantities:
    r"""Limestone, slag iron and dust chemistry::

        CaO_l = 1 - SiO2_l - MgO_l - c_l (M_C + 2 M_O) / M_C          (limestone closes exactly)
        k     = fe_s M_FeO / M_Fe                                        (FeO per t slag)
        O_d   = 1.5 fe_d M_O / M_Fe,   gangue_d = 1 - fe_d - c_d - O_d >= 0   (dust: Fe2O3 + C + gangue)

    ===============  ===========================================  ======
    symbol           meaning                                      unit
    ===============  ===========================================  ======
    sio2_q, cao_q    SiO2, CaO, MgO of quartzite (``analysis``)    t/t
    mgo_q, rest_q    and the rest of it (Al2O3 ...) to slag        t/t
    c_l              carbon (as CaCO3) of limestone               t/t
    sio2_l, mgo_l    SiO2, MgO of limestone                       t/t
    cao_l            CaO of limestone, by difference              t/t
    fe_s             Fe of slag (``bf_slag.fe_frac``)             t/t
    feo_per_slag     k, FeO of slag                               t/t
    fe_d, c_d        Fe, C of dust (``dust_sludge``)              t/t
    o_d, gangue_d    oxygen bound to the dust Fe, dust gangue     t/t
    ===============  ===========================================  ======
    """
    lime = get_carrier(carriers, "limestone", where)
    c_l = num(lime.c_frac)
    sio2_l = num(lime.analysis.get("SiO2", 0.0))
    mgo_l = num(lime.analysis.get("MgO", 0.0))
    co2_l = c_l * (M["C"] + 2 * M["O"]) / M["C"]
    cao_l = 1.0 - sio2_l - mgo_l - co2_l  # by difference, so limestone mass closes exactly
    quartz = get_carrier(carriers, "quartzite", where)
    sio2_q, cao_q, mgo_q = (num(quartz.analysis.get(k, 0.0)) for k in ("SiO2", "CaO", "MgO"))
    rest_q = 1.0 - sio2_q - cao_q - mgo_q  # Al2O3, Fe2O3 traces ... to the slag's minor oxides
    infeasible(
        (sio2_q <= 0.5) | (rest_q < -1e-9) | (num(quartz.c_frac) > 0) | (num(quartz.fe_frac) > 0),
        where,
        "carriers.quartzite",
        "quartzite must be an acid flux: SiO2 > 0.5, oxides summing to at most 1, no carbon or iron",
        "analysis SiO2 > 0.5, fe_frac = c_frac = 0",
    )

    slag_c = get_carrier(carriers, "bf_slag", where)
    fe_s = num(slag_c.fe_frac)
    feo_per_slag = fe_s * thermo.oxide_molar_mass("FeO") / M["Fe"]
    dust_c = get_carrier(carriers, "dust_sludge", where)
    fe_d = num(dust_c.fe_frac)
    c_d = num(dust_c.c_frac)
    o_d = fe_d * 1.5 * M["O"] / M["Fe"]
    gangue_d = 1.0 - fe_d - c_d - o_d
    infeasible(
        gangue_d < 0,
        where,
        "carriers.dust_sludge",
        "dust chemistry does not sum (Fe as Fe2O3 + C > 1)",
        "fe_frac/0.6994 + c_frac <= 1",
    )
    return {
        "c_l": c_l,
        "sio2_l": sio2_l,
        "mgo_l": mgo_l,
        "cao_l": cao_l,
        "sio2_q": sio2_q,
        "cao_q": cao_q,
        "mgo_q": mgo_q,
        "rest_q": np.maximum(rest_q, 0.0),
        "fe_s": fe_s,
        "feo_per_slag": feo_per_slag,
        "fe_d": fe_d,
        "c_d": c_d,
        "o_d": o_d,
        "gangue_d": gangue_d,
    }


# ---- blast and element inputs ----------------------------------------------------------------


def _blast(p: Mapping[str, Array], carriers: Mapping[str, CarrierProps], where: str) -> Quantities:
    r"""The hot blast per Nm3 of dry air: enrichment, moisture and sensible heat::

        r_e    = e / (1 - y_O2 - e)                             Nm3 O2 per Nm3 air
        n_O2   = (y_O2 + r_e) / V_m                             kmol/Nm3
        n_H2O  = w (1 + r_e) / M_H2O                            kmol/Nm3
        h_b    = n_O2 h_O2(T_b) + y_N2/V_m h_N2(T_b) + y_Ar/V_m h_Ar(T_b) + n_H2O h_H2O(T_b)   MJ/Nm3

    ===============  ================================================  ==========
    symbol           meaning                                           unit
    ===============  ================================================  ==========
    y_air            O2, N2, Ar mole fractions of dry air              -
    air_kg_per_nm3   density of dry air                                kg/Nm3
    e                ``oxygen_enrichment`` (points above air)          -
    w                ``blast_moisture``                                kg/Nm3
    T_b              ``blast_temperature``                             degC
    V_m              molar volume 22.414                               Nm3/kmol
    r_e, n_o2_v, n_h2o_v, blast_h                                      as above
    ===============  ================================================  ==========
    """
    blast = get_carrier(carriers, "cold_blast", where)
    ba = blast.analysis or {"O2": 0.2314, "N2": 0.7552, "Ar": 0.0129}
    kmol_per_kg = {s: float(ba.get(s, 0.0)) / thermo.species_molar_mass(s) for s in ("O2", "N2", "Ar")}
    tot = sum(kmol_per_kg.values())
    y_air = {s: v / tot for s, v in kmol_per_kg.items()}
    air_kg_per_nm3 = sum(y_air[s] * thermo.species_molar_mass(s) for s in y_air) / VM
    T_b = p["blast_temperature"]
    e = p["oxygen_enrichment"]
    r_e = e / (1.0 - y_air["O2"] - e)  # Nm3 O2 per Nm3 dry air
    n_o2_v = (y_air["O2"] + r_e) / VM  # kmol O2 per Nm3 air
    n_h2o_v = p["blast_moisture"] * (1.0 + r_e) / (M["H"] * 2 + M["O"])  # kmol H2O per Nm3 air
    blast_h = (
        n_o2_v * thermo.gas_sensible_enthalpy("O2", T_b)
        + y_air["N2"] / VM * thermo.gas_sensible_enthalpy("N2", T_b)
        + y_air["Ar"] / VM * thermo.gas_sensible_enthalpy("Ar", T_b)
        + n_h2o_v * thermo.gas_sensible_enthalpy("H2O", T_b)
    )  # MJ per Nm3 air
    return {
        "y_air": y_air,
        "air_kg_per_nm3": air_kg_per_nm3,
        "r_e": r_e,
        "n_o2_v": n_o2_v,
        "n_h2o_v": n_h2o_v,
        "blast_h": blast_h,
    }


def _element_inputs(p: Mapping[str, Array], q: Quantities) -> Quantities:
    r"""Moles per t hot metal entering the gas, as affine forms in coke K (t/tHM) and air V (Nm3/tHM)::

        n_Fe = 1000 fe_hm / M_Fe;   n_Si, n_Mn, n_P likewise;   O_f = 2 n_Si + n_Mn + 2.5 n_P
        C_g  = 1000 (K c_k + PCI c_p + m_NG c_NG - c_hm - D c_d) / M_C
        H2   = 1000 PCI h_p / (2 M_H) + NG x_H2 + V n_H2O
        O_b  = V (2 n_O2 + n_H2O),   O_inj = 1000 PCI o_p / M_O + NG x_O
        N2   = 1000 PCI n_p / (2 M_N) + NG x_N2 + V y_N2 / V_m,   Ar = V y_Ar / V_m
        eta_WH2 = omega ETA_W_H2      (H2 utilisation reached at the W point)

    =========  ====================================================  ==========
    symbol     meaning                                               unit
    =========  ====================================================  ==========
    n_fe       Fe in hot metal                                       kmol/tHM
    O_f        O of the SiO2, MnO, P2O5 reduced into the metal       kmol/tHM
    C_g        carbon gasified by the fuels (affine in K)            kmol/tHM
    H2_tot     all hydrogen (blast moisture, PCI, NG)                kmol/tHM
    O_b        blast oxygen (O2 and H2O, affine in V)                kmol/tHM
    O_inj      oxygen of the injectants                              kmol/tHM
    n_N2, n_Ar nitrogen and argon of blast and injectants            kmol/tHM
    PCI, NG    ``pci_rate`` t/tHM, ``natural_gas_rate`` Nm3/tHM
    D          ``dust_rate``                                         t/tHM
    eta_wh     H2O/(H2 + H2O) at the W point                         -
    =========  ====================================================  ==========
    """
    hm_a, fe_hm, c_hm = q["hm_a"], q["fe_hm"], q["c_hm"]
    ng_gp, ng_atoms, ng_mass = q["ng_gp"], q["ng_atoms"], q["ng_mass"]
    y_air, n_o2_v, n_h2o_v = q["y_air"], q["n_o2_v"], q["n_h2o_v"]
    D = p["dust_rate"]
    PCI = p["pci_rate"]
    n_fe = 1000.0 * fe_hm / M["Fe"]
    n_si, n_mn, n_p = (1000.0 * hm_a[e] / M[e] for e in ("Si", "Mn", "P"))
    O_f = 2 * n_si + n_mn + 2.5 * n_p
    C_fixed = 1000.0 * (PCI * q["c_p"] + ng_mass * num(ng_gp["c_frac"]) - c_hm - D * q["c_d"]) / M["C"]
    C_g = _Aff(C_fixed, 1000.0 * q["c_k"] / M["C"], 0.0)  # kmol C gasified by fuels
    H2_fixed = 1000.0 * PCI * PCI_H / (2 * M["H"]) + p["natural_gas_rate"] * ng_atoms["H2"]
    O_inj = 1000.0 * PCI * q["o_p"] / M["O"] + p["natural_gas_rate"] * ng_atoms["O"]
    N2_inj = 1000.0 * PCI * PCI_N / (2 * M["N"]) + p["natural_gas_rate"] * ng_atoms["N2"]
    return {
        "n_fe": n_fe,
        "n_si": n_si,
        "n_mn": n_mn,
        "n_p": n_p,
        "O_f": O_f,
        "C_g": C_g,
        "O_inj": O_inj,
        "O_b": _Aff(0.0, 0.0, 2 * n_o2_v + n_h2o_v),
        "H2_tot": _Aff(H2_fixed, 0.0, n_h2o_v),
        "n_N2": _Aff(N2_inj, 0.0, y_air["N2"] / VM),
        "n_Ar": _Aff(0.0, 0.0, y_air["Ar"] / VM),
        "eta_wh": p["shaft_efficiency"] * ETA_W_H2,
    }


def _enthalpies(p: Mapping[str, Array], q: Quantities) -> Quantities:
    r"""Enthalpies (formation + sensible above 25 degC) of the products at their temperatures::

        H_HM   = 1000 h_metal(composition, T_HM)          MJ/tHM
        h_slag = 1000 h_slag(T_HM + SLAG_SUPERHEAT_K)     MJ/t slag
        h_X    = dHf_X + h_X(T_top)    for the top gas X = CO, CO2, H2, H2O, N2, Ar    MJ/kmol
        h_X_r  = dHf_X + h_X(T_R)      the same at the thermal reserve zone             MJ/kmol
        h_c_r, h_wus_r  sensible heat of coke carbon and FeO at T_R                    MJ/kmol

    =========  =====================================  ======
    symbol     meaning                                unit
    =========  =====================================  ======
    T_HM       ``hot_metal_temperature``              degC
    T_top      ``top_gas_temperature`` (minimum)      degC
    T_R        ``reserve_zone_temperature``           degC
    =========  =====================================  ======
    """
    hm_a = q["hm_a"]
    T_hm, T_top, T_R = p["hot_metal_temperature"], p["top_gas_temperature"], p["reserve_zone_temperature"]
    T_slag = T_hm + SLAG_SUPERHEAT_K
    hm_comp = {
        "Fe": q["fe_hm"],
        "C": q["c_hm"],
        "Si": hm_a["Si"],
        "Mn": hm_a["Mn"],
        "P": hm_a["P"],
        "S": hm_a["S"],
        "other": q["hm_other"],
    }
    out: Quantities = {
        "h_co": thermo.gas_enthalpy("CO", T_top),
        "h_co2": thermo.gas_enthalpy("CO2", T_top),
        "h_h2": thermo.gas_enthalpy("H2", T_top),
        "h_h2o": thermo.gas_enthalpy("H2O", T_top),
        "h_n2": thermo.gas_enthalpy("N2", T_top),
        "h_ar": thermo.gas_enthalpy("Ar", T_top),
        "H_hm": 1000.0 * thermo.metal_enthalpy_gj_per_t(hm_comp, T_hm),
        "h_slag": 1000.0 * thermo.slag_enthalpy_gj_per_t(T_slag),
        "h_c_r": thermo.graphite_sensible_enthalpy(T_R),
        "h_wus_r": thermo.sensible_enthalpy("FeO", T_R),
    }
    for sp in ("CO", "CO2", "H2", "H2O", "N2", "Ar"):
        out[f"h_{sp.lower()}_r"] = thermo.gas_enthalpy(sp, T_R)
    return out


# ---- the slag fixed point and the conditions affine in (K, V) ----------------------------------


def _fixed_point(p: Mapping[str, Array], q: Quantities) -> tuple[Array, Array, Array, dict[str, _Aff], Quantities]:
    r"""Solve (K, V) with the slag iron coupled to the burden mass (three passes from S = 0.30 t/tHM)::

        S_(n+1) = slag(K_n, V_n)      (contraction ~1e-3 per pass)

    Returns K, V, the samples where direct reduction would be negative (``O_direct = 0`` binds
    instead of the W point), the equations of the last pass and its burden quantities.
    """
    S_mass = np.full(q["shape"], 0.30)
    all_basic = False
    p_eff = dict(p)
    for _ in range(4):
        r = _burden_need(S_mass, p, q)
        p_eff["heat_losses"] = _slag_losses(S_mass, p)
        K, V, neg_direct, eqs, all_basic = _flux_regime(p_eff, q, r, all_basic)
        S_mass = eqs["slag"].at(K, V)
    r["heat_losses"] = p_eff["heat_losses"]
    return K, V, neg_direct, eqs, r


def _slag_losses(S_mass: Array, p: Mapping[str, Array]) -> Array:
    r"""Heat losses carrying the slag volume (GJ/tHM)::

        Q_loss = max(0.05, heat_losses + q_S (S - S_ref))

    ``q_S`` = ``slag_heat_loss``, ``S_ref`` = ``reference_slag_rate``.
    """
    return np.maximum(0.05, p["heat_losses"] + p["slag_heat_loss"] * (S_mass - p["reference_slag_rate"]))


def _burden_need(S_mass: Array, p: Mapping[str, Array], q: Quantities) -> Quantities:
    r"""Burden, reduction oxygen and slag formers before flux, for a slag mass ``S`` (per t HM)::

        B       = (fe_hm + fe_s S + fe_d D) / Fe_burden                     t burden/tHM
        O_red   = 1000 (B O_burden - D o_d - fe_s S M_O / M_Fe) / M_O       kmol O to the gas
        y_A     = O_red / n_Fe,   y_W = min(1.05, y_A)                      O/Fe of burden, wüstite
        dHf(FeO_yW) = dHf(FeO) + (y_W - 1) (dHf(Fe2O3)/2 - dHf(FeO)) / 0.5  kJ/mol Fe
        X_0     = B X_burden + PCI ash_p a_X - (reduced to metal) - dust gangue share     X = SiO2, ...
        L       = (B_s SiO2_0 - CaO_0 + K ash_k (B_s a_SiO2 - a_CaO)) / (CaO_l - B_s SiO2_l)   (limestone)
        Q       = -L (CaO_l - B_s SiO2_l) / (B_s SiO2_q - CaO_q)                  (quartzite, where L < 0)

    Mn and P the hot metal needs beyond the burden's are taken, as oxides, from the unspecified
    gangue (``deduct``, t/tHM); surplus MnO and P go to the slag.

    ===========  ====================================================  =========
    symbol       meaning                                               unit
    ===========  ====================================================  =========
    B            iron-bearing burden                                   t/tHM
    O_red        oxygen removed from the iron oxides                   kmol/tHM
    y_W          O/Fe of the wüstite at the W point                    -
    hf_wus       formation enthalpy of FeO_yW                          kJ/mol Fe
    n_fe_slag    Fe to slag                                            kmol/tHM
    n_loi        water of the burden's LOI                             kmol/tHM
    *_0          slag formers besides coke ash and flux                t/tHM
    B_s          ``slag_basicity`` CaO/SiO2                            -
    a_X          ASH_SPLIT, mass share of X in the ash                 -
    L_aff        limestone, affine in K                                t/tHM
    Q_aff        quartzite, affine in K (positive where L_aff < 0)     t/tHM
    ===========  ====================================================  =========
    """
    burden = q["burden"]
    fe_s, fe_d, o_d = q["fe_s"], q["fe_d"], q["o_d"]
    n_fe, n_mn, n_p, n_si = q["n_fe"], q["n_mn"], q["n_p"], q["n_si"]
    ash_p, ash_k = q["ash_p"], q["ash_k"]
    D = p["dust_rate"]
    PCI = p["pci_rate"]
    fe_need = q["fe_hm"] + fe_s * S_mass + fe_d * D
    B = fe_need / burden["Fe"]
    # oxygen removed from the iron oxides into the gas
    O_red = 1000.0 * (B * burden["O"] - D * o_d - fe_s * S_mass * M["O"] / M["Fe"]) / M["O"]
    y_A = O_red / n_fe
    y_W = np.minimum(Y_WUSTITE, y_A)
    hf_wus = HF["FeO"] + (y_W - 1.0) * (HF["Fe2O3"] / 2 - HF["FeO"]) / 0.5  # kJ/mol Fe of FeO_yW
    n_fe_slag = 1000.0 * fe_s * S_mass / M["Fe"]
    n_loi = 1000.0 * B * burden["H2O"] / (2 * M["H"] + M["O"])
    # Mn, P supply; shortfall taken as oxides from the unspecified gangue
    mn_supply = 1000.0 * B * burden["MnO"] / thermo.oxide_molar_mass("MnO")
    mno_slag = np.maximum(mn_supply - n_mn, 0.0) * thermo.oxide_molar_mass("MnO") / 1000.0
    mn_short = np.maximum(n_mn - mn_supply, 0.0)
    p_supply = 1000.0 * B * burden["P"] / M["P"]
    p_excess = np.maximum(p_supply - n_p, 0.0) * M["P"] / 1000.0
    p_short = np.maximum(n_p - p_supply, 0.0)
    deduct = (mn_short * thermo.oxide_molar_mass("MnO") + p_short * M["P"] + n_p * 2.5 * M["O"]) / 1000.0 + q[
        "hm_other"
    ]  # t taken from the 'minor' slag pool
    # slag components that do not depend on K (t/tHM), before flux
    sio2_0 = B * burden["SiO2"] + PCI * ash_p * ASH_SPLIT["SiO2"] - n_si * thermo.oxide_molar_mass("SiO2") / 1000.0
    al_0 = B * burden["Al2O3"] + PCI * ash_p * ASH_SPLIT["Al2O3"]
    oth_0 = B * burden["other"] + PCI * ash_p * ASH_SPLIT["other"] + p_excess
    # dust gangue removed from SiO2 / Al2O3 / other in proportion
    pool = np.maximum(sio2_0 + al_0 + oth_0, 1e-12)
    dg = D * q["gangue_d"]
    sio2_0, al_0, oth_0 = sio2_0 - dg * sio2_0 / pool, al_0 - dg * al_0 / pool, oth_0 - dg * oth_0 / pool
    cao_0 = B * burden["CaO"] + PCI * ash_p * ASH_SPLIT["CaO"]
    mgo_0 = B * burden["MgO"] + PCI * ash_p * ASH_SPLIT["MgO"]
    s_slag = B * burden["S"] + PCI * PCI_S - q["hm_a"]["S"]  # + coke S below
    beta = p["slag_basicity"]
    # limestone affine in K: CaO = beta SiO2
    den = q["cao_l"] - beta * q["sio2_l"]
    L_aff = _Aff(
        (beta * sio2_0 - cao_0) / den,
        (beta * ash_k * ASH_SPLIT["SiO2"] - ash_k * ASH_SPLIT["CaO"]) / den,
        0.0,
    )
    # quartzite affine in K: the same basicity condition with the acid flux instead of limestone
    den_q = beta * q["sio2_q"] - q["cao_q"]
    Q_aff = L_aff * (-den / den_q)
    return {
        "B": B,
        "O_red": O_red,
        "y_W": y_W,
        "n_loi": n_loi,
        "sio2_0": sio2_0,
        "al_0": al_0,
        "oth_0": oth_0,
        "cao_0": cao_0,
        "mgo_0": mgo_0,
        "s_slag": s_slag,
        "mno_slag": mno_slag,
        "deduct": deduct,
        "hf_wus": hf_wus,
        "n_fe_slag": n_fe_slag,
        "L_aff": L_aff,
        "Q_aff": Q_aff,
    }


def _slag(L: _Aff, Q: _Aff, q: Quantities, r: Quantities) -> dict[str, _Aff]:
    r"""Slag mass and oxides, affine in (K, V), for limestone ``L`` and quartzite ``Q``::

        SiO2 = SiO2_0 + K ash_k a_SiO2 + L SiO2_l + Q SiO2_q;   CaO, MgO likewise
        minor = Al2O3_0 + other_0 + K ash_k (a_Al2O3 + a_other) + Q rest_q - deduct;   S_el = S_0 + K s_k
        S (1 - k) = SiO2 + CaO + MgO + minor + S_el + MnO                      (k = FeO per t slag)

    =========  ============================================  ======
    symbol     meaning                                       unit
    =========  ============================================  ======
    S          slag (``slag``)                               t/tHM
    nonfeo     slag without its FeO                          t/tHM
    =========  ============================================  ======
    """
    ash_k = q["ash_k"]
    K1 = _Aff(0.0, 1.0, 0.0)
    sio2 = r["sio2_0"] + K1 * (ash_k * ASH_SPLIT["SiO2"]) + L * q["sio2_l"] + Q * q["sio2_q"]
    cao = r["cao_0"] + K1 * (ash_k * ASH_SPLIT["CaO"]) + L * q["cao_l"] + Q * q["cao_q"]
    mgo = r["mgo_0"] + K1 * (ash_k * ASH_SPLIT["MgO"]) + L * q["mgo_l"] + Q * q["mgo_q"]
    minor = (
        r["al_0"]
        + r["oth_0"]
        + K1 * (ash_k * (ASH_SPLIT["Al2O3"] + ASH_SPLIT["other"]))
        + Q * q["rest_q"]
        - r["deduct"]
    )
    sulf = r["s_slag"] + K1 * q["s_k"]
    nonfeo = sio2 + cao + mgo + minor + sulf + r["mno_slag"]
    slag = nonfeo / (1.0 - q["feo_per_slag"])
    return {"sio2": sio2, "cao": cao, "mgo": mgo, "minor": minor, "sulf": sulf, "nonfeo": nonfeo, "slag": slag}


def _top_gas(L: _Aff, q: Quantities, r: Quantities) -> dict[str, _Aff]:
    r"""Top gas from the C, H and O counts (kmol/tHM), affine in (K, V)::

    C_gas = C_g + n_cal,    n_cal = 1000 L c_l / M_C                       (limestone CO2)
    H2O   = H2 eta_WH2 + n_LOI,   H2_top = H2 (1 - eta_WH2)                (H2 keeps its W-point use)
    O_C   = O_b + O_inj + O_f + O_red + 2 n_cal + n_LOI - H2O              (oxygen left for carbon)
    n_CO2 = O_C - C_gas,    n_CO = 2 C_gas - O_C
    """
    n_cal = L * (1000.0 * q["c_l"] / M["C"])  # kmol CO2 from limestone
    c_gas = q["C_g"] + n_cal
    h2o_top = q["H2_tot"] * q["eta_wh"] + r["n_loi"]
    o_gas = q["O_b"] + q["O_inj"] + q["O_f"] + r["O_red"] + n_cal * 2.0 + r["n_loi"]
    o_c = o_gas - h2o_top
    return {
        "n_cal": n_cal,
        "h2o_top": h2o_top,
        "n_co2": o_c - c_gas,
        "n_co": c_gas * 2.0 - o_c,
        "h2_top": q["H2_tot"] * (1.0 - q["eta_wh"]),
    }


def _heat_balance(p: Mapping[str, Array], q: Quantities, r: Quantities, s: dict[str, _Aff], g: dict[str, _Aff]) -> _Aff:
    r"""Global heat balance H_in - H_out - Q_loss (MJ/tHM, 25 degC reference, Hess), affine in (K, V)::

        H_in  = K hf_k + PCI hf_PCI + NG hf_NG + B hf_burden + n_Si dHf(SiO2) + n_Mn dHf(MnO)
                + n_P dHf(P2O5)/2 + n_cal dHf(CaCO3) + n_LOI dHf(H2O,l) + V (h_b + n_H2O dHf(H2O))
        H_out = H_HM + S h_slag + S k dHf(FeO)/M_FeO + n_cal dHf(CaO)
                + D (fe_d dHf(Fe2O3)/(2 M_Fe) + c_p,dust (T_top - 25))
                + sum_X n_X h_X(T_top) + 1000 Q_loss

    =========  ==========================================  ======
    symbol     meaning                                     unit
    =========  ==========================================  ======
    Q_loss     ``heat_losses``                             GJ/tHM
    c_p,dust   DUST_CP                                     GJ/(t K)
    X          CO, CO2, H2, H2O, N2, Ar of the top gas     kmol
    =========  ==========================================  ======
    """
    K1 = _Aff(0.0, 1.0, 0.0)
    PCI = p["pci_rate"]
    n_cal, slag = g["n_cal"], s["slag"]
    h_in = (
        K1 * q["hf_k"]
        + PCI * q["hf_p"]
        + p["natural_gas_rate"] * q["ng_hf"]
        + r["B"] * q["burden"]["hf"]
        + q["n_si"] * HF["SiO2"]
        + q["n_mn"] * HF["MnO"]
        + q["n_p"] * HF["P2O5"] / 2
        + n_cal * HF["CaCO3"]
        + r["n_loi"] * HF["H2O_l"]
        + _Aff(0.0, 0.0, q["blast_h"] + q["n_h2o_v"] * HF["H2O"])
    )
    h_out = (
        q["H_hm"]
        + slag * q["h_slag"]
        + slag * (q["feo_per_slag"] * 1000.0 / thermo.oxide_molar_mass("FeO") * HF["FeO"])
        + n_cal * HF["CaO"]
        + p["dust_rate"]
        * (1000.0 * q["fe_d"] / (2 * M["Fe"]) * HF["Fe2O3"] + 1000.0 * DUST_CP * (p["top_gas_temperature"] - 25.0))
        + g["n_co"] * q["h_co"]
        + g["n_co2"] * q["h_co2"]
        + g["h2_top"] * q["h_h2"]
        + g["h2o_top"] * q["h_h2o"]
        + q["n_N2"] * q["h_n2"]
        + q["n_Ar"] * q["h_ar"]
        + 1000.0 * p["heat_losses"]
    )
    return h_in - h_out


def _lower_zone_heat(p: Mapping[str, Array], q: Quantities, r: Quantities, s: dict[str, _Aff]) -> _Aff:
    r"""Rist's thermal condition: the heat balance below the thermal reserve zone (MJ/tHM)::

        H_in,low  = K (hf_k + c_k h_C(T_R) + ash_k c_p,s (T_R - 25)) + PCI hf_PCI + NG hf_NG
                    + (n_Fe + n_Fe,slag) (dHf(FeO_yW) + h_FeO(T_R)) + n_Si dHf(SiO2) + ...
                    + (nonfeo - K ash_k) c_p,s (T_R - 25) + V (h_b + n_H2O dHf(H2O))
        H_out,low = H_HM + S h_slag + S k dHf(FeO)/M_FeO + sum_X n_X,W h_X(T_R)
                    + 1000 Q_loss s_L

    with the W-point gas ``n_X,W`` (CO, CO2 from the O count at y_W, H2O = H2 eta_WH2).

    =========  ================================================  ======
    symbol     meaning                                           unit
    =========  ================================================  ======
    T_R        ``reserve_zone_temperature``                      degC
    s_L        ``lower_zone_loss_share``                         -
    c_p,s      SOLID_CP of gangue and ash                        GJ/(t K)
    =========  ================================================  ======
    """
    K1 = _Aff(0.0, 1.0, 0.0)
    PCI = p["pci_rate"]
    T_R = p["reserve_zone_temperature"]
    ash_k, H2_tot, C_g = q["ash_k"], q["H2_tot"], q["C_g"]
    slag = s["slag"]
    o_w = q["O_b"] + q["O_inj"] + q["O_f"] + r["y_W"] * q["n_fe"]
    h2o_w = H2_tot * q["eta_wh"]
    co2_w = o_w - h2o_w - C_g
    co_w = C_g * 2.0 - (o_w - h2o_w)
    h_in_low = (
        K1 * (q["hf_k"] + 1000.0 * q["c_k"] / M["C"] * q["h_c_r"] + 1000.0 * ash_k * SOLID_CP * (T_R - 25.0))
        + PCI * q["hf_p"]
        + p["natural_gas_rate"] * q["ng_hf"]
        + (q["n_fe"] + r["n_fe_slag"]) * (r["hf_wus"] + q["h_wus_r"])
        + q["n_si"] * HF["SiO2"]
        + q["n_mn"] * HF["MnO"]
        + q["n_p"] * HF["P2O5"] / 2
        + (s["nonfeo"] - K1 * ash_k) * (1000.0 * SOLID_CP * (T_R - 25.0))
        + _Aff(0.0, 0.0, q["blast_h"] + q["n_h2o_v"] * HF["H2O"])
    )
    h_out_low = (
        q["H_hm"]
        + slag * q["h_slag"]
        + slag * (q["feo_per_slag"] * 1000.0 / thermo.oxide_molar_mass("FeO") * HF["FeO"])
        + co_w * q["h_co_r"]
        + co2_w * q["h_co2_r"]
        + (H2_tot - h2o_w) * q["h_h2_r"]
        + h2o_w * q["h_h2o_r"]
        + q["n_N2"] * q["h_n2_r"]
        + q["n_Ar"] * q["h_ar_r"]
        + 1000.0 * p["heat_losses"] * p["lower_zone_loss_share"]
    )
    return h_in_low - h_out_low


def _w_point(p: Mapping[str, Array], q: Quantities, r: Quantities) -> dict[str, _Aff]:
    r"""Rist's chemical condition (W point) and the direct-reduction oxygen (kmol/tHM)::

        w      = C_g (1 + omega eta_WCO) + H2 eta_WH2 - O_b - O_inj - O_f - y_W n_Fe = 0      (W)
        direct = C_g - O_b - O_inj - O_f                          (O removed by carbon, >= 0)

    =========  ===============================================  ======
    symbol     meaning                                          unit
    =========  ===============================================  ======
    omega      ``shaft_efficiency``                             -
    eta_WCO    ``w_point_co_utilisation``                       -
    =========  ===============================================  ======
    """
    C_g, O_b, O_inj, O_f = q["C_g"], q["O_b"], q["O_inj"], q["O_f"]
    omega, eta_w = p["shaft_efficiency"], p["w_point_co_utilisation"]
    w_eq = C_g * (1.0 + omega * eta_w) + q["H2_tot"] * q["eta_wh"] - O_b - O_inj - O_f - r["y_W"] * q["n_fe"]
    return {"w": w_eq, "direct": C_g - O_b - O_inj - O_f}


def _equations(L: _Aff, Q: _Aff, p: Mapping[str, Array], q: Quantities, r: Quantities) -> dict[str, _Aff]:
    """All conditions and the quantities the results read, affine in (K, V), for limestone ``L``
    and quartzite ``Q`` (at most one of them non-zero).

    ``top_sensible_rest`` is the heat the top gas carries above 25 degC: the global balance's
    surplus plus the top gas's sensible heat at ``top_gas_temperature`` (for the actual top-gas
    temperature, :func:`_top_temperature`).
    """
    s = _slag(L, Q, q, r)
    g = _top_gas(L, q, r)
    heat = _heat_balance(p, q, r, s, g)
    w = _w_point(p, q, r)
    return {
        "heat": heat,
        "heat_low": _lower_zone_heat(p, q, r, s),
        "w": w["w"],
        "top_sensible_rest": heat
        + g["n_co"] * (q["h_co"] - HF["CO"])
        + g["n_co2"] * (q["h_co2"] - HF["CO2"])
        + g["h2_top"] * q["h_h2"]
        + g["h2o_top"] * (q["h_h2o"] - HF["H2O"])
        + q["n_N2"] * q["h_n2"]
        + q["n_Ar"] * q["h_ar"],
        "direct": w["direct"],
        "slag": s["slag"],
        "sio2": s["sio2"],
        "cao": s["cao"],
        "mgo": s["mgo"],
        "minor": s["minor"],
        "sulf": s["sulf"],
        "n_co": g["n_co"],
        "n_co2": g["n_co2"],
        "h2_top": g["h2_top"],
        "h2o_top": g["h2o_top"],
        "L": L,
        "Q": Q,
        "n_cal": g["n_cal"],
    }


def _solve_kv(eqs: dict[str, _Aff]) -> tuple[Array, Array, Array]:
    r"""(K, V) from a heat condition and the W point, exactly (2x2 linear system per sample)::

        heat_low(K, V) = 0 and w(K, V) = 0      ->  (K_l, V_l)     (lower zone, Rist P point)
        heat(K, V)     = 0 and w(K, V) = 0      ->  (K_g, V_g)     (global balance at T_top)
        K = max(K_l, K_g)                      (the furnace needs the larger coke rate)

    Where the W point would make direct reduction negative, ``direct(K, V) = 0`` replaces it.
    Returns K, V and that mask.
    """
    results = []
    for key in ("heat_low", "heat"):
        heat = eqs[key]
        chem_eq = eqs["w"]
        K0, V0 = _cramer(heat, chem_eq)
        neg_direct = eqs["direct"].at(K0, V0) < 0
        chem_eq = chem_eq.where(~neg_direct, eqs["direct"])
        K, V = _cramer(heat, chem_eq)
        results.append((K, V, neg_direct))
    (Kl, Vl, ndl), (Kg, Vg, ndg) = results
    low_binds = Kl >= Kg
    return np.where(low_binds, Kl, Kg), np.where(low_binds, Vl, Vg), np.where(low_binds, ndl, ndg)


def _flux_regime(
    p: Mapping[str, Array], q: Quantities, r: Quantities, all_basic: bool
) -> tuple[Array, Array, Array, dict[str, _Aff], bool]:
    r"""Solve with the slag at the basicity target: limestone for an acid charge, quartzite for a basic one::

        L = L_aff(K), Q = 0          if L_aff(K, V) >  FLUX_DEADBAND      (burden + ash short of CaO)
        L = 0,        Q = a Q_aff(K) if L_aff(K, V) < -FLUX_DEADBAND      (over-fluxed burden; a = ``acid_flux``)
        L = 0,        Q = 0          otherwise                            (a sinter fluxed for the furnace)

    The dead band (1 g/tHM) keeps round-off flux out of the recipe where the sinter already holds the
    target (the basicity is then within ~1e-5 of it). With ``acid_flux = 0`` an over-basic slag keeps the
    basicity the burden gives it. Returns K, V, the negative-direct mask, the equations of the regime each
    sample is in, and whether every sample was in the quartzite regime.
    """
    L_aff = r["L_aff"]
    Q_aff = r["Q_aff"] * (p["acid_flux"] > 0.5)
    zero = _Aff(0.0, 0.0, 0.0)
    eqs = _equations(L_aff, zero, p, q, r)
    K, V, neg_direct = _solve_kv(eqs)
    need = L_aff.at(K, V)
    for mask, flux in ((need < -FLUX_DEADBAND, Q_aff), (np.abs(need) <= FLUX_DEADBAND, zero)):
        if np.any(mask):
            eqs_m = _equations(zero, flux, p, q, r)
            Km, Vm, ndm = _solve_kv(eqs_m)
            K, V = np.where(mask, Km, K), np.where(mask, Vm, V)
            neg_direct = np.where(mask, ndm, neg_direct)
            eqs = {key: eqs[key].where(~mask, eqs_m[key]) for key in eqs}
    all_basic = bool(np.all(need < -FLUX_DEADBAND))
    return K, V, neg_direct, eqs, all_basic


# ---- results ---------------------------------------------------------------------------------


def _check_solution(
    K: Array, V: Array, eqs: dict[str, _Aff], p: Mapping[str, Array], q: Quantities, where: str
) -> tuple[Array, Array]:
    r"""The solution is physical: K > 0 (finite), V > 0, n_CO >= 0 and n_CO2 >= 0. Returns (n_CO, n_CO2)."""
    infeasible(
        ~np.isfinite(K) | (K <= 0),
        where,
        lambda bad: _culprit(bad, p["pci_rate"], p["natural_gas_rate"], "heat_losses"),
        lambda bad: (
            f"no solution: the heat and oxygen balance gives a coke rate of {1000 * first_bad(K, bad):.0f} kg/tHM"
        ),
        "injection rates and heat inputs that leave a positive coke rate",
    )
    infeasible(
        V <= 0,
        where,
        "oxygen_enrichment",
        "no solution: the balance needs no air blast",
        "a lower enrichment or injection",
    )
    n_co = eqs["n_co"].at(K, V)
    n_co2 = eqs["n_co2"].at(K, V)
    infeasible(
        (n_co < 0) | (n_co2 < 0),
        where,
        "shaft_efficiency",
        "no solution: the top gas would need negative CO or CO2",
        "a shaft efficiency and burden that keep 0 < eta_CO < 1",
    )
    return n_co, n_co2


def _recipe(
    K: Array, V: Array, eqs: dict[str, _Aff], n_co: Array, n_co2: Array, p: Mapping[str, Array], q: Quantities
) -> tuple[dict[str, Array], dict[str, object], Quantities]:
    r"""The recipe per t hot metal and the top gas it makes::

        burden feed k = -s_k B;   coke = -K;   limestone = -L;   quartzite = -Q;   slag = S;   dust = D
        cold_blast = -(V rho_air + V n_H2O M_H2O) / 1000;   oxygen = -V r_e M_O2 / V_m / 1000      t
        fuel_heat = -V h_b / 1000 / eta_stove                                                  GJ
        electricity = -(aux + e_blower V (1 + r_e) / 1000 - w_TRT n_dry V_m / 1000)             MWh
        (a top-gas recovery turbine, :func:`trt_kwh_per_nm3`, can make the furnace a net exporter)
        bf_gas = n_dry V_m rho_gas / 1000,   y_X = n_X / n_dry,   n_dry = CO + CO2 + H2 + N2 + Ar   t

    Returns the recipe, the gas properties of ``bf_gas`` and the quantities the diagnostics read.
    """
    shape = q["shape"]
    burden = q["burden"]
    PCI = p["pci_rate"]
    D = p["dust_rate"]
    r_e, n_h2o_v = q["r_e"], q["n_h2o_v"]
    L = eqs["L"].at(K, V)
    Qz = eqs["Q"].at(K, V)
    slag = eqs["slag"].at(K, V)
    S_mass = slag
    fe_need = q["fe_hm"] + q["fe_s"] * S_mass + q["fe_d"] * D
    B = fe_need / burden["Fe"]
    h2_top = eqs["h2_top"].at(K, V)
    h2o_top = eqs["h2o_top"].at(K, V)
    N2 = q["n_N2"].at(K, V)
    Ar = q["n_Ar"].at(K, V)
    dry = n_co + n_co2 + h2_top + N2 + Ar
    vf = {"CO": n_co / dry, "CO2": n_co2 / dry, "H2": h2_top / dry, "N2": N2 / dry, "Ar": Ar / dry}
    gp = thermo.gas_properties(vf)
    gas_t = dry * VM * gp["density_kg_per_nm3"] / 1000.0
    air_t = V * q["air_kg_per_nm3"] / 1000.0
    moisture_t = V * n_h2o_v * (2 * M["H"] + M["O"]) / 1000.0
    o2_t = V * r_e * thermo.species_molar_mass("O2") / VM / 1000.0
    blast_heat = V * q["blast_h"] / 1000.0  # GJ
    trt = trt_kwh_per_nm3(p["top_pressure"], p["trt_efficiency"]) * dry * VM / 1000.0  # MWh/tHM
    elec = p["auxiliary_electricity"] + p["blower_kwh_per_nm3"] * V * (1.0 + r_e) / 1000.0 - trt
    recipe: dict[str, Array] = {cid: -q["shares"][k] * B for k, cid in FEEDS.items()}
    recipe.update(
        {
            "coke": -K,
            "pci_coal": -PCI + 0.0 * K,
            "natural_gas": -q["ng_mass"] + 0.0 * K,
            "limestone": -L,
            "quartzite": -Qz,
            "cold_blast": -(air_t + moisture_t),
            "oxygen": -o2_t,
            "fuel_heat": -blast_heat / p["stove_efficiency"],
            "electricity": -elec,
            "hot_metal": np.ones(shape),
            "bf_slag": slag,
            "dust_sludge": D + 0.0 * K,
            "bf_gas": gas_t,
        }
    )
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    gas = {
        "volume_fractions": vf,
        **{k: gp[k] for k in ("c_frac", "lhv_gj_per_t", "density_kg_per_nm3", "lhv_mj_per_nm3")},
    }
    out = {
        "L": L,
        "Q": Qz,
        "slag": slag,
        "S_mass": S_mass,
        "B": B,
        "h2_top": h2_top,
        "h2o_top": h2o_top,
        "N2": N2,
        "Ar": Ar,
        "dry": dry,
        "vf": vf,
        "gp": gp,
        "blast_heat": blast_heat,
        "n_co": n_co,
        "n_co2": n_co2,
    }
    return recipe, gas, out


def _diagnostics(
    K: Array,
    V: Array,
    neg_direct: Array,
    eqs: dict[str, _Aff],
    last: Quantities,
    out: Quantities,
    raft: Array,
    p: Mapping[str, Array],
    q: Quantities,
) -> dict[str, Array]:
    r"""Operating figures, the sinter basicity that needs no flux, and the Rist line (per mol Fe in hot metal)::

        d       = L_aff(K) (CaO_l - B_s SiO2_l) = B_s SiO2 - CaO   (before flux)   t CaO/tHM short
        B_sinter = (CaO_sinter + d / (B s_sinter)) / SiO2_sinter                 (no flux at the furnace)

        y = mu x - (y_b + y_f),   mu = (C_g + H2) / n_Fe,   y_b = (O_b + O_inj) / n_Fe,   y_f = O_f / n_Fe
        x_top = (y_b + y_f + y_A) / mu,   x_W' = (y_b + y_f + y_W) / mu
        x_W,eq = (C_g (1 + eta_WCO) + H2 ETA_W_H2) / (C_g + H2)        (the ideal W point, omega = 1)
        eta_CO = n_CO2 / (n_CO + n_CO2),   r_d = direct / (y_W n_Fe)

    =========  ===========================================  ======
    symbol     meaning                                      unit
    =========  ===========================================  ======
    mu         slope of the Rist line                       -
    y_A        O/Fe of the burden's oxides                  -
    r_d        degree of direct reduction                   -
    =========  ===========================================  ======
    """
    shape = q["shape"]
    burden, n_fe = q["burden"], q["n_fe"]
    PCI, D = p["pci_rate"], p["dust_rate"]
    r_e, n_h2o_v = q["r_e"], q["n_h2o_v"]
    n_co, n_co2, slag, L, B = out["n_co"], out["n_co2"], out["slag"], out["L"], out["B"]
    h2o_top, dry, vf, S_mass = out["h2o_top"], out["dry"], out["vf"], out["S_mass"]
    T_top = p["top_gas_temperature"]
    eta_w = p["w_point_co_utilisation"]
    sio2, cao, mgo = (eqs[k].at(K, V) for k in ("sio2", "cao", "mgo"))
    feo = slag * q["feo_per_slag"]
    # the sinter basicity at which this furnace needs neither limestone nor quartzite (the sinter
    # plant can follow it: sinter param basicity_follows_furnace); first order in the sinter's CaO
    cao_short = last["L_aff"].at(K, V) * (q["cao_l"] - p["slag_basicity"] * q["sio2_l"])
    s_sinter = q["shares"]["sinter_share"]
    sinter = q["sinter"]
    cao_sinter = sinter["CaO"] + cao_short / np.where(s_sinter > 0, B * s_sinter, 1.0)
    sinter_basicity = np.where(
        s_sinter > 0, np.maximum(cao_sinter, 0.0) / np.maximum(sinter["SiO2"], 1e-9), sinter["CaO"] / sinter["SiO2"]
    )
    mass_loss = (h2o_top * (2 * M["H"] + M["O"]) / 1000.0) + K * q["rest_k"]
    O_c = q["C_g"].at(K, V)
    H2v = q["H2_tot"].at(K, V)
    O_bv = q["O_b"].at(K, V)
    mu = (O_c + H2v) / n_fe
    y_b = (O_bv + q["O_inj"]) / n_fe
    y_f = q["O_f"] / n_fe
    y_A = (1000.0 * (B * burden["O"] - D * q["o_d"] - q["fe_s"] * S_mass * M["O"] / M["Fe"]) / M["O"]) / n_fe
    y_W = np.minimum(Y_WUSTITE, y_A)
    x_top = (y_b + y_f + y_A) / mu
    x_w = (y_b + y_f + y_W) / mu
    x_w_eq = (O_c * (1 + eta_w) + H2v * ETA_W_H2) / (O_c + H2v)
    direct = eqs["direct"].at(K, V)
    top_t = _top_temperature(
        eqs["top_sensible_rest"].at(K, V), n_co, n_co2, out["h2_top"], h2o_top, out["N2"], out["Ar"], T_top
    )
    diag: dict[str, Array] = {
        "coke_rate_kg_per_thm": 1000 * K,
        "fuel_rate_kg_per_thm": 1000 * (K + PCI + q["ng_mass"]),
        "burden_t_per_thm": B,
        "limestone_kg_per_thm": 1000 * L,
        "quartzite_kg_per_thm": 1000 * out["Q"],
        "air_nm3_per_thm": V,
        "oxygen_nm3_per_thm": V * r_e,
        "blast_nm3_per_thm": V * (1 + r_e) + V * n_h2o_v * VM,
        "top_gas_nm3_per_thm": dry * VM,
        "trt_kwh_per_thm": trt_kwh_per_nm3(p["top_pressure"], p["trt_efficiency"]) * dry * VM,
        "top_gas_wet_nm3_per_thm": (dry + h2o_top) * VM,
        "top_gas_co": vf["CO"],
        "top_gas_co2": vf["CO2"],
        "top_gas_h2": vf["H2"],
        "top_gas_n2": vf["N2"],
        "top_gas_lhv_mj_per_nm3": out["gp"]["lhv_mj_per_nm3"],
        "eta_co": n_co2 / (n_co + n_co2),
        "eta_h2": np.broadcast_to(q["eta_wh"], shape),
        "direct_reduction_degree": direct / (y_W * n_fe),
        "w_point_binding": np.logical_not(neg_direct).astype(float),
        "slag_kg_per_thm": 1000 * slag,
        "heat_losses_gj_per_thm": last["heat_losses"] + 0.0 * slag,
        "slag_cao": cao / slag,
        "slag_sio2": sio2 / slag,
        "slag_mgo": mgo / slag,
        "slag_al2o3_and_other": eqs["minor"].at(K, V) / slag,
        "slag_feo": feo / slag,
        "slag_basicity": cao / sio2,
        "sinter_basicity_for_target": sinter_basicity,
        "minor_oxides_unsourced_kg_per_thm": np.broadcast_to(
            1000.0 * (last["deduct"] - q["hm_other"] - q["n_p"] * 2.5 * M["O"] / 1000.0), shape
        ),
        "blast_heat_gj_per_thm": out["blast_heat"],
        "raft_c": raft,
        "top_gas_temperature_c": top_t,
        "lower_zone_binding": (top_t > T_top + 1e-6).astype(float),
        "mass_loss_t": mass_loss,
        "rist_mu": mu,
        "rist_y_b": y_b,
        "rist_y_f": y_f,
        "rist_y_a": y_A,
        "rist_y_w": y_W,
        "rist_x_top": x_top,
        "rist_x_w": x_w,
        "rist_x_w_eq": x_w_eq,
        "rist_y_d": direct / n_fe,
        "rist_omega": p["shaft_efficiency"],
    }
    return {k: shaped(v, shape) for k, v in diag.items()}


def _culprit(bad: Bad, pci: Array, ng_rate: Array, otherwise: str) -> str:
    """The parameter to blame for an infeasible furnace: the injection if any, else ``otherwise``."""
    if any_bad(np.asarray(pci) > 0, bad):
        return "pci_rate"
    return "natural_gas_rate" if any_bad(np.asarray(ng_rate) > 0, bad) else otherwise


def _top_temperature(
    rest: Array, n_co: Array, n_co2: Array, n_h2: Array, n_h2o: Array, n_n2: Array, n_ar: Array, t_min: Array
) -> Array:
    """Top-gas temperature at which the gas carries the heat ``rest`` (MJ) above 25 degC."""

    def sens(T: Array) -> Array:
        return num(
            n_co * thermo.gas_sensible_enthalpy("CO", T)
            + n_co2 * thermo.gas_sensible_enthalpy("CO2", T)
            + n_h2 * thermo.gas_sensible_enthalpy("H2", T)
            + n_h2o * thermo.gas_sensible_enthalpy("H2O", T)
            + n_n2 * thermo.gas_sensible_enthalpy("N2", T)
            + n_ar * thermo.gas_sensible_enthalpy("Ar", T),
        )

    T = _secant(lambda T: sens(T) - rest, num(t_min) + 0.0, 100.0)
    return num(np.maximum(T, t_min))


def _secant(f: Callable[[Array], Array], x0: Array, dx: float, steps: int = 3) -> Array:
    """Root of an almost linear, increasing ``f`` by the secant method (vectorised, fixed steps)."""
    x_prev, f_prev = x0, f(x0)
    x = x0 + dx
    for _ in range(steps):
        fx = f(x)
        den = fx - f_prev
        step = np.where(den != 0, fx * (x - x_prev) / np.where(den != 0, den, 1.0), 0.0)
        x_prev, f_prev = x, fx
        x = x - step
    return num(x)


def _cramer(a: _Aff, b: _Aff) -> tuple[Array, Array]:
    """Solve a.c + a.k K + a.v V = 0 and b.c + b.k K + b.v V = 0 for (K, V)."""
    det = a.k * b.v - a.v * b.k
    with np.errstate(divide="ignore", invalid="ignore"):
        K = (-a.c * b.v + b.c * a.v) / det
        V = (-a.k * b.c + a.c * b.k) / det
    return num(K), num(V)


def _raft(
    V: Array,
    n_o2_v: Array,
    n_h2o_v: Array,
    y_air: Mapping[str, float],
    T_b: Array,
    PCI: Array,
    c_p: Array,
    o_p: Array,
    hf_p: Array,
    ng_rate: Array,
    ng_atoms: Mapping[str, Array],
    ng_hf: Array,
) -> Array:
    """Raceway adiabatic flame temperature, degC.

    Coke arrives at 1500 degC, injectants cold; the products are CO, H2, N2 and Ar.
    """
    n_o2 = V * n_o2_v
    n_w = V * n_h2o_v
    n_n2 = V * y_air["N2"] / VM + 1000.0 * PCI * PCI_N / (2 * M["N"]) + ng_rate * ng_atoms["N2"]
    n_ar = V * y_air["Ar"] / VM
    o_tot = 2 * n_o2 + n_w + 1000.0 * PCI * o_p / M["O"] + ng_rate * ng_atoms["O"]
    c_inj = 1000.0 * PCI * c_p / M["C"] + ng_rate * ng_atoms["C"]
    n_co = o_tot
    c_coke = np.maximum(o_tot - c_inj, 0.0)
    n_h2 = n_w + 1000.0 * PCI * PCI_H / (2 * M["H"]) + ng_rate * ng_atoms["H2"]
    h_in = (
        n_o2 * thermo.gas_sensible_enthalpy("O2", T_b)
        + V * y_air["N2"] / VM * thermo.gas_sensible_enthalpy("N2", T_b)
        + n_ar * thermo.gas_sensible_enthalpy("Ar", T_b)
        + n_w * thermo.gas_enthalpy("H2O", T_b)
        + PCI * hf_p
        + ng_rate * ng_hf
        + c_coke * thermo.graphite_sensible_enthalpy(RACEWAY_COKE_C)
    )

    def h_out(T: Array) -> Array:
        return num(
            n_co * thermo.gas_enthalpy("CO", T)
            + n_h2 * thermo.gas_sensible_enthalpy("H2", T)
            + n_n2 * thermo.gas_sensible_enthalpy("N2", T)
            + n_ar * thermo.gas_sensible_enthalpy("Ar", T),
        )

    return _secant(lambda T: h_out(T) - h_in, np.full(np.shape(V), 2000.0), 150.0)


MODEL = Model("blast_furnace", "hot_metal", PARAMETERS, solve)
