"""The commands through typer's runner: contracts of the JSON output, params, scenarios, schema, Sankey."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import app

runner = CliRunner()

KPI_KEYS = {
    "crude_steel_t",
    "hot_metal_t",
    "coke_t",
    "sinter_t",
    "hot_rolled_coil_t",
    "iron_ore_t",
    "coking_coal_t",
    "pci_coal_t",
    "scrap_t",
    "natural_gas_gj",
    "electricity_generated_mwh",
    "electricity_purchased_mwh",
    "electricity_exported_mwh",
    "coke_rate_kg_per_thm",
    "fuel_rate_kg_per_thm",
    "co2_direct_t",
    "co2_indirect_t",
    "co2_t_per_t_crude_steel",
    "energy_gj_per_t_crude_steel",
    "flared_gas_gj",
}


def balance_json(*args: str) -> dict:
    result = runner.invoke(app, ["balance", "psm", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_balance_json_contract() -> None:
    data = balance_json()
    assert data["scenario"] == "psm"
    assert set(data["kpis"]) >= KPI_KEYS
    assert all(isinstance(data["kpis"][k], float) for k in KPI_KEYS)
    unit = data["units"][0]
    assert {"id", "kind", "output_t", "capacity_t", "utilisation"} <= set(unit)
    assert {"source", "target", "carrier", "amount", "unit"} <= set(data["flows"][0])
    for element in ("mass", "Fe", "C"):
        row = data["balances"][element]
        assert {"in_t", "out_t", "residual_rel"} <= set(row)
        assert abs(row["residual_rel"]) < 1e-9
    # flows are consistent with the KPIs: coking coal bought = flows from the market of coking coal
    coal = sum(f["amount"] for f in data["flows"] if f["carrier"] == "coking_coal" and f["source"] == "market")
    assert coal == pytest.approx(data["kpis"]["coking_coal_t"], rel=1e-9)
    # the direct CO2 by unit adds up to the total
    assert sum(data["co2_by_unit_t"].values()) == pytest.approx(data["kpis"]["co2_direct_t"], rel=1e-12)


def test_set_override_changes_the_answer() -> None:
    base = balance_json()
    low = balance_json("--set", "units.bf1.availability=0.85")
    out = {u["id"]: u["output_t"] for u in base["units"]}
    out_low = {u["id"]: u["output_t"] for u in low["units"]}
    # shares follow available capacity: 0.85 x 0.6 vs 0.95 x 0.6 Mt/yr
    assert out_low["bf1"] / out_low["bf2"] == pytest.approx(0.85 / 0.95, rel=1e-12)
    assert out_low["bf1"] + out_low["bf2"] == pytest.approx(out["bf1"] + out["bf2"], rel=1e-12)


def test_table_output_and_sankey(tmp_path: Path) -> None:
    target = tmp_path / "flows.html"
    result = runner.invoke(app, ["balance", "psm", "--sankey", str(target)])
    assert result.exit_code == 0, result.output
    for text in ("Units", "Works gases", "Balances of the works", "crude steel", "1,100,000 t"):
        assert text in result.output
    html = target.read_text()
    assert html.count('"type":"sankey"') == 2
    assert "coking_coal" in html and "Energy flows" in html


def test_params_lists_values_units_and_sources() -> None:
    result = runner.invoke(app, ["params", "psm", "--format", "json", "--match", "bf1.inputs.coke"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "path": "units.bf1.inputs.coke",
            "value": 480.0,
            "unit": "kg/t",
            "source": rows[0]["source"],
            "file": rows[0]["file"],
            "where": rows[0]["where"],
            "overridden": False,
            "allowed": "a finite quantity >= 0",
        }
    ]
    assert "Soviet" in rows[0]["source"] and rows[0]["file"].endswith("psm.yaml")
    table = runner.invoke(app, ["params", "psm", "--match", "grid"])
    assert "grid.co2_per_mwh" in table.output and "lowcarbonpower" in table.output


def test_scenarios_and_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scenarios"])
    for name in ("psm", "psm-2008", "psm-one-line"):
        assert name in result.output
    out = tmp_path / "scenario.schema.json"
    assert runner.invoke(app, ["schema", "--out", str(out)]).exit_code == 0
    schema = json.loads(out.read_text())
    assert schema["title"] == "steelworks scenario file" and "scenario" in schema["properties"]
    plant = json.loads(runner.invoke(app, ["schema", "--kind", "plant"]).stdout)
    assert "UnitSpec" in plant["$defs"]


def test_rist_diagram(tmp_path: Path) -> None:
    out = tmp_path / "rist.html"
    result = runner.invoke(app, ["rist", "psm", "--out", str(out), "--unit", "bf2"])
    assert result.exit_code == 0, result.output
    assert "bf2: coke" in result.output and "Rist" in out.read_text()
    assert runner.invoke(app, ["rist", "psm-eaf", "--out", str(out)]).exit_code == 2
    assert runner.invoke(app, ["rist", "psm", "--unit", "bof1", "--out", str(out)]).exit_code == 2


@pytest.mark.parametrize(
    ("override", "fragments"),
    [
        (
            "units.bf1.model.params.blast_temperature=1600 degC",
            ["units.bf1.model.params.blast_temperature", "outside the range", "degC"],
        ),
        ("units.bf1.model.params.blast_temp=1100 degC", ["unknown parameter 'blast_temp'", "blast_temperature"]),
        ("units.bf1.model.kind=blast_oven", ["unknown model kind 'blast_oven'", "blast_furnace"]),
        ("units.bf1.model.params.sinter_share=0.5", ["units.bf1.model", "sum"]),
        # forcing 20 % scrap: the heat balance of the default hot metal allows 19.9 % only
        ("units.bof1.model.params.scrap_from_heat_balance=0", ["scrap_share", "above what the heat balance allows"]),
    ],
)
def test_bad_model_parameters_exit_2(override: str, fragments: list[str]) -> None:
    result = runner.invoke(app, ["balance", "psm", "--set", override])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
