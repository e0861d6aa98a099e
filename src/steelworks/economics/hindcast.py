"""Hindcast: a past year of a works priced as it was, against the result it reported (issue 8 item 8).

The year's flows are the hindcast scenario's balance (:func:`steelworks.results.solved_works`); every
carrier bought or sold is priced from the year's deck (:func:`~steelworks.economics.prices.resolve_prices`);
the costs that are not flows (labour, repairs, overheads, depreciation, finance) come from the hindcast
file (``data/economics/hindcasts/<id>.yaml``), each a yearly amount, an amount per t of crude steel or a
share of revenue. In the reporting currency ``cur`` (PKR for PSM) at the deck's exchange rate::

    revenue = sum_c sold_c p_sell,c                       purchases = sum_c bought_c p_buy,c
    PBT     = revenue - purchases - sum_k cost_k          (cost_k: A_k, a_k x crude steel, or s_k x revenue)
    PAT     = PBT - t max(PBT, 0)                          (t: the hindcast's tax rate)
    gap     = model - reported,   relative = gap / |reported|

Nothing in the hindcast is fitted to the reported figure: the difference is the finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steelworks.economics.prices import Converter, resolve_prices
from steelworks.plant.build import build_plant
from steelworks.results import solved_works
from steelworks.schema.economics import Hindcast, load_hindcast, load_price_deck
from steelworks.schema.loader import load_scenario

#: the deck categories that are purchases, in the order the statement shows them
PURCHASE_LINES = ("raw_material", "energy", "consumable")


@dataclass
class HindcastResult:
    """The year's operating statement (reporting currency per year) and its comparison with the report."""

    id: str
    scenario: str
    period: str
    currency: str
    crude_steel_t: float
    revenue: dict[str, float]
    purchases: dict[str, float]
    costs: dict[str, float]
    profit_before_tax: float
    tax: float
    profit_after_tax: float
    reported: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def revenue_total(self) -> float:
        return float(sum(self.revenue.values()))

    @property
    def purchases_total(self) -> float:
        return float(sum(self.purchases.values()))

    def model_figure(self, key: str) -> float | None:
        return {
            "profit_after_tax": self.profit_after_tax,
            "profit_before_tax": self.profit_before_tax,
            "sales": self.revenue.get("products", 0.0),
        }.get(key)

    def comparison(self) -> dict[str, dict[str, float]]:
        """model, reported, difference and relative difference of every reported figure the model has."""
        out: dict[str, dict[str, float]] = {}
        for key, reported in self.reported.items():
            model = self.model_figure(key)
            if model is None:
                continue
            gap = model - reported
            out[key] = {
                "model": model,
                "reported": reported,
                "difference": gap,
                "relative": gap / abs(reported) if reported else float("nan"),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "period": self.period,
            "currency": self.currency,
            "crude_steel_t": self.crude_steel_t,
            "revenue": self.revenue,
            "purchases": self.purchases,
            "costs": self.costs,
            "profit_before_tax": self.profit_before_tax,
            "tax": self.tax,
            "profit_after_tax": self.profit_after_tax,
            "comparison": self.comparison(),
            "sources": self.sources,
        }


def run_hindcast(
    name: str,
    overrides: Sequence[str] = (),
    *,
    prices: Mapping[str, Any] | None = None,
    hindcast: Mapping[str, Any] | None = None,
    currency: str = "PKR",
) -> HindcastResult:
    """Price the hindcast ``name``'s year. ``overrides``: ``--set`` paths of its scenario; ``prices`` and
    ``hindcast``: dotted overrides of the deck (``prices.coking_coal.price``) and of the hindcast file
    (``costs.labour.amount``), for the sensitivities that say why a hindcast misses."""
    spec: Hindcast = load_hindcast(name, hindcast)
    scenario = load_scenario(spec.scenario, list(overrides))
    plant = build_plant(scenario)
    sol, res = solved_works(plant)
    deck = load_price_deck(spec.prices, prices)
    conv = Converter(deck)
    per_usd = conv.rate(currency, where="currency")
    bought = np.asarray(sol.bought[0], dtype=float)
    sold = np.asarray(sol.sold[0], dtype=float)
    ids = list(plant.carrier_ids)
    traded = [c for i, c in enumerate(ids) if bought[i] > 0 or sold[i] > 0]
    lhv = {c: float(plant.lhv_gj_per_t[i]) for i, c in enumerate(ids)}
    buying = [c for i, c in enumerate(ids) if bought[i] > 0]
    table = resolve_prices(deck, traded, lhv, buying=buying)
    revenue: dict[str, float] = {"products": 0.0, "by-products and power": 0.0}
    purchases: dict[str, float] = dict.fromkeys(PURCHASE_LINES, 0.0)
    for k, cid in enumerate(table.carriers):
        i = ids.index(cid)
        category = table.category[k]
        if sold[i] > 0:
            kind = "products" if category == "product" else "by-products and power"
            revenue[kind] += float(sold[i] * table.sell[k] * per_usd)
        if bought[i] > 0:
            purchases[category if category in purchases else "raw_material"] += float(
                bought[i] * table.buy[k] * per_usd
            )
    crude = float(res.kpis(0)["crude_steel_t"])
    total_revenue = sum(revenue.values())
    costs: dict[str, float] = {}
    for key, line in spec.costs.items():
        where = f"hindcast.costs.{key}"
        if line.share_of_revenue is not None:
            costs[key] = line.share_of_revenue * total_revenue
        elif line.amount is not None and line.amount.per is not None:
            costs[key] = conv.usd_per(line.amount, "t", where=where) * per_usd * crude
        elif line.amount is not None:
            costs[key] = conv.usd(line.amount, where=where) * per_usd
    pbt = total_revenue - sum(purchases.values()) - sum(costs.values())
    tax = spec.tax_rate * max(pbt, 0.0)
    reported = {
        key: conv.usd(fig.amount, where=f"hindcast.reported.{key}") * per_usd for key, fig in spec.reported.items()
    }
    sources = {f"costs.{k}": v.source for k, v in spec.costs.items()}
    sources.update({f"reported.{k}": v.source for k, v in spec.reported.items()})
    sources["tax_rate"] = spec.tax_source
    return HindcastResult(
        id=spec.id,
        scenario=spec.scenario,
        period=spec.period,
        currency=currency,
        crude_steel_t=crude,
        revenue=revenue,
        purchases=purchases,
        costs=costs,
        profit_before_tax=pbt,
        tax=tax,
        profit_after_tax=pbt - tax,
        reported=reported,
        sources=sources,
    )
