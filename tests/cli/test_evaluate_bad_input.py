"""Bad economics input through the CLI: one message naming the file and field, exit code 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.schema.loader import DATA_DIR

runner = CliRunner()


def case(
    tmp_path: Path,
    mutate_deck: Callable[[dict], None] | None = None,
    mutate_option: Callable[[dict], None] | None = None,
) -> Path:
    """A copy of psm-eaf whose price deck and option files live in tmp_path, mutated."""
    deck = yaml.safe_load((DATA_DIR / "prices" / "pk-2025.yaml").read_text())
    option = yaml.safe_load((DATA_DIR / "economics" / "options" / "psm-eaf.yaml").read_text())
    if mutate_deck:
        mutate_deck(deck["deck"])
    if mutate_option:
        mutate_option(option["option"])
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    (tmp_path / "option.yaml").write_text(yaml.safe_dump(option, sort_keys=False))
    scenario = yaml.safe_load((DATA_DIR / "scenarios" / "psm-eaf.yaml").read_text())
    body = scenario["scenario"]
    body["plant"] = str(DATA_DIR / "plants" / "psm.yaml")
    body["economics"] = {"option": str(tmp_path / "option.yaml"), "prices": str(tmp_path / "deck.yaml")}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    return path


def assert_exit_2(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_the_copied_case_evaluates(tmp_path: Path) -> None:
    assert runner.invoke(app, ["evaluate", str(case(tmp_path))]).exit_code == 0


def test_price_in_an_unknown_currency(tmp_path: Path) -> None:
    def mutate(deck: dict) -> None:
        deck["prices"]["scrap"]["price"] = "382 XYZ/t"

    assert_exit_2(runner.invoke(app, ["evaluate", str(case(tmp_path, mutate))]), "deck.yaml", "scrap")


def test_price_deck_missing_a_carrier_the_flowsheet_buys(tmp_path: Path) -> None:
    def mutate(deck: dict) -> None:
        del deck["prices"]["scrap"]

    assert_exit_2(runner.invoke(app, ["evaluate", str(case(tmp_path, mutate))]), "scrap", "deck.yaml")


def test_construction_ending_after_the_horizon(tmp_path: Path) -> None:
    def mutate(option: dict) -> None:
        option["plan"]["eaf"]["year"] = 2031  # built 2031-2032 (2 years, capex.yaml eaf)

    result = runner.invoke(
        app, ["evaluate", str(case(tmp_path, mutate_option=mutate)), "--set", "finance.horizon_years=5"]
    )
    assert_exit_2(result, "option.yaml", "construction schedule ends", "after the horizon")


@pytest.mark.parametrize("life", [-5, 0])
def test_negative_or_zero_life(tmp_path: Path, life: int) -> None:
    def mutate(option: dict) -> None:
        option["capex"]["infrastructure"]["life_years"] = life

    assert_exit_2(
        runner.invoke(app, ["evaluate", str(case(tmp_path, mutate_option=mutate))]), "option.yaml", "life_years"
    )


def test_messages_quoting_sources_print_as_text() -> None:
    # the price deck's error quotes '<number> <currency>[/<unit>]': brackets that are not terminal markup
    result = runner.invoke(app, ["evaluate", "psm-eaf", "--set", "prices.hot_rolled_coil.price=abc"])
    assert_exit_2(result, "override of prices.hot_rolled_coil.price", "cannot read 'abc' as money", "[/<unit>]")


def test_price_deck_top_level_overrides() -> None:
    base = runner.invoke(app, ["evaluate", "psm-eaf", "--format", "json"])
    weaker = runner.invoke(app, ["evaluate", "psm-eaf", "--format", "json", "--set", "prices.fx.PKR.per_usd=400"])
    assert base.exit_code == 0 and weaker.exit_code == 0, weaker.output
    assert base.stdout != weaker.stdout  # PKR-priced items (power, gas, wages) get cheaper in USD
