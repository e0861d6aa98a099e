"""`steelworks plan`: the table, --format json, --budget, and bad input (exit 2, a message, no traceback)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from steelworks.cli import app

pytest.importorskip("linopy")
pytest.importorskip("highspy")

runner = CliRunner()


def test_plan_fixed_to_the_option_prints_grid_output_capital_and_npv() -> None:
    res = runner.invoke(app, ["plan", "psm", "--fix-option"])
    assert res.exit_code == 0, res.output
    out = res.output
    # bf1 cleared and relined from 2027 (3 years: C==), then in service (#)
    assert "C==####" in out
    assert "bf1" in out and "coke_battery_1" in out
    assert "Output and capital by year" in out
    assert "1,010" in out  # 2027 capital, USD m
    assert "-2,240" in out  # the MILP's surrogate NPV, USD m (see test_consistency.py)
    assert "-2,182" in out  # the plan priced by evaluate's cash flow on its own years (test_consistency.py)
    assert "-2,436" in out  # evaluate's NPV of the same plan, USD m (tests/golden/psm.json)


def test_plan_json_and_a_budget() -> None:
    res = runner.invoke(app, ["plan", "psm", "--fix-option", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["economics"] == "evaluate"
    assert data["npv_usd"] == pytest.approx(-2.4358e9, rel=1e-3)  # evaluate's NPV of psm-bf-revival
    assert data["economics_basis"] == "option_schedule"
    assert data["npv_on_plan_years_usd"] == pytest.approx(-2.1820e9, rel=1e-3)  # test_consistency.py
    assert data["surrogate_npv_usd"] == pytest.approx(-2.240e9, rel=0.02)
    assert data["irr"] is not None and data["lcos_usd_per_t"] == pytest.approx(1079, rel=0.01)
    assert len(data["cash_flows"]) == 30
    assert data["years"][0] == 2027 and len(data["years"]) == 30
    assert data["grid"]["bf1"].startswith("C==#")
    assert sum(data["capex_by_year"][:3]) == pytest.approx(2196.5e6, rel=1e-3)
    assert data["model_size"]["binaries"] > 0
    # the fixed plan needs 2.2 bn in its first three years: a 1 bn budget makes it infeasible, named
    bad = runner.invoke(app, ["plan", "psm", "--fix-option", "--budget", "1e9"])
    assert bad.exit_code == 2
    assert "budget_total" in bad.output
    assert "Traceback" not in bad.output


def test_plan_unconstrained_psm_keeps_the_works_idle_at_these_prices() -> None:
    # every action open, no mandate: at pk-2025 prices no revival pays back (evaluate: NPV -2.9 bn)
    res = runner.invoke(app, ["plan", "psm", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["actions"] == []
    assert data["npv_usd"] == pytest.approx(0.0, abs=1.0)


def test_plan_bad_budget_exit_2() -> None:
    res = runner.invoke(app, ["plan", "psm", "--budget", "-5"])
    assert res.exit_code == 2
    assert "--budget" in res.output and "> 0 USD" in res.output
