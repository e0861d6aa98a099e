"""The app's calls into the public API (:mod:`steelworks.api`, :mod:`steelworks.report`), cached.

Nothing here computes a figure of the works: it names scenarios, turns the form's fields into the
``--set`` strings the CLI takes, and remembers the last few solves so that page loads are cheap.
"""

from __future__ import annotations

import functools
import os
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


def risk_targets() -> list[str]:
    """What a risk run may sample: the scenarios with economics, then the bundled plan files
    (``plan:NAME``, :mod:`steelworks.risk.plans`)."""
    from steelworks.schema.planning import PLAN_DIR

    return [*economic_scenarios(), *(f"plan:{p.stem}" for p in sorted(PLAN_DIR.glob("*.yaml")))]


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


#: the largest scenario file the dashboard takes (a bundled scenario is a few kB)
MAX_UPLOAD_BYTES = 256 * 1024
#: keys whose value names another file: an upload may name bundled data only, never a path on the server
_FILE_KEYS = {
    "extends", "plant", "carriers_file", "prices", "option", "finance", "sources_file", "logistics_file", "limits_file",
    "file",
}  # fmt: skip


def _upload_dir() -> Any:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / f"steelworks-uploads-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _server_path(value: str) -> bool:
    """A reference to a file of the server: anything but a bare name or ``steelworks:<bundled file>``."""
    if ".." in value or "~" in value or "\\" in value:
        return True
    return "/" in value and not value.startswith("steelworks:")


def _named_paths(tree: Any, where: str = "") -> list[str]:
    """The places where an uploaded scenario names a file by path (a '/', '\\', '~' or '..' in it)."""
    found: list[str] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            here = f"{where}.{key}" if where else str(key)
            if str(key) in _FILE_KEYS or str(key).endswith("_file"):
                values = value if isinstance(value, list) else [value]
                if any(isinstance(v, str) and _server_path(v) for v in values):
                    found.append(here)
            found.extend(_named_paths(value, here))
    elif isinstance(tree, list):
        for i, item in enumerate(tree):
            found.extend(_named_paths(item, f"{where}[{i}]"))
    return found


def accept_upload(filename: str, contents: str) -> str:
    """An uploaded scenario (a Dash data URL) checked and kept: its path, usable wherever a scenario name
    is. Refused with the CLI's kind of message: too large, not UTF-8 YAML, a path to a server file, or
    any error the scenario loader and the works' build find."""
    import base64
    import hashlib

    from steelworks.fileio import write_bytes
    from steelworks.plant.build import build_plant
    from steelworks.schema.loader import load_scenario
    from steelworks.schema.yamlio import loads

    name = (filename or "upload.yaml")[:120]
    if not name.lower().endswith((".yaml", ".yml")):
        raise InputError(f"'{name}' is not a YAML file", file=name, location="upload", allowed="a .yaml or .yml file")
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, ValueError):
        raise InputError("the upload could not be read", file=name, location="upload") from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{len(data):,} bytes", file=name, location="upload", allowed=f"at most {MAX_UPLOAD_BYTES:,} bytes"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=name, location="upload") from None
    tree = loads(text, name)  # the CLI's YAML rules: duplicate keys, alias bounds, sizes
    if not isinstance(tree, dict) or "scenario" not in tree:
        raise InputError("not a scenario file", file=name, location="upload", allowed="a mapping with 'scenario:'")
    paths = _named_paths(tree)
    if paths:
        raise InputError(
            "an uploaded scenario may name bundled data only, not a file on the server",
            file=name,
            location=", ".join(paths[:5]),
            allowed="bundled data: plant: steelworks:plants/psm.yaml, economics: {option: psm-bf-revival}",
        )
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = _upload_dir() / f"upload-{digest}.yaml"
    write_bytes(path, data, option="upload")
    try:
        with LOCK:
            build_plant(load_scenario(path))
    except InputError as exc:
        path.unlink(missing_ok=True)
        raise InputError(exc.message, file=name, location=exc.location, allowed=exc.allowed) from None
    return str(path)
