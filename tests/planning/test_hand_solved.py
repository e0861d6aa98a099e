"""Two units, three years: plans whose optimum and NPV are worked out by hand.

The works: ore (bought at 10 USD/t) -> a mill -> steel (sold at 30 USD/t, the market takes 10 t/yr), so
every tonne made earns a margin of 20 USD. Two candidate mills of 10 t/yr, availability 1:
``old`` (repairable: restore) and ``new`` (not built: new). Years 2030-2032, index t = 0, 1, 2,
discount rate 10 % end-of-year (delta = 1, 1/1.1, 1/1.21), year 0 undiscounted.
"""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.planning import Action, PlanInfeasibleError, PlanningProblem, solve_plan

pytest.importorskip("linopy")
pytest.importorskip("highspy")

MARGIN = 20.0 * 10  # USD per year at full output (10 t x (30 - 10))
D1, D2 = 1 / 1.1, 1 / 1.21


def works(
    *,
    restore_cost: float = 100.0,
    restore_profile: tuple[float, ...] = (1.0,),
    restore_ramp: tuple[float, ...] = (),
    new_cost: float = 150.0,
    new_profile: tuple[float, ...] = (1.0,),
    fixed_cost_new: float = 0.0,
    residual: bool = False,
    budget_total: float | None = None,
    budget_per_year: float | None = None,
) -> PlanningProblem:
    restore_total = restore_cost
    return PlanningProblem(
        start_year=2030,
        n_years=3,
        discount_rate=0.10,
        unit_ids=["old", "new"],
        carrier_ids=["ore", "steel"],
        recipe=np.array([[-1.0, 1.0], [-1.0, 1.0]]),
        capacity=np.array([10.0, 10.0]),
        availability=np.array([1.0, 1.0]),
        in_service=np.array([False, False]),
        actions=[
            Action("old", "restore", restore_total, np.array(restore_profile), life=10, ramp=np.array(restore_ramp)),
            Action("new", "new", new_cost, np.array(new_profile), life=10),
        ],
        price_buy=np.array([10.0, 0.0]),
        price_sell=np.array([0.0, 30.0]),
        can_buy=np.array([True, False]),
        can_sell=np.array([False, True]),
        market_cap=np.array([[np.inf] * 3, [10.0] * 3]),
        fixed_cost=np.array([0.0, fixed_cost_new]),
        residual_value=residual,
        budget_total=budget_total,
        budget_per_year=None if budget_per_year is None else np.full(3, budget_per_year),
    )


