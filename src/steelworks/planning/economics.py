"""One economics: a solved plan priced by ``evaluate``'s own cash-flow model.

The MILP's objective (:mod:`steelworks.planning.objective`) is a *linear surrogate* of the NPV: it must be
linear in the decisions, so it leaves out what ``evaluate`` computes non-linearly (income tax with loss
carry-forward, super-tax brackets and the turnover minimum; working capital; debt; maintenance on the
depreciating asset value). The figures ``steelworks plan`` reports for a plan (NPV, IRR, LCOS, yearly
cash lines) are therefore not the surrogate's: the solved plan goes to
:func:`steelworks.economics.evaluate.evaluate_inputs` as :class:`~steelworks.economics.evaluate.PlanYears`:

* capital: :func:`steelworks.economics.capex.plan_estimate` of every action the plan starts (the
  option's calibrated line where the action is the option's own, else capex.yaml bottom-up, the site
  infrastructure carried by the units: the planner's own action costs), each a vintage in service from
  its own commissioning year to the end of its life, renewed only by a later action of the plan; relines
  as ``evaluate`` schedules them;
* each year's flows: what the plan buys and sells that year (the MILP's flows at its recipes, every year
  checked for mass, Fe and C closure by :mod:`.closure`), crude steel and products sold;
* labour and fixed overheads: the option's, in proportion to the replacement value in service (the
  planner's allocation); everything else (deck, tax, finance, working capital, ramp-up) the option's.

This prices a plan on **any** set of units (a phased start, buying coke instead of rebuilding a battery,
new-build candidates) by the same cash-flow code that prices every option (``economics: "evaluate"`` in
the report). :func:`evaluate_plan` is the other route: ``evaluate`` of the scenario's option with its
plan's start years replaced, on the option's own schedule (ramp-up to its ``steady_state``, the works
solved at each year's output) - exact for a plan on the option's units, and what
``tests/planning/test_consistency.py`` compares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from steelworks.errors import InputError


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
    from steelworks.economics.evaluate import evaluate_inputs
    from steelworks.schema.economics import PlanStep

    _resolved, plant_year = plant_year_of(scenario)
    _resolved, inputs = scenario_inputs(scenario)  # the option, deck and finance with the block's overrides
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


def scenario_inputs(scenario: str, overrides: Sequence[str] = ()) -> tuple[Any, Any]:
    """The resolved scenario (with ``--set`` overrides of its works) and the economics inputs its
    ``economics:`` block names (with the overrides of the prices/option/finance branches)."""
    from steelworks.economics.batch import economics_inputs
    from steelworks.schema.loader import load_scenario
    from steelworks.schema.tree import WORKS, split_by_branch

    branches = split_by_branch(list(overrides))
    resolved = load_scenario(scenario, branches.pop(WORKS))
    return resolved, economics_inputs(resolved, branches)


def plan_years(result: Any, resolved: Any, inputs: Any) -> tuple[Any, Any]:
    """The plant year (the plan's steady year) and :class:`~steelworks.economics.evaluate.PlanYears` of a
    solved plan (:class:`~steelworks.planning.model.PlanResult`)."""
    from steelworks.economics.capex import plan_estimate, works_table
    from steelworks.economics.cashflow import YearStates
    from steelworks.economics.evaluate import PlantYear, PlanYears
    from steelworks.economics.prices import Converter
    from steelworks.plant.build import build_plant

    prob = result.problem
    plant = build_plant(resolved, candidate_recipes=True)
    works = works_table(resolved, plant)
    flows = result.extra["flows"]
    buy, sell = np.asarray(flows["buy"], dtype=float), np.asarray(flows["sell"], dtype=float)  # (C, T)
    x = np.asarray(flows["x"], dtype=float)  # (U, T)
    cids = list(prob.carrier_ids)
    traded = [c for i, c in enumerate(cids) if (buy[i] > 0).any() or (sell[i] > 0).any()]
    idx = [cids.index(c) for c in traded]
    product = plant.tags.get("product", np.zeros(len(cids), dtype=bool))
    made = np.clip(prob.recipe, 0.0, None).T @ x  # (C, T)
    crude = sum((made[cids.index(c)] for c in prob.crude_steel), np.zeros(prob.n_years))
    products = (sell * product[:, None]).sum(axis=0)
    elec = cids.index("electricity") if "electricity" in cids else None
    grid_mwh = buy[elec] if elec is not None else np.zeros(prob.n_years)
    direct = np.asarray(result.extra.get("co2_exact_t", result.extra.get("co2_t", np.zeros(prob.n_years))))
    co2 = direct + grid_mwh * plant.grid_co2_t_per_mwh

    rows = [(row["unit"], row["action"], int(row["start_year"])) for row in result.actions]
    conv = Converter(inputs.deck)
    option = inputs.option
    estimate = plan_estimate(option, rows, works, conv, inputs.benchmarks, grid_mwh=float(grid_mwh.max()))
    own = [(u, step.action, step.year) for u, step in option.plan.items()]
    reference = plan_estimate(option, own, works, conv, inputs.benchmarks)
    s = _steady_year(estimate, products, len(option.ramp_up.fractions) if option.ramp_up else 0)  # steady year
    staff = _in_service_value(estimate, prob.n_years) / (reference.replacement_value_usd or 1.0)
    year = PlantYear(
        purchased={c: float(buy[i, s]) for c, i in zip(traded, idx, strict=True) if prob.can_buy[i]},
        sold={c: float(sell[i, s]) for c, i in zip(traded, idx, strict=True) if prob.can_sell[i]},
        crude_steel_t=float(crude[s]),
        products_t={c: float(sell[i, s]) for c, i in zip(traded, idx, strict=True) if product[i]},
        co2_direct_t=float(direct[s]),
        co2_indirect_t=float(co2[s] - direct[s]),
        lhv_gj_per_t={c: float(v) for c, v in zip(cids, plant.lhv_gj_per_t, strict=True) if v > 0},
        works=works,
        label=f"{prob.label} (plan)",
    )
    states = YearStates(buy[idx].T, sell[idx].T, crude, products)
    production = crude / crude[s] if crude[s] > 0 else np.zeros(prob.n_years)
    return year, PlanYears(estimate, traded, states, production, staff, co2, s)


def _steady_year(estimate: Any, products: np.ndarray, ramp_years: int) -> int:
    """The plan's steady year: the first after the ramp-up of the last unit it brings in (renewals aside)
    in which it sells the most products it sells from then on (not a reline, rebuild or ramp-up year);
    the last year if the ramp-up outlasts the horizon."""
    T = products.size
    first_round: dict[str, Any] = {}
    for line in sorted(estimate.lines, key=lambda row: row.start):
        first_round.setdefault(line.uid, line)
    last = max((line.start + line.duration for line in first_round.values()), default=0)
    begin = min(T - 1, last + ramp_years)
    rest = products[begin:]
    if not rest.size or rest.max() <= 0:
        return T - 1
    return begin + int(np.argmax(rest >= rest.max() * (1.0 - 1e-9)))


def _in_service_value(estimate: Any, n_years: int) -> np.ndarray:
    """Replacement value of the plan's units in service in each year (each vintage from its commissioning
    to the end of its life)."""
    years = np.arange(n_years)
    value = np.zeros(n_years)
    for line in estimate.lines:
        if line.uid != "grid_connection":
            c = line.start + line.duration
            value += np.where((years >= c) & (years < c + round(line.life_years)), line.replacement_usd, 0.0)
    return value


def price_plan(result: Any, overrides: Sequence[str] = ()) -> Any:
    """``evaluate``'s cash-flow model of a solved plan on its own years (the module's rules), or None for a
    plan with no action (the works kept as it is)."""
    from steelworks.economics.evaluate import evaluate_inputs

    if not result.actions or not result.problem.label:
        return None
    resolved, inputs = scenario_inputs(result.problem.label, overrides)
    year, years = plan_years(result, resolved, inputs)
    return evaluate_inputs(year, inputs, plan_years=years)


def price(result: Any, overrides: Sequence[str] = ()) -> Any:
    """Attach ``evaluate``'s pricing of ``result`` (a :class:`~steelworks.planning.model.PlanResult`).

    ``plan_years_economics`` is the plan on its own years (:func:`price_plan`), for every plan with an
    action. The headline (``economics``, ``npv_usd``) is that, except for a plan whose first actions are on
    exactly the option's units: there it is ``evaluate`` of the option on its own schedule with the
    plan's start years (:func:`evaluate_plan`), so ``plan`` and ``evaluate`` of the same option agree
    (``economics_basis`` says which). A plan with no action keeps the surrogate's figures."""
    years = price_plan(result, overrides)
    if years is None:
        return result
    result.plan_years_economics = years
    schedule = priced_by_evaluate(result.problem.label, result.actions)
    result.economics = schedule if schedule is not None else years
    result.economics_basis = "option_schedule" if schedule is not None else "plan_years"
    result.npv_usd = float(result.economics.kpis["npv_usd"])
    return result


