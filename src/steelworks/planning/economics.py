"""One economics: a solved plan priced by ``evaluate``'s own cash-flow model.

The MILP's objective (:mod:`steelworks.planning.objective`) is a *linear surrogate* of the NPV: it must be
linear in the decisions, so it leaves out what ``evaluate`` computes non-linearly (income tax with loss
carry-forward, super-tax brackets and the turnover minimum; each year's plant state solved at its own
output; maintenance on the depreciating asset value). The figures ``steelworks plan`` reports for a plan
(NPV, IRR, LCOS, yearly cash lines, production) are therefore not the surrogate's: the chosen plan is
handed back to :func:`steelworks.economics.evaluate.evaluate_inputs` as the option's plan (unit ->
action, start year) and priced there, so a plan fixed to an option's actions has exactly the NPV, cash
flows and production of ``evaluate`` of that option (``tests/planning/test_consistency.py``, 1e-6).

Scope: ``evaluate`` prices the scenario's works at full output (every unit the scenario restores runs). A
plan is priced this way when it acts on exactly the units of the scenario's option (any start years);
a plan on another set of units (a phased start, new-build candidates) keeps the surrogate's figures,
marked ``economics: "surrogate"`` in the report.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

from steelworks.errors import InputError


def _split(overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"prices": {}, "option": {}, "finance": {}}
    for key, value in overrides.items():
        branch, _, path = str(key).partition(".")
        if branch not in out or not path:
            raise InputError(
                f"economics override '{key}' must start with prices., option. or finance.",
                location="scenario.economics.overrides",
                allowed="prices.<path>, option.<path>, finance.<path>",
            )
        out[branch][path] = value
    return out


def plant_year_of(scenario: str) -> Any:
    """The scenario's full-output plant year (the works solved, checked and accounted, as ``run_balance``)."""
    from steelworks.economics.evaluate import PlantYear
    from steelworks.plant.build import build_plant
    from steelworks.results import solved_works
    from steelworks.schema.loader import load_scenario

    resolved = load_scenario(scenario)
    plant = build_plant(resolved)
    _sol, res = solved_works(plant)
    return resolved, PlantYear.from_balance(SimpleNamespace(results=res, scenario=resolved, plant=plant))


def evaluate_plan(scenario: str, plan: dict[str, tuple[str, int]]) -> Any:
    """``evaluate`` of the scenario's option with its plan replaced by ``plan`` (unit -> (action, start year)).

    Returns the :class:`~steelworks.economics.evaluate.EconomicsResult`. Each unit keeps the option's
    ramp-up phase (a unit the option does not name is phase 0).
    """
    from steelworks.economics.evaluate import evaluate_inputs, load_inputs
    from steelworks.schema.economics import PlanStep

    resolved, plant_year = plant_year_of(scenario)
    block = dict(resolved.economics or {})
    over = _split(dict(block.get("overrides") or {}))
    inputs = load_inputs(
        block["option"],
        block.get("prices", "pk-2025"),
        block.get("finance", "finance"),
        price_overrides=over["prices"] or None,
        option_overrides=over["option"] or None,
        finance_overrides=over["finance"] or None,
    )
    option = inputs.option
    steps = {}
    for uid, (action, year) in plan.items():
        old = option.plan.get(uid)
        steps[uid] = PlanStep.model_validate(
            {"action": action, "year": int(year), "phase": old.phase if old is not None else 0}
        )
    inputs = dataclasses.replace(inputs, option=option.model_copy(update={"plan": steps}))
    return evaluate_inputs(plant_year, inputs)


def first_actions(actions: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """Unit -> (action, start year) of each unit's first action in a solved plan (later ones are renewals,
    which ``evaluate`` makes itself at the end of a unit's life)."""
    first: dict[str, tuple[str, int]] = {}
    for row in sorted(actions, key=lambda r: r["start_year"]):
        first.setdefault(row["unit"], (row["action"], int(row["start_year"])))
    return first


def priced_by_evaluate(scenario: str, actions: list[dict[str, Any]]) -> Any | None:
    """``evaluate`` of a solved plan when it acts on exactly the option's units, else None (see module)."""
    from steelworks.planning.problem import option_plan

    plan = first_actions(actions)
    if not plan or set(plan) != set(option_plan(scenario)):
        return None
    return evaluate_plan(scenario, plan)


def price(result: Any) -> Any:
    """Attach ``evaluate``'s pricing of ``result`` (a :class:`~steelworks.planning.model.PlanResult`) where it
    applies: its ``npv_usd`` becomes evaluate's NPV, ``economics`` the EconomicsResult; returns ``result``."""
    scenario = result.problem.label
    if not scenario:
        return result
    ev = priced_by_evaluate(scenario, result.actions)
    if ev is not None:
        result.economics = ev
        result.npv_usd = float(ev.kpis["npv_usd"])
    return result
