"""Unit conversion at the boundary (steelworks.units): hand-checked factors and the errors users meet."""

from __future__ import annotations

import pytest

from steelworks.errors import InputError
from steelworks.physics.thermo import gas_properties
from steelworks.units import convert, parse_quantity


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("450 kg/t", "t/t", 0.45),
        ("400 kt/year", "t/year", 400e3),  # kt is the kilotonne here, not pint's knot
        ("1.1 Mt/year", "t/year", 1.1e6),
        ("110 kWh/t", "MWh/t", 0.110),
        ("3.2 MMBtu/short_ton", "GJ/t", 3.2 * 1.05506 / 0.90718),  # process_coefficients.md conversions
        ("110 MW", "MWh/year", 110 * 8766.0),  # pint's year is 365.25 days
        ("6 PJ/year", "GJ/year", 6e6),
        ("1150 degC", "degC", 1150.0),
        ("60 %", "dimensionless", 0.60),
    ],
)
def test_conversions(text: str, unit: str, expected: float) -> None:
    assert convert(text, unit) == pytest.approx(expected, rel=1e-4)


def test_gas_volumes_and_fuel_energy_convert_through_density_and_lhv() -> None:
    ng = gas_properties({"CH4": 0.93, "C2H6": 0.03, "C3H8": 0.01, "N2": 0.02, "CO2": 0.01})
    rho, lhv = float(ng["density_kg_per_nm3"]), float(ng["lhv_gj_per_t"])
    assert convert("80 Nm3/t", "t/t", density_kg_per_m3=rho) == pytest.approx(80 * rho / 1000, rel=1e-12)
    assert convert("9.7 GJ/t", "t/t", lhv_gj_per_t=lhv) == pytest.approx(9.7 / lhv, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (0.45, "t/t", "has no unit of measure"),
        ("0.45", "t/t", "has no unit of measure"),
        ("0.45 km/t", "t/t", "has the wrong unit"),
        ("abc", "t/t", "cannot read"),
        (None, "t/t", "expected a quantity"),
    ],
)
def test_bad_quantities(value: object, unit: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        convert(value, unit, where="units.x.inputs.coke", file="plant.yaml")
    assert "plant.yaml: units.x.inputs.coke" in info.value.render()


def test_parse_quantity_accepts_bare_numbers_only_for_fractions() -> None:
    assert parse_quantity(0.85, "dimensionless") == 0.85
    assert parse_quantity("28.5 GJ/t", "energy_per_mass") == 28.5
    with pytest.raises(InputError, match="no unit"):
        parse_quantity(28.5, "energy_per_mass")
