"""Golden values of every bundled scenario: what they are, how they are computed, how they are compared.

The numbers are read through the command line's JSON output (the results contract), not through
internals, so that a refactor of the physics or the economics that keeps the contract keeps the files:

- ``steelworks balance <name> --format json`` -> every numeric entry of ``kpis``;
- ``steelworks evaluate <name> --format json`` (only where the scenario has an ``economics:`` block)
  -> the key results listed in ``EVALUATE_KEYS``.

Stored in ``tests/golden/<name>.json``; rewritten only on purpose by
``python tools/refresh_golden.py --reason "..."``, which prints the diff and records the reason.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

GOLDEN_DIR = Path(__file__).resolve().parent
REPO = GOLDEN_DIR.parents[1]
SCENARIO_DIR = REPO / "src" / "steelworks" / "data" / "scenarios"

SECTIONS = ("balance", "evaluate")
REL_TOL = 1e-6
ABS_TOL = 1e-9  # for quantities that are zero (no PCI, nothing flared)

# The economics key results of issue 7 §5: NPV, IRR, capex, LCOS, cash cost, CO2 per t.
EVALUATE_KEYS = (
    "capex_usd",
    "npv_usd",
    "irr",
    "lcos_usd_per_t",
    "cash_cost_usd_per_t",
    "co2_t_per_t_crude_steel",
)

REFRESH_HINT = (
    "If this change of a key result is intended, refresh the stored values on purpose and put the reason "
    'in the commit:\n    python tools/refresh_golden.py --reason "why the numbers moved"\n'
    "(add --scenario NAME to refresh only one; the tool prints the diff)."
)


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def has_economics(name: str) -> bool:
    data = yaml.safe_load((SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    body = data.get("scenario", {}) if isinstance(data, dict) else {}
    return isinstance(body, dict) and bool(body.get("economics"))


def _cli_json(command: str, name: str) -> dict[str, Any]:
    from steelworks.cli import app

    result = CliRunner().invoke(app, [command, name, "--format", "json"])
    if result.exit_code != 0:
        raise RuntimeError(f"steelworks {command} {name} --format json exited {result.exit_code}: {result.output}")
    return json.loads(result.stdout)


def _numeric(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def compute(name: str) -> dict[str, Any]:
    """The current key results of one bundled scenario, as stored in its golden file."""
    kpis = _cli_json("balance", name)["kpis"]
    out: dict[str, Any] = {"balance": {k: v for k, v in sorted(kpis.items()) if _numeric(v)}}
    if has_economics(name):
        ev = _cli_json("evaluate", name)["kpis"]
        out["evaluate"] = {k: ev.get(k) for k in EVALUATE_KEYS}
    return out


def path_of(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.json"


def load(name: str) -> dict[str, Any]:
    return json.loads(path_of(name).read_text(encoding="utf-8"))


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)


def differences(stored: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Lines 'section.key: stored -> current (rel diff)' for every key result that moved or appeared/vanished."""
    lines = []
    for section in SECTIONS:
        old = stored.get(section, {})
        new = current.get(section, {})
        for key in sorted(set(old) | set(new)):
            if key not in old:
                lines.append(f"{section}.{key}: (new) -> {new[key]!r}")
            elif key not in new:
                lines.append(f"{section}.{key}: {old[key]!r} -> (gone)")
            elif not close(old[key], new[key]):
                a, b = old[key], new[key]
                rel = ""
                if a is not None and b is not None and a != 0:
                    rel = f" ({(b - a) / abs(a):+.3e} rel)"
                lines.append(f"{section}.{key}: {a!r} -> {b!r}{rel}")
    return lines
