"""The yearly cash-flow build and its finance, for one scenario or many samples at once.

:class:`CashFlowModel` holds everything that does not change between samples as plain arrays
(built once by :func:`steelworks.economics.evaluate.build_model`); :func:`run` takes optional
sample arrays (leading axis ``S``) and returns every line as ``(S, T)`` and every KPI as ``(S,)``.

Money frame. Inputs are USD of the deck's cost year (real). Each year is inflated to nominal USD
with ``(1 + inflation) ** (year - cost_year)``; taxes, depreciation and debt are computed on the
nominal flows (as a lender would), which are discounted at the nominal rate
``(1 + r_real)(1 + inflation) - 1``. NPVs are then expressed in cost-year USD as of the first year
of the horizon (the start of construction): ``NPV = sum_t CF_nom[t] / (1 + n) ** t / infl[0]``.

Timing. Year index 0 is the first construction year; flows of a year are booked at its end (the
numpy-financial convention: year 0 is not discounted). Production starts in a phase's
commissioning year, following the ramp-up curve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from steelworks.economics import finance as fin

Array = np.ndarray

#: cost categories of purchased carriers (a purchased product or by-product counts as raw material)
COST_CATEGORIES = ("raw_material", "energy", "consumable")


@dataclass
class YearStates:
    """The works solved at each year's output: a ramp-up or reline year is a plant state of its own,
    not the full-output year scaled (fixed energy of units kept hot, gas allocation and purchases are
    not linear in output). Amounts are those of the year, in the model's carrier order; a leading
    sample axis is allowed (``(S, T, C)`` and ``(S, T)``)."""

    q_buy: Array  # (T, C)
    q_sell: Array  # (T, C)
    crude_steel_t: Array  # (T,)
    products_t: Array  # (T,)


@dataclass
class CashFlowModel:
    """The sample-independent inputs of the cash flow, in cost-year USD (see the module docstring)."""

    option_id: str
    years: Array  # (T,) calendar years
    cost_year: int
    inflation: float
    discount_rate_real: float
    production: Array  # (T,) fraction of the full-output year, after ramp-up and reline losses
    commissioning: list[int]  # year index per phase
    # flows of the full-output year and their prices
    carriers: list[str]
    q_buy: Array  # (C,)
    q_sell: Array  # (C,)
    price_buy: Array  # (C,)
    price_sell: Array  # (C,)
    buy_category: list[str]  # cost category per carrier (raw_material / energy / consumable)
    is_product: Array  # (C,) bool: sold as a product (else a by-product / other sale)
    crude_steel_t: float
    products_t: float
    consumables_usd_per_t: float  # per t crude steel
    carbon_usd_per_t: Array  # (T,) CBAM charge per t of product x EU export share
    # fixed costs per year (T,)
    labour: Array
    maintenance: Array
    insurance: Array
    overheads_fixed: Array
    other_fixed: Array  # construction-period and idle-plant costs
    overhead_share: float
    receivable_days: float
    inventory_days: float
    payable_days: float
    # capital (T,)
    capex_initial_by_phase: Array  # (P, T)
    capex_recurring: Array
    capex_replacement: Array
    capex_sustaining: Array
    residual_value: float
    # tax and finance
    corporate_rate: float
    super_thresholds_usd: Array  # nominal USD of the super-tax year, held constant in real terms
    super_rates: Array
    super_tax_year: int
    minimum_tax_rate: float
    depreciation: Array  # (T, T) kernel
    debt_share: float
    debt_rate: float
    debt_tenor: int
    debt_grace: int
    debt_repayment: str
    capitalise_idc: bool
    terminal_method: str
    terminal_growth: float
    extras: dict[str, object] = field(default_factory=dict)
    #: every capital line x this (1 + the option's capex overrun); a batch may sample it per sample
    capex_factor: float = 1.0
    #: the plant state of each year; None: each year is the full-output year x ``production``
    states: YearStates | None = None
    #: the steady-state year (index): the first year after every phase's ramp-up with no reline loss,
    #: at the ramp-up's ``steady_state`` output (not a ramp year that happens to run higher); None: the
    #: first year at the highest output
    steady_index: int | None = None

    @property
    def n_years(self) -> int:
        return int(self.years.size)

    @property
    def infl(self) -> Array:
        return (1.0 + self.inflation) ** (self.years - self.cost_year)

    @property
    def nominal_rate(self) -> float:
        return (1.0 + self.discount_rate_real) * (1.0 + self.inflation) - 1.0


@dataclass
class Samples:
    """Sampled inputs, each of shape ``(S,)`` (or ``(S, C)`` for prices); ``None`` keeps the model's value."""

    price_buy: Array | None = None
    price_sell: Array | None = None
    capex_factor: Array | None = None
    discount_rate: Array | None = None
    production_factor: Array | None = None
    fixed_cost_factor: Array | None = None
    #: the plant year of each sample (a batch of plant solves): full-output flows (S, C) in the model's
    #: carrier order, crude steel and products (S,), CBAM charge per t of product (S, T)
    q_buy: Array | None = None
    q_sell: Array | None = None
    crude_steel_t: Array | None = None
    products_t: Array | None = None
    carbon_usd_per_t: Array | None = None
    #: each sample's plant state per year (a batch of the works solved at each year's output)
    states: YearStates | None = None

    def size(self) -> int:
        sizes = {np.asarray(v).shape[0] for k, v in vars(self).items() if v is not None and k != "states"}
        if self.states is not None and np.ndim(self.states.crude_steel_t) == 2:
            sizes.add(np.shape(self.states.crude_steel_t)[0])
        if len(sizes) > 1:
            raise ValueError(f"sample arrays have different lengths {sorted(sizes)}")
        return sizes.pop() if sizes else 1


