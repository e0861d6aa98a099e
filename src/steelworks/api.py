"""The Python API: one call from a scenario name (or file) and overrides to a solved, accounted works.

>>> from steelworks.api import run_balance
>>> result = run_balance("psm", ["units.bf1.availability=0.85"])
>>> round(result.kpis["crude_steel_t"])
1100000
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steelworks.plant.build import Plant, build_plant
from steelworks.plant.solve import Solution
from steelworks.results import WorksResults, solved_works
from steelworks.schema.loader import ResolvedScenario, load_scenario
from steelworks.schema.tree import WORKS, route, split_by_branch


@dataclass
class BalanceResult:
    """A solved, checked and accounted scenario: the inputs that made it and the results contract."""

    scenario: ResolvedScenario
    plant: Plant
    results: WorksResults = field(repr=False)
    solution: Solution = field(repr=False)

    @property
    def report(self) -> dict[str, Any]:
        """The JSON contract of ``steelworks balance`` (built from :attr:`results` on first use)."""
        if self._report is None:
            from steelworks.report.balance import balance_report

            self._report = balance_report(self.results)
        return self._report

    _report: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def kpis(self) -> dict[str, float]:
        return self.results.kpis(0)

    @property
    def purchased(self) -> dict[str, float]:
        """Boundary purchases per carrier in its internal unit (t, MWh, GJ) per year."""
        return self.results.purchased(0)

    @property
    def sold(self) -> dict[str, float]:
        """Boundary sales per carrier (products, by-products, exported power) per year."""
        return self.results.sold(0)

    @property
    def unit_output(self) -> dict[str, float]:
        """Output of each unit's main product per year."""
        return self.results.unit_output(0)

    @property
    def unit_kind(self) -> dict[str, str]:
        return dict(zip(self.results.units.ids, self.results.units.kinds, strict=True))

    @property
    def lhv_gj_per_t(self) -> dict[str, float]:
        info = self.results.carriers
        return dict(zip(info.ids, map(float, info.lhv_gj_per_t), strict=True))


def run_balance(scenario: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> BalanceResult:
    """Load, build, solve, check and account one scenario."""
    resolved = load_scenario(scenario, overrides)
    plant = build_plant(resolved)
    return evaluate_plant(resolved, plant)


def evaluate_plant(resolved: ResolvedScenario, plant: Plant) -> BalanceResult:
    sol, results = solved_works(plant)
    return BalanceResult(resolved, plant, results, sol)


# ---------------------------------------------------------------------------------------------
# the business case: the plant's balance priced by the economics engine
# ---------------------------------------------------------------------------------------------


@dataclass
class Evaluation:
    """A scenario's balance and its business case (``steelworks evaluate``)."""

    balance: BalanceResult
    economics: Any  # steelworks.economics.EconomicsResult

    def to_dict(self) -> dict[str, Any]:
        econ = self.economics.to_dict()
        kpis = dict(econ["kpis"])
        return {
            "scenario": self.balance.scenario.name,
            "option": econ["option"],
            "option_name": econ["name"],
            "price_deck": econ["price_deck"],
            "kpis": kpis,
            "plant_kpis": self.balance.kpis,
            "cash_flows": econ["cash_flows"],
            "revenue_by_product_usd_per_year": econ["revenue_by_product_usd_per_year_full_output"],
            "capex": econ["capex"],
            "country": econ["country"],
            "assumptions": econ["assumptions"],
        }


def split_overrides(overrides: Iterable[str] | Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Works overrides (``units.bf1.availability=0.85``) apart from those of the business case, by branch
    of the one parameter tree (:mod:`steelworks.schema.tree`)."""
    branches = split_by_branch(overrides)
    works = branches.pop(WORKS)
    return works, branches


def run_evaluation(scenario: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> Evaluation:
    """Solve a scenario and evaluate its business case with the option named in its ``economics:`` block."""
    from steelworks.economics import PlantYear, evaluate
    from steelworks.errors import InputError
    from steelworks.schema.economics import EconomicsChoice

    plant_overrides, econ_overrides = split_overrides(overrides)
    balance = run_balance(scenario, plant_overrides)
    block = balance.scenario.economics
    if block is None:
        raise InputError(
            "the scenario has no 'economics:' block naming its option and price deck",
            file=str(balance.scenario.scenario_file),
            location="scenario.economics",
            allowed="economics: {option: psm-bf-revival, prices: pk-2025}",
        )
    try:
        choice = EconomicsChoice.model_validate(block)
    except Exception as exc:  # pydantic's ValidationError, reported as input
        raise InputError(
            f"invalid economics block: {exc}", file=str(balance.scenario.scenario_file), location="scenario.economics"
        ) from None
    for key, value in choice.overrides.items():
        branch, path = route(key)
        if branch == WORKS:
            raise InputError(
                f"economics override '{key}' must start with prices., option. or finance.",
                file=str(balance.scenario.scenario_file),
                location="scenario.economics.overrides",
                allowed="works parameters go under the scenario's own 'overrides:'",
            )
        econ_overrides[branch].setdefault(path, value)
    crude = balance.kpis["crude_steel_t"]
    plant_year = PlantYear.from_balance(balance) if crude > 0 else PlantYear.idle()
    if crude > 0 and sum(plant_year.products_t.values()) <= 0:
        # without a sold product the per-tonne figures (cash cost, LCOS) would be 0/0
        raise InputError(
            "the works makes steel but sells no carrier tagged 'product', so the business case has nothing "
            "to price per tonne",
            file=str(balance.scenario.carriers_file),
            location="carriers.<id>.tags",
            allowed="tag each saleable output (coil, bar, billet sold) 'product'",
        )
    result = evaluate(
        plant_year,
        choice.option,
        prices=choice.prices,
        finance=choice.finance,
        price_overrides=econ_overrides["prices"] or None,
        option_overrides=econ_overrides["option"] or None,
        finance_overrides=econ_overrides["finance"] or None,
    )
    return Evaluation(balance, result)


def run_hindcast(name: str, overrides: Iterable[str] = ()) -> Any:
    """A past year priced as it was, against what the works reported (``data/economics/hindcasts``):
    :func:`steelworks.economics.hindcast.run_hindcast`; ``overrides`` are ``--set`` paths of its scenario."""
    from steelworks.economics.hindcast import run_hindcast as _run

    return _run(name, list(overrides))
