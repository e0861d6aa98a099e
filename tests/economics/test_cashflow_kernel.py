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
