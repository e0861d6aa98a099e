"""The business case of every sample of a batch in one vectorised cash-flow run.

The capital plan, prices, fixed costs and finance do not change between plant samples; what does is
the plant year: what the works buys and sells at full output, its crude steel and products, its
embedded CO2 (for CBAM). So the cash-flow model is built once, over the carriers any sample trades,
and every sample's flows go in as :class:`~steelworks.economics.cashflow.Samples` arrays — the
same engine ``evaluate`` uses (:func:`~steelworks.economics.evaluate.build_model` and
:func:`~steelworks.economics.cashflow.run`), so a batch of one equals ``evaluate`` exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.economics import cashflow as cf
from steelworks.economics.capex import works_table
from steelworks.economics.country import cbam_usd_per_t
from steelworks.economics.evaluate import Inputs, PlantYear, build_model, load_inputs
from steelworks.economics.prices import Converter
from steelworks.economics.yearly import output_fractions, solve_at_output, year_states
from steelworks.errors import InputError
from steelworks.results import WorksResults
from steelworks.schema.economics import EconomicsChoice
from steelworks.schema.tree import WORKS, route

Array = NDArray[np.float64]

#: per-sample KPIs of the business case: name in the batch -> key of cashflow.run's output
KPIS = {
    "npv_usd": "npv",
    "irr": "irr",
    "equity_irr": "equity_irr",
    "payback_years": "payback_years",
    "min_dscr": "min_dscr",
    "lcos_usd_per_t": "lcos_breakeven",
    "lcos_annuity_usd_per_t": "lcos_annuity",
    "cash_cost_usd_per_t": "cash_cost",
}


def economics_inputs(scenario: Any, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Inputs:
    """The option, deck and finance the scenario's ``economics:`` block names, with the overrides of the
    prices/option/finance branches (``--set`` first, then the block's own ``overrides``)."""
    block = scenario.economics
    file = str(scenario.scenario_file)
    if block is None:
        raise InputError(
            "the scenario has no 'economics:' block naming its option and price deck",
            file=file,
            location="scenario.economics",
            allowed="economics: {option: psm-bf-revival, prices: pk-2025}",
        )
    try:
        choice = EconomicsChoice.model_validate(block)
    except Exception as exc:  # pydantic's ValidationError, reported as input
        raise InputError(f"invalid economics block: {exc}", file=file, location="scenario.economics") from None
    merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (overrides or {}).items()}
    for key, value in choice.overrides.items():
        branch, path = route(key)
        if branch == WORKS:
            raise InputError(
                f"economics override '{key}' must start with prices., option. or finance.",
                file=file,
                location="scenario.economics.overrides",
                allowed="works parameters go under the scenario's own 'overrides:'",
            )
        merged.setdefault(branch, {}).setdefault(path, value)
    return load_inputs(
        choice.option,
        choice.prices,
        choice.finance,
        price_overrides=merged.get("prices") or None,
        option_overrides=merged.get("option") or None,
        finance_overrides=merged.get("finance") or None,
    )


def _base_year(res: WorksResults, scenario: Any, plant: Any, traded: NDArray[np.bool_], s: int) -> PlantYear:
    """Sample ``s``'s plant year, listing every carrier any sample trades (so the model's carrier axis
    covers all samples)."""
    ids = res.carriers.ids
    bought, sold = res["bought"][s], res["sold"][s]
    product = res.carriers.tags.get("product", np.zeros(len(ids), dtype=bool))
    lhv = res.carriers.lhv_gj_per_t
    year = PlantYear(
        purchased={ids[c]: float(bought[c]) for c in np.flatnonzero(traded[0])},
        sold={ids[c]: float(sold[c]) for c in np.flatnonzero(traded[1])},
        crude_steel_t=float(res.kpi["crude_steel_t"][s]),
        products_t={ids[c]: float(sold[c]) for c in np.flatnonzero(traded[1] & product)},
        co2_direct_t=float(res.kpi["co2_direct_t"][s]),
        co2_indirect_t=float(res.kpi["co2_indirect_t"][s]),
        lhv_gj_per_t={cid: float(lhv[c]) for c, cid in enumerate(ids) if lhv[c] > 0},
        unit_output_t=res.unit_output(s),
        unit_kind=dict(zip(res.units.ids, res.units.kinds, strict=True)),
        works=works_table(scenario, plant),
        label=res.scenario,
    )
    return year


