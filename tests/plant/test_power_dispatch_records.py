"""The power plant's natural gas against published figures (IEAGHG reference mill, PSM's records).

Sources (shared/reference/):
* IEAGHG13 (process_coefficients.md §1.15): the reference mill's power plant takes 0.849 GJ natural gas
  per t HRC beside its works gases (reference case, Table C-6).
* PSM-tpp (psm_plant_and_context.md §1.2): 28-30 MW generated in Jul 2013 while the works ran at ~6 %
  of capacity (FY2013-14, §2.2), i.e. the turbo-generators ran on natural gas.
* Dawn (psm_plant_and_context.md §2.5): the works bought 21 MMCFD of gas in FY2014-15, when it ran at
  20-65 % of capacity between Sep 2014 and Jun 2015 (§2.2).
"""

from __future__ import annotations

import pytest

from steelworks.api import run_balance

#: 1 scf (60 degF, 1 atm) = 0.0283168 m3 x 273.15 / 288.71 = 0.026790 Nm3; natural gas 36.2 MJ/Nm3 LHV
#: (carriers.yaml natural_gas)
MMCFD_GJ_PER_YEAR = 1e6 * 0.026790 * 36.2e-3 * 365


@pytest.fixture(scope="module")
def ieaghg():  # type: ignore[no-untyped-def]
    return run_balance("ieaghg-reference")


def test_ieaghg_mill_power_plant_natural_gas(ieaghg) -> None:  # type: ignore[no-untyped-def]
    ng = ieaghg.report["natural_gas_by_user"]["by_use"]["power_plant"] / ieaghg.kpis["hot_rolled_coil_t"]
    # published 0.849 GJ/tHRC (IEAGHG13 Table C-6); the model's mill makes it with own_demand dispatch
    # and typical, unfitted unit data (its electricity demand and works gas are not IEAGHG's own)
    assert ng == pytest.approx(0.849, rel=0.15)  # 0.963 with the utilities (0.644 without)
    # the rule buys no grid power for the mill
    assert ieaghg.kpis["electricity_purchased_mwh"] == pytest.approx(0.0, abs=1e-6)


def test_psm_tpp_at_low_utilisation_runs_on_natural_gas() -> None:
    # Jul 2013: ~30 MW at ~6 % capacity use (PSM-tpp; CAPU FY2013-14 6 %, psm_plant_and_context.md §2.2)
    r = run_balance(
        "psm",
        [
            "target.amount=0.066 Mt/year",
            "units.power_plant.fuel.dispatch=fixed_load",
            "units.power_plant.fuel.fixed_load=30 MW",
        ],
    )
    pp = r.results.units.ids.index("power_plant")
    fired = float(r.results["gas_burned"][0, pp].sum())
    assert fired == pytest.approx(30 * 8766 * 0.90 * 3.6 / 0.32, rel=1e-12)  # 30 MW at 90 % availability, eta 0.32
    # works gas is all taken by the furnaces, batteries and mills before the TPP: > 95 % of its fuel is bought
    ng = r.report["natural_gas_by_user"]["by_use"]["power_plant"]
    assert ng / fired > 0.95


def test_psm_gas_bought_at_fy2014_15_against_the_record() -> None:
    # FY2014-15: ~30 % average use (20 % Sep 2014 -> 24 % Jan -> 41-65 % Mar 2015, stopped Jun 2015), TPP at
    # its 2013-14 output (~30 MW); record 21 MMCFD (Dawn, psm_plant_and_context.md §2.5)
    r = run_balance(
        "psm",
        [
            "target.amount=0.33 Mt/year",
            "units.power_plant.fuel.dispatch=fixed_load",
            "units.power_plant.fuel.fixed_load=30 MW",
        ],
    )
    mmcfd = r.kpis["natural_gas_gj"] / MMCFD_GJ_PER_YEAR
    # the model explains about half of the record (9.9 MMCFD against 21; 10.6 before issue 8.3): a known gap. The
    # record's year also paid for what a steady-state year at 30 % does not have: restarts of both furnaces
    # and batteries after a year idle, boilers and stoves kept hot through the stoppages, and gas passed on
    # to Steel Town. If the model moves outside this band, the gap's explanation must be revisited.
    assert 0.40 < mmcfd / 21.0 < 0.75
