"""The cash-flow kernel (steelworks.economics.cashflow) on hand-computed cases: break-even, batches.

Written against the surviving mutants of tools/mutation.sh (tools/MUTATION.md): each test pins a
number the kernel must get exactly, not only its sign or range.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from steelworks.economics import PlantYear, Samples, build_model, load_inputs, placeholder_plant_year, run

PLAIN = {
    "inflation.value": 0.0,
    "tax.corporate_rate": 0.0,
    "tax.super_tax": [],
    "tax.minimum_tax_rate": 0.0,
    "debt.share": 0.0,
    "terminal_value.method": "none",
    "horizon_years": 10,
}
# the simple option: 100 M USD over two years, then 0.9 Mt HRC at 545 USD/t and 1 Mt scrap at 382 USD/t
ANNUITY = sum(1.1**-t for t in range(2, 10))
CAPEX_PV = 50e6 + 50e6 / 1.1


def _model(option: Path | str, plant: PlantYear, **finance: object):  # type: ignore[no-untyped-def]
    inputs = load_inputs(option, finance_overrides={**PLAIN, **finance})
    model, _ = build_model(plant, inputs)
    return model


def test_breakeven_multiplier_by_hand(simple_option: Path, simple_plant: PlantYear) -> None:
    # NPV(m) = -CAPEX_PV + ANNUITY (0.9e6 x 545 m - 382e6) = 0
    model = _model(simple_option, simple_plant)
    out = run(model)
    m = (CAPEX_PV + 382e6 * ANNUITY) / (0.9e6 * 545.0 * ANNUITY)
    assert out["breakeven_multiplier"][0] == pytest.approx(m, rel=1e-9)
    assert out["lcos_breakeven"][0] == pytest.approx(m * 545.0, rel=1e-9)
    assert out["npv"][0] == pytest.approx(-CAPEX_PV + ANNUITY * (0.9e6 * 545.0 - 382e6), rel=1e-10)


def test_breakeven_per_sample_and_none_where_no_multiplier_up_to_twenty(
    simple_option: Path, simple_plant: PlantYear
) -> None:
    model = _model(simple_option, simple_plant)
    # sample 1: capex x 1000 = 100 bn USD, no price up to 20 x recovers it -> nan; sample 0 as by hand
    out = run(model, Samples(capex_factor=np.array([1.0, 1000.0])))
    m = (CAPEX_PV + 382e6 * ANNUITY) / (0.9e6 * 545.0 * ANNUITY)
    assert out["breakeven_multiplier"][0] == pytest.approx(m, rel=1e-9)
    assert np.isnan(out["breakeven_multiplier"][1])
    assert np.isnan(out["lcos_breakeven"][1])
    # 2 x capex: PV 2 CAPEX_PV
    two = run(model, Samples(capex_factor=np.array([2.0])))
    m2 = (2 * CAPEX_PV + 382e6 * ANNUITY) / (0.9e6 * 545.0 * ANNUITY)
    assert two["breakeven_multiplier"][0] == pytest.approx(m2, rel=1e-9)


def test_breakeven_is_nan_without_product_revenue(simple_option: Path, simple_plant: PlantYear) -> None:
    model = _model(simple_option, simple_plant)
    free = np.zeros((2, len(model.carriers)))
    out = run(model, Samples(price_sell=free))
    assert out["breakeven_multiplier"].shape == (2,)
    assert np.all(np.isnan(out["breakeven_multiplier"]))
    assert np.all(np.isnan(out["lcos_breakeven"]))


def test_breakeven_off_gives_nan_and_the_same_npv(simple_option: Path, simple_plant: PlantYear) -> None:
    model = _model(simple_option, simple_plant)
    on, off = run(model), run(model, breakeven=False)
    assert np.isnan(off["breakeven_multiplier"][0]) and np.isnan(off["lcos_breakeven"][0])
    assert off["npv"][0] == on["npv"][0]


def test_breakeven_of_a_bundled_option_zeroes_the_npv_to_a_dollar() -> None:
    inputs = load_inputs("psm-eaf")
    model, _ = build_model(placeholder_plant_year("psm-eaf"), inputs)
    out = run(model)
    prices = model.price_sell.copy()
    prices[model.is_product] *= out["breakeven_multiplier"][0]
    again = run(model, Samples(price_sell=prices[None, :]), breakeven=False)
    assert abs(again["npv"][0]) < 1.0  # USD, on a capex of ~1 bn


def test_sampled_production_and_discount_rate_by_hand(simple_option: Path, simple_plant: PlantYear) -> None:
    model = _model(simple_option, simple_plant)
    ebitda = 0.9e6 * 545.0 - 382e6
    out = run(model, Samples(production_factor=np.array([1.0, 0.5]), discount_rate=np.array([0.10, 0.08])))
    assert out["npv"][0] == pytest.approx(-CAPEX_PV + ANNUITY * ebitda, rel=1e-10)
    a8 = sum(1.08**-t for t in range(2, 10))
    assert out["npv"][1] == pytest.approx(-(50e6 + 50e6 / 1.08) + a8 * 0.5 * ebitda, rel=1e-10)
    assert out["revenue"][1, 2] == pytest.approx(0.5 * 0.9e6 * 545.0, rel=1e-12)


def test_sampled_fixed_costs_scale_every_fixed_line() -> None:
    inputs = load_inputs("psm-bf-revival")
    model, _ = build_model(placeholder_plant_year("psm-bf-revival"), inputs)
    out = run(model, Samples(fixed_cost_factor=np.array([1.0, 2.0])))
    for line in ("cost_labour", "cost_maintenance", "cost_insurance", "cost_overheads_fixed"):
        assert out[line][0].sum() > 0.0, line
        assert out[line][1] == pytest.approx(2.0 * out[line][0], rel=1e-12), line
    assert out["npv"][1] < out["npv"][0]


def test_without_debt_the_equity_cash_flow_is_the_project_cash_flow() -> None:
    # working capital, tax, relines and a terminal value all present; only the debt is off
    inputs = load_inputs("psm-bf-revival", finance_overrides={"debt.share": 0.0})
    model, _ = build_model(placeholder_plant_year("psm-bf-revival"), inputs)
    out = run(model)
    assert np.any(out["delta_wc"] != 0.0) and np.any(out["capex_recurring"] > 0.0)
    assert out["equity_cash_flow"] == pytest.approx(out["fcf"], rel=1e-12, abs=1e-3)
    assert out["equity_npv"][0] == pytest.approx(out["npv"][0], rel=1e-12)
    assert out["equity_irr"][0] == pytest.approx(out["irr"][0], abs=1e-12)


def test_cash_flow_available_for_debt_service_is_its_definition() -> None:
    inputs = load_inputs("psm-bf-revival")
    model, _ = build_model(placeholder_plant_year("psm-bf-revival"), inputs)
    o = run(model)
    later = o["capex_recurring"] + o["capex_sustaining"] + o["capex_replacement"]
    assert np.any(o["capex_recurring"] > 0.0) and np.any(o["capex_sustaining"] + o["capex_replacement"] > 0.0)
    assert o["cfads"] == pytest.approx(o["ebitda"] - o["tax_levered"] - o["delta_wc"] - later, rel=1e-12, abs=1e-3)
    served = o["debt_service"] > 1e-6
    assert o["dscr"][served] == pytest.approx(o["cfads"][served] / o["debt_service"][served], rel=1e-12)
    # equity = EBITDA - levered tax - capex - change in working capital + draws - interest - principal + terminal
    equity = (
        o["ebitda"]
        - o["tax_levered"]
        - o["capex"]
        - o["delta_wc"]
        + o["debt_drawdown"]
        - o["interest"]
        - o["principal"]
        + o["terminal"]
    )
    assert o["equity_cash_flow"] == pytest.approx(equity, rel=1e-12, abs=1e-3)
