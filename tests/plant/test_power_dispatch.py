"""Power-plant dispatch rules and natural gas by user (steelworks.plant.gas, report natural_gas_by_user).

Small flowsheet (hand numbers): a furnace (kind blast_furnace) makes 104 t iron for 100 t steel and
1.0 t/t top gas (CO 25 / CO2 20 / N2 55 vol %, LHV 2.26747 GJ/t from steelworks.physics.thermo), and
injects 0.01 t/t natural gas (CH4, 50.0169 GJ/t) at its tuyeres: 1.04 t. The converter burns
1 GJ/t fuel heat from top gas (100 GJ) and needs electricity (500 kWh/t: D = 50 MWh). The power
plant (eta 0.40, aux 0.10, so 0.36 net) gets the rest of the top gas: G = 104 x 2.26747 - 100 =
135.82 GJ. Its fuel capacity at 0.02 MW is Q = 0.02 x 8766 x 3.6 / 0.4 = 1,577.9 GJ.
"""

from __future__ import annotations

from typing import Any

import pytest

from steelworks.errors import InputError
from steelworks.physics.thermo import gas_properties
from tests.helpers import CONVERTER, FURNACE, GRID, run

GAS_LHV = float(gas_properties({"CO": 0.25, "CO2": 0.2, "N2": 0.55})["lhv_gj_per_t"])  # 2.26747 GJ/t
NG_LHV = float(gas_properties({"CH4": 1.0})["lhv_gj_per_t"])  # 50.0169 GJ/t
G = 104.0 * GAS_LHV - 100.0  # works gas left for the power plant, 135.82 GJ
NET = 0.4 * 0.9


def _works(fuel: dict[str, Any], kwh_per_t: float = 500.0, capacity: str = "0.02 MW") -> dict[str, Any]:
    return {
        "furnace": dict(
            FURNACE,
            kind="blast_furnace",
            outputs={"slag": "0.5 t/t", "top_gas": "1.0 t/t"},
            inputs={"ore": "1.95 t/t", "coal": "0.5 t/t", "air": "1.0 t/t", "natural_gas": "0.01 t/t"},
        ),
        "converter": dict(
            CONVERTER,
            inputs={"iron": "1.04 t/t", "fuel_heat": "1 GJ/t", "electricity": f"{kwh_per_t} kWh/t"},
            fuel={"priority": 1, "gases": ["top_gas"]},
        ),
        "power": {
            "name": "pp",
            "kind": "power_plant",
            "basis": "power_plant",
            "product": "electricity",
            "capacity": capacity,
            "efficiency": 0.4,
            "auxiliary": 0.1,
            "source": "test",
            "fuel": {"priority": 9, "gases": ["top_gas"], **fuel},
        },
    }


def _run(fuel: dict[str, Any], **kw: Any) -> Any:
    return run(
        _works(fuel, **kw),
        {"steel": "100 t/year"},
        buy=["ore", "coal", "air", "natural_gas"],
        sell=["steel", "slag"],
        grid={**GRID, "buy": True, "sell": True},
    )


def _ng_to(result: Any, row: str) -> float:
    users = {u["row"]: u for u in result.report["natural_gas_by_user"]["users"]}
    return users[row]["make_up_gj"] if row in users else 0.0


def _conserved(result: Any) -> None:
    for element, row in result.report["balances"].items():
        assert abs(row["residual_rel"]) < 1e-9, element


def test_works_gas_only_buys_no_fuel_and_the_grid_covers_the_rest() -> None:
    r = _run({"makeup": "natural_gas", "dispatch": "works_gas_only"})
    k = r.kpis
    assert k["electricity_generated_mwh"] == pytest.approx(G * NET / 3.6, rel=1e-12)  # 13.582 MWh
    assert k["electricity_purchased_mwh"] == pytest.approx(50.0 - G * NET / 3.6, rel=1e-9)  # 36.418 MWh
    assert _ng_to(r, "power") == 0.0
    # only the tuyeres buy natural gas: 1.04 t x 50.0169 GJ/t = 52.02 GJ
    ng = r.report["natural_gas_by_user"]
    assert ng["by_use"]["blast_furnace_tuyeres"] == pytest.approx(1.04 * NG_LHV, rel=1e-12)
    assert ng["total_gj"] == pytest.approx(1.04 * NG_LHV, rel=1e-12)
    _conserved(r)


def test_own_demand_buys_the_gas_that_covers_the_works() -> None:
    r = _run({"makeup": "natural_gas", "dispatch": "own_demand"})
    k = r.kpis
    makeup = 50.0 * 3.6 / NET - G  # 500 GJ of fuel for 50 MWh net, less 135.82 GJ works gas = 364.18 GJ
    assert k["electricity_generated_mwh"] == pytest.approx(50.0, rel=1e-12)
    assert k["electricity_purchased_mwh"] == pytest.approx(0.0, abs=1e-9)
    assert _ng_to(r, "power") == pytest.approx(makeup, rel=1e-12)
    ng = r.report["natural_gas_by_user"]
    assert ng["by_use"]["power_plant"] == pytest.approx(makeup, rel=1e-12)
    assert ng["by_use"]["blast_furnace_tuyeres"] == pytest.approx(1.04 * NG_LHV, rel=1e-12)
    # the parts add up to the natural gas across the boundary
    assert sum(ng["by_use"].values()) == pytest.approx(k["natural_gas_gj"], rel=1e-12)
    assert r.results["gas_bought_by_row"][0].sum() == pytest.approx(r.purchased["natural_gas"], rel=1e-12)
    _conserved(r)


