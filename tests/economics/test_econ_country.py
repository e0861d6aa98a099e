"""Country view: CBAM phase-in, foreign exchange, jobs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from steelworks.economics import PlantYear, evaluate
from steelworks.economics.country import cbam_factor, cbam_usd_per_t, fx_saved_per_year, jobs
from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import load_country, load_price_deck

EUA_USD = 75.0 / 0.862  # 75 EUR/t [S76] at 0.862 EUR/USD


def test_cbam_factor_schedule() -> None:
    params = load_country()
    years = np.arange(2025, 2037)
    factor = cbam_factor(years, params)
    # Directive (EU) 2023/959 art. 10a(1a): 97.5 % in 2026 ... 0 % from 2034
    assert factor[years == 2026][0] == pytest.approx(0.975)
    assert factor[years == 2030][0] == pytest.approx(0.515)
    assert factor[years == 2034][0] == 0.0
    assert factor[years == 2036][0] == 0.0
    assert np.all(np.diff(factor) <= 0)


def test_cbam_charge_by_hand() -> None:
    conv = Converter(load_price_deck("pk-2025"))
    years = np.array([2025, 2026, 2030, 2034, 2040])
    charge = cbam_usd_per_t(years, 2.0, "hot_metal", load_country(), conv)
    assert charge[0] == 0.0  # before the definitive period
    assert charge[1] == pytest.approx((2.0 - 0.975 * 1.288) * EUA_USD)
    assert charge[2] == pytest.approx((2.0 - 0.515 * 1.288) * EUA_USD)
    assert charge[3] == pytest.approx(2.0 * EUA_USD)
    assert charge[4] == pytest.approx(2.0 * EUA_USD)
    with pytest.raises(InputError, match="unknown CBAM benchmark") as err:
        cbam_usd_per_t(years, 2.0, "pig_iron", load_country(), conv)
    assert "hot_metal" in (err.value.allowed or "")


def test_cbam_enters_the_cash_flow_with_an_eu_export_share(simple_option: Path, simple_plant: PlantYear) -> None:
    overrides = {"export": {"eu_share": 0.5, "cbam_benchmark": "eaf_carbon_steel", "source": "test"}}
    result = evaluate(simple_plant, simple_option, option_overrides=overrides)
    embedded = 1e5 / 0.9e6  # t CO2 per t product
    years = np.array(result.years)
    expected = 0.5 * np.maximum(0.0, embedded - cbam_factor(years, load_country()) * 0.215) * EUA_USD
    expected[years < 2026] = 0.0
    assert result.country["cbam_usd_per_t_product"] == pytest.approx(list(expected))
    infl = 1.02 ** (years - 2025)
    production = np.array(result.lines["production_t"])
    assert result.lines["carbon_cost_usd"] == pytest.approx(list(expected * production * infl))


def test_fx_saved_by_hand() -> None:
    fx = fx_saved_per_year(
        np.array([100.0, 0.0]),
        np.array([470.0, 0.0]),
        np.array([0.0, 20000.0]),
        np.array([0.0, 0.85]),
        spares_usd=1000.0,
        spares_foreign_share=0.6,
    )
    assert fx["imports_replaced_usd"] == pytest.approx(47000.0)
    assert fx["fx_saved_usd"] == pytest.approx(47000.0 - 17000.0 - 600.0)


def test_jobs_multiplier() -> None:
    out = jobs(1000, load_country())
    # [S104] India National Steel Policy 2017: 5 lakh direct, 20 lakh indirect -> 4 per direct job
    assert out["indirect"] == pytest.approx(4000.0)
