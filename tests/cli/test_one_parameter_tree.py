"""One parameter tree, one override path: physics, prices and finance set in one ``--set`` list."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from steelworks.api import run_evaluation
from steelworks.cli import app
from steelworks.errors import InputError


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


PHYSICS = "units.bf1.model.params.heat_losses"  # GJ/t hot metal, blast furnace model default 0.7
PRICE = "prices.iron_ore_fines.price"  # USD/t CFR, pk-2025 deck 104.83
FINANCE = "finance.discount_rate.value"  # real, finance.yaml 0.10


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    return run_evaluation("psm").to_dict()


@pytest.fixture(scope="module")
def together():  # type: ignore[no-untyped-def]
    return run_evaluation("psm", [f"{PHYSICS}=1.2 GJ/t", f"{PRICE}=150 USD/t", f"{FINANCE}=0.12"]).to_dict()


def test_the_physics_parameter_takes_effect(base, together) -> None:  # type: ignore[no-untyped-def]
    alone = run_evaluation("psm", [f"{PHYSICS}=1.2 GJ/t"]).to_dict()
    # more heat lost from the furnace needs more coke (BF heat balance): the rate must rise
    assert together["plant_kpis"]["coke_rate_kg_per_thm"] > base["plant_kpis"]["coke_rate_kg_per_thm"] + 5
    # and the plant does not see the price or the finance values
    assert together["plant_kpis"] == alone["plant_kpis"]


def test_the_price_takes_effect(base, together) -> None:  # type: ignore[no-untyped-def]
    buy = together["assumptions"]["prices_usd_per_unit"]["iron_ore_fines"]["buy"]
    before = base["assumptions"]["prices_usd_per_unit"]["iron_ore_fines"]["buy"]
    # the deck's price is CFR; whatever the deck adds on landing is the same in both runs
    assert buy - before == pytest.approx(150 - 104.83, rel=1e-9)


def test_the_finance_value_takes_effect(base, together) -> None:  # type: ignore[no-untyped-def]
    assert base["kpis"]["discount_rate"] == pytest.approx(0.10, rel=1e-12)
    assert together["kpis"]["discount_rate"] == pytest.approx(0.12, rel=1e-12)


def test_params_lists_all_three_kinds_with_their_overridden_values() -> None:
    code, out, _ = run_cli("params", "psm", "--format", "json", "--set", f"{PHYSICS}=1.2 GJ/t")
    assert code == 0
    rows = {r["path"]: r for r in json.loads(out)}
    assert rows[PHYSICS]["value"] == pytest.approx(1.2)
    assert rows[PRICE]["value"] == pytest.approx(104.83)
    assert rows[FINANCE]["value"] == pytest.approx(0.10)


def test_a_business_case_parameter_on_a_balance_is_an_error_not_ignored() -> None:
    from steelworks.api import run_balance

    with pytest.raises(InputError, match="balance does not use"):
        run_balance("psm", [f"{PRICE}=150 USD/t"])
    code, _, err = run_cli("balance", "psm", "--set", f"{FINANCE}=0.12")
    assert code == 2 and "finance" in err


def test_the_same_path_twice_is_an_error() -> None:
    code, _, err = run_cli("evaluate", "psm", "--set", f"{FINANCE}=0.12", "--set", f"{FINANCE}=0.08")
    assert code == 2 and "twice" in err
