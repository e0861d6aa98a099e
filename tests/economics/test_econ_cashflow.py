"""Cash-flow build: hand-calculated cases, timing, batches, break-even."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest

from steelworks.economics import (
    PlantYear,
    Samples,
    build_model,
    evaluate,
    load_inputs,
    placeholder_plant_year,
    run,
)

PLAIN = {
    "inflation.value": 0.0,
    "tax.corporate_rate": 0.0,
    "tax.super_tax": [],
    "tax.minimum_tax_rate": 0.0,
    "debt.share": 0.0,
    "terminal_value.method": "none",
    "horizon_years": 10,
}
EBITDA = 0.9e6 * 545.0 - 1e6 * 382.0  # HRC sold at 545 USD/t, scrap bought at 382 USD/t (pk-2025)
FLOWS = [-50e6, -50e6] + [EBITDA] * 8


def test_plain_case_matches_hand_and_numpy_financial(simple_option: Path, simple_plant: PlantYear) -> None:
    result = evaluate(simple_plant, simple_option, finance_overrides=PLAIN)
    k = result.kpis
    assert k["capex_usd"] == pytest.approx(100e6)
    assert result.lines["net_cash_flow_usd"] == pytest.approx(FLOWS, rel=1e-12)
    assert k["npv_usd"] == pytest.approx(npf.npv(0.10, FLOWS), rel=1e-10)
    assert k["irr"] == pytest.approx(npf.irr(FLOWS), abs=1e-9)
    # cumulative -50, -100, +8.5 -> pays back 100/108.5 into year index 2
    assert k["payback_years"] == pytest.approx(2 + 100e6 / EBITDA)
    assert k["cash_cost_usd_per_t"] == pytest.approx(382e6 / 0.9e6)
    # LCOS by hand: PV of capex = 50 + 50/1.1 spread as a level annuity over years 2..9
    annuity = sum(1.1**-t for t in range(2, 10))
    lcos = ((50e6 + 50e6 / 1.1) / annuity + 382e6) / 0.9e6
    assert k["lcos_usd_per_t"] == pytest.approx(lcos, rel=1e-6)
    assert k["lcos_annuity_usd_per_t"] == pytest.approx(lcos, rel=1e-9)
    assert k["fx_saved_usd_per_year"] == pytest.approx(0.9e6 * 470.0 - 1e6 * 382.0)  # CFR HRC minus scrap


def test_inflation_does_not_change_a_real_npv_without_tax(simple_option: Path, simple_plant: PlantYear) -> None:
    plain = evaluate(simple_plant, simple_option, finance_overrides=PLAIN).kpis
    inflated = evaluate(simple_plant, simple_option, finance_overrides={**PLAIN, "inflation.value": 0.05}).kpis
    assert inflated["npv_usd"] == pytest.approx(plain["npv_usd"], rel=1e-9)
    assert inflated["irr"] == pytest.approx(plain["irr"], abs=1e-9)
    assert inflated["irr_nominal"] == pytest.approx((1 + plain["irr"]) * 1.05 - 1, abs=1e-9)


def test_tax_by_hand(simple_option: Path, simple_plant: PlantYear) -> None:
    finance = {
        **PLAIN,
        "tax.corporate_rate": 0.29,
        "tax.depreciation.initial_allowance": 0.0,
        "tax.depreciation.rate": 0.15,
    }
    lines = evaluate(simple_plant, simple_option, finance_overrides=finance).lines
    # 100 M in service in year 2: depreciation 15 M, then 12.75 M; tax = 29 % x (EBITDA - dep)
    assert lines["tax_depreciation_usd"][2] == pytest.approx(15e6)
    assert lines["tax_usd"][2] == pytest.approx(0.29 * (EBITDA - 15e6))
    assert lines["tax_usd"][3] == pytest.approx(0.29 * (EBITDA - 12.75e6))
    assert lines["tax_usd"][0] == 0.0


def test_no_revenue_before_commissioning_and_relines_recur() -> None:
    result = evaluate(placeholder_plant_year("psm-bf-revival"), "psm-bf-revival")
    years = result.years
    lines = result.lines
    c = years.index(2030)  # 3-year restore from 2027
    assert result.kpis["commissioning_year"] == 2030
    assert all(v == 0.0 for v in lines["revenue_usd"][:c])
    assert all(v == 0.0 for v in lines["production_t"][:c])
    assert all(v > 0.0 for v in lines["capex_initial_usd"][:c])
    assert lines["revenue_usd"][c] > 0.0
    relines = [y for y, v in zip(years, lines["capex_reline_usd"], strict=True) if v > 0]
    # psm.yaml: bf1 relined 15 years after commissioning, bf2 first after 17 (horizon ends 2056)
    assert relines == [2045, 2047]
    # output dips in a reline year: bf1 down 100 days (psm.yaml), half of the works' 1.2 Mt/yr of furnace capacity
    i = years.index(2045)
    loss = 100 / 365 * 0.6 / 1.2
    assert lines["production_t"][i] == pytest.approx(lines["production_t"][i - 1] * (1 - loss), rel=1e-12)


def test_batch_equals_single_runs() -> None:
    inputs = load_inputs("psm-bf-revival")
    model, _ = build_model(placeholder_plant_year("psm-bf-revival"), inputs)
    batch = run(model, Samples(discount_rate=np.array([0.10, 0.08]), capex_factor=np.array([1.0, 1.2])))
    single = run(model)
    assert batch["npv"][0] == pytest.approx(single["npv"][0], rel=1e-12)
    at_8 = evaluate(
        placeholder_plant_year("psm-bf-revival"),
        "psm-bf-revival",
        finance_overrides={"discount_rate.value": 0.08},
    )
    scaled = run(model, Samples(discount_rate=np.array([0.08]), capex_factor=np.array([1.2])))
    assert batch["npv"][1] == pytest.approx(scaled["npv"][0], rel=1e-12)
    assert scaled["npv"][0] < at_8.kpis["npv_usd"]  # dearer capex, lower NPV
    assert batch["capex"].shape == (2, 30)


def test_breakeven_multiplier_gives_zero_npv() -> None:
    inputs = load_inputs("psm-eaf")
    model, _ = build_model(placeholder_plant_year("psm-eaf"), inputs)
    out = run(model)
    m = out["breakeven_multiplier"][0]
    prices = model.price_sell.copy()
    prices[model.is_product] *= m
    again = run(model, Samples(price_sell=prices[None, :]), breakeven=False)
    assert abs(again["npv"][0]) < 1e-3 * out["capex_total"][0]


def test_debt_lines_and_dscr() -> None:
    result = evaluate(placeholder_plant_year("psm-bf-revival"), "psm-bf-revival")
    lines = result.lines
    assert lines["debt_drawdown_usd"][0] == pytest.approx(0.7 * lines["capex_initial_usd"][0])
    assert lines["debt_balance_usd"][-1] == 0.0
    # every dollar drawn plus the capitalised interest during construction is repaid
    draws = sum(lines["debt_drawdown_usd"])
    assert sum(lines["principal_usd"]) > draws
    assert lines["interest_usd"][0] == 0.0  # capitalised during construction
    c = result.years.index(2030)
    assert all(p == 0.0 for p in lines["principal_usd"][: c + 2])  # 2 grace years after commissioning
    assert lines["principal_usd"][c + 2] > 0.0
    assert lines["dscr"][c + 2] is not None
