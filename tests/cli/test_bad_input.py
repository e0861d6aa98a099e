"""Bad input: one clear message naming the file, the place and what is allowed; exit code 2; no traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from steelworks.cli import app
from tests.helpers import CARRIERS, CONVERTER, FURNACE, GRID

runner = CliRunner()

UNITS: dict[str, Any] = {"furnace": FURNACE, "converter": CONVERTER}


def write_case(tmp_path: Path, mutate: Any = None, scenario_extra: dict[str, Any] | None = None) -> Path:
    carriers = copy.deepcopy(CARRIERS)
    plant = {
        "name": "test works",
        "carriers_file": "carriers.yaml",
        "market": {"buy": ["ore", "coal"], "sell": ["steel", "slag"]},
        "grid": dict(GRID),
        "units": copy.deepcopy(UNITS),
    }
    scenario = {"name": "case", "plant": "plant.yaml", "demand": {"steel": "100 t/year"}}
    scenario.update(scenario_extra or {})
    if mutate is not None:
        mutate(plant, carriers, scenario)
    (tmp_path / "carriers.yaml").write_text(yaml.safe_dump({"carriers": carriers}, sort_keys=False))
    (tmp_path / "plant.yaml").write_text(yaml.safe_dump({"plant": plant}, sort_keys=False))
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({"scenario": scenario}, sort_keys=False))
    return path


def balance(path: Path, *extra: str) -> Any:
    return runner.invoke(app, ["balance", str(path), *extra])


def assert_input_error(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in {result.output!r}"


def test_the_good_case_runs(tmp_path: Path) -> None:
    result = balance(write_case(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output


def test_unknown_carrier_in_a_recipe(tmp_path: Path) -> None:
    def mutate(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["furnace"]["inputs"]["cokee"] = "0.1 t/t"

    assert_input_error(
        balance(write_case(tmp_path, mutate)),
        "plant.yaml",
        "units.furnace.inputs.cokee",
        "unknown carrier 'cokee'",
        "allowed:",
        "coal",
    )


def test_unknown_unit_in_supply_and_restore(tmp_path: Path) -> None:
    def mutate(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["supply"] = {"iron": {"mode": "shares", "shares": {"furnace9": 1.0}}}

    assert_input_error(
        balance(write_case(tmp_path, mutate)),
        "plant.yaml",
        "supply.iron",
        "'furnace9' does not produce",
        "furnace",
    )
    path = write_case(tmp_path, scenario_extra={"restore": ["bf7"]})
    assert_input_error(balance(path), "scenario.yaml", "restore names unknown unit 'bf7'", "furnace")


def test_recipe_that_creates_iron_or_carbon(tmp_path: Path) -> None:
    def more_iron(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["converter"]["inputs"]["iron"] = "1.0 t/t"  # 0.96 Fe in, 0.99 Fe out

    assert_input_error(
        balance(write_case(tmp_path, more_iron)),
        "plant.yaml",
        "units.converter",
        "does not close its Fe balance",
        "Fe in >= Fe out",
    )

    def more_carbon(plant: dict, carriers: dict, scenario: dict) -> None:
        carriers["iron"]["c_frac"] = 0.005  # 1.04 x 0.005 = 0.0052 C in, 0.009 out
        carriers["steel"]["c_frac"] = 0.009

    assert_input_error(balance(write_case(tmp_path, more_carbon)), "units.converter", "does not close its C balance")

    def lost_iron(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["converter"]["inputs"]["iron"] = "1.2 t/t"  # 16 % of the Fe vanishes

    assert_input_error(balance(write_case(tmp_path, lost_iron)), "does not close its Fe balance", "max_fe_loss")


def test_negative_or_missing_capacity(tmp_path: Path) -> None:
    def negative(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["furnace"]["capacity"] = "-5 t/year"

    assert_input_error(
        balance(write_case(tmp_path, negative)),
        "plant.yaml",
        "units.furnace.capacity",
        "capacity is negative",
    )

    def missing(plant: dict, carriers: dict, scenario: dict) -> None:
        del plant["units"]["furnace"]["capacity"]

    assert_input_error(
        balance(write_case(tmp_path, missing)),
        "plant.yaml",
        "units.furnace",
        "required field 'capacity' is missing",
    )


def test_numbers_without_or_with_wrong_unit(tmp_path: Path) -> None:
    def bare(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["furnace"]["inputs"]["coal"] = 0.5

    assert_input_error(
        balance(write_case(tmp_path, bare)), "units.furnace.inputs.coal", "has no unit of measure", "t/t"
    )

    def wrong(plant: dict, carriers: dict, scenario: dict) -> None:
        plant["units"]["furnace"]["inputs"]["coal"] = "0.5 km/t"

    assert_input_error(balance(write_case(tmp_path, wrong)), "units.furnace.inputs.coal", "has the wrong unit")


def test_demand_that_cannot_be_met(tmp_path: Path) -> None:
    path = write_case(tmp_path, scenario_extra={"demand": {"steel": "5000 t/year"}})
    assert_input_error(
        balance(path),
        "cannot meet the demand",
        "converter needs 5,000",
        "capacity of 1,000",
        "short by 4,000",
    )


def test_cycle_with_no_producer(tmp_path: Path) -> None:
    def cycle(plant: dict, carriers: dict, scenario: dict) -> None:
        carriers["x"] = {"name": "x", "kind": "material", "unit": "t", "source": "t"}
        carriers["y"] = {"name": "y", "kind": "material", "unit": "t", "source": "t"}
        plant["units"]["a"] = {
            "name": "a",
            "kind": "k",
            "product": "x",
            "capacity": "1e9 t/year",
            "source": "t",
            "inputs": {"y": "1 t/t"},
        }
        plant["units"]["b"] = {
            "name": "b",
            "kind": "k",
            "product": "y",
            "capacity": "1e9 t/year",
            "source": "t",
            "inputs": {"x": "1 t/t"},
        }
        plant["units"]["converter"]["inputs"]["x"] = "0.01 t/t"

    assert_input_error(balance(write_case(tmp_path, cycle)), "cycle with no net producer")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    text = (tmp_path / "plant.yaml").read_text().replace("  units:", "  units:\n    furnace: [unclosed", 1)
    (tmp_path / "plant.yaml").write_text(text)
    assert_input_error(balance(path), "plant.yaml", "YAML syntax error", "line")


def test_override_path_that_does_not_exist(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    assert_input_error(balance(path, "--set", "units.furnace9.availability=0.5"), "does not exist", "furnace")
    assert_input_error(balance(path, "--set", "units.furnace.availabilty=0.5"), "does not exist", "availability")
    assert_input_error(balance(path, "--set", "units.furnace.availability"), "path=value")


def test_out_of_range_values(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    assert_input_error(
        balance(path, "--set", "units.furnace.availability=1.5"),
        "units.furnace.availability",
        "less than or equal to 1",
    )
    assert_input_error(balance(path, "--set", "units.furnace.condition=broken"), "units.furnace.condition", "operating")


def test_unknown_scenario_and_missing_file() -> None:
    assert_input_error(runner.invoke(app, ["balance", "no-such-scenario"]), "no scenario named", "psm")
    assert_input_error(runner.invoke(app, ["balance", "missing.yaml"]), "missing.yaml", "not found")


@pytest.mark.parametrize("command", [["params", "no-such"], ["balance", "no-such", "-f", "json"]])
def test_every_command_turns_input_errors_into_exit_2(command: list[str]) -> None:
    assert runner.invoke(app, command).exit_code == 2


@pytest.mark.parametrize(
    ("override", "fragments"),
    [
        ("supply.hot_metal.mode=merit", ["supply.hot_metal.order", "lists no producers", "bf1"]),
        ("units.bf1.capacity=", ["units.bf1.capacity", "the value is empty"]),
        ("carriers.bf_gas.volume_fractions.CO=0.5", ["carriers.yaml", "sum to 1.2289, not 1"]),
        ("units.bf1.availability=high", ["units.bf1.availability", "valid number"]),
    ],
)
def test_more_bad_overrides_on_psm(override: str, fragments: list[str]) -> None:
    result = runner.invoke(app, ["balance", "psm", "--set", override])
    assert_input_error(result, *fragments)
    assert "more problem" not in result.output
