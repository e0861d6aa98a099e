"""A plan on another set of units than the option's is priced by evaluate's cash flow on its own years.

The case: psm's option plan without the two coke batteries (the works buys its coke), solved as a fixed
plan. Hand checks: the capital is the planner's own action costs (tests/economics/test_plan_estimate.py:
1,903.6 M USD for these first actions); coke is bought in every operating year; the staff follow the works
in service (5,000 x the replacement value in service over the option's works' value).
"""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.planning import option_plan, problem_from_scenario, solve_plan
from steelworks.planning.economics import price


@pytest.fixture(scope="module")
def no_batteries():  # type: ignore[no-untyped-def]
    plan = {u: a for u, a in option_plan("psm").items() if not u.startswith("coke_battery")}
    return price(solve_plan(problem_from_scenario("psm").fix(plan), gap=1e-4))


def test_priced_by_evaluate_not_the_surrogate(no_batteries) -> None:  # type: ignore[no-untyped-def]
    r = no_batteries
    assert r.to_dict()["economics"] == "evaluate"
    assert r.economics_basis == "plan_years"  # not the option's units: priced on its own years
    assert r.economics is r.plan_years_economics
    assert np.isfinite(r.npv_usd) and r.npv_usd != pytest.approx(r.surrogate_npv_usd, rel=1e-3)
    first = [row for row in r.actions if row["start_year"] == 2027]
    assert sum(row["cost_usd"] for row in first) == pytest.approx(1903.6e6, rel=1e-4)
    assert r.economics.kpis["capex_usd"] == pytest.approx(sum(row["cost_usd"] for row in r.actions), rel=1e-9)


def test_coke_is_bought_and_paid_for(no_batteries) -> None:  # type: ignore[no-untyped-def]
    r = no_batteries
    model = r.economics.model
    assert "coke" in model.carriers
    coke = np.asarray(model.states.q_buy)[:, model.carriers.index("coke")]
    crude = np.asarray(model.states.crude_steel_t)
    assert (coke[crude > 0] > 0).all()
    # ~0.49 t coke per t hot metal, ~0.89 t hot metal per t crude steel (README's PSM table)
    steady = r.economics.kpis["steady_year"] - r.problem.start_year
    assert coke[steady] / crude[steady] == pytest.approx(0.49 * 0.89, rel=0.1)


def test_staff_follow_the_works_in_service(no_batteries) -> None:  # type: ignore[no-untyped-def]
    r = no_batteries
    jobs = r.economics.kpis["jobs_direct"]
    assert 3000 < jobs < 5000  # fewer than the option's 5,000: no coke ovens to staff
