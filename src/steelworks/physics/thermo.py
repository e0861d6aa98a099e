"""Thermochemical constants in one place: molar masses, gas heating values, gas properties.

Sources:
- Molar masses: IUPAC standard atomic weights (abridged, 2021), https://iupac.qmul.ac.uk/AtWt/ .
- Lower heating values of pure gases at 0 degC / 101.325 kPa (MJ/Nm3): H2 10.78, CO 12.63,
  CH4 35.8 (shared/reference/process_coefficients.md §2.3, [STD]); C2H6 64.4, C2H4 59.0, C3H8 93.2
  (Engineering ToolBox, "Fuel gases - heating values",
  https://www.engineeringtoolbox.com/heating-values-fuel-gases-d_823.html).
- Molar volume of an ideal gas at 0 degC / 101.325 kPa: 22.414 Nm3/kmol (CODATA 2018).

All functions accept numpy arrays and broadcast, so that physics models stay vectorised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: kg/kmol
MOLAR_MASS: dict[str, float] = {
    "C": 12.011,
    "H": 1.008,
    "O": 15.999,
    "N": 14.007,
    "Fe": 55.845,
    "Si": 28.085,
    "Mn": 54.938,
    "P": 30.974,
    "S": 32.06,
    "Ca": 40.078,
    "Mg": 24.305,
    "Al": 26.982,
    "Zn": 65.38,
    "Ar": 39.948,
}

#: Nm3/kmol, ideal gas at 0 degC and 101.325 kPa
MOLAR_VOLUME_NM3_PER_KMOL = 22.414

#: atoms per molecule of the gas species used for works gases and natural gas
GAS_SPECIES: dict[str, dict[str, int]] = {
    "CO": {"C": 1, "O": 1},
    "CO2": {"C": 1, "O": 2},
    "H2": {"H": 2},
    "H2O": {"H": 2, "O": 1},
    "CH4": {"C": 1, "H": 4},
    "C2H6": {"C": 2, "H": 6},
    "C2H4": {"C": 2, "H": 4},
    "C3H8": {"C": 3, "H": 8},
    "N2": {"N": 2},
    "O2": {"O": 2},
    "Ar": {"Ar": 1},
}

#: MJ/Nm3, lower heating value of each gas species (0 for inert ones)
GAS_LHV_MJ_PER_NM3: dict[str, float] = {
    "CO": 12.63,
    "H2": 10.78,
    "CH4": 35.8,
    "C2H6": 64.4,
    "C2H4": 59.0,
    "C3H8": 93.2,
}


def species_molar_mass(species: str) -> float:
    """kg/kmol of a species given by its atom counts in :data:`GAS_SPECIES`."""
    return sum(MOLAR_MASS[element] * count for element, count in GAS_SPECIES[species].items())


def gas_properties(volume_fractions: Mapping[str, ArrayLike]) -> dict[str, NDArray[np.float64]]:
    """Density, LHV and carbon content of a gas mixture from its volume (= mole) fractions.

    Equations (ideal gas, fractions y_i summing to 1)::

        M_mix   = sum_i y_i M_i                                  [kg/kmol]
        rho     = M_mix / V_m                                    [kg/Nm3]
        LHV_vol = sum_i y_i LHV_i                                [MJ/Nm3]
        LHV_m   = LHV_vol / rho                                  [GJ/t = MJ/kg]
        w_C     = sum_i y_i n_C,i M_C / M_mix                    [kg C / kg gas]

    Returns a dict with ``density_kg_per_nm3``, ``lhv_gj_per_t``, ``lhv_mj_per_nm3`` and ``c_frac``.
    Raises ``ValueError`` on an unknown species or fractions that do not sum to 1 within 1e-6.
    """
    unknown = set(volume_fractions) - set(GAS_SPECIES)
    if unknown:
        raise ValueError(f"unknown gas species {sorted(unknown)}; known: {sorted(GAS_SPECIES)}")
    y = {k: np.asarray(v, dtype=float) for k, v in volume_fractions.items()}
    total = sum(y.values())
    if np.any(np.abs(np.asarray(total) - 1.0) > 1e-6):
        raise ValueError(f"gas volume fractions sum to {np.ravel(np.asarray(total))[0]:.6g}, not 1")
    molar_mass = sum(frac * species_molar_mass(s) for s, frac in y.items())
    density = molar_mass / MOLAR_VOLUME_NM3_PER_KMOL
    lhv_vol = sum(frac * GAS_LHV_MJ_PER_NM3.get(s, 0.0) for s, frac in y.items())
    carbon = sum(frac * GAS_SPECIES[s].get("C", 0) * MOLAR_MASS["C"] for s, frac in y.items())
    return {
        "density_kg_per_nm3": np.asarray(density, dtype=float),
        "lhv_mj_per_nm3": np.asarray(lhv_vol, dtype=float),
        "lhv_gj_per_t": np.asarray(lhv_vol / density, dtype=float),
        "c_frac": np.asarray(carbon / molar_mass, dtype=float),
    }


#: t CO2 per t C (44.009 / 12.011)
CO2_PER_C = (MOLAR_MASS["C"] + 2 * MOLAR_MASS["O"]) / MOLAR_MASS["C"]


# ---------------------------------------------------------------------------------------------
# Enthalpies for the process heat balances
# ---------------------------------------------------------------------------------------------
# Sources (one per kind of number):
# - Standard enthalpies of formation at 298.15 K and the Shomate coefficients of the gases:
#   Chase, M.W. Jr. (1998) NIST-JANAF Thermochemical Tables, 4th ed., J. Phys. Chem. Ref. Data,
#   Monograph 9, as served by the NIST Chemistry WebBook (https://webbook.nist.gov), [JANAF].
#   Exceptions, named where used: CaCO3, MgCO3 and C3H8 are not in JANAF; their values are from
#   Wagman et al. (1982) The NBS tables of chemical thermodynamic properties, J. Phys. Chem. Ref.
#   Data 11 Suppl. 2 [NBS82]; Ca2SiO4 from Robie & Hemingway (1995) USGS Bull. 2131 [RH95].
# - Liquid iron: H(1809 K, liquid) - H(298.15 K) = 72.4 kJ/mol and Cp(l) = 46.0 J/(mol K) [JANAF].
# - Graphite H(T) - H(298.15): values at 500/1000/1500/2000/2500 K read from the JANAF graphite
#   table (rounded to 0.1 kJ/mol); linear interpolation in between.
# - Heats of solution in liquid iron (1 wt% standard state): Sigworth, G.K. & Elliott, J.F. (1974)
#   The thermodynamics of liquid dilute iron alloys, Metal Science 8:298-310 [SE74]; combined with
#   the JANAF heats of fusion of Si (50.2 kJ/mol) and Mn (12.9 kJ/mol) and the JANAF enthalpies of
#   formation of P2(g) (144.0) and S2(g) (128.6 kJ/mol) to refer them to the 298 K elements.
# - Molten slag: 1.75 GJ/t at 1500 degC with a mean heat capacity of 1.25 kJ/(kg K) around it
#   (estimate: 1.6-1.8 GJ/t is the range quoted for molten blast-furnace and steel slags at
#   1450-1550 degC in the slag heat-recovery literature, e.g. Barati, Esfahani & Utigard (2011)
#   Energy 36:5440-5449).

#: kJ/mol, standard enthalpy of formation at 298.15 K [JANAF unless noted]
FORMATION_ENTHALPY_KJ_PER_MOL: dict[str, float] = {
    "CO": -110.53,
    "CO2": -393.52,
    "H2O": -241.83,  # gas
    "H2O_l": -285.83,
    "CH4": -74.87,
    "C2H6": -83.85,
    "C2H4": 52.47,
    "C3H8": -104.7,  # [NBS82]
    "H2": 0.0,
    "N2": 0.0,
    "O2": 0.0,
    "Ar": 0.0,
    "FeO": -272.04,
    "Fe2O3": -824.25,
    "Fe3O4": -1118.38,
    "SiO2": -910.86,
    "MnO": -385.22,
    "P2O5": -1492.0,  # half of P4O10(cr), -2984.0
    "CaO": -635.09,
    "MgO": -601.24,
    "CaCO3": -1206.92,  # calcite [NBS82]
    "MgCO3": -1095.8,  # magnesite [NBS82]
    "Ca2SiO4": -2307.5,  # beta dicalcium silicate [RH95]
}

#: kJ/mol, enthalpy of an element dissolved in liquid iron relative to its 298 K standard state,
#: excluding its sensible heat (which the metal enthalpy counts as iron) [SE74 + JANAF, see above]
SOLUTION_ENTHALPY_KJ_PER_MOL: dict[str, float] = {
    "C": 22.6,
    "Si": -131.5 + 50.2,
    "Mn": 4.1 + 12.9,
    "P": -122.2 + 0.5 * 144.0,
    "S": -135.1 + 0.5 * 128.6,
}

# Shomate coefficients (A, B, C, D, E, F, H) per temperature range [JANAF via NIST WebBook];
# H - H298 [kJ/mol] = A t + B t^2/2 + C t^3/3 + D t^4/4 - E/t + F - H, t = T[K]/1000.
_SHOMATE: dict[str, tuple[tuple[float, tuple[float, ...]], ...]] = {
    # (upper bound of the range in K, coefficients)
    "N2": (
        (500.0, (28.98641, 1.853978, -9.647459, 16.63537, 0.000117, -8.671914, 0.0)),
        (2000.0, (19.50583, 19.88705, -8.598535, 1.369784, 0.527601, -4.935202, 0.0)),
        (np.inf, (35.51872, 1.128728, -0.196103, 0.014662, -4.553760, -18.97091, 0.0)),
    ),
    "O2": (
        (700.0, (31.32234, -20.23531, 57.86644, -36.50624, -0.007374, -8.903471, 0.0)),
        (2000.0, (30.03235, 8.772972, -3.988133, 0.788313, -0.741599, -11.32468, 0.0)),
        (np.inf, (20.91111, 10.72071, -2.020498, 0.146449, 9.245722, 5.337651, 0.0)),
    ),
    "CO": (
        (1300.0, (25.56759, 6.096130, 4.054656, -2.671301, 0.131021, -118.0089, -110.5271)),
        (np.inf, (35.15070, 1.300095, -0.205921, 0.013550, -3.282780, -127.8375, -110.5271)),
    ),
    "CO2": (
        (1200.0, (24.99735, 55.18696, -33.69137, 7.948387, -0.136638, -403.6075, -393.5224)),
        (np.inf, (58.16639, 2.720074, -0.492289, 0.038844, -6.447293, -425.9186, -393.5224)),
    ),
    "H2": (
        (1000.0, (33.066178, -11.363417, 11.432816, -2.772874, -0.158558, -9.980797, 0.0)),
        (2500.0, (18.563083, 12.257357, -2.859786, 0.268238, 1.977990, -1.147438, 0.0)),
        (np.inf, (43.413560, -4.293079, 1.272428, -0.096876, -20.533862, -38.515158, 0.0)),
    ),
    "H2O": (
        (1700.0, (30.09200, 6.832514, 6.793435, -2.534480, 0.082139, -250.8810, -241.8264)),
        (np.inf, (41.96426, 8.622053, -1.499780, 0.098119, -11.15764, -272.1797, -241.8264)),
    ),
    "CH4": (
        (1300.0, (-0.703029, 108.4773, -42.52157, 5.862788, 0.678565, -76.84376, -74.87310)),
        (np.inf, (85.81217, 11.26467, -2.114146, 0.138190, -26.42221, -153.5327, -74.87310)),
    ),
    "Ar": ((np.inf, (20.78600, 0.0, 0.0, 0.0, 0.0, -6.197350, 0.0)),),
    # solid wüstite, 298-1650 K (used for the burden entering the lower zone of the blast furnace)
    "FeO": ((np.inf, (45.75120, 18.78553, -5.952201, 0.852779, -0.081265, -286.7429, -272.0441)),),
}

#: K, reference temperature of all enthalpies
T_REF_K = 298.15


def _shomate(
    coeffs: tuple[float, ...], t: NDArray[np.float64], powers: tuple[Any, Any, Any] | None = None
) -> NDArray[np.float64]:
    """Shomate H(T) - H(298.15) in kJ/mol for t = T/1000; ``powers`` = (t**2, t**3, t**4) if already computed."""
    a, b, c, d, e, f, h = coeffs
    t2, t3, t4 = powers if powers is not None else (t**2, t**3, t**4)
    return np.asarray(a * t + b * t2 / 2 + c * t3 / 3 + d * t4 / 4 - e / t + f - h, dtype=float)


def gas_sensible_enthalpy(species: str, temperature_c: ArrayLike) -> NDArray[np.float64]:
    """H(T) - H(298.15 K) of a gas species in kJ/mol (= MJ/kmol), T in degC (vectorised).

    Shomate equation with the JANAF coefficients of the range containing T. Species without
    coefficients (C2H6, C2H4, C3H8) are given the CH4 heat capacity per carbon-hydrogen bond count
    scaled by 2 (only used for natural gas entering cold, where the value is 0 anyway).
    """
    temp_k = np.asarray(temperature_c, dtype=float) + 273.15
    if species not in _SHOMATE:
        return 2.0 * gas_sensible_enthalpy("CH4", temperature_c)
    t = temp_k / 1000.0
    ranges = _SHOMATE[species]
    if temp_k.ndim == 0:  # single value: evaluate only the range that contains it
        tk = float(temp_k)
        if abs(tk - T_REF_K) < 1e-9:
            return np.asarray(0.0)
        coeffs = next(c for upper, c in ranges if tk <= upper)
        return _shomate(coeffs, t)
    t2 = t * t  # products, not pow: t**3 and t**4 cost ~30x a multiplication on arrays
    powers = (t2, t2 * t, t2 * t2)
    result = _shomate(ranges[-1][1], t, powers)
    for upper, coeffs in reversed(ranges[:-1]):
        result = np.where(temp_k <= upper, _shomate(coeffs, t, powers), result)
    return np.asarray(np.where(np.abs(temp_k - T_REF_K) < 1e-9, 0.0, result), dtype=float)


def sensible_enthalpy(species: str, temperature_c: ArrayLike) -> NDArray[np.float64]:
    """H(T) - H(298.15 K) in kJ/mol of any species with Shomate coefficients here (gases, FeO)."""
    return gas_sensible_enthalpy(species, temperature_c)


def gas_enthalpy(species: str, temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Formation plus sensible enthalpy of a gas species in kJ/mol at T (degC)."""
    return FORMATION_ENTHALPY_KJ_PER_MOL[species] + gas_sensible_enthalpy(species, temperature_c)