def test_own_demand_with_a_gas_surplus_buys_nothing_and_exports() -> None:
    # 50 kWh/t: D = 5 MWh needs 50 GJ; the plant still burns all 135.82 GJ (the grid takes power)
    r = _run({"makeup": "natural_gas", "dispatch": "own_demand"}, kwh_per_t=50.0)
    k = r.kpis
    assert _ng_to(r, "power") == 0.0
    assert k["electricity_generated_mwh"] == pytest.approx(G * NET / 3.6, rel=1e-12)
    assert k["electricity_exported_mwh"] == pytest.approx(G * NET / 3.6 - 5.0, rel=1e-9)  # 8.582 MWh
    _conserved(r)


def test_fixed_load_runs_at_its_load_on_works_gas_then_make_up() -> None:
    # 0.01 MW x 8766 h = 87.66 MWh gross: fuel 788.94 GJ, of which 135.82 works gas and 653.12 GJ natural gas
    r = _run({"makeup": "natural_gas", "dispatch": "fixed_load", "fixed_load": "0.01 MW"})
    k = r.kpis
    fuel = 0.01 * 8766 * 3.6 / 0.4
    assert _ng_to(r, "power") == pytest.approx(fuel - G, rel=1e-12)
    assert k["electricity_generated_mwh"] == pytest.approx(0.01 * 8766 * 0.9, rel=1e-12)  # 78.894 MWh net
    assert k["electricity_exported_mwh"] == pytest.approx(0.01 * 8766 * 0.9 - 50.0, rel=1e-9)
    _conserved(r)


def test_fixed_load_below_the_works_gas_leaves_the_rest_to_the_flare() -> None:
    # 0.001 MW: fuel 78.894 GJ, all works gas; 135.82 - 78.894 = 56.93 GJ of top gas is flared (not sellable)
    r = _run({"makeup": "natural_gas", "dispatch": "fixed_load", "fixed_load": "0.001 MW"})
    fuel = 0.001 * 8766 * 3.6 / 0.4
    assert _ng_to(r, "power") == 0.0
    assert r.kpis["flared_gas_gj"] == pytest.approx(G - fuel, rel=1e-9)
    assert r.kpis["electricity_purchased_mwh"] == pytest.approx(50.0 - 0.001 * 8766 * 0.9, rel=1e-9)
    _conserved(r)


def test_fixed_load_counts_the_availability() -> None:
    works = _works({"makeup": "natural_gas", "dispatch": "fixed_load", "fixed_load": "0.01 MW"})
    works["power"]["availability"] = 0.5
    r = run(works, {"steel": "100 t/year"}, buy=["ore", "coal", "air", "natural_gas"], sell=["steel", "slag"])
    assert r.kpis["electricity_generated_mwh"] == pytest.approx(0.01 * 8766 * 0.5 * 0.9, rel=1e-12)


def test_a_fixed_load_above_capacity_is_refused_with_its_field() -> None:
    with pytest.raises(InputError) as err:
        _run({"makeup": "natural_gas", "dispatch": "fixed_load", "fixed_load": "0.05 MW"})
    assert err.value.location == "units.power.fuel.fixed_load"
    assert "above its capacity" in str(err.value)


@pytest.mark.parametrize(
    ("fuel", "words"),
    [
        ({"makeup": "natural_gas", "fixed_load": "0.01 MW"}, "fixed_load"),  # a load without the rule
        ({"makeup": "natural_gas", "dispatch": "fixed_load"}, "fixed_load"),  # the rule without a load
        ({"makeup": "none", "dispatch": "own_demand"}, "make-up"),  # buying fuel needs a fuel
        ({"makeup": "natural_gas", "dispatch": "economics"}, "dispatch"),  # not a plant rule
    ],
)
def test_inconsistent_dispatch_is_refused(fuel: dict[str, Any], words: str) -> None:
    with pytest.raises(InputError) as err:
        _run(fuel)
    assert words in str(err.value) or words in str(err.value.allowed)


def test_dispatch_on_a_unit_that_is_not_a_power_plant_is_refused() -> None:
    works = _works({"makeup": "natural_gas"})
    works["converter"]["fuel"] = {"priority": 1, "gases": ["top_gas"], "dispatch": "own_demand"}
    with pytest.raises(InputError) as err:
        run(works, {"steel": "100 t/year"}, buy=["ore", "coal", "air", "natural_gas"], sell=["steel", "slag"])
    assert "power_plant units only" in str(err.value)
