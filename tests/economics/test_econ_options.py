"""The bundled options end to end, the result contract, and the idle plant by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from steelworks.economics import PlantYear, compare, evaluate, placeholder_plant_year
from steelworks.errors import InputError
from steelworks.schema.economics import list_options, load_option

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

KPI_KEYS = {
    "capex_usd",
    "npv_usd",
    "irr",
    "payback_years",
    "lcos_usd_per_t",
    "cash_cost_usd_per_t",
    "fx_saved_usd_per_year",
    "jobs_direct",
    "jobs_indirect",
    "co2_t_per_t_crude_steel",
    "discount_rate",
    "horizon_years",
}
ROW_KEYS = {
    "year",
    "capex_usd",
    "revenue_usd",
    "opex_usd",
    "tax_usd",
    "net_cash_flow_usd",
    "production_t",
    "raw_materials_usd",
    "energy_usd",
    "labour_usd",
    "maintenance_usd",
    "other_fixed_usd",
    "carbon_cost_usd",
    "debt_service_usd",
}


def _plant_year(option: str) -> PlantYear:
    """The plant solve of the bundled scenario that uses the option (its flows and its works)."""
    from steelworks.api import run_balance
    from steelworks.schema.loader import list_scenarios, load_scenario

    name = next(n for n, _ in list_scenarios() if (load_scenario(n).economics or {}).get("option") == option)
    balance = run_balance(name)
    return PlantYear.from_balance(balance) if balance.kpis["crude_steel_t"] > 0 else PlantYear.idle()


def _economics_block(option: str) -> dict:
    """The economics block (deck, finance) of the bundled scenario that uses the option."""
    from steelworks.schema.loader import list_scenarios, load_scenario

    return next(b for n, _ in list_scenarios() if (b := load_scenario(n).economics or {}).get("option") == option)


@pytest.mark.parametrize("option", list_options())
def test_every_bundled_option_evaluates(option: str) -> None:
    block = _economics_block(option)
    prices, finance = block.get("prices", "pk-2025"), block.get("finance", "finance")
    result = evaluate(_plant_year(option), option, prices=prices, finance=finance)
    data = result.to_dict()
    json.dumps(data)  # JSON-ready: no numpy types, no NaN
    assert set(data["kpis"]) >= KPI_KEYS
    # finance.yaml: 30 years; ieaghg-2013.yaml: 3 years' construction + IEAGHG's 25-year life [S17]
    assert len(data["cash_flows"]) == data["kpis"]["horizon_years"] == (28 if finance == "ieaghg-2013" else 30)
    assert set(data["cash_flows"][0]) >= ROW_KEYS
    assert data["revenue_by_product_usd_per_year_full_output"] is not None


def test_mothballed_npv_by_hand() -> None:
    result = evaluate(PlantYear.idle(), "psm-mothballed")
    k = result.kpis
    assert k["irr"] is None and k["payback_years"] is None and k["lcos_usd_per_t"] is None
    assert k["capex_usd"] == 0.0
    # 934 staff: 20 x 900k + 180 x 250k + 350 x 90k + 200 x 55k + 184 x 40k PKR/month, x 12 x 1.35 on-cost
    labour = (20 * 900e3 + 180 * 250e3 + 350 * 90e3 + 200 * 55e3 + 184 * 40e3) * 12 * 1.35 / 281.22
    yearly = labour + 2.45e9 / 281.22 + 5e6  # + site power + preservation; legacy interest is outside
    # no revenue, so no tax; inflation cancels between nominal flows and the nominal rate
    npv = -yearly * sum(1.1**-t for t in range(30))
    assert k["npv_usd"] == pytest.approx(npv, rel=1e-9)
    assert k["jobs_direct"] == 934
    assert k["legacy_costs_outside_cash_flow_usd_per_year"] == pytest.approx(20e9 / 281.22)


def test_compare_against_the_baseline() -> None:
    idle = evaluate(PlantYear.idle(), "psm-mothballed")
    eaf = evaluate(placeholder_plant_year("psm-eaf"), "psm-eaf")
    rows = compare([idle, eaf], baseline="psm-mothballed")
    assert rows[1]["npv_vs_baseline_usd"] == pytest.approx(eaf.kpis["npv_usd"] - idle.kpis["npv_usd"])
    with pytest.raises(InputError, match="baseline"):
        compare([eaf], baseline="psm-mothballed")


def test_plant_year_from_mapping_rejects_unknown_fields() -> None:
    with pytest.raises(InputError, match="unknown plant-year field") as err:
        PlantYear.from_mapping({"purchased": {}, "sold": {}, "crude_steel_t": 1, "products_t": {}, "steel": 1})
    assert "purchased" in (err.value.allowed or "")


def test_a_flowsheet_buying_an_unpriced_carrier() -> None:
    plant = placeholder_plant_year("psm-eaf")
    plant.purchased["hydrogen_peroxide"] = 10.0
    with pytest.raises(InputError, match="hydrogen_peroxide") as err:
        evaluate(plant, "psm-eaf")
    assert err.value.file is not None and err.value.file.endswith("pk-2025.yaml")


@pytest.mark.slow
def test_with_the_plant_solve_of_the_psm_scenario() -> None:
    from steelworks import api

    balance = api.run_balance("psm")
    plant = PlantYear.from_balance(balance)
    assert plant.crude_steel_t == pytest.approx(1.1e6, rel=1e-6)
    assert "hot_rolled_coil" in plant.products_t and "bf_slag" not in plant.products_t
    result = evaluate(plant, "psm-bf-revival")
    co2 = (balance.kpis["co2_direct_t"] + balance.kpis["co2_indirect_t"]) / plant.crude_steel_t
    assert result.kpis["co2_t_per_t_crude_steel"] == pytest.approx(co2, rel=1e-9)
    assert result.kpis["cash_cost_usd_per_t"] > 0


def test_every_bundled_plan_names_plant_units_only() -> None:
    """The option files hold plans on the plant's unit ids and no capital blocks of their own."""
    for option in list_options():
        plant_year = _plant_year(option)
        opt = load_option(option)
        assert set(opt.plan) <= set(plant_year.works), option
        if opt.calibration is not None:
            assert set(opt.calibration.shares) <= set(opt.plan) | {"infrastructure", "grid_connection"}


