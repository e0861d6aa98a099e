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
        raise ValueError(f"gas volume fractions sum to {np.asarray(total)!r}, not 1")
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