def priced_by_evaluate(scenario: str, actions: list[dict[str, Any]]) -> Any | None:
    """:func:`evaluate_plan` of a solved plan when its first actions are on exactly the option's units
    (the option's schedule with the plan's start years), else None."""
    from steelworks.planning.problem import option_plan

    plan = first_actions(actions)
    if not plan or set(plan) != set(option_plan(scenario)):
        return None
    return evaluate_plan(scenario, plan)


def solve_rows(
    scenario: str, rows: Sequence[tuple[str, str, int]], *, mandates: bool = True, file: str | None = None
) -> Any:
    """The plan of ``rows`` (unit, action, start year) on ``scenario``: every start fixed, its flows the LP's
    (under the scenario's mandates unless ``mandates`` is false, as ``steelworks plan --plan`` prices it);
    a :class:`~steelworks.planning.model.PlanResult`."""
    from steelworks.planning.model import solve_plan
    from steelworks.planning.problem import problem_from_scenario

    prob = problem_from_scenario(scenario)
    return solve_plan((prob if mandates else prob.without_mandates()).fix_rows(rows, file=file), gap=1e-6)


def solve_plan_file(name_or_path: str) -> tuple[Any, Any, Any]:
    """A plan file (bundled name or path) solved on its scenario (:func:`solve_rows`): (result, spec, path)."""
    from steelworks.schema.planning import load_plan

    spec, path = load_plan(name_or_path)
    return solve_rows(spec.scenario, spec.rows, mandates=spec.mandates, file=str(path)), spec, path