def _col(value: Array | None, default: float, n: int) -> Array:
    if value is None:
        return np.full(n, default)
    return np.broadcast_to(np.asarray(value, dtype=float), (n,)).astype(float)


@dataclass
class _Pieces:
    """Everything of a run except what depends on the product-price multiplier."""

    infl: Array
    prod: Array  # (S, T)
    revenue_products: Array  # (S, T) nominal, at multiplier 1
    revenue_by_product: Array  # (S, n_products) sales of each product in the full-output year
    revenue_other: Array  # (S, T)
    cost_lines: dict[str, Array]  # (S, T) nominal, independent of the multiplier
    purchases: Array  # (S, T) nominal purchases (for working capital)
    capex: Array  # (S, T) nominal total capex
    capex_lines: dict[str, Array]
    in_service: Array  # (S, T) nominal additions for tax depreciation
    residual: Array  # (S,) nominal at the last year
    nominal_rate: Array  # (S,)
    real_rate: Array  # (S,)
    super_thresholds: Array  # super-tax brackets, USD of the super-tax year (see _tax)
    capex_factor: Array
    products_t: Array  # (S,) t of products sold in the full-output year
    products_year: Array  # (S, T) t of products sold in each year


def _pieces(model: CashFlowModel, samples: Samples, n: int) -> _Pieces:
    infl = model.infl
    pb = np.broadcast_to(model.price_buy if samples.price_buy is None else samples.price_buy, (n, len(model.carriers)))
    ps = np.broadcast_to(
        model.price_sell if samples.price_sell is None else samples.price_sell, (n, len(model.carriers))
    )
    prod_factor = _col(samples.production_factor, 1.0, n)
    fixed_factor = _col(samples.fixed_cost_factor, 1.0, n)
    capf = _col(samples.capex_factor, model.capex_factor, n)
    real_rate = _col(samples.discount_rate, model.discount_rate_real, n)
    prod = prod_factor[:, None] * model.production[None, :]  # (S, T)
    scale = prod * infl[None, :]  # full-year amounts -> nominal amounts of each year

    q_sell = model.q_sell[None, :] if samples.q_sell is None else np.asarray(samples.q_sell, dtype=float)
    q_buy = model.q_buy[None, :] if samples.q_buy is None else np.asarray(samples.q_buy, dtype=float)
    crude = _col(samples.crude_steel_t, model.crude_steel_t, n)
    products = _col(samples.products_t, model.products_t, n)
    carbon = model.carbon_usd_per_t[None, :] if samples.carbon_usd_per_t is None else samples.carbon_usd_per_t
    sales = ps * q_sell  # (S, C) full-year
    states = samples.states if samples.states is not None else model.states
    cost_lines: dict[str, Array] = {}
    masks = {cat: np.array([c == cat for c in model.buy_category], dtype=bool) for cat in COST_CATEGORIES}
    if states is None:  # each year is the full-output year scaled by its production
        rev_products = sales[:, model.is_product].sum(axis=1)[:, None] * scale
        rev_other = sales[:, ~model.is_product].sum(axis=1)[:, None] * scale
        buys = pb * q_buy
        for cat in COST_CATEGORIES:
            cost_lines[cat] = buys[:, masks[cat]].sum(axis=1)[:, None] * scale
        crude_year = crude[:, None] * prod
        products_year = products[:, None] * prod
    else:  # each year is its own plant state
        year_scale = prod_factor[:, None] * infl[None, :]
        sales_year = ps[:, None, :] * np.asarray(states.q_sell, dtype=float)  # (S, T, C)
        buys_year = pb[:, None, :] * np.asarray(states.q_buy, dtype=float)
        rev_products = sales_year[..., model.is_product].sum(axis=-1) * year_scale
        rev_other = sales_year[..., ~model.is_product].sum(axis=-1) * year_scale
        for cat in COST_CATEGORIES:
            cost_lines[cat] = buys_year[..., masks[cat]].sum(axis=-1) * year_scale
        crude_year = np.broadcast_to(states.crude_steel_t, (n, model.n_years)) * prod_factor[:, None]
        products_year = np.broadcast_to(states.products_t, (n, model.n_years)) * prod_factor[:, None]
    purchases = np.sum([cost_lines[cat] for cat in COST_CATEGORIES], axis=0)
    cost_lines["consumable"] = cost_lines["consumable"] + model.consumables_usd_per_t * crude_year * infl[None, :]
    cost_lines["carbon"] = products_year * carbon * infl[None, :]
    fixed = fixed_factor[:, None] * infl[None, :]
    cost_lines["labour"] = model.labour[None, :] * fixed
    cost_lines["maintenance"] = model.maintenance[None, :] * fixed
    cost_lines["insurance"] = model.insurance[None, :] * fixed
    cost_lines["overheads_fixed"] = model.overheads_fixed[None, :] * fixed
    cost_lines["other_fixed"] = model.other_fixed[None, :] * fixed

    initial_by_phase = model.capex_initial_by_phase[None, :, :] * infl[None, None, :] * capf[:, None, None]
    capex_lines = {
        "initial": initial_by_phase.sum(axis=1),
        "recurring": capf[:, None] * model.capex_recurring[None, :] * infl[None, :],
        "replacement": capf[:, None] * model.capex_replacement[None, :] * infl[None, :],
        "sustaining": capf[:, None] * model.capex_sustaining[None, :] * infl[None, :],
    }
    capex = sum(capex_lines.values())
    in_service = capex_lines["recurring"] + capex_lines["replacement"] + capex_lines["sustaining"]
    for phase, c in enumerate(model.commissioning):
        in_service[:, c] += initial_by_phase[:, phase, :].sum(axis=1)
    residual = capf * model.residual_value * infl[-1]
    nominal_rate = (1.0 + real_rate) * (1.0 + model.inflation) - 1.0
    return _Pieces(
        infl,
        prod,
        rev_products,
        sales[:, model.is_product],
        rev_other,
        cost_lines,
        purchases,
        capex,
        capex_lines,
        in_service,
        residual,
        nominal_rate,
        real_rate,
        model.super_thresholds_usd,
        capf,
        products,
        products_year,
    )


