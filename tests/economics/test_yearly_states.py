"""Each year is a plant state: the works solved at the year's output, not the full-output year scaled."""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.api import run_balance, run_evaluation
from steelworks.economics import cashflow as cf
from steelworks.economics.yearly import output_fractions, solve_at_output


@pytest.fixture(scope="module")
def psm():  # type: ignore[no-untyped-def]
    return run_balance("psm")


def test_the_state_at_full_output_is_the_balance(psm) -> None:  # type: ignore[no-untyped-def]
    states = solve_at_output(psm.plant, np.array([1.0]))
    np.testing.assert_allclose(states["bought"][0], psm.results["bought"][0], rtol=1e-12, atol=1e-9)
    assert states["crude_steel_t"][0] == pytest.approx(1.1e6, rel=1e-12)  # the psm target (PSM-engrev)


def test_a_ramp_up_year_uses_more_energy_per_tonne(psm) -> None:  # type: ignore[no-untyped-def]
    states = solve_at_output(psm.plant, np.array([0.45, 1.0]))
    crude = states["crude_steel_t"]
    assert crude[0] == pytest.approx(0.45 * 1.1e6, rel=1e-12)
    # units kept hot (standby_share: coke ovens, reheating furnaces, oxygen plant) burn their fixed energy
    # whatever they make, so a tonne made at 45 % output needs more natural gas and power than at 100 %
    gas_per_t = states["natural_gas_gj"] / crude
    power_per_t = states["electricity_purchased_mwh"] / crude
    assert gas_per_t[0] > gas_per_t[1] * 1.05 or power_per_t[0] > power_per_t[1] * 1.05
    # and conservation holds in every year's state (mass, Fe, C to 1e-9)
    assert np.all(np.abs(states["balance_residual_rel"][:, :3]) < 1e-9)


def test_output_fractions_map_every_operating_year() -> None:
    production = np.array([0.0, 0.0, 0.45, 0.75, 0.9, 0.85, 0.85, 0.85 * (1 - 0.137)])
    fractions, index = output_fractions(production)
    assert fractions.tolist() == sorted({0.45, 0.75, 0.9, 0.85, round(0.85 * (1 - 0.137), 12)})
    assert index[:2].tolist() == [-1, -1]
    np.testing.assert_allclose(fractions[index[2:]], production[2:], rtol=1e-12)


def test_the_cash_flow_of_linear_states_equals_the_scaled_year() -> None:
    """YearStates that are exactly production x the full-output flows give the scaled cash flow."""
    ev = run_evaluation("psm-eaf")
    model = ev.economics.model
    assert model.states is not None
    linear = cf.YearStates(
        q_buy=model.production[:, None] * model.q_buy[None, :],
        q_sell=model.production[:, None] * model.q_sell[None, :],
        crude_steel_t=model.production * model.crude_steel_t,
        products_t=model.production * model.products_t,
    )
    with_states = cf.run(cf.CashFlowModel(**{**vars(model), "states": linear}))
    scaled = cf.run(cf.CashFlowModel(**{**vars(model), "states": None}))
    assert with_states["npv"][0] == pytest.approx(scaled["npv"][0], rel=1e-12)
    np.testing.assert_allclose(with_states["opex"], scaled["opex"], rtol=1e-12)


def test_yearly_states_lower_the_npv_of_the_revival() -> None:
    """Ramp-up years at part load cost more per tonne than the scaled full-output year."""
    ev = run_evaluation("psm").economics
    model = ev.model
    scaled = cf.run(cf.CashFlowModel(**{**vars(model), "states": None}))
    assert ev.kpis["npv_usd"] < scaled["npv"][0]


def test_year_states_of_a_cached_works_are_kept_and_equal_a_fresh_solve() -> None:
    from dataclasses import replace

    plant = run_balance("psm").plant  # the API's cached works: nothing changes it, so its states are kept
    fractions = np.array([0.45, 0.8, 1.0])
    first = solve_at_output(plant, fractions)
    assert solve_at_output(plant, fractions) is first
    assert solve_at_output(plant, np.array([0.45, 0.9])) is not first  # other fractions: solved
    fresh = replace(plant)  # the same works as a new object keeps nothing (memo is not copied)
    assert fresh.memo is None
    again = solve_at_output(fresh, fractions)
    for name, values in again.data.items():
        assert np.array_equal(first.data[name], values), name
    with pytest.raises(ValueError, match="read-only"):
        first.data["bought"][...] = 0.0


def test_an_option_override_after_a_cached_evaluation_takes_effect() -> None:
    base = run_evaluation("psm").to_dict()["kpis"]
    slower = run_evaluation("psm", ["option.ramp_up.fractions=[0.3, 0.6, 0.85]"]).to_dict()["kpis"]
    assert slower["npv_usd"] != base["npv_usd"]
    assert run_evaluation("psm").to_dict()["kpis"] == base