def slipped(years: Any, k: int) -> Any:
    """:class:`~steelworks.economics.evaluate.PlanYears` with the whole plan ``k`` years later (every
    action, its flows, staff and CO2; what falls past the horizon is lost, the first ``k`` years carry
    nothing but the owner's costs), as a schedule slip moves an option's plan. An action that would then
    commission after the horizon's last year is dropped with the flows it would have served."""
    from steelworks.economics.cashflow import YearStates

    if k == 0:
        return years
    if k < 0:
        raise InputError(f"a slip of {k} years", location="option.plan.*.year", allowed="a shift >= 0 years")
    T = years.production.size

    def later(values: Any) -> np.ndarray:
        a = np.asarray(values, dtype=float)
        out = np.zeros_like(a)
        if k < T:
            out[k:] = a[: T - k]
        return out

    # an action that now commissions past the horizon is not started inside it (its flows fell off too)
    lines = [
        dataclasses.replace(line, start=line.start + k)
        for line in years.estimate.lines
        if line.start + k + line.duration < T
    ]
    if not lines:
        raise InputError(
            f"a slip of {k} years puts every action of the plan past the horizon",
            location="option.plan.*.year",
            allowed="a slip that leaves a unit a year to operate",
        )
    st = years.states
    states = YearStates(later(st.q_buy), later(st.q_sell), later(st.crude_steel_t), later(st.products_t))
    return dataclasses.replace(
        years,
        estimate=dataclasses.replace(years.estimate, lines=lines),
        states=states,
        production=later(years.production),
        staff_share=later(years.staff_share),
        co2_t=later(years.co2_t),
        steady_index=min(T - 1, years.steady_index + k),
    )