def _working_capital(model: CashFlowModel, revenue: Array, purchases: Array) -> tuple[Array, Array]:
    wc = (model.receivable_days * revenue + (model.inventory_days - model.payable_days) * purchases) / 365.0
    delta = np.diff(wc, axis=1, prepend=0.0)
    return wc, delta


def _tax(model: CashFlowModel, p: _Pieces, taxable: Array, revenue: Array) -> Array:
    # super-tax thresholds are PKR amounts of the super-tax year; held constant in real terms, so
    # they grow with inflation in nominal USD - approximated by scaling income back to that year
    deflate = (1.0 + model.inflation) ** (model.years - model.super_tax_year)
    tax_real = fin.income_tax(
        taxable / deflate[None, :],
        revenue / deflate[None, :],
        corporate_rate=model.corporate_rate,
        super_thresholds=p.super_thresholds,
        super_rates=model.super_rates,
        minimum_rate=model.minimum_tax_rate,
    )
    return tax_real * deflate[None, :]


def _project_cash_flow(model: CashFlowModel, p: _Pieces, multiplier: Array) -> dict[str, Array]:
    """Unlevered, after-tax cash flow at a product-price multiplier ``(S,)``."""
    m = multiplier[:, None]
    revenue = m * p.revenue_products + p.revenue_other
    opex = sum(p.cost_lines.values()) + model.overhead_share * revenue
    ebitda = revenue - opex
    wc, dwc = _working_capital(model, revenue, p.purchases)
    depreciation = p.in_service @ model.depreciation
    tax = _tax(model, p, ebitda - depreciation, revenue)
    terminal = np.zeros_like(revenue)
    if model.terminal_method == "residual_value":
        terminal[:, -1] = p.residual
    fcf_before_terminal = ebitda - tax - p.capex - dwc
    if model.terminal_method == "gordon":
        g = model.terminal_growth
        terminal[:, -1] = fcf_before_terminal[:, -1] * (1.0 + g) / (p.nominal_rate - g)
    terminal[:, -1] += wc[:, -1]  # working capital released at the end
    fcf = fcf_before_terminal + terminal
    return {
        "revenue": revenue,
        "opex": opex,
        "ebitda": ebitda,
        "working_capital": wc,
        "delta_wc": dwc,
        "tax_depreciation": depreciation,
        "tax": tax,
        "terminal": terminal,
        "fcf_before_terminal": fcf_before_terminal,
        "fcf": fcf,
    }


