"""Price decks: conversion, escalation, overrides, and the errors a user meets."""

from __future__ import annotations

import pytest

from steelworks.economics.prices import Converter, resolve_prices
from steelworks.errors import InputError
from steelworks.schema.economics import Money, load_price_deck


def test_pkr_per_kwh_to_usd_per_mwh_by_hand() -> None:
    deck = load_price_deck("pk-2025")
    table = resolve_prices(deck, ["electricity"])
    # 34.9 PKR/kWh x 1000 kWh/MWh / 281.22 PKR/USD = 124.10 USD/MWh [S65][S71]
    assert table.buy[0] == pytest.approx(34.9 * 1000 / 281.22, rel=1e-12)
    assert table.sell[0] == pytest.approx(20.0 * 1000 / 281.22, rel=1e-12)
    assert table.category == ["energy"]


def test_gas_priced_per_mmbtu_uses_the_lhv() -> None:
    deck = load_price_deck("pk-2025")
    table = resolve_prices(deck, ["natural_gas"], {"natural_gas": 47.0})
    # 11.27 USD/MMBtu / 1.055056 GJ/MMBtu x 47 GJ/t = 502.06 USD/t
    assert table.buy[0] == pytest.approx(11.27 / 1.05505585 * 47.0, rel=1e-6)
    with pytest.raises(InputError, match="LHV"):
        resolve_prices(deck, ["natural_gas"])


def test_escalation_with_the_stated_index() -> None:
    conv = Converter(load_price_deck("pk-2025"))
    # 100 USD of 2010 -> 2025 with US CPI-U 218.056 -> 322.2
    assert conv.usd(Money(100.0, "USD"), 2010) == pytest.approx(100 * 322.2 / 218.056)
    # 240 EUR/t of 2020 -> USD at 0.862 EUR/USD, escalated 258.811 -> 322.2
    assert conv.usd_per(Money(240.0, "EUR", "t"), "t", 2020) == pytest.approx(240 / 0.862 * 322.2 / 258.811)
    with pytest.raises(InputError, match="no escalation index for the year 1990") as err:
        conv.usd(Money(1.0, "USD"), 1990)
    assert "2004-2025" in (err.value.allowed or "")


def test_missing_price_names_the_carrier_and_the_deck_file() -> None:
    deck = load_price_deck("pk-2025")
    with pytest.raises(InputError) as err:
        resolve_prices(deck, ["iron_ore_fines", "unobtainium"], buying=["unobtainium"])
    assert "unobtainium" in err.value.message and "buys" in err.value.message
    assert err.value.file is not None and err.value.file.endswith("pk-2025.yaml")
    assert err.value.location == "deck.prices.unobtainium"
    assert "iron_ore_fines" in (err.value.allowed or "")


def test_override_a_price_and_the_fx_rate() -> None:
    deck = load_price_deck("pk-2025", {"prices.iron_ore_fines.price": "110 USD/t", "fx.PKR.per_usd": 300.0})
    table = resolve_prices(deck, ["iron_ore_fines", "electricity"])
    assert table.buy[0] == pytest.approx(110.0)
    assert table.buy[1] == pytest.approx(34.9 * 1000 / 300.0)


@pytest.mark.parametrize(
    ("override", "location", "allowed"),
    [
        ({"prices.iron_ore_fines.price": "110 XYZ/t"}, "override of prices.iron_ore_fines.price", "USD"),
        ({"prices.iron_ore_fines.price": "110 USD/furlong"}, "override of prices.iron_ore_fines.price", "MMBtu"),
        ({"prices.iron_ore_fines.price": "110 USD/year"}, "override of prices.iron_ore_fines.price", "mass"),
        ({"prices.iron_ore_fines.price": 110}, "override of prices.iron_ore_fines.price", "currency"),
        ({"prices.iron_ore_fines.category": "fuel"}, "override of prices.iron_ore_fines.category", "raw_material"),
        ({"prices.iron_ore_fines.source": ""}, "override of prices.iron_ore_fines.source", None),
        ({"fx.XYZ": {"per_usd": 1.0, "date": "2025", "source": "made up"}}, "override of prices.fx.XYZ", "PKR"),
    ],
)
def test_bad_deck_input_is_an_input_error_with_location(override: dict, location: str, allowed: str | None) -> None:
    """A bad value that came from an override is reported at the override (issue 9: not at the bundled
    deck it was applied to, which holds no error)."""
    with pytest.raises(InputError) as err:
        load_price_deck("pk-2025", override)
    assert err.value.file is None
    assert err.value.location == location
    if allowed:
        assert allowed in (err.value.allowed or "")


def test_a_bad_value_in_the_deck_itself_is_reported_at_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from steelworks.schema.economics import PRICES_DIR

    text = (PRICES_DIR / "pk-2025.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "deck.yaml"
    bad.write_text(text.replace("      category: raw_material", "      category: fuel", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_price_deck(bad)
    assert err.value.file == str(bad) and (err.value.location or "").endswith(".category")


def test_override_of_a_path_that_does_not_exist() -> None:
    with pytest.raises(InputError, match="does not exist") as err:
        load_price_deck("pk-2025", {"prices.nonexistent.price": "1 USD/t"})
    assert "iron_ore_fines" in (err.value.allowed or "")


def test_currency_without_a_deck_rate() -> None:
    conv = Converter(load_price_deck("pk-2025"))
    with pytest.raises(InputError, match="no exchange rate for BRL") as err:
        conv.usd(Money(1.0, "BRL"), 2025)
    assert "PKR" in (err.value.allowed or "")


def test_unknown_deck_name_lists_the_bundled_decks() -> None:
    with pytest.raises(InputError) as err:
        load_price_deck("mars-2090")
    assert "pk-2025" in (err.value.allowed or "")
