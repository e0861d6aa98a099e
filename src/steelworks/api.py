"""The Python API: one call from a scenario name (or file) and overrides to a solved, accounted works.

>>> from steelworks.api import run_balance
>>> result = run_balance("psm", ["units.bf1.availability=0.85"])
>>> round(result.kpis["crude_steel_t"])
1100000
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steelworks.carbon import CarbonAccount, account
from steelworks.plant.balance import Balances, check_balances
from steelworks.plant.build import Plant, build_plant
from steelworks.plant.solve import Solution, solve
from steelworks.report.balance import balance_report
from steelworks.schema.loader import ResolvedScenario, load_scenario


@dataclass
class BalanceResult:
    scenario: ResolvedScenario
    plant: Plant
    solution: Solution
    balances: Balances
    carbon: CarbonAccount
    report: dict[str, Any]

    @property
    def kpis(self) -> dict[str, float]:
        return dict(self.report["kpis"])

    @property
    def purchased(self) -> dict[str, float]:
        """Boundary purchases per carrier in its internal unit (t, MWh, GJ) per year."""
        return {row["carrier"]: row["purchased"] for row in self.report["boundary"] if row["purchased"] > 0}

    @property
    def sold(self) -> dict[str, float]:
        """Boundary sales per carrier (products, by-products, exported power) per year."""
        return {row["carrier"]: row["sold"] for row in self.report["boundary"] if row["sold"] > 0}

    @property
    def lhv_gj_per_t(self) -> dict[str, float]:
        return dict(zip(self.plant.carrier_ids, map(float, self.plant.lhv_gj_per_t), strict=True))

    @property
    def unit_output(self) -> dict[str, float]:
        return {row["id"]: row["output_t"] for row in self.report["units"]}

    @property
    def unit_kind(self) -> dict[str, str]:
        return {row["id"]: row["kind"] for row in self.report["units"]}


def run_balance(scenario: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> BalanceResult:
    """Load, build, solve, check and account one scenario."""
    resolved = load_scenario(scenario, overrides)
    plant = build_plant(resolved)
    return evaluate_plant(resolved, plant)


def evaluate_plant(resolved: ResolvedScenario, plant: Plant) -> BalanceResult:
    sol = solve(plant)
    bal = check_balances(sol)
    co2 = account(sol, bal)
    return BalanceResult(resolved, plant, sol, bal, co2, balance_report(sol, bal, co2))
