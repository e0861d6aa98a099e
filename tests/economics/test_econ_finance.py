"""Finance primitives against numpy-financial and hand calculations."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest

from steelworks.economics import finance as fin

FLOWS = [-1000.0, 300.0, 400.0, 500.0, 200.0]


def test_npv_matches_numpy_financial_and_hand() -> None:
    hand = (
        -1000 + 300 / 1.1 + 400 / 1.1**2 + 500 / 1.1**3 + 200 / 1.1**4
    )  # = 272.727 + 330.579 + 375.657 + 136.603 - 1000
    assert fin.npv(0.10, FLOWS) == pytest.approx(hand, rel=1e-12)
    assert fin.npv(0.10, FLOWS) == pytest.approx(npf.npv(0.10, FLOWS), rel=1e-12)
    assert hand == pytest.approx(115.5659, abs=1e-3)


def test_irr_matches_numpy_financial() -> None:
    rate, roots = fin.irr(FLOWS)
    assert rate == pytest.approx(npf.irr(FLOWS), abs=1e-9)
    assert roots == 1
    assert fin.npv(rate, FLOWS) == pytest.approx(0.0, abs=1e-6)


def test_irr_none_when_all_negative_or_all_positive() -> None:
    rate, roots = fin.irr([-100.0, -10.0, -5.0])
    assert math.isnan(rate) and roots == 0
    rate, _ = fin.irr([100.0, 10.0])
    assert math.isnan(rate)


def test_irr_two_roots_returns_the_one_nearest_the_guess() -> None:
    # (1+r)^2 * -100 + 230 (1+r) - 132 = 0  ->  r = 10 % and r = 20 %
    flows = [-100.0, 230.0, -132.0]
    low, roots = fin.irr(flows, guess=0.05)
    high, _ = fin.irr(flows, guess=0.30)
    assert roots == 2
    assert low == pytest.approx(0.10, abs=1e-8)
    assert high == pytest.approx(0.20, abs=1e-8)


def test_irr_vectorised_equals_loop() -> None:
    rng = np.random.default_rng(1)
    flows = np.column_stack([-rng.uniform(500, 1500, 50), rng.uniform(100, 400, (50, 8))])
    rates, _ = fin.irr(flows)
    for i in range(5):
        assert rates[i] == pytest.approx(npf.irr(flows[i]), abs=1e-8)


def test_pmt_and_crf() -> None:
    # numpy-financial returns the payment with the opposite sign
    assert fin.pmt(0.085, 12, 1e6) == pytest.approx(-npf.pmt(0.085, 12, 1e6), rel=1e-12)
    # CRF at 10 %, 20 years, by hand: 0.1 * 1.1**20 / (1.1**20 - 1) = 0.117459...
    assert fin.crf(0.10, 20) == pytest.approx(0.1174596, abs=1e-7)
    assert fin.crf(0.0, 20) == pytest.approx(0.05)


def test_payback_interpolates_and_none_when_never() -> None:
    # cumulative: -1000, -700, -300, +200 -> pays back 300/500 into year index 3
    assert fin.payback(FLOWS) == pytest.approx(3.6)
    assert math.isnan(fin.payback([-100.0, 10.0, 10.0]))
    # dips negative again after a first payback: counted from the last time it was negative
    assert fin.payback([-100.0, 150.0, -100.0, 100.0]) == pytest.approx(3.5)


def test_wdv_depreciation_kernel_by_hand() -> None:
    k = fin.depreciation_kernel(4, "wdv", 0.15, 0.25)
    # 1,000 in service in year 0: 250 initial allowance + 15 % of 750 = 362.5, then 15 % of WDV
    dep = np.array([1000.0, 0, 0, 0]) @ k
    assert dep == pytest.approx([362.5, 95.625, 81.28125, 69.0890625])
    # placed in service in year 2: shifted
    assert (np.array([0, 0, 1000.0, 0]) @ k) == pytest.approx([0, 0, 362.5, 95.625])
    sl = fin.depreciation_kernel(5, "straight_line", 0.25, 0.0)
    assert (np.array([100.0, 0, 0, 0, 0]) @ sl) == pytest.approx([25, 25, 25, 25, 0])


def test_income_tax_loss_carry_forward_super_and_minimum_tax() -> None:
    taxable = np.array([[-100.0, 60.0, 60.0, 1000.0]])
    revenue = np.array([[1000.0, 1000.0, 1000.0, 1000.0]])
    tax = fin.income_tax(
        taxable,
        revenue,
        corporate_rate=0.29,
        super_thresholds=np.array([500.0]),
        super_rates=np.array([0.10]),
        minimum_rate=0.0125,
    )
    # year 0 loss -> minimum tax 12.5; year 1 uses 60 of the loss -> minimum 12.5; year 2 uses the
    # remaining 40 -> 20 taxable x 29 % = 5.8 < 12.5 -> 12.5; year 3: 1000 x (29 % + 10 %) = 390
    assert tax[0] == pytest.approx([12.5, 12.5, 12.5, 390.0])


def test_debt_schedule_annuity_repays_the_loan() -> None:
    draws = np.array([[100.0, 100.0, 0, 0, 0, 0, 0, 0]])
    interest, principal, idc, balance = fin.debt_schedule(
        draws, rate=0.08, tenor=4, first_repayment=3, capitalise_until=2, repayment="annuity"
    )
    # year 1 capitalises 8 % of the 100 drawn in year 0; balance after year 1 = 208
    assert idc[0, 1] == pytest.approx(8.0)
    assert balance[0, 1] == pytest.approx(208.0)
    # year 2: interest paid 16.64, no principal (grace); repayment over years 3-6 as an annuity
    assert interest[0, 2] == pytest.approx(16.64)
    level = -npf.pmt(0.08, 4, 208.0)
    assert (interest + principal)[0, 3:7] == pytest.approx([level] * 4, rel=1e-9)
    assert principal[0].sum() == pytest.approx(208.0)
    assert balance[0, -1] == pytest.approx(0.0, abs=1e-9)


def _income_tax_loop(taxable, revenue, *, corporate_rate, super_thresholds, super_rates, minimum_rate):  # type: ignore[no-untyped-def]
    """The year-by-year array loop income_tax ran before its one-sample fast path (the reference)."""
    n_samples, n_years = taxable.shape
    tax = np.empty_like(taxable)
    losses = np.zeros(n_samples)
    for t in range(n_years):
        income = taxable[:, t]
        used = np.minimum(losses, np.maximum(income, 0.0))
        base = np.maximum(income - used, 0.0)
        losses = losses - used + np.maximum(-income, 0.0)
        extra = np.zeros(n_samples)
        if super_thresholds.size:
            idx = np.searchsorted(super_thresholds, base, side="right")
            extra = np.concatenate([[0.0], super_rates])[idx]
        tax[:, t] = np.maximum(base * (corporate_rate + extra), minimum_rate * np.maximum(revenue[:, t], 0.0))
    return tax


@pytest.mark.parametrize("samples", [1, 7])
@pytest.mark.parametrize("brackets", [0, 2])
def test_income_tax_equals_the_array_loop_bit_for_bit(samples: int, brackets: int) -> None:
    rng = np.random.default_rng(7 + samples + brackets)
    taxable = rng.normal(0.0, 1e8, (samples, 40)) * rng.integers(0, 2, (samples, 40))  # zeros, losses, gains
    taxable[:, 3] = -0.0
    revenue = rng.normal(5e8, 3e8, (samples, 40))
    revenue[:, 5] = -0.0
    kw = {
        "corporate_rate": 0.29,
        "super_thresholds": np.array([1e7, 5e7][:brackets]),
        "super_rates": np.array([0.04, 0.10][:brackets]),
        "minimum_rate": 0.0125,
    }
    fast = fin.income_tax(taxable, revenue, **kw)
    ref = _income_tax_loop(taxable, revenue, **kw)
    assert fast.tobytes() == ref.tobytes()  # the same numbers, signs of zeros included
