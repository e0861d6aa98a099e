"""Validation cases with published economics (issue 8 item 8)."""

from __future__ import annotations

import pytest

from steelworks.api import run_evaluation
from steelworks.economics import finance as fin

#: [S85] Matériaux & Techniques (2021) mt210036 Table 2, source IEAGHG (2013/04): HRC break-even price of
#: the reference steel mill (no capture), per t HRC in the study's money (USD of 2010 per POSTED [S17])
IEAGHG_BREAKEVEN = 575.23


@pytest.fixture(scope="module")
def ieaghg() -> dict:
    return run_evaluation("ieaghg-reference").to_dict()


def test_ieaghg_capital_and_om_are_the_published_lines(ieaghg) -> None:
    # [S17] IEAGHG 2013 Vol. 2 Table D-4 and O&M lines (USD 2010): capital 4,124 M; maintenance 142.0 M/yr;
    # labour 280.7 + misc fixed 62.2 + other 8.2 M/yr; variable 94.4 M/yr. Constant money (inflation 0).
    k = ieaghg["kpis"]
    assert k["capex_usd"] == pytest.approx(4124e6, rel=1e-9)
    row = next(r for r in ieaghg["cash_flows"] if r["year"] == k["steady_year"])
    assert row["maintenance_usd"] == pytest.approx(142.0e6, rel=0.01)  # 3.44 % of 4,124 M
    assert row["other_fixed_usd"] == pytest.approx(351.1e6, rel=1e-9)
    assert row["production_t"] == pytest.approx(4.0e6, rel=1e-9)  # 4 Mt/yr HRC
    # fluxes (zero-priced in the deck) and consumables: IEAGHG's 94.4 M/yr variable O&M (22.42 USD per t of
    # the solve's 4.21 Mt crude steel), plus ferroalloys bought (a flow, 1,500 USD/t in the deck)
    variable = ieaghg["plant_kpis"].get("crude_steel_t", 0.0) * 22.42
    assert variable == pytest.approx(94.4e6, rel=0.005)
    assert 94.4e6 < row["consumables_usd"] < 94.4e6 + 50e6


def test_ieaghg_capital_recovery_matches_the_published_finance(ieaghg) -> None:
    # break-even minus cash cost is the capital charge: 4,124 M x CRF(8 %, 25 yr) / 4 Mt = 96.6 USD/t,
    # plus the return on capital during the 2-3 construction years (<= 8 %/yr x 3 years on part of it)
    k = ieaghg["kpis"]
    crf = float(fin.crf(0.08, 25))
    charge = 4124e6 * crf / 4.0e6
    gap = k["lcos_usd_per_t"] - k["cash_cost_usd_per_t"]
    assert charge < gap < charge * 1.08**3


@pytest.mark.xfail(
    strict=True,
    reason="misses: 658 vs 575 USD/t (+14.5 %). IEAGHG's own raw-material and energy price deck is not in the "
    "reference material; the ieaghg-2010 deck uses 2010 market levels (ore 146, coking coal 215 USD/t, "
    "estimates), which put raw materials at ~400 USD/t HRC. Capital and O&M reproduce (tests above). "
    "Not tuned: README, 'Validation: the FY2007-08 hindcast and the IEAGHG break-even'",
)
def test_ieaghg_breakeven_hrc_price_within_10_percent(ieaghg) -> None:
    assert ieaghg["kpis"]["lcos_usd_per_t"] == pytest.approx(IEAGHG_BREAKEVEN, rel=0.10)


#: psm_plant_and_context.md §2.4 (dawn.com/news/762852): PSM's FY2007-08 profit Rs 2.3 bn at 82 % capacity use
PSM_FY2008_PROFIT_PKR = 2.3e9
#: brecorder.com/news/amp/3464906: FY2007-08 sales target Rs 36 bn (Rs 18 bn in the first half)
PSM_FY2008_SALES_PKR = 36e9


@pytest.fixture(scope="module")
def fy2008():
    from steelworks.api import run_hindcast

    return run_hindcast("psm-2008")


def test_psm_2008_hindcast_sales_and_statement(fy2008) -> None:
    # the works at 82 % (0.902 Mt crude steel) sells its products at the pk-2008 ex-mill estimates for ~Rs 36.5 bn:
    # within 5 % of the year's Rs 36 bn sales target (finding: +1.4 %; the prices are not fitted to it)
    c = fy2008.comparison()
    assert fy2008.crude_steel_t == pytest.approx(0.902e6, rel=1e-9)
    assert c["sales"]["reported"] == PSM_FY2008_SALES_PKR
    assert c["sales"]["model"] == pytest.approx(PSM_FY2008_SALES_PKR, rel=0.05)
    # the statement closes: revenue - purchases - costs = PBT, PAT = PBT - 33 % tax
    total = fy2008.revenue_total - fy2008.purchases_total - sum(fy2008.costs.values())
    assert fy2008.profit_before_tax == pytest.approx(total, rel=1e-12)
    assert fy2008.profit_after_tax == pytest.approx(0.67 * fy2008.profit_before_tax, rel=1e-12)
    # raw materials are the largest cost (ore and coal at the JFY2007/JFY2008 contract average): ~Rs 16 bn
    assert 14e9 < fy2008.purchases["raw_material"] < 18e9
    # the finding as measured (7.6 bn after tax, 3.3 x the reported 2.3 bn): pinned so that a change shows
    assert fy2008.profit_after_tax == pytest.approx(7.65e9, rel=0.05)


@pytest.mark.xfail(
    strict=True,
    reason="misses: model Rs 7.6 bn after tax vs the reported Rs 2.3 bn (+233 %), with sales right (+1.4 %). The "
    "cost of sales is ~Rs 7.9 bn (~140 USD/t) short: the seaborne prices PSM actually paid in the 2008 spike "
    "(coal at ~330 USD/t CFR all year alone closes ~60 % of the gap), labour and retirement benefits (x2 closes "
    "~30 %), and the works' own coke rate and yields are not in the reference material. Not tuned: README, "
    "'Validation: the FY2007-08 hindcast and the IEAGHG break-even'",
)
def test_psm_2008_hindcast_profit_within_25_percent(fy2008) -> None:
    assert fy2008.comparison()["profit_after_tax"]["model"] == pytest.approx(PSM_FY2008_PROFIT_PKR, rel=0.25)