def evaluate_samples(
    res: WorksResults,
    scenario: Any,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    plant: Any = None,
    works: Any = None,
    inputs: Inputs | None = None,
    sampled: Mapping[str, Array] | None = None,
    factors: Mapping[str, Array] | None = None,
    optional: Collection[str] = (),
    cash_flows: bool = False,
) -> dict[str, Array]:
    """Per-sample business-case KPIs ``(S,)`` of a batch of plant results (masked samples NaN).

    ``works`` (:class:`steelworks.plant.batch.SampledWorks`) are the batch's sampled recipes: each
    sample's works is solved again at each year's output (:mod:`steelworks.economics.yearly`), as the
    one-run evaluation does; without it the unsampled works' years are used for every sample.
    ``sampled`` are draws of business-case parameters by their parameter-tree paths (see
    :func:`sample_arrays`); ``factors`` multiply the deck's prices (``prices.<carrier>.price``);
    ``cash_flows`` adds each year's unlevered after-tax cash flow (nominal USD, ``fcf_nominal_usd:<year>``).
    ``optional`` are price paths that may name a carrier this works does not trade (to no effect: a
    wildcard of an uncertainty file, a comparison of options on one file).
    """
    inputs = inputs or economics_inputs(scenario, overrides)
    S = res.n_samples
    if plant is None:
        from steelworks.plant.build import build_plant

        plant = build_plant(scenario)
    ok = res.feasible.copy()
    ref = int(np.argmax(ok)) if ok.any() else 0
    first = _base_year(res, scenario, plant, np.zeros((2, len(res.carriers.ids)), dtype=bool), ref)
    if first.crude_steel_t <= 0:
        first = PlantYear.idle()
    schedule, _ = build_model(first, inputs)  # the production path only depends on the option
    fractions, state_index = output_fractions(schedule.production)
    states = _states(plant, works, fractions, S) if fractions.size and first.crude_steel_t > 0 else None
    if states is not None:
        ok &= states.feasible.reshape(fractions.size, -1).all(axis=0)  # a sample must run in every year
    ref = int(np.argmax(ok)) if ok.any() else 0
    # masked samples are priced as the reference sample (so no 0/0 on the way) and set to NaN after
    take = np.where(ok, np.arange(S), ref)
    bought, sold = res["bought"][take], res["sold"][take]
    traded = np.stack([(bought[ok] > 0).any(axis=0), (sold[ok] > 0).any(axis=0)])
    if states is not None:
        traded[0] |= (np.nan_to_num(states["bought"]) > 0).any(axis=0)
        traded[1] |= (np.nan_to_num(states["sold"]) > 0).any(axis=0)
    year = _base_year(res, scenario, plant, traded, ref) if first.crude_steel_t > 0 else first
    model, _ctx = build_model(year, inputs)
    index = [res.carriers.ids.index(c) for c in model.carriers]
    products = res.carriers.tags.get("product", np.zeros(len(res.carriers.ids), dtype=bool))
    products_t = (sold * products).sum(axis=1)
    samples = cf.Samples(
        q_buy=bought[:, index],
        q_sell=sold[:, index],
        crude_steel_t=res.kpi["crude_steel_t"][take],
        products_t=products_t,
        carbon_usd_per_t=_cbam(res.kpi["co2_direct_t"][take], inputs, model, products_t),
    )
    if states is not None:
        n_state = states.n_samples // fractions.size
        yearly = year_states(states, state_index, model.carriers, n_state)
        if n_state > 1:
            yearly = cf.YearStates(*(np.asarray(v)[take] for v in vars(yearly).values()))
        samples.states = yearly
    if not model.carriers:  # an idle works trades nothing
        samples.q_buy = samples.q_sell = None
    for name, values in sample_arrays(sampled or {}, model, inputs, S, factors=factors, optional=optional).items():
        setattr(samples, name, values)
    out = cf.run(model, samples)
    kpis = {name: np.asarray(out[key], dtype=float).copy() for name, key in KPIS.items()}
    kpis["co2_t_per_t_crude_steel"] = np.asarray(res.kpi["co2_t_per_t_crude_steel"], dtype=float)[take]
    if cash_flows:  # the unlevered after-tax cash flow of each year, nominal USD: "fcf_nominal_usd:<year>"
        fcf = np.broadcast_to(np.asarray(out["fcf"], dtype=float), (S, model.n_years))
        for t, year in enumerate(model.years):
            kpis[f"{CASH_FLOW_PREFIX}{int(year)}"] = fcf[:, t].copy()
    for values in kpis.values():
        values[~ok] = np.nan
    assert all(v.shape == (S,) for v in kpis.values())
    return kpis