def test_a_bundled_plan_on_a_works_that_lacks_its_units(tmp_path: Path) -> None:
    """Issue 7 §4: the mini-works priced with psm-eaf's plan is refused, naming the missing unit."""
    from steelworks.api import run_evaluation

    tmp_path = tmp_path / "mini-works"
    shutil.copytree(EXAMPLES / "mini-works", tmp_path)  # the example's paths are relative to its own files
    scenario = yaml.safe_load((tmp_path / "scenario.yaml").read_text())
    scenario["scenario"]["economics"] = {"option": "psm-eaf"}
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario))
    with pytest.raises(InputError, match="the works does not have") as err:
        run_evaluation(tmp_path / "scenario.yaml")
    assert err.value.location == "option.plan.thin_slab_mill"
    assert (err.value.file or "").endswith("psm-eaf.yaml")


def test_restoring_a_unit_needs_a_plan_action() -> None:
    from steelworks.api import run_evaluation

    with pytest.raises(InputError, match="bf2") as err:
        run_evaluation("psm-one-line", ["units.bf2.condition=operating"])
    assert err.value.location == "option.plan" and "clear_and_reline" in (err.value.allowed or "")
    one = run_evaluation("psm-one-line").economics
    both = run_evaluation(
        "psm-one-line",
        ["units.bf2.condition=operating", "option.plan.bf2={action: clear_and_reline, year: 2027}"],
    ).economics
    # bf2 priced as bf1: 0.4 x 300 USD/t x 2 Mt x (0.6/2)^0.6 (capex.yaml), plus 15 % infrastructure
    extra = 0.4 * 300 * 2e6 * 0.3**0.6 * 1.15
    assert both.capex["epc_used_usd"] - one.capex["epc_used_usd"] == pytest.approx(extra, rel=1e-9)


def test_the_unit_tables_lifecycle_fields_drive_the_evaluation() -> None:
    """Relines and cost overrides come from the plant file, so a --set on the unit changes the money."""
    from steelworks.api import run_evaluation

    def reline_years(overrides: list[str]) -> list[int]:
        econ = run_evaluation("psm-bf-revival", overrides).economics
        return [y for y, v in zip(econ.years, econ.lines["capex_reline_usd"], strict=True) if v > 0]

    assert reline_years([]) == [2045, 2047]  # bf1 15 years after 2030, bf2 first after 17 (psm.yaml)
    assert reline_years(["units.bf1.reline.interval_years=20"]) == [2047, 2050]
    one = run_evaluation(
        "psm-one-line", ["units.bf1.cost={amount: 400e6 USD, year: 2025, source: a quoted price}"]
    ).economics
    bf1 = next(u for u in one.capex["units"] if u["unit"] == "bf1")
    assert bf1["bottom_up_usd"] == pytest.approx(400e6) and bf1["used_usd"] == pytest.approx(400e6)


def test_a_capital_overrun_scales_every_capital_line() -> None:
    """option.capex.overrun.share = 0.36 (the reference class's DRI overrun, voestalpine 742 -> 1,012 M USD):
    the capital of the cash flow is 1.36 x the estimate's, and the NPV falls by more than the extra
    capital's present value would be zero (so the override has an effect)."""
    from steelworks.api import run_evaluation

    base = run_evaluation("psm-bf-revival").to_dict()["kpis"]
    over = run_evaluation("psm-bf-revival", ["option.capex.overrun.share=0.36"]).to_dict()["kpis"]
    assert over["capex_usd"] == pytest.approx(1.36 * base["capex_usd"], rel=1e-12)
    assert over["npv_usd"] < base["npv_usd"] - 0.2 * base["capex_usd"]
