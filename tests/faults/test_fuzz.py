"""The fuzz harness (tools/fuzz.py) on a fixed seed: no crash, no hang, no silent wrong answer (issue 9).

The 10,000-case run is ``python tools/fuzz.py --cases 10000``; its figure is in tools/FUZZ.md.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "fuzz.py"


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("steelworks_fuzz", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load()


def test_a_fixed_seed_run_of_100_cases_has_no_bad_outcome() -> None:
    outcomes = fuzz.run(100, seed=2026, workers=1)
    counts = fuzz.summary(outcomes)
    bad = [f"#{o.index} {o.kind}: {o.what} -> {o.detail}" for o in outcomes if o.kind in fuzz.BAD]
    assert not bad, "\n".join(bad)
    # the run is not vacuous: it reaches both answers and refusals, and all three families
    assert counts["ok"] >= 5 and counts["clean"] >= 50, counts
    assert {o.family for o in outcomes} == {"set", "file", "args"}


def test_cases_are_reproducible_from_seed_and_index() -> None:
    a, b = fuzz.make_case(7, 42), fuzz.make_case(7, 42)
    assert (a.what, a.args, a.files) == (b.what, b.args, b.files)
    assert fuzz.make_case(7, 43).what != a.what or fuzz.make_case(7, 43).args != a.args


_GOOD = {
    "kpis": {"crude_steel_t": 100.0},
    "flows": [{"source": "a", "target": "b", "carrier": "c", "amount": 5.0}],
    "boundary": [{"carrier": "c", "purchased": 1.0, "sold": 0.0}],
    "balances": {"mass": {"residual_rel": 0.0}, "Fe": {"residual_rel": 1e-12}},
}


def _case(must_fail: bool = False) -> Any:
    return fuzz.Case(0, "set", "planted", ["balance", "x", "--format", "json"], must_fail=must_fail)


@pytest.mark.parametrize(
    ("exit_code", "output", "timed_out", "must_fail", "expected"),
    [
        (0, json.dumps(_GOOD), False, False, "ok"),
        (2, "error: x.yaml: line 3: bad (allowed: 1)", False, True, "clean"),
        (1, "Traceback (most recent call last):\n  ZeroDivisionError", False, False, "crash"),
        (2, "Traceback (most recent call last):\n ...", False, False, "crash"),
        (2, "", False, False, "crash"),
        (2, "error: " + "x" * 6000, False, False, "crash"),
        (None, "", True, False, "hang"),
        (0, json.dumps(_GOOD), False, True, "silent"),  # an out-of-domain input accepted
        (0, json.dumps({**_GOOD, "kpis": {"crude_steel_t": None}}), False, False, "silent"),  # NaN
        (0, json.dumps({**_GOOD, "balances": {"C": {"residual_rel": 1e-6}}}), False, False, "silent"),
        (0, json.dumps({**_GOOD, "flows": [{**_GOOD["flows"][0], "amount": -3.0}]}), False, False, "silent"),
        (0, '{"kpis": ', False, False, "silent"),  # not JSON
    ],
)
def test_the_classifier_flags_each_kind_of_failure(
    exit_code: int | None, output: str, timed_out: bool, must_fail: bool, expected: str
) -> None:
    kind, detail = fuzz.classify(_case(must_fail), exit_code, output, 0.1, timed_out)
    assert kind == expected, detail
