"""The README's planner table, measured (not in CI): the best plan and the Russian packages on both bases,
capital, first steel and the output path.

    python tools/plan_tables.py
"""

from __future__ import annotations

from typing import Any

YEARS = (2030, 2031, 2032, 2035, 2040, 2045, 2050, 2055)


def _plan(scenario: str, plan: str | None = None, fix_option: bool = False) -> Any:
    from steelworks.planning import option_plan, problem_from_scenario, solve_plan
    from steelworks.planning.economics import price, solve_plan_file

    if plan is not None:
        return price(solve_plan_file(plan)[0])
    prob = problem_from_scenario(scenario)
    return price(solve_plan(prob.fix(option_plan(scenario)) if fix_option else prob, gap=1e-4))


def _row(label: str, result: Any, evaluated: Any) -> str:
    years = result.plan_years_economics if result is not None else None
    on_years = f"{years.kpis['npv_usd'] / 1e6:,.0f}" if years is not None else "–"
    ev = f"{evaluated.kpis['npv_usd'] / 1e6:,.0f}" if evaluated is not None else "–"
    capex = (
        f"{years.kpis['capex_usd'] / 1e6:,.0f}" if years is not None else f"{evaluated.kpis['capex_usd'] / 1e6:,.0f}"
    )
    sur = f"{result.surrogate_npv_usd / 1e6:,.0f}" if result is not None else "–"
    if years is not None:
        crude = dict(zip(result.problem.years, result.lines["crude_steel_t"], strict=True))
    else:  # evaluate's crude steel of each year's plant state
        import numpy as np

        model = evaluated.model
        steel = (
            np.asarray(model.states.crude_steel_t)
            if model.states is not None
            else model.crude_steel_t * model.production
        )
        crude = dict(zip(evaluated.years, steel.tolist(), strict=True))
    path = " / ".join(f"{crude.get(y, 0.0) / 1e3:,.0f}" for y in YEARS)
    first = next((y for y in sorted(crude) if crude[y] > 0), None)
    return f"| {label} | {on_years} | {ev} | {sur} | {capex} | {first} | {path} |"


def main() -> None:
    from steelworks.api import run_evaluation

    print(
        "| | NPV on the plan's years | evaluate | surrogate | capital | first steel | output "
        + " / ".join(map(str, YEARS))
        + " |"
    )
    print(_row("best plan", _plan("psm-plan", "psm-plan-best"), None))
    bf = run_evaluation("psm-bf-revival").economics
    print(_row("BF revival", _plan("psm-plan", "psm-plan-bf-revival"), bf))
    print(_row("phased", _plan("psm-phased", fix_option=True), run_evaluation("psm-phased").economics))
    print(_row("EAF", None, run_evaluation("psm-eaf").economics))


if __name__ == "__main__":
    main()
