"""Money into USD of the deck's cost year, and the price of every carrier a flowsheet trades.

Conversion rule (stated once, used everywhere): an amount in currency ``C`` stated for year ``y`` is
converted at the deck's rate for ``C`` (units per USD, the deck's date) and then escalated from
``y`` to the deck's cost year with the deck's escalation index (US CPI-U in ``pk-2025``):
``usd = amount / fx[C] * index[cost_year] / index[y]``. Years between two index values are
interpolated linearly; years outside the index are an error. Prices in a deck are escalated only
when the deck says ``price_escalation: index`` (observed prices are usually taken as they are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from steelworks.errors import InputError
from steelworks.schema.economics import DATA_DIR, CostAt, Money, PriceDeck


@lru_cache(maxsize=1)
def carrier_units() -> dict[str, str]:
    """Internal unit of each carrier of ``data/carriers.yaml`` (t, MWh or GJ)."""
    data = yaml.safe_load(Path(DATA_DIR / "carriers.yaml").read_text(encoding="utf-8"))
    return {cid: str(spec.get("unit", "t")) for cid, spec in data["carriers"].items()}


class Converter:
    """Converts :class:`Money` to USD of ``deck.cost_year`` (see the module docstring)."""

    def __init__(self, deck: PriceDeck) -> None:
        self.deck = deck
        self.file = deck.file
        self.cost_year = deck.cost_year
        self.per_usd = {"USD": 1.0, **{code: rate.per_usd for code, rate in deck.fx.items()}}
        years = sorted(deck.escalation.values)
        self._years = np.array(years, dtype=float)
        self._index = np.array([deck.escalation.values[y] for y in years], dtype=float)
        self._base = deck.escalation.values[deck.cost_year]

    def escalation(self, year: int | None, *, where: str = "", file: str | None = None) -> float:
        """Factor from money of ``year`` to money of the cost year."""
        if year is None or year == self.cost_year:
            return 1.0
        if not self._years[0] <= year <= self._years[-1]:
            raise InputError(
                f"no escalation index for the year {year}",
                file=file or self.file,
                location=where or None,
                allowed=f"years {int(self._years[0])}-{int(self._years[-1])} ({self.deck.escalation.index})",
            )
        return float(self._base / np.interp(year, self._years, self._index))

    def rate(self, currency: str, *, where: str = "", file: str | None = None) -> float:
        try:
            return self.per_usd[currency]
        except KeyError:
            raise InputError(
                f"the price deck {self.deck.id!r} has no exchange rate for {currency}",
                file=file or self.file,
                location=where or None,
                allowed=", ".join(sorted(self.per_usd)),
            ) from None

    def usd(self, money: Money, year: int | None = None, *, where: str = "", file: str | None = None) -> float:
        """The amount in cost-year USD (still per ``money.per`` if it is a rate)."""
        return (
            money.value
            / self.rate(money.currency, where=where, file=file)
            * self.escalation(year, where=where, file=file)
        )

    def usd_per(
        self, money: Money, unit: str, year: int | None = None, *, where: str = "", file: str | None = None
    ) -> float:
        """A rate in cost-year USD per one ``unit`` (``t``, ``GJ``, ``MWh``, ``year``)."""
        try:
            per_unit = money.per_unit(unit)
        except ValueError as exc:
            raise InputError(
                str(exc),
                file=file or self.file,
                location=where or None,
                allowed=f"an amount per a unit convertible to {unit}",
            ) from None
        return (
            per_unit / self.rate(money.currency, where=where, file=file) * self.escalation(year, where=where, file=file)
        )

    def cost(self, cost: CostAt, *, where: str = "", file: str | None = None) -> float:
        """A :class:`CostAt` (lump sum) in cost-year USD."""
        return self.usd(cost.amount, cost.year, where=where, file=file)


@dataclass
class PriceTable:
    """Prices of the carriers a flowsheet trades, in cost-year USD per the carrier's internal unit."""

    carriers: list[str]
    buy: np.ndarray
    sell: np.ndarray
    category: list[str]
    foreign_share: np.ndarray
    landed_cfr: np.ndarray  # USD/t paid abroad for an imported tonne of this product (0 if none)
    landed_total: np.ndarray  # CFR + duties + port/inland (0 if none)
    sources: dict[str, str] = field(default_factory=dict)

    def index(self, carrier: str) -> int:
        return self.carriers.index(carrier)