#: per-year cash-flow columns of a batch asked for them (``cash_flows=True``)
CASH_FLOW_PREFIX = "fcf_nominal_usd:"

#: business-case parameters a batch may sample, by parameter-tree path pattern
SAMPLEABLE = (
    "prices.<carrier>.price (cost-year USD per the carrier's unit; "
    "the sale price too unless the deck gives a sell_price)",
    "finance.discount_rate.value (real)",
    "option.capex.overrun.share (every capital line x (1 + share))",
)


def sample_arrays(
    sampled: Mapping[str, Array],
    model: cf.CashFlowModel,
    inputs: Inputs,
    S: int,
    *,
    factors: Mapping[str, Array] | None = None,
    optional: Collection[str] = (),
) -> dict[str, Array]:
    """Draws of prices, finance and capital overrun as :class:`~steelworks.economics.cashflow.Samples`
    fields; ``factors`` multiply the deck's price of a carrier (its sale price too unless the deck
    gives one of its own)."""
    out: dict[str, Array] = {}
    price_buy = price_sell = None
    draws = [(path, values, False) for path, values in sampled.items()]
    draws += [(path, values, True) for path, values in (factors or {}).items()]
    for path, values, is_factor in draws:
        values = np.broadcast_to(np.asarray(values, dtype=float), (S,))
        head, _, rest = path.partition(".")
        carrier, _, field = rest.rpartition(".")
        if head == "prices" and field == "price" and carrier in model.carriers:
            i = model.carriers.index(carrier)
            if price_buy is None:
                price_buy = np.tile(model.price_buy, (S, 1))
                price_sell = np.tile(model.price_sell, (S, 1))
            price_buy[:, i] = values * model.price_buy[i] if is_factor else values
            if inputs.deck.prices[carrier].sell_price is None:
                price_sell[:, i] = values * model.price_sell[i] if is_factor else values  # type: ignore[index]
        elif head == "prices" and field == "price" and carrier in inputs.deck.prices and path in optional:
            continue  # a carrier this works does not trade: no effect here, by request
        elif path == "finance.discount_rate.value" and inputs.finance.discount_rate.basis == "real" and not is_factor:
            out["discount_rate"] = values
        elif path == "option.capex.overrun.share" and not is_factor:
            out["capex_factor"] = 1.0 + values
        else:
            traded = ", ".join(f"prices.{c}.price" for c in model.carriers)
            raise InputError(
                f"'{path}' cannot be sampled in a batch of this scenario",
                location=path,
                allowed="; ".join(SAMPLEABLE) + f" — carriers it trades: {traded}",
            )
    if price_buy is not None:
        out["price_buy"], out["price_sell"] = price_buy, price_sell  # type: ignore[assignment]
    return out


def _states(plant: Any, works: Any, fractions: Array, S: int) -> WorksResults:
    """Every sample's works solved at each output fraction (fraction-major), or the unsampled works'."""
    if works is None:
        return solve_at_output(plant, fractions)
    return solve_at_output(
        works.plant, fractions, recipe=works.recipe, out_c_frac=works.out_c_frac, out_lhv=works.out_lhv
    )


def _cbam(direct: Array, inputs: Inputs, model: cf.CashFlowModel, products_t: Array) -> Array | None:
    """CBAM charge per t of product of each sample (its own embedded CO2), or None without EU exports."""
    export = inputs.option.export
    if export is None or export.eu_share <= 0:
        return None
    embedded = np.divide(direct, products_t, out=np.zeros_like(direct), where=products_t > 0)
    conv = Converter(inputs.deck)
    charge = cbam_usd_per_t(model.years, embedded[:, None], export.cbam_benchmark, inputs.country, conv)
    return np.asarray(export.eu_share * charge, dtype=float)
