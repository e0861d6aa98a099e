"""The enthalpy functions added to thermo, checked against NIST-JANAF table values (Chase 1998)."""

import numpy as np
import pytest

from steelworks.physics import thermo


@pytest.mark.parametrize(
    ("species", "temp_k", "janaf"),
    [
        ("N2", 1000.0, 21.463),
        ("O2", 1000.0, 22.707),
        ("CO", 1000.0, 21.690),
        ("CO2", 1000.0, 33.397),
        ("H2", 1000.0, 20.680),
        ("H2O", 1000.0, 26.000),
        ("N2", 500.0, 5.912),
        ("CO2", 1500.0, 61.705),
        ("FeO", 1000.0, 38.76),
    ],
)
def test_sensible_enthalpy_matches_janaf(species, temp_k, janaf):
    # JANAF tables H(T) - H(298.15), kJ/mol (NIST WebBook, Chase 1998)
    assert float(thermo.sensible_enthalpy(species, temp_k - 273.15)) == pytest.approx(janaf, abs=0.05)


def test_sensible_enthalpy_is_zero_at_reference_and_vectorised():
    out = thermo.gas_sensible_enthalpy("N2", np.array([25.0, 1200.0, 2200.0]))
    assert out.shape == (3,)
    assert out[0] == pytest.approx(0.0, abs=1e-3)
    assert np.all(np.diff(out) > 0)


def test_liquid_steel_enthalpy_near_textbook_value():
    # liquid steel at 1600 degC holds ~1.35-1.40 GJ/t above 25 degC (JANAF Fe: 72.4 kJ/mol at 1809 K)
    h = float(thermo.metal_enthalpy_gj_per_t({"Fe": 0.99, "C": 0.001, "other": 0.009}, 1600.0))
    assert 1.30 < h < 1.42


def test_heat_of_calcination_and_silicate():
    calc = (
        thermo.FORMATION_ENTHALPY_KJ_PER_MOL["CaO"]
        + thermo.FORMATION_ENTHALPY_KJ_PER_MOL["CO2"]
        - thermo.FORMATION_ENTHALPY_KJ_PER_MOL["CaCO3"]
    )
    assert calc == pytest.approx(178.3, abs=0.5)  # textbook heat of calcination, kJ/mol


def test_oxide_molar_mass():
    assert thermo.oxide_molar_mass("Fe2O3") == pytest.approx(159.69, abs=0.01)
