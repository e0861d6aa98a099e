"""The results contract: named axes, the same numbers as the JSON report, an xarray view."""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.api import run_balance
from steelworks.results import FIELDS, KPI_UNITS


@pytest.fixture(scope="module")
def psm():  # type: ignore[no-untyped-def]
    return run_balance("psm")


def test_every_declared_field_has_its_declared_shape(psm) -> None:  # type: ignore[no-untyped-def]
    res = psm.results
    sizes = {
        "sample": 1,
        "unit": len(res.units.ids),
        "row": len(res.rows),
        "carrier": len(res.carriers.ids),
        "element": 4,
    }
    for name, spec in FIELDS.items():
        assert res[name].shape == tuple(sizes[d] for d in spec.dims), name
    assert set(res.kpi) == set(KPI_UNITS)


def test_dataset_is_labelled_and_agrees_with_the_report(psm) -> None:  # type: ignore[no-untyped-def]
    ds = psm.results.dataset()
    assert ds["bought"].dims == ("sample", "carrier")
    coke_coal = float(ds["bought"].sel(sample=0, carrier="coking_coal"))
    assert coke_coal == psm.purchased["coking_coal"]
    # the crude steel KPI is the nameplate the psm scenario targets (1.1 Mt/yr, PSM-engrev)
    assert float(ds["crude_steel_t"].sel(sample=0)) == pytest.approx(1.1e6, rel=1e-12)
    assert ds["throughput"].sel(unit="bf1").attrs["unit"] == "product unit/yr"
    # the unit CO2 rows sum to the works' direct CO2 (carbon balance, carbon.py)
    assert float(ds["co2_direct_by_row"].sum()) == pytest.approx(psm.kpis["co2_direct_t"], rel=1e-12)


def test_conservation_residuals_are_in_the_contract(psm) -> None:  # type: ignore[no-untyped-def]
    res = psm.results
    residual = res["balance_residual_rel"][0]
    assert np.all(np.abs(residual[:3]) < 1e-9)  # mass, Fe, C
    assert abs(residual[3]) < 1e-6  # energy (LHV data to 3-4 significant figures)
    assert res.feasible.tolist() == [True]


def test_economics_and_plant_report_the_same_co2_intensity() -> None:
    from steelworks.api import run_evaluation

    ev = run_evaluation("psm")
    data = ev.to_dict()
    assert data["kpis"]["co2_t_per_t_crude_steel"] == pytest.approx(
        data["plant_kpis"]["co2_t_per_t_crude_steel"], rel=1e-12
    )
