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

from typing import Annotated

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