def _npv_cost_year(fcf: Array, p: _Pieces) -> Array:
    return fin.npv(p.nominal_rate, fcf) / p.infl[0]


def breakeven_multiplier(model: CashFlowModel, p: _Pieces, *, hi: float = 20.0, iterations: int = 60) -> Array:
    """Product-price multiplier at which the project NPV is zero (``nan`` where none in [0, hi])."""
    n = p.nominal_rate.shape[0]
    if not np.any(p.revenue_products):
        return np.full(n, np.nan)

    def f(mult: Array) -> Array:
        return _npv_cost_year(_project_cash_flow(model, p, mult)["fcf"], p)

    lo_m, hi_m = np.zeros(n), np.full(n, hi)
    f_lo, f_hi = f(lo_m), f(hi_m)
    ok = (f_lo <= 0.0) & (f_hi >= 0.0)
    # regula falsi with the Illinois modification (NPV is piecewise linear in the multiplier)
    side = np.zeros(n)
    x = lo_m
    for _ in range(iterations):
        denom = np.where(f_hi - f_lo == 0.0, 1.0, f_hi - f_lo)
        x = hi_m - f_hi * (hi_m - lo_m) / denom
        fx = f(x)
        right = np.sign(fx) == np.sign(f_hi)
        hi_m, f_hi = np.where(right, x, hi_m), np.where(right, fx, f_hi)
        lo_m, f_lo = np.where(right, lo_m, x), np.where(right, f_lo, fx)
        f_lo = np.where(right & (side == 1), f_lo / 2.0, f_lo)
        f_hi = np.where(~right & (side == -1), f_hi / 2.0, f_hi)
        side = np.where(right, 1, -1)
        if np.all(np.abs(fx) < 1e-3) or np.all(hi_m - lo_m < 1e-12):
            break
    return np.where(ok, x, np.nan)


