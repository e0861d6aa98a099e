"""Evaluate an option: plant flows + option economics + price deck + finance -> results.

The plant contract (:class:`PlantYear`) is one steady-state year at full output; yearly
production follows the option's ramp-up curve after commissioning and scales every flow linearly.
The CLI's ``evaluate``/``compare`` commands should only need::

    plant_year = PlantYear.from_mapping(plant_result_dict)       # or PlantYear(...)
    result = evaluate(plant_year, "psm-bf-revival", prices="pk-2025")
    result.to_dict()                                           # JSON-ready
    table = compare([result_a, result_b], baseline="psm-mothballed")
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from steelworks.economics import cashflow as cf
from steelworks.economics import finance as fin
from steelworks.economics.capex import CapexEstimate, WorksUnit, estimate_capex, reconcile, schedule_capex, works_table
from steelworks.economics.country import cbam_usd_per_t, fx_saved_per_year, jobs
from steelworks.economics.opex import labour_cost, yearly_costs, yearly_costs_foreign
from steelworks.economics.prices import Converter, PriceTable, resolve_prices
from steelworks.economics.yearly import output_fractions, solve_at_output, year_states
from steelworks.errors import InputError
from steelworks.schema.economics import (
    ECON_DIR,
    CapexBenchmarks,
    CountryParams,
    FinanceSettings,
    LabourData,
    OptionEconomics,
    PriceDeck,
    load_capex_benchmarks,
    load_country,
    load_finance,
    load_labour,
    load_option,
    load_price_deck,
)


@dataclass
class PlantYear:
    """What the plant hands to the economics: one steady-state year at full output.

    Quantities in the carrier's internal unit (materials and gases t, electricity MWh, steam and
    fuel heat GJ). ``products_t`` are the sold products (a subset of ``sold``; a product missing
    from ``sold`` is added to it).
    """

    purchased: dict[str, float]
    sold: dict[str, float]
    crude_steel_t: float
    products_t: dict[str, float]
    co2_direct_t: float = 0.0
    co2_indirect_t: float = 0.0
    lhv_gj_per_t: dict[str, float] = field(default_factory=dict)
    unit_output_t: dict[str, float] = field(default_factory=dict)
    unit_kind: dict[str, str] = field(default_factory=dict)
    #: the works: every plant unit with its capex kind, condition, capacity, life, lead time and relines
    #: (:func:`steelworks.economics.capex.works_table`); an option's plan is priced against it
    works: dict[str, WorksUnit] = field(default_factory=dict)
    label: str = ""
    #: the built works (:class:`steelworks.plant.build.Plant`), to solve each year's plant state at that
    #: year's output (:mod:`steelworks.economics.yearly`); None: each year is the full-output year scaled
    plant: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PlantYear:
        """Build from a plain mapping (the plant's result or a YAML record); unknown keys are an error."""
        known = {f for f in cls.__dataclass_fields__} - {"plant"}
        extra = sorted(set(data) - known)
        if extra:
            raise InputError(
                f"unknown plant-year field(s) {extra}",
                location="plant_year",
                allowed=", ".join(sorted(known)),
            )
        kwargs = dict(data)
        for key in ("purchased", "sold", "products_t", "lhv_gj_per_t", "unit_output_t"):
            if key in kwargs:
                kwargs[key] = {str(k): float(v) for k, v in (kwargs[key] or {}).items()}
        for key in ("crude_steel_t", "co2_direct_t", "co2_indirect_t"):
            if key in kwargs:
                kwargs[key] = float(kwargs[key])
        return cls(**kwargs)

    @classmethod
    def from_balance(cls, result: Any, label: str = "", sample: int = 0) -> PlantYear:
        """The plant year of one sample of a solved scenario (:class:`steelworks.api.BalanceResult`).

        Everything but the capital works is read off the results contract (``result.results``,
        :class:`steelworks.results.WorksResults`); products are the sold carriers tagged ``product``.
        """
        res = result.results
        kpi = res.kpi
        lhv = res.carriers.lhv_gj_per_t
        return cls(
            purchased=res.purchased(sample),
            sold=res.sold(sample),
            crude_steel_t=float(kpi["crude_steel_t"][sample]),
            products_t=res.products_sold(sample),
            co2_direct_t=float(kpi["co2_direct_t"][sample]),
            co2_indirect_t=float(kpi["co2_indirect_t"][sample]),
            lhv_gj_per_t={cid: float(lhv[c]) for c, cid in enumerate(res.carriers.ids) if lhv[c] > 0},
            unit_output_t=res.unit_output(sample),
            unit_kind=dict(zip(res.units.ids, res.units.kinds, strict=True)),
            works=works_table(result.scenario, result.plant),
            label=label or res.scenario,
            plant=result.plant,
        )

    @classmethod
    def idle(cls) -> PlantYear:
        return cls(purchased={}, sold={}, crude_steel_t=0.0, products_t={}, label="idle")

    def sold_all(self) -> dict[str, float]:
        out = dict(self.sold)
        for cid, amount in self.products_t.items():
            out.setdefault(cid, amount)
        return out


@dataclass
class Inputs:
    """Loaded and validated economics inputs (cached by :func:`load_inputs`)."""

    option: OptionEconomics
    deck: PriceDeck
    finance: FinanceSettings
    benchmarks: CapexBenchmarks
    labour: LabourData
    country: CountryParams


@dataclass
class PlanYears:
    """A plan on any set of units, as its own yearly plant states (the planner hands these over).

    ``evaluate`` of an option derives production from its ramp-up curve and solves the works at each
    year's output; a plan says which units run in which year, so its years come as flows instead: each
    year's purchases and sales (``states``, in ``carriers`` order; every year closure-checked by the
    planner), its capital (``estimate``, :func:`steelworks.economics.capex.plan_estimate`) and the share
    of the reference works' replacement value in service each year (``staff_share``: labour and fixed
    overheads follow the works in service, as the planner allocates them). ``production`` is each
    year's crude steel over the steady year's (``steady_index``), which is the plan's full-output year.
    """

    estimate: CapexEstimate
    carriers: list[str]
    states: cf.YearStates
    production: np.ndarray  # (T,)
    staff_share: np.ndarray  # (T,)
    co2_t: np.ndarray  # (T,) direct + indirect
    steady_index: int


def load_inputs(
    option: str | Path | OptionEconomics,
    prices: str | Path | PriceDeck = "pk-2025",
    finance: str | Path | FinanceSettings = "finance",
    *,
    price_overrides: Mapping[str, Any] | None = None,
    option_overrides: Mapping[str, Any] | None = None,
    finance_overrides: Mapping[str, Any] | None = None,
) -> Inputs:
    """Load the files of an evaluation (bundled ids or paths; already-loaded objects pass through)."""
    opt = option if isinstance(option, OptionEconomics) else load_option(option, option_overrides)
    deck = prices if isinstance(prices, PriceDeck) else load_price_deck(prices, price_overrides)
    fin_settings = finance if isinstance(finance, FinanceSettings) else load_finance(finance, finance_overrides)
    return Inputs(opt, deck, fin_settings, load_capex_benchmarks(), load_labour(), load_country())


@dataclass
class EconomicsResult:
    """An evaluated option: KPIs, yearly lines, breakdowns, capex reconciliation and country view."""

    option_id: str
    option_name: str
    price_deck: str
    plant_label: str
    kpis: dict[str, Any]
    years: list[int]
    lines: dict[str, list[float]]
    revenue_by_product: dict[str, float]
    capex: dict[str, Any]
    country: dict[str, Any]
    assumptions: dict[str, Any]
    model: cf.CashFlowModel | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        cash_flows = []
        for i, year in enumerate(self.years):
            row: dict[str, Any] = {"year": year}
            for key, values in self.lines.items():
                row[key] = values[i]
            cash_flows.append(row)
        return {
            "option": self.option_id,
            "name": self.option_name,
            "price_deck": self.price_deck,
            "plant": self.plant_label,
            "kpis": self.kpis,
            "revenue_by_product_usd_per_year_full_output": self.revenue_by_product,
            "capex": self.capex,
            "country": self.country,
            "assumptions": self.assumptions,
            "cash_flows": cash_flows,
        }


def _none(value: Any) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def _overrun(option: Any) -> float:
    """The option's capital overrun share (0 without one): every capital line x (1 + share)."""
    plan = getattr(option, "capex", None)
    return float(plan.overrun.share) if plan is not None and plan.overrun is not None else 0.0


def _with_owners_costs(initial_by_phase: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Add the owner's costs of the construction years to the first phase's initial capex."""
    out = np.array(initial_by_phase, dtype=float, copy=True)
    if out.shape[0]:
        out[0] = out[0] + owners
    return out


def build_model(
    plant: PlantYear, inputs: Inputs, plan_years: PlanYears | None = None
) -> tuple[cf.CashFlowModel, dict[str, Any]]:
    """Turn plant flows and loaded inputs into a :class:`~steelworks.economics.cashflow.CashFlowModel`.

    With ``plan_years`` the capital, production and each year's flows are the plan's (``plant`` is then
    its steady year, listing every carrier any year trades); everything else is the option's.

    Returns the model and a context dict (capex estimate, price table, country inputs) for reporting.
    """
    option, deck, settings = inputs.option, inputs.deck, inputs.finance
    conv = Converter(deck)
    n_years = settings.horizon_years
    start = option.schedule.construction_start
    years = np.arange(start, start + n_years)
    if start < deck.cost_year - 10:
        raise InputError(
            f"construction start {start} is long before the deck's cost year {deck.cost_year}",
            file=option.file,
            location="option.schedule.construction_start",
            allowed=f">= {deck.cost_year - 10}",
        )

    # --- capital -----------------------------------------------------------------------------
    ramp = option.ramp_up
    n_phases = len(ramp.phase_shares) if ramp is not None else 1
    grid_mwh = float(plant.purchased.get("electricity", 0.0)) if option.kind != "idle" else 0.0
    if plan_years is not None:
        estimate = plan_years.estimate
        n_phases = 1 + max((line.phase for line in estimate.lines), default=0)
    else:
        estimate = estimate_capex(option, plant.works, conv, inputs.benchmarks, grid_mwh=grid_mwh)
    sched = schedule_capex(estimate, n_years, n_phases, start_year=start, file=option.file)
    idle = option.kind == "idle"

    # --- production --------------------------------------------------------------------------
    production = np.zeros(n_years)
    if not idle and ramp is not None:
        for phase, share in enumerate(ramp.phase_shares):
            c = sched.commissioning[phase]
            for t in range(c, n_years):
                k = t - c
                production[t] += share * (ramp.fractions[k] if k < len(ramp.fractions) else ramp.steady_state)
        production *= 1.0 - sched.output_loss
    first_c = min(sched.commissioning) if not idle else n_years
    steady_index = _steady_index(production, sched.commissioning, sched.output_loss, ramp) if not idle else None
    if plan_years is not None:  # the plan's own years (relines and ramp-ups are in its flows)
        production = np.asarray(plan_years.production, dtype=float)
        steady_index = plan_years.steady_index
    operating = np.arange(n_years) >= first_c

    # --- flows and prices --------------------------------------------------------------------
    sold = plant.sold_all() if not idle else {}
    bought = dict(plant.purchased) if not idle else {}
    states_res, state_index = None, None
    if plant.plant is not None and not idle and np.any(production > 0):
        fractions, state_index = output_fractions(production)
        states_res = solve_at_output(plant.plant, fractions)
        # a carrier traded only at part load (make-up gas when works gas runs short) is priced too
        for s in range(states_res.n_samples):
            for cid in states_res.purchased(s):
                bought.setdefault(cid, 0.0)
            for cid in states_res.sold(s):
                sold.setdefault(cid, 0.0)
    carriers = list(dict.fromkeys([*bought, *sold]))
    table: PriceTable | None = None
    if carriers:
        table = resolve_prices(deck, carriers, plant.lhv_gj_per_t, buying=bought)
        price_buy, price_sell = table.buy, table.sell
        buy_category = ["raw_material" if c in ("product", "byproduct") else c for c in table.category]
        is_product = np.array([cid in plant.products_t for cid in carriers], dtype=bool)
    else:
        price_buy = price_sell = np.zeros(0)
        buy_category = []
        is_product = np.zeros(0, dtype=bool)
    q_buy = np.array([bought.get(c, 0.0) for c in carriers])
    q_sell = np.array([sold.get(c, 0.0) for c in carriers])
    products_total = float(sum(plant.products_t.values())) if not idle else 0.0

    # --- fixed costs -------------------------------------------------------------------------
    where = "option.labour.headcount"
    labour_op = labour_cost(option.labour.headcount, inputs.labour, conv, where=where, file=option.file)
    labour_con = labour_cost(
        option.labour.during_construction,
        inputs.labour,
        conv,
        where="option.labour.during_construction",
        file=option.file,
    )
    # construction years carry spending and no operating cost: the staff kept on during construction
    # and the construction-period site costs are owner's costs, capitalised with the initial capex
    labour = np.where(operating, labour_op, 0.0) if not idle else np.full(n_years, labour_op)
    staff = plan_years.staff_share if plan_years is not None else np.ones(n_years)
    labour = labour * staff
    fc = option.fixed_costs
    # upkeep basis (economics.capex docstring): maintenance on the capital invested in the works in service
    maintenance = fc.maintenance.share * sched.asset_value if fc else np.zeros(n_years)
    insurance = fc.insurance.share * sched.replacement_value if fc else np.zeros(n_years)
    overheads_fixed = (
        np.where(
            operating,
            conv.usd_per(
                fc.overheads.fixed.amount,
                "year",
                fc.overheads.fixed.year,
                where="option.fixed_costs.overheads.fixed",
                file=option.file,
            ),
            0.0,
        )
        * staff
        if fc
        else np.zeros(n_years)
    )
    construction_costs = yearly_costs(
        option.construction_period_costs, conv, where="option.construction_period_costs", file=option.file
    )
    idle_costs = yearly_costs(option.idle_costs, conv, where="option.idle_costs", file=option.file)
    owners_during_construction = (
        np.where(operating, 0.0, labour_con + construction_costs) if not idle else np.zeros(n_years)
    )
    other_fixed = np.zeros(n_years) + idle_costs
    consumables = (
        conv.usd_per(
            fc.consumables.cost.amount,
            "t",
            fc.consumables.cost.year,
            where="option.fixed_costs.consumables.cost",
            file=option.file,
        )
        if fc
        else 0.0
    )
    wc = option.working_capital

    # --- carbon (CBAM on EU exports) ----------------------------------------------------------
    carbon = np.zeros(n_years)
    embedded = plant.co2_direct_t / products_total if products_total > 0 else 0.0
    if option.export is not None and option.export.eu_share > 0 and products_total > 0:
        carbon = option.export.eu_share * cbam_usd_per_t(
            years, embedded, option.export.cbam_benchmark, inputs.country, conv, file=option.file
        )

    # --- tax and finance ---------------------------------------------------------------------
    tax = settings.tax
    thresholds = np.array([conv.usd(b.above, where="finance.tax.super_tax") for b in tax.super_tax])
    rates = np.array([b.rate for b in tax.super_tax])
    order = np.argsort(thresholds)
    dr = settings.discount_rate
    real = dr.value if dr.basis == "real" else (1.0 + dr.value) / (1.0 + settings.inflation.value) - 1.0
    kernel = fin.depreciation_kernel(
        n_years, tax.depreciation.method, tax.depreciation.rate, tax.depreciation.initial_allowance
    )
    debt = settings.debt
    model = cf.CashFlowModel(
        option_id=option.id,
        years=years.astype(float),
        cost_year=deck.cost_year,
        inflation=settings.inflation.value,
        discount_rate_real=real,
        production=production,
        commissioning=sched.commissioning if not idle else [n_years - 1],
        carriers=carriers,
        q_buy=q_buy,
        q_sell=q_sell,
        price_buy=price_buy,
        price_sell=price_sell,
        buy_category=buy_category,
        is_product=is_product,
        crude_steel_t=plant.crude_steel_t if not idle else 0.0,
        products_t=products_total,
        consumables_usd_per_t=consumables,
        carbon_usd_per_t=carbon,
        labour=labour,
        maintenance=maintenance,
        insurance=insurance,
        overheads_fixed=overheads_fixed,
        other_fixed=other_fixed,
        overhead_share=fc.overheads.share_of_revenue if fc else 0.0,
        receivable_days=wc.receivable_days if wc else 0.0,
        inventory_days=wc.inventory_days if wc else 0.0,
        payable_days=wc.payable_days if wc else 0.0,
        capex_initial_by_phase=_with_owners_costs(sched.initial_by_phase, owners_during_construction),
        capex_recurring=sched.recurring,
        capex_replacement=sched.replacement,
        capex_sustaining=sched.sustaining,
        residual_value=sched.residual_value if settings.terminal_value.method == "residual_value" else 0.0,
        capex_factor=1.0 + _overrun(option),
        corporate_rate=tax.corporate_rate,
        super_thresholds_usd=thresholds[order],
        super_rates=rates[order],
        super_tax_year=tax.super_tax_year,
        minimum_tax_rate=tax.minimum_tax_rate,
        depreciation=kernel,
        debt_share=debt.share,
        debt_rate=debt.rate,
        debt_tenor=debt.tenor_years,
        debt_grace=debt.grace_years,
        debt_repayment=debt.repayment,
        capitalise_idc=debt.capitalise_idc,
        terminal_method=settings.terminal_value.method,
        terminal_growth=settings.terminal_value.growth,
        states=(
            year_states(states_res, state_index, carriers)
            if states_res is not None and state_index is not None
            else _plan_states(plan_years, carriers)
        ),
        steady_index=steady_index,
    )
    co2_steady = float(plan_years.co2_t[plan_years.steady_index]) if plan_years is not None else None
    if states_res is not None and steady_index is not None and state_index is not None:
        k = int(state_index[steady_index])
        if k >= 0:
            co2_steady = float(states_res.kpi["co2_direct_t"][k] + states_res.kpi["co2_indirect_t"][k])
    context = {
        "conv": conv,
        "estimate": estimate,
        "schedule": sched,
        "table": table,
        "labour_operating": labour_op,
        "idle_costs_outside": yearly_costs(
            option.idle_costs, conv, where="option.idle_costs", file=option.file, in_cash_flow=False
        ),
        "idle_costs_foreign": yearly_costs_foreign(
            option.idle_costs, conv, where="option.idle_costs", file=option.file
        ),
        "co2_steady_t": co2_steady,
    }
    return model, context


def _plan_states(plan_years: PlanYears | None, carriers: list[str]) -> cf.YearStates | None:
    """The plan's yearly flows in the cash-flow model's carrier order (a carrier it never trades: 0)."""
    if plan_years is None:
        return None
    T = plan_years.production.size
    cols = [plan_years.carriers.index(c) if c in plan_years.carriers else -1 for c in carriers]

    def pick(values: np.ndarray) -> np.ndarray:
        out = np.zeros((T, len(carriers)))
        for j, k in enumerate(cols):
            if k >= 0:
                out[:, j] = values[:, k]
        return out

    st = plan_years.states
    return cf.YearStates(pick(np.asarray(st.q_buy)), pick(np.asarray(st.q_sell)), st.crude_steel_t, st.products_t)


def _steady_index(production: np.ndarray, commissioning: list[int], output_loss: np.ndarray, ramp: Any) -> int | None:
    """The steady-state year: the first year after every phase's ramp-up curve has run out (its output is
    the ramp-up's ``steady_state``) that loses no output to a reline; the first year after the ramp-up if
    every later year has a reline, the last year if the ramp-up outlasts the horizon."""
    n = production.size
    if ramp is None or not commissioning:
        return None
    ramp_end = max(commissioning) + len(ramp.fractions)
    if ramp_end >= n:
        return n - 1
    clean = [t for t in range(ramp_end, n) if output_loss[t] <= 0.0 and production[t] > 0.0]
    return clean[0] if clean else ramp_end


def evaluate(
    plant: PlantYear,
    option: str | Path | OptionEconomics,
    prices: str | Path | PriceDeck = "pk-2025",
    finance: str | Path | FinanceSettings = "finance",
    *,
    price_overrides: Mapping[str, Any] | None = None,
    option_overrides: Mapping[str, Any] | None = None,
    finance_overrides: Mapping[str, Any] | None = None,
    breakeven: bool = True,
) -> EconomicsResult:
    """Evaluate one option for one plant year; see :class:`EconomicsResult` for what comes back."""
    inputs = load_inputs(
        option,
        prices,
        finance,
        price_overrides=price_overrides,
        option_overrides=option_overrides,
        finance_overrides=finance_overrides,
    )
    return evaluate_inputs(plant, inputs, breakeven=breakeven)


def evaluate_inputs(
    plant: PlantYear, inputs: Inputs, *, breakeven: bool = True, plan_years: PlanYears | None = None
) -> EconomicsResult:
    """Evaluate loaded inputs for one plant year (``plan_years``: a plan's own years, see :class:`PlanYears`)."""
    model, ctx = build_model(plant, inputs, plan_years)
    out = cf.run(model, breakeven=breakeven)
    first = {k: (v[0] if isinstance(v, np.ndarray) and v.ndim >= 1 else v) for k, v in out.items()}
    option, settings = inputs.option, inputs.finance
    estimate: CapexEstimate = ctx["estimate"]
    table: PriceTable | None = ctx["table"]
    infl = model.infl
    steady_t = int(first["steady_year_index"]) if "steady_year_index" in first else model.n_years - 1
    steady_prod = float(model.production[steady_t]) if model.products_t > 0 else 0.0

    # --- country view at the steady year (cost-year USD) ----------------------------------------
    headcount = float(sum(option.labour.headcount.values()))
    if plan_years is not None:  # a plan staffs the works it has in service (PlanYears.staff_share)
        headcount *= float(plan_years.staff_share[steady_t])
    spares = float(model.maintenance[steady_t]) if model.maintenance.size else 0.0
    if table is not None and model.products_t > 0:
        if model.states is not None:  # the works solved at the steady year's output
            q_sell_t, q_buy_t = np.asarray(model.states.q_sell)[steady_t], np.asarray(model.states.q_buy)[steady_t]
        else:
            q_sell_t, q_buy_t = model.q_sell * steady_prod, model.q_buy * steady_prod
        products_q = q_sell_t * model.is_product
        purchases = q_buy_t * model.price_buy
        fx = fx_saved_per_year(
            products_q,
            table.landed_cfr,
            purchases,
            table.foreign_share,
            spares,
            inputs.country.spares_foreign_share.value,
        )
    else:
        fx = fx_saved_per_year(
            np.zeros(1),
            np.zeros(1),
            np.zeros(1),
            np.zeros(1),
            spares,
            inputs.country.spares_foreign_share.value,
            ctx["idle_costs_foreign"],
        )
    debt_service = first["debt_service"] / infl
    repaying = debt_service > 1.0
    fx["foreign_debt_service_usd_per_year"] = (
        float(debt_service[repaying].mean()) * settings.debt.foreign_share if repaying.any() else 0.0
    )
    overrun = 1.0 + _overrun(option)  # the estimate's capital, spent with the option's overrun
    fx["foreign_capex_usd"] = estimate.total_usd * overrun * estimate.foreign_share
    fx["fx_saved_net_of_debt_service_usd"] = fx["fx_saved_usd"] - fx["foreign_debt_service_usd_per_year"]
    job = jobs(headcount, inputs.country, producing=steady_prod > 0.0)
    co2_total = plant.co2_direct_t + plant.co2_indirect_t
    co2 = co2_total / plant.crude_steel_t if plant.crude_steel_t > 0 else None
    co2_year = ctx["co2_steady_t"] if ctx["co2_steady_t"] is not None else co2_total * steady_prod

    kpis = {
        "capex_usd": float(estimate.total_usd * overrun),
        "npv_usd": float(first["npv"]),
        "irr": _none(first["irr"]),
        "irr_nominal": _none(first["irr_nominal"]),
        "irr_roots": int(first["irr_roots"]),
        "equity_irr": _none(first["equity_irr"]),
        "equity_npv_usd": float(first["equity_npv"]),
        "payback_years": _none(first["payback_years"]),
        "payback_after_commissioning_years": _none(first["payback_after_commissioning"]),
        "min_dscr": _none(first["min_dscr"]),
        "lcos_usd_per_t": _none(first["lcos_breakeven"]),
        "lcos_annuity_usd_per_t": _none(first["lcos_annuity"]),
        "cash_cost_usd_per_t": _none(first["cash_cost"]),
        "fx_saved_usd_per_year": fx["fx_saved_usd"],
        "fx_saved_net_of_debt_service_usd_per_year": fx["fx_saved_net_of_debt_service_usd"],
        "jobs_direct": job["direct"],
        "jobs_indirect": job["indirect"],
        "co2_t_per_t_crude_steel": co2,
        "co2_t_per_year": co2_year,
        "steady_year": int(model.years[steady_t]) if model.products_t > 0 else None,
        "steady_year_output_fraction": steady_prod,
        "discount_rate": model.discount_rate_real,
        "discount_rate_basis": "real (USD)",
        "inflation": model.inflation,
        "horizon_years": model.n_years,
        "first_year": int(model.years[0]),
        "commissioning_year": int(model.years[0]) + min(model.commissioning) if option.kind == "project" else None,
        "products_t_per_year_full_output": model.products_t,
        "per_tonne_basis": "t of products sold, cost-year USD",
        "money_basis": f"USD of {model.cost_year}; NPV as of {int(model.years[0])}; yearly lines nominal USD",
    }
    if option.kind == "idle":
        kpis["legacy_costs_outside_cash_flow_usd_per_year"] = ctx["idle_costs_outside"]

    lines = {
        "production_t": first["products_year"],
        "capex_usd": first["capex"],
        "capex_initial_usd": first["capex_initial"],
        "capex_reline_usd": first["capex_recurring"],
        "capex_replacement_usd": first["capex_replacement"],
        "capex_sustaining_usd": first["capex_sustaining"],
        "revenue_usd": first["revenue"],
        "revenue_products_usd": first["revenue_products"],
        "revenue_byproducts_usd": first["revenue_other"],
        "raw_materials_usd": first["cost_raw_material"],
        "energy_usd": first["cost_energy"],
        "consumables_usd": first["cost_consumable"],
        "labour_usd": first["cost_labour"],
        "maintenance_usd": first["cost_maintenance"],
        "other_fixed_usd": first["cost_insurance"]
        + first["cost_overheads_fixed"]
        + first["cost_other_fixed"]
        + first["overheads_variable"],
        "carbon_cost_usd": first["cost_carbon"],
        "opex_usd": first["opex"],
        "ebitda_usd": first["ebitda"],
        "change_in_working_capital_usd": first["delta_wc"],
        "tax_depreciation_usd": first["tax_depreciation"],
        "tax_usd": first["tax"],
        "terminal_value_usd": first["terminal"],
        "net_cash_flow_usd": first["fcf"],
        "debt_drawdown_usd": first["debt_drawdown"],
        "interest_usd": first["interest"],
        "principal_usd": first["principal"],
        "debt_service_usd": first["debt_service"],
        "debt_balance_usd": first["debt_balance"],
        "tax_levered_usd": first["tax_levered"],
        "equity_cash_flow_usd": first["equity_cash_flow"],
        "dscr": first["dscr"],
    }
    revenue_by_product = (
        {
            cid: float(v) * steady_prod
            for cid, v in zip(np.array(model.carriers)[model.is_product], first["revenue_by_product_full"], strict=True)
        }
        if model.products_t > 0
        else {}
    )
    capex = reconcile(estimate)
    capex["schedule_commissioning_years"] = [int(model.years[0]) + c for c in model.commissioning]
    assumptions = {
        "option_file": option.file,
        "price_deck_file": inputs.deck.file,
        "finance_file": settings.file,
        "discount_rate_source": settings.discount_rate.source,
        "tax_source": settings.tax.source,
        "debt": settings.debt.model_dump(),
        "terminal_value": settings.terminal_value.model_dump(),
        "ramp_up": option.ramp_up.model_dump() if option.ramp_up else None,
        "prices_usd_per_unit": (
            {
                cid: {"buy": float(b), "sell": float(s)}
                for cid, b, s in zip(model.carriers, model.price_buy, model.price_sell, strict=True)
            }
            if model.carriers
            else {}
        ),
    }
    # each product's ex-works price and landed import price (CFR + duties + port), against the works' cash cost
    products_vs_imports = []
    if table is not None and model.products_t > 0:
        for i, cid in enumerate(model.carriers):
            if model.is_product[i]:
                products_vs_imports.append(
                    {
                        "product": cid,
                        "sold_t_per_year_full_output": float(model.q_sell[i]),
                        "price_usd_per_t": float(model.price_sell[i]),
                        "landed_cfr_usd_per_t": float(table.landed_cfr[i]) or None,
                        "landed_total_usd_per_t": float(table.landed_total[i]) or None,
                        "cash_cost_usd_per_t": kpis.get("cash_cost_usd_per_t"),
                    }
                )
    country = {
        "products_vs_imports": products_vs_imports,
        "fx": fx,
        "jobs": job,
        "cbam_usd_per_t_product": list(map(float, model.carbon_usd_per_t)),
        "embedded_co2_t_per_t_product": (plant.co2_direct_t / model.products_t if model.products_t else None),
    }
    return EconomicsResult(
        option.id,
        option.name,
        inputs.deck.id,
        plant.label,
        kpis,
        [int(y) for y in model.years],
        {
            k: [x if math.isfinite(x) else None for x in np.asarray(v, dtype=float).tolist()]  # type: ignore[misc]
            for k, v in lines.items()
        },
        revenue_by_product,
        capex,
        country,
        assumptions,
        model,
    )


def compare(
    results: Sequence[EconomicsResult], baseline: str | None = None, labels: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One row of headline KPIs per result; with ``baseline``, NPV and FX relative to that one.

    ``labels`` name the results (scenario names; option ids by default); ``baseline`` is one of them.
    """
    names = list(labels) if labels is not None else [r.option_id for r in results]
    base = next((r for n, r in zip(names, results, strict=True) if n == baseline), None) if baseline else None
    if baseline and base is None:
        raise InputError(
            f"baseline {baseline!r} is not among the evaluated options",
            location="baseline",
            allowed=", ".join(names),
        )
    keys = (
        "capex_usd",
        "npv_usd",
        "irr",
        "payback_years",
        "lcos_usd_per_t",
        "cash_cost_usd_per_t",
        "fx_saved_usd_per_year",
        "fx_saved_net_of_debt_service_usd_per_year",
        "jobs_direct",
        "jobs_indirect",
        "co2_t_per_t_crude_steel",
        "co2_t_per_year",
        "min_dscr",
        "discount_rate",
        "horizon_years",
    )
    rows = []
    for name, r in zip(names, results, strict=True):
        row: dict[str, Any] = {"label": name, "option": r.option_id, "name": r.option_name}
        row.update({k: r.kpis.get(k) for k in keys})
        if base is not None:
            row["npv_vs_baseline_usd"] = r.kpis["npv_usd"] - base.kpis["npv_usd"]
            row["fx_vs_baseline_usd_per_year"] = r.kpis["fx_saved_usd_per_year"] - base.kpis["fx_saved_usd_per_year"]
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------------
# placeholder plant years (until the lead's plant solve exists)
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _placeholders() -> dict[str, Any]:
    data = yaml.safe_load((ECON_DIR / "placeholder_plant_years.yaml").read_text(encoding="utf-8"))
    return dict(data["plant_years"])


def placeholder_plant_year(option_id: str) -> PlantYear:
    """A PLACEHOLDER full-output year for a bundled option (typical route figures, not a plant solve); its
    ``works`` are the unit table of the bundled scenario named in the record, so the plan prices as in
    ``evaluate``."""
    records = _placeholders()
    if option_id not in records:
        raise InputError(
            f"no placeholder plant year for {option_id!r}",
            location="plant_years",
            file=str(ECON_DIR / "placeholder_plant_years.yaml"),
            allowed=", ".join(sorted(records)),
        )
    record = dict(records[option_id])
    record.pop("source", None)
    scenario = record.pop("scenario", None)
    record["label"] = f"placeholder:{option_id}"
    plant_year = PlantYear.from_mapping(record)
    if scenario is not None:
        plant_year.works = dict(_bundled_works(str(scenario)))
    return plant_year


@lru_cache(maxsize=16)
def _bundled_works(scenario: str) -> dict[str, WorksUnit]:
    """The works table of a bundled scenario (its plant's unit table; the placeholder flows are not a solve)."""
    from steelworks.plant.build import build_plant
    from steelworks.schema.loader import load_scenario

    resolved = load_scenario(scenario)
    return works_table(resolved, build_plant(resolved))
