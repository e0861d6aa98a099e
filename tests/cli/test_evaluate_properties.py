"""Property tests of the business case: for random prices and plant inputs the cash flows stay consistent."""

from __future__ import annotations

import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steelworks.api import run_evaluation


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hrc=st.floats(350.0, 900.0),
    coal=st.floats(120.0, 350.0),
    blast=st.floats(1000.0, 1200.0),
    availability=st.floats(0.85, 1.0),
)
def test_cash_flows_add_up_for_random_inputs(hrc: float, coal: float, blast: float, availability: float) -> None:
    overrides = [
        f"prices.hot_rolled_coil.price={hrc} USD/t",
        f"prices.coking_coal.price={coal} USD/t",
        f"units.bf1.model.params.blast_temperature={blast} degC",
        f"units.bf2.availability={availability}",
    ]
    data = run_evaluation("psm-bf-revival", overrides).to_dict()
    k, rows = data["kpis"], data["cash_flows"]
    # NPV: the yearly (nominal) net cash flows discounted at the nominal rate, in cost-year USD
    nominal = (1 + k["discount_rate"]) * (1 + k["inflation"]) - 1
    deflator = (1 + k["inflation"]) ** (rows[0]["year"] - 2025)
    assert npf.npv(nominal, [r["net_cash_flow_usd"] for r in rows]) / deflator == pytest.approx(k["npv_usd"], rel=1e-6)
    # IRR, where one exists, makes the nominal NPV zero
    if k["irr_nominal"] is not None:
        assert abs(npf.npv(k["irr_nominal"], [r["net_cash_flow_usd"] for r in rows])) < 1e-3 * k["capex_usd"]
    # revenue is zero until commissioning and positive after it
    first = next(i for i, r in enumerate(rows) if r["production_t"] > 0)
    assert all(r["revenue_usd"] == 0 for r in rows[:first]) and all(r["revenue_usd"] > 0 for r in rows[first:])
    # the break-even price lies above the cash cost (capital must be recovered too)
    if k["lcos_usd_per_t"] is not None:
        assert k["lcos_usd_per_t"] > k["cash_cost_usd_per_t"]
