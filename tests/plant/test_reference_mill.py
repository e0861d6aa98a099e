"""A second works described only in data: the IEAGHG (2013) reference mill against its published balance.

Published per t HRC (IEAGHG 2013/04 Vol. 2 Tables A3-4, A3-6, C-6, C-7, via process_coefficients.md 1.15):
CO2 2,094 kg; coking coal 16.29 GJ; PCI coal 5.03 GJ; natural gas 0.849 GJ (to the power plant);
iron ore 0.881 fines + 0.124 lump + 0.349 pellets = 1.354 t.

The furnaces run at typical modern parameters (data file), not fitted to these figures, so the
tolerances are those of an independent model: ore, PCI within 5 %; CO2 within 10 %; coking coal within
20 % (the blast-furnace model burns 341 kg coke/tHM with 180 kg PCI, a little leaner than the
reference's implied ~360-380 kg; the difference shows there, and in CO2).
"""

from __future__ import annotations

import pytest

from steelworks.api import run_balance


@pytest.fixture(scope="module")
def mill():  # type: ignore[no-untyped-def]
    return run_balance("ieaghg-reference")


def test_reference_mill_against_the_published_balance(mill) -> None:  # type: ignore[no-untyped-def]
    k = mill.kpis
    hrc = k["hot_rolled_coil_t"]
    assert hrc == pytest.approx(4.0e6, rel=1e-12)
    assert k["iron_ore_t"] / hrc == pytest.approx(1.354, rel=0.05)
    lhv = mill.lhv_gj_per_t
    assert k["pci_coal_t"] * lhv["pci_coal"] / hrc == pytest.approx(5.03, rel=0.05)
    assert k["coking_coal_t"] * lhv["coking_coal"] / hrc == pytest.approx(16.29, rel=0.20)
    assert k["co2_t_per_t_hot_rolled_coil"] == pytest.approx(2.094, rel=0.10)
    for element in ("mass", "Fe", "C"):
        assert abs(mill.report["balances"][element]["residual_rel"]) < 1e-9


def test_nothing_in_the_code_is_psm_specific(mill) -> None:  # type: ignore[no-untyped-def]
    # the same code runs a works with other unit names, a single furnace and no PSM unit at all
    assert not set(mill.unit_output) & {"bf1", "bf2", "coke_battery_1", "sinter_plant_2"}
    assert mill.unit_output["blast_furnace"] > 3.5e6
