"""Plan files: ``steelworks plan --save-plan`` writes the solved plan, ``--plan`` prices it again without a
search; a bad plan file is a message naming the file and the field, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.schema.planning import load_plan

runner = CliRunner()


def test_save_then_price_the_saved_plan(tmp_path: Path) -> None:
    saved = tmp_path / "fixed.yaml"
    first = runner.invoke(app, ["plan", "psm", "--fix-option", "--save-plan", str(saved), "-f", "json"])
    assert first.exit_code == 0, first.output
    spec, _ = load_plan(saved)
    assert spec.scenario == "psm" and spec.mandates is False  # psm has no mandates
    assert "--fix-option" in spec.source
    again = runner.invoke(app, ["plan", "psm", "--plan", str(saved), "-f", "json"])
    assert again.exit_code == 0, again.output
    a, b = json.loads(first.stdout), json.loads(again.stdout)
    assert b["actions"] == a["actions"]
    assert b["npv_usd"] == pytest.approx(a["npv_usd"], rel=1e-9)  # -2,182 M USD (test_consistency.py)


def test_the_bundled_best_plan_meets_its_mandate() -> None:
    res = runner.invoke(app, ["plan", "psm-plan", "--plan", "psm-plan-best", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    crude = dict(zip(data["years"], data["lines"]["crude_steel_t"], strict=True))
    assert all(crude[y] >= 1.0e6 * (1 - 1e-9) for y in range(2031, 2057))  # 1.0 Mt/yr from 2031
    assert data["economics"] == "evaluate"


BAD = {
    "unknown unit": ("{unit: bf9, action: rebuild, start_year: 2027}", "plan.actions.0.unit"),
    "action the unit lacks": ("{unit: bf1, action: new, start_year: 2027}", "plan.actions.0.action"),
    "outside the horizon": ("{unit: bf1, action: rebuild, start_year: 2090}", "plan.actions.0.start_year"),
    "unknown field": ("{unit: bf1, action: rebuild, start_year: 2027, cost: 5}", "cost"),
    "action not an action": ("{unit: bf1, action: paint, start_year: 2027}", "action"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_plan_files_exit_2_naming_file_and_field(tmp_path: Path, case: str) -> None:
    row, field = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(f"plan:\n  scenario: psm\n  actions:\n    - {row}\n  source: a test\n", encoding="utf-8")
    res = runner.invoke(app, ["plan", "psm", "--plan", str(path)])
    assert res.exit_code == 2, res.output
    assert "bad.yaml" in res.output and field in res.output, res.output


def test_a_plan_for_another_scenario_and_a_search_option_are_refused(tmp_path: Path) -> None:
    other = runner.invoke(app, ["plan", "psm", "--plan", "psm-plan-best"])
    assert other.exit_code == 2 and "is for scenario 'psm-plan'" in other.output, other.output
    both = runner.invoke(app, ["plan", "psm-plan", "--plan", "psm-plan-best", "--fix-option"])
    assert both.exit_code == 2 and "--plan prices one given plan" in both.output, both.output
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        "plan:\n  scenario: psm\n  actions:\n    - {unit: bf1, action: rebuild, start_year: 2027}\n"
        "    - {unit: bf1, action: clear_and_reline, start_year: 2027}\n  source: a test\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["plan", "psm", "--plan", str(twice)])
    assert res.exit_code == 2 and "two actions starting in 2027" in res.output, res.output