def resolve_prices(
    deck: PriceDeck,
    carriers: Iterable[str],
    lhv_gj_per_t: Mapping[str, float] | None = None,
    units: Mapping[str, str] | None = None,
    *,
    buying: Iterable[str] = (),
) -> PriceTable:
    """Price every carrier in ``carriers`` from ``deck``.

    A carrier priced per energy but held in t (a gas, a fuel) is converted with its LHV from
    ``lhv_gj_per_t``. A carrier the flowsheet trades but the deck does not price is an
    :class:`InputError` naming the carrier and the deck file.
    """
    conv = Converter(deck)
    lhv = dict(lhv_gj_per_t or {})
    unit_of = dict(carrier_units())
    unit_of.update(units or {})
    buying_set = set(buying)
    ids = list(dict.fromkeys(carriers))
    buy = np.zeros(len(ids))
    sell = np.zeros(len(ids))
    foreign = np.zeros(len(ids))
    cfr = np.zeros(len(ids))
    landed = np.zeros(len(ids))
    categories: list[str] = []
    sources: dict[str, str] = {}
    for i, cid in enumerate(ids):
        entry = deck.prices.get(cid)
        where = f"deck.prices.{cid}"
        if entry is None:
            verb = "buys" if cid in buying_set else "sells"
            raise InputError(
                f"no price for carrier {cid!r}, which the flowsheet {verb}",
                file=deck.file,
                location=where,
                allowed="carriers priced in the deck: " + ", ".join(sorted(deck.prices)),
            )
        year = (entry.year or deck.cost_year) if deck.price_escalation == "index" else None
        unit = unit_of.get(cid, "t")
        buy[i] = _price_per(conv, entry.price, unit, cid, lhv, year, where + ".price")
        sell[i] = (
            _price_per(conv, entry.sell_price, unit, cid, lhv, year, where + ".sell_price")
            if entry.sell_price is not None
            else buy[i]
        )
        foreign[i] = entry.foreign_share
        categories.append(entry.category)
        sources[cid] = entry.source
        if entry.landed is not None:
            cfr[i] = conv.usd_per(entry.landed.cfr, "t", year, where=where + ".landed.cfr")
            port = conv.usd_per(entry.landed.port_and_inland, "t", year, where=where + ".landed.port_and_inland")
            landed[i] = cfr[i] * (1.0 + entry.landed.duties) + port
    return PriceTable(ids, buy, sell, categories, foreign, cfr, landed, sources)


def _price_per(
    conv: Converter, money: Money, unit: str, cid: str, lhv: Mapping[str, float], year: int | None, where: str
) -> float:
    dim = money.dimension_of_per()
    if unit == "t" and dim == "energy":
        heating = lhv.get(cid)
        if heating is None or heating <= 0.0:
            raise InputError(
                f"carrier {cid!r} is priced per energy ({money}) but its LHV is unknown",
                file=conv.file,
                location=where,
                allowed="a price per t, or an LHV for the carrier from the plant (lhv_gj_per_t)",
            )
        return conv.usd_per(money, "GJ", year, where=where) * heating
    if unit in ("GJ", "MWh") and dim == "mass":
        raise InputError(
            f"carrier {cid!r} is energy in {unit} but is priced per mass ({money})",
            file=conv.file,
            location=where,
            allowed=f"a price per {unit} (or GJ, MMBtu, kWh)",
        )
    return conv.usd_per(money, unit, year, where=where)
