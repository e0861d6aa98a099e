"""The documented example works runs as the documentation says (docs/writing-a-works.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mini-works" / "scenario.yaml"
runner = CliRunner()


@pytest.fixture()
def example_copy(tmp_path: Path) -> Path:
    """The example copied out of the repository: it must not depend on where it lives."""
    target = tmp_path / "my-works"
    shutil.copytree(EXAMPLE.parent, target)
    return target / "scenario.yaml"


def test_mini_works_example(example_copy: Path) -> None:
    result = runner.invoke(app, ["balance", str(example_copy), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    k = data["kpis"]
    # cast billets count as crude steel: 100 kt sold + 300 kt rebar x 1.03 t billet/t rebar (bar mill recipe)
    assert k["crude_steel_t"] == pytest.approx(100e3 + 300e3 * 1.03, rel=1e-12)
    units = {u["id"]: u for u in data["units"]}
    eaf_t = units["eaf"]["output_t"]
    # all-scrap EAF: 400 (ECORYS08) to 474 kWh/t (Worrell07) plus the caster's 10 kWh/t
    bar_mill_mwh = 300e3 * 0.100  # 100 kWh/t rebar (the bar mill's recipe)
    assert 0.40 < (k["electricity_purchased_mwh"] - bar_mill_mwh) / eaf_t < 0.50
    # scrap EAF route: 0.3 t CO2/t (IEEFA) with a 0.31 t/MWh grid; here direct + indirect
    assert 0.1 < k["co2_t_per_t_crude_steel"] < 0.4
    for element in ("mass", "Fe", "C"):
        assert abs(data["balances"][element]["residual_rel"]) < 1e-9
    params = json.loads(runner.invoke(app, ["params", str(example_copy), "--format", "json"]).stdout)
    assert all(r["source"] for r in params if isinstance(r["value"], float))


def test_the_example_extends_the_bundled_carriers_and_prices_by_reference(example_copy: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(example_copy), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    prices = data["assumptions"]["prices_usd_per_unit"]
    # its own price: PKR 240,000 incl. 18 % GST [S56] / 1.18 = PKR 203,400 at the deck's 281.22 PKR/USD
    assert prices["rebar"]["sell"] == pytest.approx(203_400 / 281.22, rel=1e-9)
    # a bundled price it did not repeat (pk-2025 billet, ex-works Karachi)
    assert prices["billet"]["sell"] == pytest.approx(495.0, rel=1e-12)
    # its own plan, on its own unit ids
    assert {item["unit"] for item in data["capex"]["units"]} == {"eaf", "billet_caster", "bar_mill", "infrastructure"}
