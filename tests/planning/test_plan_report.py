"""The plan for people: Gantt phases, the workbook, the budget frontier and the plan command's options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

pytest.importorskip("linopy")
pytest.importorskip("highspy")

from steelworks.cli import app
from steelworks.planning import solve_plan
from steelworks.planning.frontier import budget_frontier, parse_sweep
from steelworks.report.plan import gantt_figure, gantt_phases
from tests.planning.test_hand_solved import works

runner = CliRunner()


def test_gantt_phases_of_a_hand_solved_plan() -> None:
    """A two-year restore (50/50) starting 2030 serves from 2032 on a one-year ramp: construction 2030-2031,
    ramp-up 2032, and no operation year left in the three-year horizon (fixed: NPV -50 - 50/1.1 + 100/1.21)."""
    prob = works(restore_profile=(0.5, 0.5), restore_ramp=(0.5,)).fix({"old": ("restore", 2030)})
    result = solve_plan(prob)
    assert result.npv_usd == pytest.approx(-50 - 50 / 1.1 + 100 / 1.21, rel=1e-9)
    phases = [(r["unit"], r["phase"], r["from"], r["to"]) for r in gantt_phases(result)]
    assert phases == [("old", "construction", 2030, 2031), ("old", "ramp-up", 2032, 2032)]
    fig = gantt_figure(result)
    assert [t.name for t in fig.data] == ["construction", "ramp-up"]
    assert list(fig.data[0].base) == [2030] and list(fig.data[0].x) == [2]


def test_budget_frontier_of_the_hand_solved_works() -> None:
    """Budget 90: nothing fits (restore 100, new 150): idle, NPV 0. Budget 120: restore, 247.107 (as
    test_restore_beats_new_when_cheaper_and_equal). Budget 200: the same plan."""
    prob = works()
    prob.crude_steel = ["steel"]
    points = budget_frontier(prob, [90.0, 120.0, 200.0])
    assert [p["npv_usd"] for p in points] == pytest.approx([0.0, 247.10743801652893, 247.10743801652893])
    assert [p["capex_usd"] for p in points] == pytest.approx([0.0, 100.0, 100.0])
    assert points[0]["actions"] == "idle" and points[1]["first_steel"] == 2031


@pytest.mark.parametrize("text", ["1e9:2e9", "2e9:1e9:3", "1e9:2e9:1", "a:b:c", "0:1e9:3"])
def test_a_bad_sweep_is_refused(text: str) -> None:
    from steelworks.errors import InputError

    with pytest.raises(InputError, match="--budget-sweep"):
        parse_sweep(text)


def test_plan_writes_gantt_and_workbook(tmp_path: Path) -> None:
    gantt, xlsx = tmp_path / "g.html", tmp_path / "p.xlsx"
    result = runner.invoke(
        app, ["plan", "psm-bf-revival", "--fix-option", "--gantt", str(gantt), "--xlsx", str(xlsx), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["npv_usd"] == pytest.approx(-2435.8e6, rel=1e-3)  # docs/planner.md: evaluate's -2,435.8 M USD
    assert data["npv_on_plan_years_usd"] == pytest.approx(-2182.0e6, rel=1e-3)  # test_consistency.py
    assert data["mandate"] is None
    assert '"type":"bar"' in gantt.read_text()
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Plan", "Actions", "Yearly", "Grid"]
    assert wb["Actions"].max_row - 1 == len(data["actions"])
    yearly = list(wb["Yearly"].iter_rows(min_row=2, values_only=True))
    assert len(yearly) == 30 and yearly[0][0] == 2027


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--min-steel", "20x1:1 Mt/year"], "YEAR:AMOUNT"),
        (["--min-steel", "2031:1 Mt/year", "--min-steel", "2031:2 Mt/year"], "twice"),
        (["--min-steel", "2099:1 Mt/year"], "after the horizon"),
        (["--co2-cap", "2031:-1 Mt/year"], "2031"),
        (["--first-steel-by", "1990"], "outside the horizon"),
        (["--budget-sweep", "1:2"], "LOW:HIGH:N"),
        (["--gantt", "/no/such/dir/g.html"], "--gantt"),
    ],
)
def test_bad_plan_options_are_exit_2(args: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["plan", "psm-bf-revival", *args])
    assert result.exit_code == 2, result.output
    assert fragment in " ".join(result.output.split()), result.output


def test_a_time_limit_incumbent_is_a_plan_only_when_highs_holds_a_feasible_solution() -> None:
    """HiGHS's primal solution status 2 is a feasible incumbent; anything else (none, or no solver object)
    is no plan: solve_plan then raises instead of reading back values that fit no solution."""
    from types import SimpleNamespace

    from steelworks.planning.model import has_incumbent

    def model(status: int) -> SimpleNamespace:
        info = SimpleNamespace(primal_solution_status=status)
        return SimpleNamespace(solver_model=SimpleNamespace(getInfo=lambda: info))

    assert has_incumbent(model(2))
    assert not has_incumbent(model(0)) and not has_incumbent(model(1))
    assert not has_incumbent(SimpleNamespace(solver_model=None))