def chosen(result) -> set[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    return {(a["unit"], a["action"], a["start_year"]) for a in result.actions}


def test_restore_beats_new_when_cheaper_and_equal() -> None:
    # restore in 2030 (100 in year 0), output 10 t in years 1 and 2:
    # NPV = -100 + 200/1.1 + 200/1.21 = 247.107...; new would be -150 + the same = 197.107
    r = solve_plan(works())
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.npv_usd == pytest.approx(-100 + MARGIN * (D1 + D2), rel=1e-9)
    assert r.npv_usd == pytest.approx(247.10743801652893, rel=1e-9)
    assert r.output["old"] == pytest.approx([0.0, 10.0, 10.0])
    assert r.objective_usd == pytest.approx(r.npv_usd, rel=1e-9)  # the LP's objective is the NPV


def test_ramp_up_makes_new_build_win() -> None:
    # restore ramps at 50 % in its first service year: -100 + 100/1.1 + 200/1.21 = 156.198
    # new at full rate: -150 + 200/1.1 + 200/1.21 = 197.107 -> new is chosen
    r = solve_plan(works(restore_ramp=(0.5,)))
    assert chosen(r) == {("new", "new", 2030)}
    assert r.npv_usd == pytest.approx(-150 + MARGIN * (D1 + D2), rel=1e-9)
    assert r.npv_usd == pytest.approx(197.10743801652893, rel=1e-9)


def test_budget_binds_and_picks_the_cheaper_action() -> None:
    # the same works with a total budget of 120: new (150) is out of reach -> restore with its ramp, 156.198
    r = solve_plan(works(restore_ramp=(0.5,), budget_total=120.0))
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.npv_usd == pytest.approx(-100 + 0.5 * MARGIN * D1 + MARGIN * D2, rel=1e-9)
    assert r.npv_usd == pytest.approx(156.19834710743802, rel=1e-9)
    assert sum(r.capex_by_year) <= 120.0 + 1e-9


def test_yearly_budget_spreads_spending() -> None:
    # a yearly cap of 60: new (150 in one year) is out; a restore spread 50/50 over two years fits,
    # output only in year 2: NPV = -50 - 50/1.1 + 200/1.21 = 69.835
    r = solve_plan(works(new_profile=(1.0,), restore_profile=(0.5, 0.5), budget_per_year=60.0))
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.capex_by_year == pytest.approx([50.0, 50.0, 0.0])
    assert r.npv_usd == pytest.approx(-50 - 50 * D1 + MARGIN * D2, rel=1e-9)


def test_lead_time_shifts_output() -> None:
    # a two-year restore (50/50) against a new build of 300: restore, output only from year 2
    # NPV = -50 - 50/1.1 + 200/1.21 = 69.835 > new: -300 + 200/1.1 + 200/1.21 = 47.107
    r = solve_plan(works(restore_profile=(0.5, 0.5), new_cost=300.0))
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.output["old"] == pytest.approx([0.0, 0.0, 10.0])
    assert r.npv_usd == pytest.approx(69.83471074380165, rel=1e-9)
    # with one year of lead time the same restore makes steel from year 1
    r1 = solve_plan(works(restore_profile=(1.0,), new_cost=300.0))
    assert r1.output["old"] == pytest.approx([0.0, 10.0, 10.0])


def test_fixed_cost_on_capacity_and_residual_value() -> None:
    # new with 5 USD/yr fixed cost while in service (years 1, 2) and a residual of the restore:
    # restore: life 10, in service from year 1 -> 2 of 10 years used at the end: 0.8 x 100 = 80 credited
    # at delta_2: NPV = -100 + 200/1.1 + 200/1.21 + 80/1.21 = 313.22
    r = solve_plan(works(fixed_cost_new=5.0, residual=True))
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.npv_usd == pytest.approx(-100 + MARGIN * (D1 + D2) + 80 * D2, rel=1e-9)
    # forcing the new mill (fixed plan): -150 - 5/1.1 - 5/1.21 + 200/1.1 + 200/1.21 + 0.8 x 150/1.21
    f = solve_plan(works(fixed_cost_new=5.0, residual=True).fix({"new": ("new", 2030)}))
    assert chosen(f) == {("new", "new", 2030)}
    assert f.npv_usd == pytest.approx(-150 + (MARGIN - 5) * (D1 + D2) + 120 * D2, rel=1e-9)


def test_idle_is_the_answer_when_nothing_pays() -> None:
    r = solve_plan(works(restore_cost=1000.0, new_cost=1000.0))
    assert r.actions == []
    assert r.npv_usd == pytest.approx(0.0, abs=1e-9)


def test_infeasible_plan_names_the_binding_constraint_set() -> None:
    with pytest.raises(PlanInfeasibleError, match="budget_total") as err:
        solve_plan(works(budget_total=100.0).fix({"new": ("new", 2030)}))
    assert err.value.location == "plan.budget_total"


def test_output_mandate_and_its_cost() -> None:
    """A mandate of 10 t steel in years 1 and 2, the new mill costing 300: unmandated, restore (100 over two
    years, output only in year 2: -50 - 50/1.1 + 200/1.21 = 69.835); the mandate needs output in year 1,
    which only the one-year new build gives: -300 + 200/1.1 + 200/1.21 = 47.107 -> the mandate costs 22.727."""
    prob = works(restore_profile=(0.5, 0.5), new_cost=300.0)
    free = solve_plan(prob)
    prob.crude_steel = ["steel"]
    prob.min_crude_steel_t = np.array([0.0, 10.0, 10.0])
    mandated = solve_plan(prob)
    assert chosen(mandated) == {("new", "new", 2030)}
    assert mandated.npv_usd == pytest.approx(-300 + MARGIN * (D1 + D2), rel=1e-9)
    assert free.npv_usd - mandated.npv_usd == pytest.approx(69.83471074380165 - 47.10743801652893, rel=1e-9)
    prob.min_crude_steel_t = np.array([10.0, 10.0, 10.0])  # steel in year 0: no action commissions in time
    with pytest.raises(PlanInfeasibleError, match="mandate_output"):
        solve_plan(prob)


def test_fix_forces_and_forbids() -> None:
    # forbid the restore: the new build is the best left (197.107); force the restore in 2031: output in year 2
    # only, -100/1.1 + 200/1.21 = 74.380
    r = solve_plan(works().apply_fixes(["!old:restore"]))
    assert chosen(r) == {("new", "new", 2030)}
    assert r.npv_usd == pytest.approx(197.10743801652893, rel=1e-9)
    r = solve_plan(works(new_cost=1000.0).apply_fixes(["old:restore@2031"]))
    assert chosen(r) == {("old", "restore", 2031)}
    assert r.npv_usd == pytest.approx(-100 * D1 + MARGIN * D2, rel=1e-9)


@pytest.mark.parametrize(
    ("spec", "where"),
    [("ghost:restore@2030", "--fix.unit"), ("old:new@2030", "--fix.action"), ("old:restore@2029", "year")],
)
def test_fix_validation_names_the_field(spec: str, where: str) -> None:
    from steelworks.errors import InputError

    with pytest.raises(InputError) as err:
        works().apply_fixes([spec])
    assert where in str(err.value)


def test_co2_cap_limits_output() -> None:
    """Ore carries 10 % C (a toy), steel none: each t of steel emits 0.1 x 44.009/12.011 = 0.366403 t CO2.
    A cap of 5 t steel's worth from year 1 halves the output: restore, 5 t in years 1 and 2,
    NPV = -100 + 100/1.1 + 100/1.21 = 73.554."""
    prob = works()
    prob.c_frac = np.array([0.1, 0.0])
    per_t = 0.1 * 44.009 / 12.011
    prob.max_co2_t = np.array([np.inf, 5 * per_t, 5 * per_t])
    r = solve_plan(prob)
    assert chosen(r) == {("old", "restore", 2030)}
    assert r.output["old"] == pytest.approx([0.0, 5.0, 5.0], rel=1e-9)
    assert r.extra["co2_t"] == pytest.approx([0.0, 5 * per_t, 5 * per_t], rel=1e-9)
    assert r.npv_usd == pytest.approx(-100 + 0.5 * MARGIN * (D1 + D2), rel=1e-9)
    assert r.npv_usd == pytest.approx(73.55371900826447, rel=1e-9)


def test_first_steel_mandate_and_its_cost() -> None:
    """A two-year restore (50/50) is the free optimum (69.835, steel from year 2); first steel by 2031 needs
    a mill in service in year 1, which only the one-year new build (300) gives: 47.107."""
    prob = works(restore_profile=(0.5, 0.5), new_cost=300.0)
    prob.crude_steel = ["steel"]
    free = solve_plan(prob)
    prob.first_steel_by = 1
    mandated = solve_plan(prob)
    assert chosen(free) == {("old", "restore", 2030)}
    assert chosen(mandated) == {("new", "new", 2030)}
    assert mandated.npv_usd == pytest.approx(47.10743801652893, rel=1e-9)
    prob.first_steel_by = 0  # nothing commissions in year 0
    with pytest.raises(PlanInfeasibleError, match="mandate_first_steel"):
        solve_plan(prob)


def test_tax_with_loss_carry_forward_decides_the_plan() -> None:
    """30 % tax, capital written off in the year it comes into service (straight line at 100 %), no
    inflation. The new mill (300, in service in year 1) makes 200 a year in years 1 and 2: profit
    -100 in year 1 (200 - 300 depreciation), +200 in year 2; the loss carried forward leaves 100 taxed:
    tax 30 in year 2, NPV -300 + 200/1.1 + (200 - 30)/1.21 = 22.314 > 0, so the mill is built. Without the
    carry-forward the tax would be 60 and the NPV -2.48: the plan would be to stay idle."""
    from dataclasses import replace

    from steelworks.economics.finance import depreciation_kernel

    prob = replace(
        works(restore_cost=1000.0, new_cost=300.0),
        tax_rate=0.30,
        tax_depreciation=depreciation_kernel(3, "straight_line", 1.0, 0.0),
    )
    result = solve_plan(prob)
    assert chosen(result) == {("new", "new", 2030)}
    assert result.npv_usd == pytest.approx(-300 + MARGIN * D1 + (MARGIN - 30) * D2, rel=1e-9)
    assert result.lines["tax"] == pytest.approx([0.0, 0.0, 30.0], abs=1e-6)
    # a turnover minimum of 20 % of sales (300 a year, 10 t at 30) is larger than either year's income tax:
    # 60 a year, NPV -300 + 140/1.1 + 140/1.21 = -56.9, so the free optimum is to stay idle
    minimum = replace(prob, minimum_tax_rate=0.20)
    assert solve_plan(minimum).actions == []
    forced = solve_plan(minimum.fix({"new": ("new", 2030)}))
    assert forced.lines["tax"] == pytest.approx([0.0, 60.0, 60.0], abs=1e-6)
    assert forced.npv_usd == pytest.approx(-300 + (MARGIN - 60) * (D1 + D2), rel=1e-9)
