"""Every number in the economics data carries a source; every [Sn] key resolves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from steelworks.schema.economics import ECON_DIR, PRICES_DIR

FILES = sorted([*PRICES_DIR.glob("*.yaml"), *ECON_DIR.glob("*.yaml"), *(ECON_DIR / "options").glob("*.yaml")])
#: keys that hold a number or money and therefore need a source in the same mapping or an enclosing one
VALUE_KEYS = {
    "price",
    "amount",
    "specific_cost",
    "share",
    "value",
    "wage",
    "per_usd",
    "fraction_of_new",
    "cost",
    "employees",
    "eu_share",
    "headcount",
    "duties",
    "cfr",
}
EXEMPT = {"placeholder_plant_years.yaml", "references.yaml"}


def _walk(node: Any, path: str, sourced: bool, missing: list[str]) -> None:
    if isinstance(node, dict):
        here = sourced or any(k in node for k in ("source", "factor_source", "benchmarks_source"))
        for key, value in node.items():
            if key in VALUE_KEYS and not here and not (isinstance(value, dict) and "source" in value):
                missing.append(f"{path}.{key}")
            _walk(value, f"{path}.{key}", here, missing)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, f"{path}.{i}", sourced, missing)


@pytest.mark.parametrize("path", [f for f in FILES if f.name not in EXEMPT], ids=lambda p: p.name)
def test_every_value_has_a_source(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing: list[str] = []
    _walk(data, path.stem, False, missing)
    assert not missing, f"values without a source in {path.name}: {missing}"


def test_every_price_entry_has_its_own_source() -> None:
    for path in PRICES_DIR.glob("*.yaml"):
        deck = yaml.safe_load(path.read_text(encoding="utf-8"))["deck"]
        for cid, entry in deck["prices"].items():
            assert len(str(entry.get("source", ""))) > 3, f"{path.name}: prices.{cid} has no source"
        for code, rate in deck["fx"].items():
            assert len(str(rate.get("source", ""))) > 3, f"{path.name}: fx.{code} has no source"


def test_source_keys_resolve() -> None:
    refs = yaml.safe_load((ECON_DIR / "references.yaml").read_text(encoding="utf-8"))["references"]
    for path in FILES:
        for key in re.findall(r"\[(S\d+)\]", path.read_text(encoding="utf-8")):
            assert key in refs, f"{path.name} cites [{key}], which is not in references.yaml"
