"""Hand-checked small flowsheets: every expected number is worked out in the test."""

from __future__ import annotations

import pytest

from steelworks.physics.thermo import CO2_PER_C, gas_properties
from tests.helpers import CONVERTER, FURNACE, flow, run


def test_two_unit_chain_hand_numbers() -> None:
    result = run(
        {"furnace": FURNACE, "converter": CONVERTER},
        {"steel": "100 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
    )
    x = result.unit_output
    assert x["converter"] == pytest.approx(100.0, rel=1e-12)
    assert x["furnace"] == pytest.approx(104.0, rel=1e-12)  # 1.04 t iron per t steel
    assert result.purchased["ore"] == pytest.approx(104.0 * 1.95, rel=1e-12)  # 202.8 t
    assert result.purchased["coal"] == pytest.approx(52.0, rel=1e-12)
    assert result.purchased["electricity"] == pytest.approx(5.0, rel=1e-12)  # 100 t x 0.05 MWh/t
    assert result.sold["slag"] == pytest.approx(52.0, rel=1e-12)
    # CO2: coal C 52 x 0.8 = 41.6 t C in, iron keeps 104 x 0.04 = 4.16 t C, steel 0 -> 37.44 t C burned at the furnace,
    # and the converter burns the 4.16 t C of the iron
    k = result.kpis
    assert k["co2_direct_t"] == pytest.approx(41.6 * CO2_PER_C, rel=1e-12)
    assert result.report["co2_by_unit_t"]["furnace"] == pytest.approx(37.44 * CO2_PER_C, rel=1e-12)
    assert k["co2_indirect_t"] == pytest.approx(5.0 * 0.5, rel=1e-12)
    assert k["co2_t_per_t_crude_steel"] == pytest.approx((41.6 * CO2_PER_C + 2.5) / 100, rel=1e-12)
    for element in ("mass", "Fe", "C"):
        assert abs(result.report["balances"][element]["residual_rel"]) < 1e-12
    # Fe in = 202.8 x 0.5 = 101.4 t; Fe out = 99 (steel) + 0.52 (slag) + losses 1.04 + 0.84
    fe = result.report["balances"]["Fe"]
    assert fe["in_t"] == pytest.approx(101.4, rel=1e-12)
    assert fe["out_t"] == pytest.approx(101.4, rel=1e-12)


def test_co_product_is_sold_and_scales_with_its_unit() -> None:
    units = {"furnace": FURNACE, "converter": CONVERTER}
    result = run(units, {"steel": "250 t/year"}, buy=["ore", "coal"], sell=["steel", "slag"])
    # slag is a co-product of the furnace only: 0.5 t/t iron x 1.04 t iron/t steel x 250 t
    assert result.sold["slag"] == pytest.approx(0.5 * 1.04 * 250, rel=1e-12)
    assert flow(result, "furnace", "slag") == pytest.approx(130.0, rel=1e-12)


def test_co_product_that_cannot_be_sold_is_an_error() -> None:
    from steelworks.errors import InputError

    with pytest.raises(InputError, match=r"surplus of .* 'slag' that cannot be sold"):
        run(
            {"furnace": FURNACE, "converter": CONVERTER},
            {"steel": "100 t/year"},
            buy=["ore", "coal"],
            sell=["steel"],
        )


def _two_furnaces(cap1: str, cap2: str, **supply: object) -> dict:
    f1 = dict(FURNACE, capacity=cap1, name="f1")
    f2 = dict(FURNACE, capacity=cap2, name="f2")
    return {"f1": f1, "f2": f2, "converter": dict(CONVERTER, capacity="10000 t/year")}


def test_two_producers_share_by_capacity() -> None:
    result = run(
        _two_furnaces("200 t/year", "100 t/year"),
        {"steel": "150 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
    )
    # iron need 156 t split 2:1 by capacity
    assert result.unit_output["f1"] == pytest.approx(104.0, rel=1e-12)
    assert result.unit_output["f2"] == pytest.approx(52.0, rel=1e-12)


def test_two_producers_fixed_shares_and_merit_order_with_market() -> None:
    shares = run(
        _two_furnaces("200 t/year", "200 t/year"),
        {"steel": "150 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
        supply={"iron": {"mode": "shares", "shares": {"f1": 0.25, "f2": 0.75}}},
    )
    assert shares.unit_output["f1"] == pytest.approx(0.25 * 156, rel=1e-12)
    assert shares.unit_output["f2"] == pytest.approx(0.75 * 156, rel=1e-12)

    merit = run(
        _two_furnaces("100 t/year", "40 t/year"),
        {"steel": "150 t/year"},
        buy=["ore", "coal", "iron"],
        sell=["steel", "slag"],
        supply={"iron": {"mode": "merit", "order": ["f2", "f1", "market"]}},
    )
    # f2 first at its 40 t, then f1 at its 100 t, the market the remaining 16 t of the 156 t need
    assert merit.unit_output["f2"] == pytest.approx(40.0, rel=1e-12)
    assert merit.unit_output["f1"] == pytest.approx(100.0, rel=1e-12)
    assert merit.purchased["iron"] == pytest.approx(16.0, rel=1e-12)


def test_demand_beyond_capacity_names_the_binding_unit() -> None:
    from steelworks.plant.solve import DemandError

    with pytest.raises(DemandError, match=r"f1 needs 104 .* short by 4"):
        run(
            _two_furnaces("100 t/year", "50 t/year"),
            {"steel": "150 t/year"},
            buy=["ore", "coal"],
            sell=["steel", "slag"],
            supply={"iron": {"mode": "shares", "shares": {"f1": 2 / 3, "f2": 1 / 3}}},
        )


GAS = gas_properties({"CO": 0.25, "CO2": 0.2, "N2": 0.55})


def _gas_works(gas_t_per_t: float, heat_gj_per_t: float, with_power: bool) -> dict:
    maker = dict(
        FURNACE,
        outputs={"slag": "0.5 t/t", "top_gas": f"{gas_t_per_t} t/t"},
        inputs={"ore": "1.95 t/t", "coal": "0.5 t/t", "air": f"{gas_t_per_t} t/t"},
    )
    user = dict(
        CONVERTER,
        inputs={"iron": "1.04 t/t", "fuel_heat": f"{heat_gj_per_t} GJ/t"},
        fuel={"priority": 1, "gases": ["top_gas"]},
    )
    units = {"furnace": maker, "converter": user}
    if with_power:
        units["power"] = {
            "name": "pp",
            "kind": "power_plant",
            "basis": "power_plant",
            "product": "electricity",
            "capacity": "0.001 MW",
            "efficiency": 0.4,
            "auxiliary": 0.1,
            "source": "test",
            "fuel": {"priority": 9, "gases": ["top_gas"], "makeup": "none"},
        }
    return units


def test_gas_surplus_goes_to_power_then_flare() -> None:
    # 100 t steel; furnace 104 t iron x 1.0 t gas = 104 t gas x LHV (~240 GJ); converter burns 100 x 1 GJ = 100 GJ
    result = run(
        _gas_works(1.0, 1.0, with_power=True),
        {"steel": "100 t/year"},
        buy=["ore", "coal", "air"],
        sell=["steel", "slag", "electricity"],
    )
    lhv = float(GAS["lhv_gj_per_t"])
    made = 104.0 * lhv
    pp_fuel = 0.001 * 8766 * 3.6 / 0.4  # MW x h/yr (365.25 d) x GJ/MWh / efficiency
    gas = {row["gas"]: row for row in result.report["works_gas"]}["top_gas"]
    assert gas["produced_gj"] == pytest.approx(made, rel=1e-12)
    assert made - 100.0 - pp_fuel > 10.0  # the case really has a flare
    assert gas["burned_gj"]["converter"] == pytest.approx(100.0, rel=1e-12)
    assert gas["burned_gj"]["power"] == pytest.approx(pp_fuel, rel=1e-12)
    assert gas["flared_gj"] == pytest.approx(made - 100.0 - pp_fuel, rel=1e-9)
    assert result.kpis["electricity_generated_mwh"] == pytest.approx(pp_fuel * 0.4 * 0.9 / 3.6, rel=1e-12)
    # the flare's CO2 is the carbon of the flared gas
    flared_t = (made - 100.0 - pp_fuel) / lhv
    assert result.report["co2_by_unit_t"]["flare"] == pytest.approx(
        flared_t * float(GAS["c_frac"]) * CO2_PER_C, rel=1e-9
    )


def test_gas_deficit_is_made_up_with_natural_gas() -> None:
    result = run(
        _gas_works(0.5, 20.0, with_power=False),
        {"steel": "100 t/year"},
        buy=["ore", "coal", "air", "natural_gas"],
        sell=["steel", "slag"],
    )
    lhv = float(GAS["lhv_gj_per_t"])
    deficit_gj = 2000.0 - 52.0 * lhv
    ng = gas_properties({"CH4": 1.0})
    assert result.purchased["natural_gas"] == pytest.approx(deficit_gj / float(ng["lhv_gj_per_t"]), rel=1e-12)
    assert result.kpis["natural_gas_gj"] == pytest.approx(deficit_gj, rel=1e-12)
    assert result.kpis["flared_gas_gj"] == 0.0


def test_target_scales_the_demand_shape() -> None:
    result = run(
        {"furnace": FURNACE, "converter": dict(CONVERTER, capacity="1e6 t/year")},
        {"steel": "1 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
        target={"tag": "crude_steel", "amount": "0.5 kt/year"},
    )
    assert result.kpis["crude_steel_t"] == pytest.approx(500.0, rel=1e-12)
    assert result.report["demand_scale"] == pytest.approx(500.0, rel=1e-12)


def test_standby_energy_is_fixed_while_a_unit_operates() -> None:
    converter = dict(CONVERTER, standby_share=0.4)
    result = run(
        {"furnace": FURNACE, "converter": converter},
        {"steel": "100 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
    )
    # 50 kWh/t at capacity: (1 - 0.4) x 0.05 MWh/t x 100 t + 0.4 x 0.05 MWh/t x 1000 t/yr capacity = 3 + 20 MWh
    assert result.purchased["electricity"] == pytest.approx(23.0, rel=1e-12)
    at_capacity = run(
        {"furnace": dict(FURNACE, capacity="2000 t/year"), "converter": converter},
        {"steel": "1000 t/year"},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
    )
    assert at_capacity.purchased["electricity"] == pytest.approx(50.0, rel=1e-12)  # = 0.05 x 1000, as without
    idle = run(
        {"furnace": FURNACE, "converter": dict(converter, condition="derelict")},
        {},
        buy=["ore", "coal"],
        sell=["steel", "slag"],
    )
    assert idle.purchased == {}  # an idle works keeps nothing hot
