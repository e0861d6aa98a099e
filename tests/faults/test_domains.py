"""Each field's domain is declared once, on its type, and `params` shows it (issue 9)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.schema.domains import NON_NEGATIVE, POSITIVE, Domain, field_domain
from steelworks.schema.economics import FinanceSettings, PriceDeck
from steelworks.schema.plant import CarrierSpec, PlantSpec

runner = CliRunner()


@pytest.mark.parametrize(
    ("root", "path", "expected"),
    [
        (PlantSpec, "units.bf1.availability", "a number >= 0 and <= 1"),  # Fraction
        (PlantSpec, "units.bf1.capacity", "a finite quantity >= 0"),  # NON_NEGATIVE marker
        (PlantSpec, "units.bf1.inputs.coke", "a finite quantity >= 0"),
        (PlantSpec, "units.bf1.life_years", "a number > 0 and <= 100"),
        (PlantSpec, "units.bf1.condition", "one of operating, repairable, frozen, derelict, not_built"),
        (PlantSpec, "supply.hot_metal.shares.bf1", "a number >= 0 and <= 1"),
        (dict[str, CarrierSpec], "coke.lhv", "a finite quantity > 0"),
        (dict[str, CarrierSpec], "coke.moisture", "a number >= 0 and < 1"),
        (PriceDeck, "fx.PKR.per_usd", "a number > 0"),
        (PriceDeck, "prices.scrap.price", "money '<number> <currency>[/<unit>]', >= 0"),
        (FinanceSettings, "horizon_years", "an integer >= 2 and <= 100"),
        (PlantSpec, "units.bf1.no_such_field", ""),
    ],
)
def test_field_domain_reads_the_declaration(root: object, path: str, expected: str) -> None:
    assert field_domain(root, path) == expected


def test_a_domain_allows_what_its_text_says() -> None:
    assert NON_NEGATIVE.allows(0.0) and not NON_NEGATIVE.allows(-1e-300)
    assert not POSITIVE.allows(0.0) and POSITIVE.allows(1e-300)
    assert not NON_NEGATIVE.allows(float("inf")) and not NON_NEGATIVE.allows(float("nan"))
    assert Domain(low=0.0, high=1.0).text == "a finite quantity >= 0 and <= 1"


def test_params_shows_every_row_with_what_it_allows() -> None:
    result = runner.invoke(app, ["params", "psm-bf-revival", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["path"]: r for r in json.loads(result.output)}
    assert all(r["allowed"] for r in rows.values()), [p for p, r in rows.items() if not r["allowed"]][:5]
    assert rows["units.bf1.capacity"]["allowed"] == NON_NEGATIVE.text
    # a physics parameter's range is the table's (the model refuses values outside it)
    assert rows["units.bf2.model.params.shaft_efficiency"]["allowed"] == "0.6 to 1"
    assert rows["prices.scrap.foreign_share"]["allowed"] == "a number >= 0 and <= 1"


def test_the_build_check_uses_the_declared_domain() -> None:
    """The message of a negative capacity quotes the same domain that `params` shows."""
    result = runner.invoke(app, ["balance", "psm", "--set", "units.bf1.capacity=-1 Mt/year"])
    assert result.exit_code == 2, result.output
    assert NON_NEGATIVE.text in " ".join(result.output.split()), result.output
