"""Capital of a plan on any set of units (``capex.plan_estimate``): the partial-calibration rule by hand.

psm-bf-revival's calibration (data/economics/options/psm-bf-revival.yaml): T = 1.91 bn USD (2025) spread
over the units (shares summing to 0.90) and the infrastructure (0.10); owner's costs 5 % and contingency
10 % on EPC (x 1.15). A unit keeps its calibrated EPC when the plan takes the option's action on it; the
infrastructure follows the calibrated units kept; a unit on another action is priced by capex.yaml.
"""

from __future__ import annotations

import pytest

from steelworks.economics.capex import estimate_capex, plan_estimate, works_table
from steelworks.economics.evaluate import load_inputs
from steelworks.economics.prices import Converter
from steelworks.plant.build import build_plant
from steelworks.schema.loader import load_scenario

T = 1.91e9  # USD of 2025 = the deck's cost year (pk-2025), so no escalation


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    resolved = load_scenario("psm-plan")
    works = works_table(resolved, build_plant(resolved))
    inputs = load_inputs("psm-bf-revival")
    own = [(uid, step.action, step.year) for uid, step in inputs.option.plan.items()]
    return inputs, works, Converter(inputs.deck), own


def test_the_options_own_plan_costs_the_options_estimate(ctx) -> None:  # type: ignore[no-untyped-def]
    inputs, works, conv, own = ctx
    full = estimate_capex(inputs.option, works, conv, inputs.benchmarks)
    est = plan_estimate(inputs.option, own, works, conv, inputs.benchmarks)
    assert est.total_usd == pytest.approx(full.total_usd, rel=1e-12)
    assert est.total_usd == pytest.approx(T * 1.15, rel=1e-12)  # 2,196.5 M USD
    assert {line.uid for line in est.lines} == {uid for uid, _, _ in own}  # infrastructure carried by units
    assert all(not line.replaced_at_end_of_life for line in est.lines)


def test_a_plan_without_the_coke_batteries(ctx) -> None:  # type: ignore[no-untyped-def]
    inputs, works, conv, own = ctx
    rows = [r for r in own if not r[0].startswith("coke_battery")]
    est = plan_estimate(inputs.option, rows, works, conv, inputs.benchmarks)
    kept = 0.90 - 2 * 0.06
    epc = T * kept + 0.10 * T * kept / 0.90  # the units kept and their share of the infrastructure
    assert est.epc_usd == pytest.approx(epc, rel=1e-12)
    assert est.total_usd == pytest.approx(epc * 1.15, rel=1e-12)  # 1,903.6 M USD


def test_a_unit_on_another_action_is_priced_bottom_up(ctx) -> None:  # type: ignore[no-untyped-def]
    inputs, works, conv, own = ctx
    rows = [(u, "rebuild" if u == "bf1" else a, y) for u, a, y in own]
    est = plan_estimate(inputs.option, rows, works, conv, inputs.benchmarks)
    bf1 = next(line for line in est.lines if line.uid == "bf1")
    bottom_up = bf1.bottom_up_usd / 1.15  # the line's bottom-up with the 15 % infrastructure share folded in
    kept = 0.90 - 0.14
    epc = T * kept + 0.10 * T * kept / 0.90 + bottom_up * 1.15
    assert est.epc_usd == pytest.approx(epc, rel=1e-12)
    # the planner's own cost of the action (planning.problem): bottom-up x 1.15 markup x 1.15 infrastructure
    assert bf1.epc_usd * est.markup == pytest.approx(192.66e6, rel=1e-3)


def test_a_renewal_is_its_own_vintage(ctx) -> None:  # type: ignore[no-untyped-def]
    inputs, works, conv, own = ctx
    rows = [*own, ("lime_kiln", "restore", 2043)]
    est = plan_estimate(inputs.option, rows, works, conv, inputs.benchmarks)
    kilns = sorted((line for line in est.lines if line.uid == "lime_kiln"), key=lambda line: line.start)
    assert [line.start for line in kilns] == [0, 16]
    assert kilns[1].epc_usd == pytest.approx(kilns[0].epc_usd, rel=1e-12)  # the same action, the same cost
    assert est.total_usd == pytest.approx(T * 1.15 + kilns[1].epc_usd * 1.15, rel=1e-12)
