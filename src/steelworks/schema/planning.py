"""The ``planning:`` block of a planning scenario: horizon, budgets and the owner's mandates.

A planning scenario is a scenario (the works, its restore/build lists, its ``economics:`` block) with
what the owner requires of a plan (``steelworks plan`` reads it; the CLI's options override it)::

    planning:
      horizon_years: 30
      budget_total: 2500e6 USD            # all capital over the horizon, cost-year USD
      budget_per_year: 800e6 USD
      mandates:
        crude_steel: {2031: 1.0 Mt/year}  # least crude steel from that year on (until the next entry)
        first_steel_by: 2030              # a steel shop in service by then
        co2_cap: {2031: 2.5 Mt/year}      # most direct (site) CO2 from that year on
      source: "..."

A mandate's years are calendar years; each entry holds from its year until the next entry's year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from steelworks.schema.base import _Strict
from steelworks.schema.economics import MassPerYear, Money, MoneyField

Year = Annotated[int, Field(ge=1950, le=2200)]


class Mandates(_Strict):
    """What the owner requires of every plan the optimiser may choose."""

    crude_steel: dict[Year, MassPerYear] = Field(
        default_factory=dict, description="least crude steel, t/yr, from each year on (a step function)"
    )
    first_steel_by: Year | None = Field(default=None, description="a crude-steel unit in service in this year")
    co2_cap: dict[Year, MassPerYear] = Field(
        default_factory=dict, description="most direct (site) CO2, t/yr, from each year on (a step function)"
    )

    @field_validator("crude_steel", "co2_cap")
    @classmethod
    def _finite_non_negative(cls, steps: dict[int, float]) -> dict[int, float]:
        for year, amount in steps.items():
            if not amount >= 0.0:
                raise ValueError(f"the amount for {year} must be >= 0 t/yr, got {amount}")
        return steps


class PlanningSpec(_Strict):
    horizon_years: int | None = Field(default=None, ge=2, le=60)
    budget_total: MoneyField | None = None
    budget_per_year: MoneyField | None = None
    mandates: Mandates = Field(default_factory=Mandates)
    source: str = Field(min_length=3, description="where the mandate and budgets come from")

    @field_validator("budget_total", "budget_per_year")
    @classmethod
    def _an_amount(cls, money: Money | None) -> Money | None:
        if money is not None and money.per is not None:
            raise ValueError(f"a budget is an amount of money, not a rate ({money})")
        return money


def step_values(steps: dict[int, float], years: list[int]) -> list[float | None]:
    """Each year's value of a step function given at some years (None before the first step)."""
    out: list[float | None] = []
    current: float | None = None
    for year in years:
        if year in steps:
            current = steps[year]
        out.append(current)
    if steps and min(steps) < years[0]:  # a step before the horizon holds from its first year
        first = max(y for y in steps if y <= years[0])
        out = [steps[first] if v is None else v for v in out]
    return out


# ---------------------------------------------------------------------------------------------
# a plan file: a solved (or hand-written) plan, priced and sampled without searching again
# ---------------------------------------------------------------------------------------------
class PlanRow(_Strict):
    """One action a plan starts: on which unit, which action, in which year (a later row on the same
    unit renews it after its life)."""

    unit: str = Field(min_length=1)
    action: Literal["new", "rebuild", "restore", "clear_and_reline"]
    start_year: Year


class PlanSpec(_Strict):
    """A plan for a planning scenario (``steelworks plan SCENARIO --save-plan FILE`` writes one)::

    plan:
      scenario: psm-plan
      actions:
        - {unit: bf1, action: rebuild, start_year: 2027}
      source: "steelworks plan psm-plan --time-limit 400 (6 Dec 2026): gap 3.3 %"
    """

    scenario: str = Field(min_length=1, description="the planning scenario the plan is for")
    actions: list[PlanRow] = Field(min_length=1)
    mandates: bool = Field(
        default=True,
        description="the plan runs under the scenario's mandates (as it was found); false: its units run for "
        "the highest NPV without them (a plan that cannot meet them, e.g. a bundled option's)",
    )
    source: str = Field(min_length=3, description="how the plan was found (command, date, solver status)")

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(unit, action, start year) of every action, as the planner takes them."""
        return [(r.unit, str(r.action), r.start_year) for r in self.actions]

    @field_validator("actions")
    @classmethod
    def _one_start_per_unit_and_year(cls, rows: list[PlanRow]) -> list[PlanRow]:
        seen: set[tuple[str, int]] = set()
        for row in rows:
            key = (row.unit, row.start_year)
            if key in seen:
                raise ValueError(f"unit {row.unit} has two actions starting in {row.start_year}")
            seen.add(key)
        return rows


class PlanFile(_Strict):
    plan: PlanSpec


PLAN_DIR = Path(__file__).resolve().parent.parent / "data" / "plans"


def find_plan(name_or_path: str | Path) -> Path:
    """A bundled plan by name (``data/plans/<name>.yaml``) or a path to a plan file."""
    from steelworks.schema.yamlio import find_bundled

    return find_bundled(name_or_path, PLAN_DIR, "plan", "--plan")


def load_plan(name_or_path: str | Path) -> tuple[PlanSpec, Path]:
    """The validated plan file (duplicate keys, unknown fields and bad values are errors naming the field)."""
    from pydantic import ValidationError

    from steelworks.schema.tree import validation_error
    from steelworks.schema.yamlio import load_yaml

    path = find_plan(name_or_path)
    data, _ = load_yaml(path)
    try:
        return PlanFile.model_validate(data).plan, path
    except ValidationError as exc:
        raise validation_error(exc, file=str(path)) from None


def plan_yaml(scenario: str, rows: list[tuple[str, str, int]], source: str, *, mandates: bool = True) -> str:
    """The text of a plan file (round-trips through :func:`load_plan`)."""
    import yaml

    doc = {
        "plan": {
            "scenario": scenario,
            "actions": [{"unit": u, "action": a, "start_year": int(y)} for u, a, y in rows],
            "mandates": mandates,
            "source": source,
        }
    }
    return yaml.safe_dump(doc, sort_keys=False, width=120)
