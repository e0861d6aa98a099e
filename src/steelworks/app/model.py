"""The app's calls into the public API (:mod:`steelworks.api`, :mod:`steelworks.report`), cached.

Nothing here computes a figure of the works: it names scenarios, turns the form's fields into the
``--set`` strings the CLI takes, and remembers the last few solves so that page loads are cheap.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from steelworks.api import BalanceResult, Evaluation, run_balance, run_evaluation, split_overrides
from steelworks.errors import InputError

#: parameters offered in the form when a page opens (those the scenario has; the user adds any other)
KEY_PARAMETERS = (
    "target.amount",
    "units.bf1.availability",
    "units.bf1.model.params.pci_rate",
    "prices.iron_ore_fines.price",
    "prices.coking_coal.price",
    "prices.hot_rolled_coil.price",
    "finance.discount_rate.value",
)
#: the options compared when the Options page opens (those bundled; the user adds or removes)
DEFAULT_OPTIONS = ("psm-mothballed", "psm-bf-revival", "psm-phased", "psm-one-line", "psm-eaf", "psm-dri-eaf")
DEFAULT_BASELINE = "psm-mothballed"
DEFAULT_SCENARIO = "psm-bf-revival"
#: one solve at a time: the unit conversions (pint) are not safe across the web server's threads (two
#: concurrent first solves raised pint's DimensionalityError); a solve takes ~25 ms, so requests queue briefly
LOCK = threading.RLock()


@functools.cache
def scenarios() -> tuple[tuple[str, str], ...]:
    """Bundled scenarios: (name, description)."""
    from steelworks.schema.loader import list_scenarios

    return tuple((name, description) for name, description in list_scenarios())


@functools.cache
def has_economics(scenario: str) -> bool:
    from steelworks.schema.loader import load_scenario

    with LOCK:
        return load_scenario(scenario).economics is not None


def economic_scenarios() -> list[str]:
    return [name for name, _ in scenarios() if has_economics(name)]


@functools.cache
def planning_scenarios() -> tuple[str, ...]:
    """Scenarios with a ``planning:`` block first (the planner's own), then every scenario with economics."""
    from steelworks.schema.loader import load_scenario

    with LOCK:
        own = [n for n in economic_scenarios() if getattr(load_scenario(n), "planning", None)]
    own = sorted(own)
    return (*own, *[n for n in economic_scenarios() if n not in own])


def override_string(path: str, text: Any, unit: str = "") -> str:
    """The ``--set`` string for a form field: a bare number is given the parameter's listed unit, anything
    else is passed as typed (the schema parses it; nothing typed is evaluated)."""
    value = "" if text is None else str(text).strip()
    if value and unit not in ("", "-"):
        try:
            float(value.replace(",", "").replace("_", ""))
        except ValueError:
            pass
        else:
            value = f"{value} {unit}"
    return f"{path}={value}"


@dataclass(frozen=True)
class Solved:
    """A solved scenario: the balance, and the business case where the scenario has an economics block."""

    balance: BalanceResult
    evaluation: Evaluation | None

    @property
    def economics(self) -> dict[str, Any] | None:
        return None if self.evaluation is None else self.evaluation.to_dict()


@functools.lru_cache(maxsize=64)
def _solve(scenario: str, overrides: tuple[str, ...]) -> Solved:
    if has_economics(scenario):
        ev = run_evaluation(scenario, list(overrides))
        return Solved(ev.balance, ev)
    works, econ = split_overrides(list(overrides))
    if any(econ.values()):
        raise InputError(
            f"scenario '{scenario}' has no business case, so prices., option. and finance. settings do not apply",
            location="scenario.economics",
            allowed="a works parameter (units., demand., target., carriers., ...)",
        )
    return Solved(run_balance(scenario, works), None)


def solve(scenario: str, overrides: Iterable[str] = ()) -> Solved:
    """Solve (and evaluate) a scenario with ``--set`` style overrides; raises InputError as the CLI would."""
    with LOCK:
        return _solve(scenario, tuple(overrides))


def cache_hits() -> int:
    return _solve.cache_info().hits


def blame(scenario: str, overrides: Sequence[str]) -> dict[int, str]:
    """Which overrides fail on their own, and with what message (index -> the CLI's message)."""
    out: dict[int, str] = {}
    for i, item in enumerate(overrides):
        try:
            solve(scenario, [item])
        except InputError as exc:
            out[i] = message(exc)
    return out


def message(exc: InputError) -> str:
    """The text the CLI prints for this error (without its colour)."""
    return f"error: {exc.render()}"


@functools.lru_cache(maxsize=16)
def parameter_table(scenario: str) -> tuple[dict[str, Any], ...]:
    """``steelworks params SCENARIO`` rows: path, value, unit, source, allowed."""
    from steelworks.report.params import parameter_rows

    with LOCK:
        return tuple(parameter_rows(solve(scenario).balance.scenario))


def parameter_index(scenario: str) -> dict[str, dict[str, Any]]:
    return {row["path"]: row for row in parameter_table(scenario)}


def market_overrides(overrides: Sequence[str]) -> list[str]:
    """The edits that apply to every option: prices and finance (a unit's setting belongs to its works)."""
    from steelworks.schema.tree import route

    return [item for item in overrides if route(item.split("=", 1)[0])[0] in ("prices", "finance")]


def evaluations(names: Sequence[str], overrides: Sequence[str] = ()) -> list[Evaluation]:
    out = []
    for name in names:
        ev = solve(name, overrides).evaluation
        if ev is None:
            raise InputError(
                f"scenario '{name}' has no business case to compare", allowed=", ".join(economic_scenarios())
            )
        out.append(ev)
    return out
