"""Risk of a plan file (``steelworks risk plan:NAME``): its business case sampled on its own years.

Hand checks: at the medians of every draw (factors 1, overrun at its median, no slip at the 0.5 quantile
of the slip's weights 0.4/0.3/0.2/0.1, i.e. a 1-year slip) a sample's NPV is the cash-flow model of the
plan slipped that much with the overrun's median, run directly; a 0-year slip with no overrun is exactly
``steelworks plan psm-plan --plan psm-plan-bf-revival`` (-2,182 M USD, tests/planning/test_consistency.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.economics import cashflow as cf
from steelworks.risk.engine import evaluate_chunk
from steelworks.risk.targets import bind_target

runner = CliRunner()


@pytest.fixture(scope="module")
def job():  # type: ignore[no-untyped-def]
    return bind_target("plan:psm-plan-bf-revival", "psm-default")


def test_entries_that_reach_a_plan_are_drawn_the_others_held(job) -> None:  # type: ignore[no-untyped-def]
    assert "option.capex.overrun.share" in job.names and "option.plan.*.year" in job.names
    assert "prices.*_coil.price" in job.names
    assert set(job.held) == {
        "option.ramp_up.steady_state",
        "units.bf*.model.params.heat_losses",
        "units.coke_battery_*.model.params.underfiring",
    }


def test_no_slip_no_overrun_is_the_priced_plan(job) -> None:  # type: ignore[no-untyped-def]
    u = np.full((1, job.dimension), 0.5)
    u[0, job.names.index("option.plan.*.year")] = 0.1  # inside the first weight (0.4): no slip
    u[0, job.names.index("option.capex.overrun.share")] = 1e-12  # PERT low end: -5 %
    out = evaluate_chunk(job, u)
    model = job.plan.model(0)
    direct = cf.run(model, cf.Samples(capex_factor=np.array([1.0 - 0.05])))
    assert out.kpis["npv_usd"][0] == pytest.approx(float(direct["npv"][0]), rel=1e-6)
    plain = cf.run(model, cf.Samples(capex_factor=np.array([1.0])))
    assert float(plain["npv"][0]) == pytest.approx(-2182e6, rel=0.005)
    assert out.kpis["npv_usd"][0] > float(plain["npv"][0])  # 5 % less capital


def test_a_slip_moves_the_whole_plan(job) -> None:  # type: ignore[no-untyped-def]
    base, late = job.plan.model(0), job.plan.model(2)
    crude0, crude2 = np.asarray(base.states.crude_steel_t), np.asarray(late.states.crude_steel_t)
    assert crude2[2:] == pytest.approx(crude0[:-2])
    assert crude2[:2] == pytest.approx(0.0)
    assert [c + 2 for c in base.commissioning] == late.commissioning


def test_the_cli_compares_two_plans_on_common_random_numbers(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    args = ["risk", "plan:psm-plan-best", "plan:psm-plan-bf-revival", "--compare", "-n", "400", "--workers", "0"]
    res = runner.invoke(app, [*args, "--store", str(store), "--no-tornado"])
    assert res.exit_code == 0, res.output
    assert "held at their values" in res.output
    assert "P(first beats second)" in res.output


@pytest.mark.parametrize(
    ("target", "extra", "needle"),
    [
        ("plan:no-such-plan", [], "no bundled plan 'no-such-plan'"),
        ("plan:psm-plan-best", ["--set", "units.bf1.availability=0.9"], "changes the works"),
    ],
)
def test_bad_plan_targets_exit_2(tmp_path: Path, target: str, extra: list[str], needle: str) -> None:
    res = runner.invoke(
        app, ["risk", target, "-n", "10", "--workers", "0", "--store", str(tmp_path / "s.duckdb"), *extra]
    )
    assert res.exit_code == 2 and needle in res.output, res.output