def run(model: CashFlowModel, samples: Samples | None = None, *, breakeven: bool = True) -> dict[str, Array]:
    """The cash flow and its KPIs for every sample; lines ``(S, T)`` nominal USD, KPIs ``(S,)``."""
    samples = samples or Samples()
    n = samples.size()
    p = _pieces(model, samples, n)
    one = np.ones(n)
    project = _project_cash_flow(model, p, one)
    out: dict[str, Array] = {f"cost_{k}": v for k, v in p.cost_lines.items()}
    out.update({f"capex_{k}": v for k, v in p.capex_lines.items()})
    out.update(project)
    out["capex"] = p.capex
    out["overheads_variable"] = model.overhead_share * project["revenue"]
    out["revenue_products"] = p.revenue_products
    out["revenue_other"] = p.revenue_other
    out["production"] = p.prod
    out["products_year"] = p.products_year
    out["revenue_by_product_full"] = p.revenue_by_product

    # debt and equity (levered) view
    draws = model.debt_share * p.capex_lines["initial"]
    first_commissioning = min(model.commissioning) if model.commissioning else 0
    interest, principal, idc, balance = fin.debt_schedule(
        draws,
        rate=model.debt_rate,
        tenor=model.debt_tenor,
        first_repayment=first_commissioning + model.debt_grace,
        capitalise_until=first_commissioning if model.capitalise_idc else 0,
        repayment=model.debt_repayment,
    )
    principal[:, -1] += balance[:, -1]  # anything left is repaid from the terminal value
    balance[:, -1] = 0.0
    levered_tax = _tax(model, p, project["ebitda"] - project["tax_depreciation"] - interest, project["revenue"])
    equity = (
        project["ebitda"]
        - levered_tax
        - p.capex
        - project["delta_wc"]
        + draws
        - interest
        - principal
        + project["terminal"]
    )
    debt_service = interest + principal
    cfads = (
        project["ebitda"]
        - levered_tax
        - project["delta_wc"]
        - p.capex_lines["recurring"]
        - p.capex_lines["sustaining"]
        - p.capex_lines["replacement"]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        dscr = np.where(debt_service > 1e-6, cfads / debt_service, np.nan)
    out.update(
        {
            "debt_drawdown": draws,
            "interest": interest,
            "principal": principal,
            "idc": idc,
            "debt_balance": balance,
            "debt_service": debt_service,
            "tax_levered": levered_tax,
            "equity_cash_flow": equity,
            "cfads": cfads,
            "dscr": dscr,
        }
    )

    # KPIs
    fcf = project["fcf"]
    out["npv"] = _npv_cost_year(fcf, p)
    irr_nominal, n_roots = fin.irr(fcf, guess=p.nominal_rate)
    out["irr_nominal"] = irr_nominal
    out["irr"] = (1.0 + irr_nominal) / (1.0 + model.inflation) - 1.0
    out["irr_roots"] = n_roots
    eq_irr, _ = fin.irr(equity, guess=p.nominal_rate)
    out["equity_irr"] = (1.0 + eq_irr) / (1.0 + model.inflation) - 1.0
    out["equity_npv"] = _npv_cost_year(equity, p)
    pay = fin.payback(project["fcf_before_terminal"])
    out["payback_years"] = pay
    out["payback_after_commissioning"] = pay - first_commissioning
    with np.errstate(invalid="ignore"):
        out["min_dscr"] = np.where(
            np.all(np.isnan(dscr), axis=1), np.nan, np.nanmin(np.where(np.isnan(dscr), np.inf, dscr), axis=1)
        )
    out["capex_total"] = p.capex_factor * (model.capex_initial_by_phase.sum())
    steady = _steady_state_costs(model, p, project)
    out.update(steady)
    if breakeven and model.products_t > 0:
        mult = breakeven_multiplier(model, p)
        out["breakeven_multiplier"] = mult
        with np.errstate(divide="ignore", invalid="ignore"):
            out["lcos_breakeven"] = mult * p.revenue_by_product.sum(axis=1) / p.products_t
    else:
        out["breakeven_multiplier"] = np.full(n, np.nan)
        out["lcos_breakeven"] = np.full(n, np.nan)
    return out


def steady_year(model: CashFlowModel) -> int:
    """Index of the year the per-year KPIs are taken at (cash cost, annuity LCOS, FX saved, CO2 per year):
    the model's ``steady_index`` (the ramp-up's steady state), else the first year at the highest output
    after commissioning, else the last year."""
    if model.steady_index is not None:
        return int(model.steady_index)
    c0 = min(model.commissioning) if model.commissioning else 0
    idx = int(np.argmax(model.production >= model.production.max() - 1e-12))
    return idx if idx >= c0 else model.n_years - 1


def _steady_state_costs(model: CashFlowModel, p: _Pieces, project: dict[str, Array]) -> dict[str, Array]:
    """Cash cost and CRF-annuity LCOS per t of products in the steady-state year (cost-year USD)."""
    n = p.capex_factor.shape[0]
    if model.products_t <= 0:
        nan = np.full(n, np.nan)
        return {"cash_cost": nan, "lcos_annuity": nan}
    c0 = min(model.commissioning)
    # the steady-state year (the ramp-up's steady output, no reline), real terms per unit of output
    t = steady_year(model)
    infl_t = p.infl[t]
    out_t = np.maximum(p.products_year[:, t], 1e-12)
    opex_t = project["opex"][:, t] - p.revenue_other[:, t]  # by-product sales credited
    cash_cost = opex_t / infl_t / out_t
    # capital charge: capex compounded at the real rate to the end of the year before the first
    # commissioning (flows of year t sit at time t, as in npv), recovered by a level annuity over the
    # operating years of the horizon; recurring capital averaged over those years
    years = np.arange(model.n_years)
    capex_real = p.capex_lines["initial"] / p.infl[None, :]
    at_commissioning = (capex_real * (1.0 + p.real_rate[:, None]) ** (c0 - 1 - years[None, :])).sum(axis=1)
    operating_years = model.n_years - c0
    later = p.capex_lines["recurring"] + p.capex_lines["sustaining"] + p.capex_lines["replacement"]
    later_real = (later / p.infl[None, :])[:, c0:].sum(axis=1) / max(operating_years, 1)
    annual_capital = at_commissioning * fin.crf(p.real_rate, operating_years) + later_real
    lcos = cash_cost + annual_capital / out_t
    return {"cash_cost": cash_cost, "lcos_annuity": lcos, "steady_year_index": np.full(n, float(t))}
