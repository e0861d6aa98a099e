"""The documented example works runs as the documentation says (docs/writing-a-works.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mini-works" / "scenario.yaml"
runner = CliRunner()


def test_mini_works_example() -> None:
    result = runner.invoke(app, ["balance", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    k = data["kpis"]
    assert k["crude_steel_t"] == pytest.approx(400e3, rel=1e-12)  # cast billets count as crude steel
    units = {u["id"]: u for u in data["units"]}
    eaf_t = units["eaf"]["output_t"]
    # all-scrap EAF: 400 (ECORYS08) to 474 kWh/t (Worrell07) plus the caster's 10 kWh/t
    assert 0.40 < k["electricity_purchased_mwh"] / eaf_t < 0.50
    # scrap EAF route: 0.3 t CO2/t (IEEFA) with a 0.31 t/MWh grid; here direct + indirect
    assert 0.1 < k["co2_t_per_t_crude_steel"] < 0.4
    for element in ("mass", "Fe", "C"):
        assert abs(data["balances"][element]["residual_rel"]) < 1e-9
    params = json.loads(runner.invoke(app, ["params", str(EXAMPLE), "--format", "json"]).stdout)
    assert all(r["source"] for r in params if isinstance(r["value"], float))
