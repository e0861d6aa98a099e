"""Golden-value regressions: each bundled scenario's key results equal the stored ones to rel 1e-6.

A failure lists every key result that moved. If the move is intended, refresh on purpose
(``python tools/refresh_golden.py --reason "..."``) and give the reason in the commit.
"""

from __future__ import annotations

import pytest

from tests.golden import golden


def test_there_is_a_golden_file_for_every_bundled_scenario_and_no_stale_one() -> None:
    names = set(golden.scenario_names())
    stored = {p.stem for p in golden.GOLDEN_DIR.glob("*.json")}
    assert names == stored, (
        f"scenarios without a golden file: {sorted(names - stored)}; golden files without a scenario: "
        f"{sorted(stored - names)}.\n{golden.REFRESH_HINT}"
    )


@pytest.mark.parametrize("name", golden.scenario_names())
def test_key_results_equal_the_golden_values(name: str) -> None:
    stored = golden.load(name)
    current = golden.compute(name)
    assert ("evaluate" in stored) == golden.has_economics(name)
    diff = golden.differences(stored, current)
    assert not diff, (
        f"{name}: key results moved beyond rel {golden.REL_TOL}:\n  " + "\n  ".join(diff) + ("\n" + golden.REFRESH_HINT)
    )


def test_the_comparison_catches_a_move_of_one_part_in_a_hundred_thousand() -> None:
    stored = golden.load("psm")
    moved = {**stored, "balance": {**stored["balance"]}}
    moved["balance"]["crude_steel_t"] *= 1 + 1e-5
    assert golden.differences(stored, moved) == [
        f"balance.crude_steel_t: {stored['balance']['crude_steel_t']!r} -> "
        f"{moved['balance']['crude_steel_t']!r} (+1.000e-05 rel)"
    ]
    within = {**stored, "balance": {**stored["balance"]}}
    within["balance"]["crude_steel_t"] *= 1 + 1e-7
    assert golden.differences(stored, within) == []


def test_golden_files_hold_the_economics_key_results() -> None:
    stored = golden.load("psm")
    assert set(stored["evaluate"]) == set(golden.EVALUATE_KEYS)
    assert stored["reason"]
