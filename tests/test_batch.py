"""The batched chain: sampled physics -> solve -> CO2 -> economics, equal to one run at a time."""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.api import run_evaluation
from steelworks.batch import run_batch
from steelworks.errors import InputError

# ranges inside each parameter's domain (blast furnace model table, steelworks params psm)
RANGES = {
    "units.bf1.model.params.heat_losses": (0.5, 1.0),  # GJ/t hot metal
    "units.bf2.model.params.heat_losses": (0.5, 1.0),
    "units.bf1.model.params.blast_temperature": (1000.0, 1150.0),  # degC
    "units.bf2.model.params.oxygen_enrichment": (0.0, 0.04),
    "units.coke_battery_1.model.params.underfiring": (3.4, 4.1),  # GJ/t coke (HTC 3.72, He17 4.06)
}
PLANT_KPIS = ("crude_steel_t", "coke_rate_kg_per_thm", "co2_t_per_t_crude_steel", "energy_gj_per_t_crude_steel")
ECON_KPIS = ("npv_usd", "irr", "lcos_usd_per_t", "cash_cost_usd_per_t")


@pytest.fixture(scope="module")
def draws() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261203)
    return {path: rng.uniform(lo, hi, 20) for path, (lo, hi) in RANGES.items()}


def test_twenty_random_samples_equal_one_at_a_time(draws) -> None:  # type: ignore[no-untyped-def]
    batch = run_batch("psm", draws)
    assert batch.faults == {} and batch.feasible.all()
    for s in range(20):
        single = run_evaluation("psm", {k: float(v[s]) for k, v in draws.items()}).to_dict()
        for key in PLANT_KPIS:
            assert batch.kpis[key][s] == pytest.approx(single["plant_kpis"][key], rel=1e-9, abs=1e-9), (s, key)
        for key in ECON_KPIS:
            assert batch.economics[key][s] == pytest.approx(single["kpis"][key], rel=1e-9), (s, key)
    # the samples really differ (a batch that ignored its samples would pass the loop above only by luck)
    assert np.ptp(batch.kpis["coke_rate_kg_per_thm"]) > 5.0


def test_infeasible_samples_are_masked_with_their_reason() -> None:
    shares = np.array([0.85, 0.97, 0.85, 0.85, 0.85])  # 0.97 sinter + 0.15 lump > 1 of the burden
    heat = np.array([0.7, 0.7, 9.0, 0.7, 0.7])  # 9 GJ/t is outside the parameter's domain
    batch = run_batch(
        "psm", {"units.bf1.model.params.sinter_share": shares, "units.bf1.model.params.heat_losses": heat}
    )
    assert batch.feasible.tolist() == [True, False, False, True, True]
    assert "burden shares" in batch.faults[1]
    assert "heat_losses" in batch.faults[2] and "outside" in batch.faults[2]
    assert np.isnan(batch.kpis["crude_steel_t"][1]) and np.isnan(batch.economics["npv_usd"][2])
    # the good samples are the unsampled works (their values are the file's)
    base = run_evaluation("psm").to_dict()
    assert batch.economics["npv_usd"][0] == pytest.approx(base["kpis"]["npv_usd"], rel=1e-12)


def test_a_batch_keeps_only_kpis_unless_asked() -> None:
    draws = {"units.bf1.model.params.heat_losses": np.linspace(0.6, 0.8, 7)}
    assert run_batch("psm", draws, economics=False).results is None
    full = run_batch("psm", draws, economics=False, keep="all", chunk=3)
    assert full.results is not None and full.results.n_samples == 7
    chunked = run_batch("psm", draws, economics=False, chunk=3)
    np.testing.assert_allclose(chunked.kpis["coke_rate_kg_per_thm"], full.kpis["coke_rate_kg_per_thm"], rtol=1e-12)


def test_a_path_that_is_not_a_physics_parameter_is_an_error() -> None:
    with pytest.raises(InputError, match="not a physics parameter"):
        run_batch("psm", {"units.bf1.availability": np.ones(3)})
    with pytest.raises(InputError, match="different lengths"):
        run_batch(
            "psm", {"units.bf1.model.params.heat_losses": np.ones(3), "units.bf2.model.params.heat_losses": np.ones(2)}
        )


def test_prices_and_finance_are_sampled_through_the_same_parameter_tree() -> None:
    ore = np.array([90.0, 104.83, 130.0])  # USD/t CFR; pk-2025 deck 104.83
    rate = np.array([0.08, 0.10, 0.12])  # real; finance.yaml 0.10
    heat = np.array([0.6, 0.7, 0.9])  # GJ/t hot metal
    batch = run_batch(
        "psm",
        {
            "prices.iron_ore_fines.price": ore,
            "finance.discount_rate.value": rate,
            "units.bf1.model.params.heat_losses": heat,
        },
    )
    for s in range(3):
        single = run_evaluation(
            "psm",
            [
                f"prices.iron_ore_fines.price={ore[s]} USD/t",
                f"finance.discount_rate.value={rate[s]}",
                f"units.bf1.model.params.heat_losses={heat[s]} GJ/t",
            ],
        ).to_dict()
        for key in ECON_KPIS:
            assert batch.economics[key][s] == pytest.approx(single["kpis"][key], rel=1e-9), (s, key)
    with pytest.raises(InputError, match="cannot be sampled"):
        run_batch("psm", {"finance.tax.corporate_rate": np.array([0.29, 0.3])})
