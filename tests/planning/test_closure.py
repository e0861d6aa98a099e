"""Each year of a solved plan closes mass, Fe and C by the balance's laws (planning/closure.py, 1e-9)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("linopy")
pytest.importorskip("highspy")

from steelworks.planning import option_plan, problem_from_scenario, solve_plan
from steelworks.planning.closure import check_year_flows
from steelworks.plant.balance import MATERIAL_TOL, BalanceError


@pytest.fixture(scope="module")
def fixed():  # type: ignore[no-untyped-def]
    prob = problem_from_scenario("psm").fix(option_plan("psm"))
    return prob, solve_plan(prob, gap=1e-4)


def test_every_year_closes_mass_fe_and_c(fixed) -> None:  # type: ignore[no-untyped-def]
    _, result = fixed
    closure = result.extra["closure"]
    for element in ("mass", "fe", "c"):
        assert np.abs(closure[f"{element}_residual_rel"]).max() <= MATERIAL_TOL
    # the years checked are real works years: 2030 on the ramp-up, 2032 at ~1.1 Mt crude steel; Fe bought
    # is ~0.97 t per t crude steel (ore and scrap Fe, less dust), C bought ~0.6 t per t (coking coal, fuels)
    crude = np.asarray(result.lines["crude_steel_t"])
    assert closure["fe_in"][0] == 0.0 and crude[0] == 0.0  # 2027: nothing runs
    assert closure["fe_in"][5] / crude[5] == pytest.approx(0.97, abs=0.05)
    assert closure["c_in"][5] / crude[5] == pytest.approx(0.6, abs=0.15)
    assert closure["mass_in"][5] > 4e6


def test_a_broken_year_is_named(fixed) -> None:  # type: ignore[no-untyped-def]
    prob, result = fixed
    flows = {k: np.array(v, copy=True) for k, v in result.extra["flows"].items()}
    u = prob.unit_index("bof1")
    flows["x"][u, 5] *= 1.01  # bof1 makes 1 % more steel than the iron and scrap bought can give
    with pytest.raises(BalanceError, match="plan year 2032"):
        check_year_flows(prob, flows)


def test_site_co2_of_the_milp_is_the_balance_carbon(fixed) -> None:  # type: ignore[no-untyped-def]
    """The CO2 a cap constrains (44/12 (C bought - C sold), sold carriers at their makers' composition)
    equals the C the closure finds leaving as gas (sold at each year's pool composition), to 1e-9; a BF-BOF
    works emits ~2 t CO2 direct per t crude steel (worldsteel BF-BOF average ~2.2 incl. indirect)."""
    _, result = fixed
    linear, exact = np.asarray(result.extra["co2_t"]), np.asarray(result.extra["co2_exact_t"])
    assert linear == pytest.approx(exact, rel=1e-9, abs=1e-6)
    crude = np.asarray(result.lines["crude_steel_t"])
    assert linear[5] / crude[5] == pytest.approx(2.0, abs=0.3)
