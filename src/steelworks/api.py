"""The Python API: one call from a scenario name (or file) and overrides to a solved, accounted works.

>>> from steelworks.api import run_balance
>>> result = run_balance("psm", ["units.bf1.availability=0.85"])
>>> round(result.kpis["crude_steel_t"])
1100000
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from steelworks.plant.build import Plant, build_plant, is_kept_result
from steelworks.plant.solve import Solution
from steelworks.results import WorksResults, solved_works
from steelworks.schema.loader import ResolvedScenario, find_scenario, load_scenario
from steelworks.schema.tree import WORKS, override_items, route, split_by_branch


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
    """Load, build, solve, check and account one scenario.

    A scenario run before with the same overrides, whose files have not changed since, is not loaded,
    built or solved again: see :func:`_cached_works`.
    """
    if not isinstance(overrides, Mapping):
        overrides = list(overrides)  # read twice below (a generator would be spent by the first)
    entry = _cached_works(scenario, overrides)
    if entry is None:  # overrides that cannot be a key (an unhashable value): the plain path
        resolved = load_scenario(scenario, overrides)
        return evaluate_plant(resolved, build_plant(resolved))
    solved = entry.solved
    if solved is None:
        sol, results = solved_works(entry.plant)
        _freeze(sol, {id(entry.plant)})  # the plant is read-only already
        _freeze(results)
        with _WORKS_LOCK:
            if entry.solved is None:
                entry.solved = (sol, results)
            solved = entry.solved
    sol, results = solved
    # each call gets its own containers (the arrays are shared and read-only)
    return BalanceResult(_own_scenario(entry.scenario), entry.plant, _own_results(results), sol)


# ---------------------------------------------------------------------------------------------
# the cache of validated, built and solved works (a warm run is a dictionary look-up and a stat per file)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Works:
    """One scenario with one set of overrides: its files' stamps, the validated scenario, the built plant
    and (after the first run) its solution and results; every array in them read-only."""

    stamps: tuple[tuple[str, int, int], ...]
    scenario: ResolvedScenario
    plant: Plant
    solved: tuple[Solution, WorksResults] | None = None


#: (scenario file, overrides) -> the works; least recently used dropped beyond :data:`_WORKS_MAX`
_WORKS: OrderedDict[tuple[Any, ...], _Works] = OrderedDict()
_WORKS_MAX = 32
_WORKS_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every cached works (the next run loads, builds and solves again)."""
    with _WORKS_LOCK:
        _WORKS.clear()


def _value_key(value: Any) -> Any:
    """A hashable key of an override value that tells apart what compares equal across types
    (``1``, ``1.0`` and ``True`` are different overrides: the schema refuses a bool where a number is meant)."""
    if isinstance(value, Mapping):
        return ("map", tuple((str(k), _value_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_value_key(v) for v in value))
    hash(value)  # TypeError for what cannot be a key
    return (type(value).__qualname__, value)


def _stamps(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...] | None:
    """(path, modification time, size) of each file, or None when one cannot be read (the load reports it)."""
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            return None
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _scenario_files(resolved: ResolvedScenario) -> list[Path]:
    """Every file a resolved scenario was read from (the three files and the files they extend)."""
    files = [resolved.scenario_file, resolved.plant_file, resolved.carriers_file]
    files += [Path(o.file) for o in resolved.origins]
    return list(dict.fromkeys(files))


def _cached_works(scenario: str | Path, overrides: Iterable[str] | Mapping[str, Any]) -> _Works | None:
    """The cached works of this scenario file and these overrides, loaded and built on first use or when
    one of its files changed (modification time or size); None when the overrides cannot be a key."""
    items = override_items(overrides)  # bad override text is an InputError here, as in the load
    try:
        key: tuple[Any, ...] = (str(find_scenario(scenario).resolve()), tuple((k, _value_key(v)) for k, v in items))
    except TypeError:
        return None
    with _WORKS_LOCK:
        entry = _WORKS.get(key)
        if entry is not None:
            _WORKS.move_to_end(key)
    if entry is not None and _stamps(Path(f) for f, _, _ in entry.stamps) == entry.stamps:
        return entry
    resolved = load_scenario(scenario, dict(items) if not isinstance(overrides, Mapping) else overrides)
    stamps = _stamps(_scenario_files(resolved))
    plant = build_plant(resolved)
    if stamps is None:  # a file went away meanwhile: do not keep what cannot be checked
        return _Works((), resolved, plant)
    _freeze(plant, {id(r) for r in plant.unit_models.values() if is_kept_result(r)})  # those are read-only already
    plant.memo = {}  # nothing changes this plant any more: what is computed from it may be kept on it
    entry = _Works(stamps, resolved, plant)
    with _WORKS_LOCK:
        _WORKS[key] = entry
        _WORKS.move_to_end(key)
        while len(_WORKS) > _WORKS_MAX:
            _WORKS.popitem(last=False)
    return entry


#: leaves that hold no array (not looked into by :func:`_freeze`)
_ATOMS = (str, int, float, complex, bool, type(None), Path)


def _freeze(value: Any, _seen: set[int] | None = None) -> None:
    """Make every numpy array in a (nested) result read-only: a cached works is shared by its callers."""
    seen = set() if _seen is None else _seen
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        items: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple):
        items = value
    elif hasattr(value, "__dataclass_fields__"):
        items = [getattr(value, name) for name in value.__dataclass_fields__]
    else:
        return
    for item in items:
        if not isinstance(item, _ATOMS):
            _freeze(item, seen)


def _own_scenario(resolved: ResolvedScenario) -> ResolvedScenario:
    """A shallow copy whose top-level containers are the caller's own (the records are frozen)."""
    return replace(
        resolved,
        carriers=dict(resolved.carriers),
        demand=dict(resolved.demand),
        tree=dict(resolved.tree),
        restored=list(resolved.restored),
        built=list(resolved.built),
        conditions=dict(resolved.conditions),
        origins=list(resolved.origins),
        overridden=dict(resolved.overridden),
    )


def _own_results(results: WorksResults) -> WorksResults:
    return replace(
        results,
        data=dict(results.data),
        kpi=dict(results.kpi),
        infeasible_reason=list(results.infeasible_reason),
        derived_compositions=dict(results.derived_compositions),
    )


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
