"""Operating costs that do not come from the flowsheet: labour, maintenance, insurance, overheads.

Variable costs are flows x prices (see :mod:`steelworks.economics.cashflow`); here are the fixed
costs of a year at full output, in cost-year USD per year.
"""

from __future__ import annotations

from collections.abc import Mapping

from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import LabourData, YearlyCost


def wage_usd_per_year(
    labour: LabourData, category: str, conv: Converter, *, where: str, file: str | None = None
) -> float:
    """Yearly cost of one employee of ``category`` incl. on-costs, cost-year USD."""
    wage = labour.wages.get(category)
    if wage is None:
        raise InputError(
            f"no wage for staff category {category!r}",
            file=file,
            location=where,
            allowed=", ".join(sorted(labour.wages)),
        )
    base = conv.usd_per(wage.wage, "year", wage.year, where=f"labour.wages.{category}", file=labour.file)
    return base * labour.on_cost_factor.value


def labour_cost(
    headcount: Mapping[str, int], labour: LabourData, conv: Converter, *, where: str, file: str | None = None
) -> float:
    """Cost of a workforce per year (headcount by category x wage x on-cost factor), cost-year USD."""
    return float(
        sum(n * wage_usd_per_year(labour, cat, conv, where=f"{where}.{cat}", file=file) for cat, n in headcount.items())
    )


def yearly_costs(
    items: list[YearlyCost],
    conv: Converter,
    *,
    where: str,
    file: str | None = None,
    in_cash_flow: bool = True,
) -> float:
    """Sum of yearly cost items (only those with the given ``in_cash_flow`` flag), cost-year USD/yr."""
    return float(
        sum(
            conv.usd_per(item.amount, "year", item.year, where=f"{where}.{i}.amount", file=file)
            for i, item in enumerate(items)
            if item.in_cash_flow is in_cash_flow
        )
    )


def yearly_costs_foreign(items: list[YearlyCost], conv: Converter, *, where: str, file: str | None = None) -> float:
    """Foreign-exchange part of the yearly cost items that are in the cash flow."""
    return float(
        sum(
            item.foreign_share * conv.usd_per(item.amount, "year", item.year, where=f"{where}.{i}.amount", file=file)
            for i, item in enumerate(items)
            if item.in_cash_flow
        )
    )