_GRAPHITE_T_K = np.array([298.15, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0])
_GRAPHITE_H = np.array([0.0, 2.4, 11.8, 23.3, 35.4, 48.0, 60.6])


def graphite_sensible_enthalpy(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """H(T) - H(298.15 K) of graphite in kJ/mol, T in degC (JANAF table, linear interpolation)."""
    temp_k = np.asarray(temperature_c, dtype=float) + 273.15
    return np.asarray(np.interp(temp_k, _GRAPHITE_T_K, _GRAPHITE_H), dtype=float)


def liquid_iron_sensible_enthalpy(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """H(T) - H(298.15 K) of liquid iron in kJ/mol (72.4 at 1809 K, Cp 46.0 J/(mol K), JANAF).

    Used below the melting point as well, for carbon-saturated hot metal (supercooled-liquid
    extrapolation, as is usual in blast-furnace heat balances).
    """
    temp_k = np.asarray(temperature_c, dtype=float) + 273.15
    return np.asarray(72.4 + 0.0460 * (temp_k - 1809.0), dtype=float)


def metal_enthalpy_gj_per_t(mass_fractions: Mapping[str, ArrayLike], temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Enthalpy of liquid iron alloy relative to its elements at 298 K, GJ per t of metal.

    ``mass_fractions`` holds Fe, C and optionally Si, Mn, P, S, ``other`` (kg/kg). Equations::

        h = sum_i (w_i / M_i) * (h_i(T) + dH_sol,i)
        h_Fe(T) = liquid iron (JANAF); h_C(T) = graphite (JANAF); other elements: per mole as iron

    ``other`` (unspecified residuals) is counted per kg as iron with no heat of solution.
    """
    h_fe = liquid_iron_sensible_enthalpy(temperature_c)
    total = np.zeros_like(np.asarray(h_fe, dtype=float))
    for element, frac in mass_fractions.items():
        w = np.asarray(frac, dtype=float)
        if element == "other":
            total = total + w / MOLAR_MASS["Fe"] * h_fe
            continue
        moles = w / MOLAR_MASS[element]  # kmol per kg ... scaled below
        if element == "C":
            h = graphite_sensible_enthalpy(temperature_c) + SOLUTION_ENTHALPY_KJ_PER_MOL["C"]
        elif element == "Fe":
            h = h_fe
        else:
            h = h_fe + SOLUTION_ENTHALPY_KJ_PER_MOL[element]
        total = total + moles * h
    # kJ/mol * kmol/kg -> MJ/kg = GJ/t
    return np.asarray(total, dtype=float)


#: GJ/t, molten slag enthalpy at 1500 degC, and its mean heat capacity in GJ/(t K) (estimate above)
SLAG_ENTHALPY_1500C_GJ_PER_T = 1.75
SLAG_HEAT_CAPACITY_GJ_PER_T_K = 0.00125


def slag_enthalpy_gj_per_t(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """Sensible heat of molten slag relative to 25 degC, GJ/t (linear around 1500 degC)."""
    temp = np.asarray(temperature_c, dtype=float)
    return np.asarray(SLAG_ENTHALPY_1500C_GJ_PER_T + SLAG_HEAT_CAPACITY_GJ_PER_T_K * (temp - 1500.0), dtype=float)


#: atoms of the oxides and carbonates used in the element balances
_OXIDE_ATOMS: dict[str, dict[str, int]] = {
    "FeO": {"Fe": 1, "O": 1},
    "Fe2O3": {"Fe": 2, "O": 3},
    "Fe3O4": {"Fe": 3, "O": 4},
    "SiO2": {"Si": 1, "O": 2},
    "MnO": {"Mn": 1, "O": 1},
    "P2O5": {"P": 2, "O": 5},
    "CaO": {"Ca": 1, "O": 1},
    "MgO": {"Mg": 1, "O": 1},
    "Al2O3": {"Al": 2, "O": 3},
    "CaCO3": {"Ca": 1, "C": 1, "O": 3},
    "MgCO3": {"Mg": 1, "C": 1, "O": 3},
    "CaMgCO3_2": {"Ca": 1, "Mg": 1, "C": 2, "O": 6},
    "H2O": {"H": 2, "O": 1},
}
#: kg/kmol of the oxides and carbonates
OXIDE_MOLAR_MASS: dict[str, float] = {
    name: sum(MOLAR_MASS[el] * n for el, n in atoms.items()) for name, atoms in _OXIDE_ATOMS.items()
}


def oxide_molar_mass(formula: str) -> float:
    """kg/kmol of the oxides used by the models (FeO, Fe2O3, Fe3O4, SiO2, MnO, P2O5, CaO, MgO,
    Al2O3, CaCO3, MgCO3, CaMgCO3_2, H2O)."""
    return OXIDE_MOLAR_MASS[formula]
