"""Every branch of the works-gas allocation (steelworks.plant.gas.allocate) with hand-computed numbers.

The unit tests drive ``allocate`` with a small stand-in of the built plant (only the attributes the
allocation reads) so that each branch is set up exactly; the last tests run the same branches end to
end through the solver (tests/helpers.py works).

Stand-in carriers (index: id, kind, market defaults used for bought gas):
  0 gas_a   gas     producers' gas at 5 GJ/t, 0.3 t C/t; bought gas_a at 4 GJ/t, 0.25 t C/t
  1 gas_b   gas     producers' gas at 20 GJ/t, 0.5 t C/t
  2 ng      gas     not produced; bought at 50 GJ/t, 0.75 t C/t
  3 fuel_heat energy
  4 electricity energy
Units: 0 maker (produces the gases), 1 user (a fuel user), 2 power (a power plant, eta 0.4, aux 0.1).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from steelworks.errors import InputError
from steelworks.physics.thermo import gas_properties
from steelworks.plant.build import FuelUser
from steelworks.plant.gas import allocate
from tests.helpers import CONVERTER, FURNACE, GRID, run

A, B, NG, FUEL, EL = 0, 1, 2, 3, 4
MAKER, USER, POWER = 0, 1, 2
CARRIERS = ["gas_a", "gas_b", "ng", "fuel_heat", "electricity"]
UNITS = ["maker", "user", "power"]
LHV_OWN = np.array([5.0, 20.0, 0.0, 0.0, 0.0])
C_OWN = np.array([0.3, 0.5, 0.0, 0.0, 0.0])


def stand_in(
    users: list[tuple[int, list[int], int]],
    *,
    grid_sell: bool = True,
    can_buy: tuple[bool, ...] = (True, True, True, False, False),
    can_sell: tuple[bool, ...] = (False, False, False, False, False),
    power_mwh: float = 10.0,
) -> Any:
    """The attributes of a built Plant that allocate() reads."""
    return SimpleNamespace(
        carrier_ids=CARRIERS,
        unit_ids=UNITS,
        carrier_kind=np.array([1, 1, 1, 2, 2]),
        c_frac=np.array([0.25, 0.5, 0.75, 0.0, 0.0]),
        lhv_gj_per_t=np.array([4.0, 20.0, 50.0, 0.0, 0.0]),
        can_buy=np.array(can_buy),
        can_sell=np.array(can_sell),
        fuel_users=[FuelUser(u, i, gases, makeup) for i, (u, gases, makeup) in enumerate(users)],
        basis=np.array(["output", "output", "power_plant"]),
        power_efficiency=np.array([0.0, 0.0, 0.4]),
        power_auxiliary=np.array([0.0, 0.0, 0.1]),
        effective_capacity=np.array([0.0, 0.0, power_mwh]),  # MWh/yr of the power plant
        grid_sell=grid_sell,
        carrier=CARRIERS.index,
    )


def flows(
    gas_a: float = 10.0, gas_b: float = 4.0, heat: float = 0.0, direct_a: float = 0.0, works_mwh: float = 0.0
) -> np.ndarray:
    f = np.zeros((1, 3, 5))
    f[0, MAKER, A] = gas_a
    f[0, MAKER, B] = gas_b
    f[0, USER, FUEL] = -heat
    f[0, USER, A] = -direct_a
    f[0, USER, EL] = -works_mwh
    return f


def allocate_(plant: Any, f: np.ndarray) -> Any:
    out_c = np.broadcast_to(C_OWN, (3, 5)).copy()
    out_lhv = np.broadcast_to(LHV_OWN, (3, 5)).copy()
    return allocate(plant, f, out_c, out_lhv, np.ones((1, 3)))


# ---- 2. fuel users draw their gases in the listed order ----------------------------------------------------


def test_a_fuel_user_draws_its_gases_in_order_and_the_rest_is_flared() -> None:
    # 70 GJ demand: all of gas_a (10 t x 5 = 50 GJ), then 20 GJ of gas_b (1 t); 3 t gas_b left, not sellable
    g = allocate_(stand_in([(USER, [A, B], NG)]), flows(heat=70.0))
    assert g.fuel_gj[0, USER, A] == pytest.approx(50.0, rel=1e-12)
    assert g.fuel_mass[0, USER, A] == pytest.approx(10.0, rel=1e-12)
    assert g.fuel_gj[0, USER, B] == pytest.approx(20.0, rel=1e-12)
    assert g.fuel_mass[0, USER, B] == pytest.approx(1.0, rel=1e-12)
    assert g.c_in[0, USER, B] == pytest.approx(0.5, rel=1e-12)
    assert g.fuel_gj[0, USER, NG] == 0.0 and g.bought[0, NG] == 0.0
    # the flare is row U = 3
    assert g.flared[0, B] == pytest.approx(3.0, rel=1e-12)
    assert g.fuel_mass[0, 3, B] == pytest.approx(3.0, rel=1e-12)
    assert g.fuel_gj[0, 3, B] == pytest.approx(60.0, rel=1e-12)
    assert g.c_in[0, 3, B] == pytest.approx(1.5, rel=1e-12)
    assert g.flared[0, A] == 0.0 and g.sold.sum() == 0.0


def test_the_listed_order_matters() -> None:
    g = allocate_(stand_in([(USER, [B, A], NG)]), flows(heat=70.0))
    assert g.fuel_gj[0, USER, B] == pytest.approx(70.0, rel=1e-12)  # 3.5 t of gas_b
    assert g.fuel_gj[0, USER, A] == 0.0
    assert g.flared[0, A] == pytest.approx(10.0, rel=1e-12)
    assert g.flared[0, B] == pytest.approx(0.5, rel=1e-12)


def test_a_deficit_is_made_up_with_the_make_up_fuel_and_bought() -> None:
    # 200 GJ: 50 (gas_a) + 80 (gas_b) from the pool, 70 GJ of ng = 1.4 t at 50 GJ/t, 0.75 C -> 1.05 t C
    g = allocate_(stand_in([(USER, [A, B], NG)]), flows(heat=200.0))
    assert g.fuel_gj[0, USER, NG] == pytest.approx(70.0, rel=1e-12)
    assert g.fuel_mass[0, USER, NG] == pytest.approx(1.4, rel=1e-12)
    assert g.bought[0, NG] == pytest.approx(1.4, rel=1e-12)
    assert g.c_in[0, USER, NG] == pytest.approx(1.05, rel=1e-12)
    assert g.e_in[0, USER].sum() == pytest.approx(200.0, rel=1e-12)
    assert g.flared.sum() == 0.0


def test_a_make_up_fuel_that_cannot_be_bought_is_an_input_error() -> None:
    plant = stand_in([(USER, [A, B], NG)], can_buy=(True, True, False, False, False))
    with pytest.raises(InputError, match="make-up 'ng' that cannot be bought") as err:
        allocate_(plant, flows(heat=200.0))
    assert err.value.location == "units.user.fuel.makeup"
    assert err.value.allowed == "a make-up fuel listed in market.buy"
    allocate_(plant, flows(heat=100.0))  # no make-up needed: no error


def test_no_make_up_fuel_and_a_deficit_is_an_input_error_naming_the_shortfall() -> None:
    plant = stand_in([(USER, [A], -1)])
    with pytest.raises(InputError, match="user lacks 30 GJ/yr of fuel and has no make-up fuel") as err:
        allocate_(plant, flows(heat=80.0))
    assert err.value.location == "units.user.fuel.makeup"
    assert err.value.allowed == "natural_gas"
    g = allocate_(plant, flows(heat=50.0))  # exactly what gas_a holds: no error, nothing bought
    assert g.fuel_gj[0, USER, A] == pytest.approx(50.0, rel=1e-12)
    assert g.bought.sum() == 0.0


def test_a_gas_without_heating_value_gives_no_fuel() -> None:
    # gas_a made without energy (LHV 0): the user takes nothing from it and makes up all 10 GJ with ng
    plant = stand_in([(USER, [A], NG)])
    f = flows(heat=10.0, gas_b=0.0)
    out_lhv = np.zeros((3, 5))
    g = allocate(plant, f, np.broadcast_to(C_OWN, (3, 5)).copy(), out_lhv, np.ones((1, 3)))
    assert g.fuel_mass[0, USER, A] == 0.0
    assert g.fuel_gj[0, USER, NG] == pytest.approx(10.0, rel=1e-12)
    assert g.flared[0, A] == pytest.approx(10.0, rel=1e-12)


# ---- 1. direct (non-fuel) uses take from the pool first --------------------------------------------------


def test_a_direct_use_takes_from_the_pool_before_the_fuel_users() -> None:
    # 4 t of gas_a used directly; 6 t = 30 GJ left for the fuel user, 40 GJ of its 70 from gas_b (2 t)
    g = allocate_(stand_in([(USER, [A, B], NG)]), flows(heat=70.0, direct_a=4.0))
    assert g.bought[0, A] == 0.0
    assert g.c_in[0, USER, A] == pytest.approx(4.0 * 0.3 + 6.0 * 0.3, rel=1e-12)
    assert g.fuel_mass[0, USER, A] == pytest.approx(6.0, rel=1e-12)
    assert g.fuel_gj[0, USER, B] == pytest.approx(40.0, rel=1e-12)
    assert g.flared[0, B] == pytest.approx(2.0, rel=1e-12)


def test_a_direct_use_beyond_the_pool_is_bought_at_the_market_composition() -> None:
    # 12 t used, 10 t made: 10 t at the pool's 0.3 C / 5 GJ, 2 t bought at 0.25 C / 4 GJ
    g = allocate_(stand_in([(USER, [A, B], NG)]), flows(heat=0.0, direct_a=12.0))
    assert g.bought[0, A] == pytest.approx(2.0, rel=1e-12)
    assert g.c_in[0, USER, A] == pytest.approx(10 * 0.3 + 2 * 0.25, rel=1e-12)
    assert g.e_in[0, USER, A] == pytest.approx(10 * 5.0 + 2 * 4.0, rel=1e-12)
    assert g.fuel_mass[0, USER, A] == 0.0  # a direct use is not fuel
    assert g.flared[0, A] == 0.0


def test_a_direct_use_beyond_the_pool_of_a_gas_that_cannot_be_bought_is_an_input_error() -> None:
    plant = stand_in([(USER, [A, B], NG)], can_buy=(False, True, True, False, False))
    with pytest.raises(InputError, match=r"2\.0 t/yr of 'gas_a' more than the works makes") as err:
        allocate_(plant, flows(direct_a=12.0))
    assert err.value.location == "market.buy"
    assert err.value.allowed == "add 'gas_a' to market.buy"
    allocate_(plant, flows(direct_a=10.0))  # exactly the pool: no error


def test_the_pool_composition_is_the_producers_mean() -> None:
    # two producers of gas_a: 10 t at 0.3 C / 5 GJ and 10 t at 0.1 C / 15 GJ -> 0.2 C, 10 GJ per t
    plant = stand_in([(USER, [A], NG)])
    f = flows(heat=50.0, gas_b=0.0)
    f[0, POWER, A] = 10.0
    out_c = np.broadcast_to(C_OWN, (3, 5)).copy()
    out_lhv = np.broadcast_to(LHV_OWN, (3, 5)).copy()
    out_c[POWER, A], out_lhv[POWER, A] = 0.1, 15.0
    g = allocate(plant, f, out_c, out_lhv, np.ones((1, 3)))
    assert g.fuel_mass[0, USER, A] == pytest.approx(5.0, rel=1e-12)
    assert g.c_in[0, USER, A] == pytest.approx(1.0, rel=1e-12)
    assert g.flared[0, A] == pytest.approx(15.0, rel=1e-12)
    assert g.c_in[0, 3, A] == pytest.approx(3.0, rel=1e-12)


# ---- 3. the power plant burns the surplus ---------------------------------------------------------------


def test_the_power_plant_burns_the_surplus_up_to_its_fuel_capacity_when_the_grid_buys() -> None:
    # fuel capacity 10 MWh x 3.6 / 0.4 = 90 GJ; after the user's 70 GJ, 60 GJ of gas_b are left
    g = allocate_(stand_in([(USER, [A, B], NG), (POWER, [B], -1)]), flows(heat=70.0, works_mwh=2.0))
    assert g.fuel_gj[0, POWER, B] == pytest.approx(60.0, rel=1e-12)
    assert g.fuel_mass[0, POWER, B] == pytest.approx(3.0, rel=1e-12)
    assert g.electricity_mwh[0, POWER] == pytest.approx(60.0 * 0.4 * 0.9 / 3.6, rel=1e-12)  # 6 MWh
    assert g.unmet_fuel_gj[0, POWER] == pytest.approx(30.0, rel=1e-12)
    assert g.flared.sum() == 0.0 and g.bought.sum() == 0.0  # a power plant takes no make-up


def test_the_power_plant_at_capacity_leaves_the_rest_to_the_flare() -> None:
    # capacity 2 MWh -> 18 GJ of fuel; 60 - 18 = 42 GJ = 2.1 t of gas_b flared
    g = allocate_(stand_in([(USER, [A, B], NG), (POWER, [B], -1)], power_mwh=2.0), flows(heat=70.0))
    assert g.fuel_gj[0, POWER, B] == pytest.approx(18.0, rel=1e-12)
    assert g.electricity_mwh[0, POWER] == pytest.approx(1.8, rel=1e-12)
    assert g.unmet_fuel_gj[0, POWER] == pytest.approx(0.0, abs=1e-12)
    assert g.flared[0, B] == pytest.approx(2.1, rel=1e-12)


def test_grid_sell_false_the_power_plant_covers_only_the_works_demand() -> None:
    # the grid takes no power: the works' 2 MWh need 2 x 3.6 / (0.4 x 0.9) = 20 GJ = 1 t of gas_b;
    # the other 2 t (40 GJ) are flared, not burned for power nobody takes
    g = allocate_(stand_in([(USER, [A, B], NG), (POWER, [B], -1)], grid_sell=False), flows(heat=70.0, works_mwh=2.0))
    assert g.fuel_gj[0, POWER, B] == pytest.approx(20.0, rel=1e-12)
    assert g.electricity_mwh[0, POWER] == pytest.approx(2.0, rel=1e-12)
    assert g.unmet_fuel_gj[0, POWER] == pytest.approx(0.0, abs=1e-12)
    assert g.flared[0, B] == pytest.approx(2.0, rel=1e-12)


def test_grid_sell_false_is_still_capped_by_the_fuel_capacity() -> None:
    # works demand 5 MWh needs 50 GJ but the plant takes at most 2 x 3.6 / 0.4 = 18 GJ
    plant = stand_in([(USER, [A, B], NG), (POWER, [B], -1)], grid_sell=False, power_mwh=2.0)
    g = allocate_(plant, flows(heat=70.0, works_mwh=5.0))
    assert g.fuel_gj[0, POWER, B] == pytest.approx(18.0, rel=1e-12)
    assert g.electricity_mwh[0, POWER] == pytest.approx(1.8, rel=1e-12)


def test_grid_sell_false_and_no_works_demand_burns_nothing() -> None:
    g = allocate_(stand_in([(USER, [A, B], NG), (POWER, [B], -1)], grid_sell=False), flows(heat=70.0))
    assert g.fuel_gj[0, POWER].sum() == 0.0
    assert g.electricity_mwh[0, POWER] == 0.0
    assert g.flared[0, B] == pytest.approx(3.0, rel=1e-12)


# ---- 4. the surplus is sold where it can be, otherwise flared -----------------------------------------------


def test_a_sellable_surplus_is_sold_with_the_pool_composition() -> None:
    plant = stand_in([(USER, [A, B], NG)], can_sell=(False, True, False, False, False))
    g = allocate_(plant, flows(heat=70.0))
    assert g.sold[0, B] == pytest.approx(3.0, rel=1e-12)
    assert g.sold_c[0, B] == pytest.approx(1.5, rel=1e-12)
    assert g.sold_e[0, B] == pytest.approx(60.0, rel=1e-12)
    assert g.flared[0, B] == 0.0 and g.fuel_mass[0, 3].sum() == 0.0


def test_rounding_noise_is_not_a_surplus() -> None:
    # a user asking for 1e-13 GJ less than the pool holds leaves 2e-14 t: below 1e-12 x (pool + 1), not flared
    g = allocate_(stand_in([(USER, [A], NG)]), flows(heat=50.0 - 1e-13, gas_b=0.0))
    assert g.flared[0, A] == 0.0
    g = allocate_(stand_in([(USER, [A], NG)]), flows(heat=50.0 - 1e-6, gas_b=0.0))
    assert g.flared[0, A] == pytest.approx(2e-7, rel=1e-6)


def test_carbon_and_energy_are_conserved_through_the_allocation() -> None:
    sell_a = (True, False, False, False, False)
    plant = stand_in([(USER, [A, B], NG), (POWER, [B], -1)], grid_sell=False, can_sell=sell_a)
    g = allocate_(plant, flows(gas_a=12.0, heat=30.0, direct_a=1.0, works_mwh=1.0))
    for gas, made_c, made_e in ((A, 12 * 0.3, 60.0), (B, 4 * 0.5, 80.0)):
        assert g.c_in[0, :, gas].sum() + g.sold_c[0, gas] == pytest.approx(made_c, rel=1e-12)
        assert g.e_in[0, :, gas].sum() + g.sold_e[0, gas] == pytest.approx(made_e, rel=1e-12)


def test_several_samples_are_allocated_independently() -> None:
    plant = stand_in([(USER, [A, B], NG), (POWER, [B], -1)], grid_sell=False)
    f = np.concatenate([flows(heat=70.0, works_mwh=2.0), flows(heat=200.0, works_mwh=2.0)])
    g = allocate_(plant, f)
    assert g.fuel_gj[:, POWER, B] == pytest.approx([20.0, 0.0], abs=1e-12)
    assert g.bought[:, NG] == pytest.approx([0.0, 1.4], abs=1e-12)
    assert g.flared[:, B] == pytest.approx([2.0, 0.0], abs=1e-12)


# ---- end to end through the solver ------------------------------------------------------------------------

GAS = gas_properties({"CO": 0.25, "CO2": 0.2, "N2": 0.55})


def _works() -> dict[str, Any]:
    return {
        "furnace": dict(
            FURNACE,
            outputs={"slag": "0.5 t/t", "top_gas": "1.0 t/t"},
            inputs={"ore": "1.95 t/t", "coal": "0.5 t/t", "air": "1.0 t/t"},
        ),
        "converter": dict(
            CONVERTER,
            inputs={"iron": "1.04 t/t", "fuel_heat": "1 GJ/t", "electricity": "50 kWh/t"},
            fuel={"priority": 1, "gases": ["top_gas"]},
        ),
        "power": {
            "name": "pp",
            "kind": "power_plant",
            "basis": "power_plant",
            "product": "electricity",
            "capacity": "0.001 MW",
            "efficiency": 0.4,
            "auxiliary": 0.1,
            "source": "test",
            "fuel": {"priority": 9, "gases": ["top_gas"], "makeup": "none"},
        },
    }


@pytest.mark.parametrize("sell", [True, False])
def test_grid_sell_end_to_end(sell: bool) -> None:
    # 100 t steel: 104 t top gas, the converter burns 100 GJ and needs 5 MWh of electricity
    result = run(
        _works(),
        {"steel": "100 t/year"},
        buy=["ore", "coal", "air"],
        sell=["steel", "slag"],
        grid={**GRID, "buy": True, "sell": sell},
    )
    made = 104.0 * float(GAS["lhv_gj_per_t"])
    capacity_fuel = 0.001 * 8766 * 3.6 / 0.4  # 78.9 GJ
    burned = capacity_fuel if sell else 5.0 * 3.6 / (0.4 * 0.9)  # 50 GJ: just the works' 5 MWh
    gas = {row["gas"]: row for row in result.report["works_gas"]}["top_gas"]
    assert gas["burned_gj"]["power"] == pytest.approx(burned, rel=1e-12)
    assert gas["flared_gj"] == pytest.approx(made - 100.0 - burned, rel=1e-9)
    k = result.kpis
    assert k["electricity_generated_mwh"] == pytest.approx(burned * 0.36 / 3.6, rel=1e-12)
    if sell:
        assert k["electricity_exported_mwh"] == pytest.approx(burned * 0.1 - 5.0, rel=1e-9)  # 7.89 - 5 MWh
        assert k["electricity_purchased_mwh"] == pytest.approx(0.0, abs=1e-9)
    else:
        assert k["electricity_exported_mwh"] == pytest.approx(0.0, abs=1e-9)
        assert k["electricity_purchased_mwh"] == pytest.approx(0.0, abs=1e-9)


def test_a_pool_under_one_tonne_keeps_its_own_composition() -> None:
    # 0.5 t of gas_a (2.5 GJ, 0.15 t C): the user burns it at the producer's 5 GJ/t, not the market's 4
    g = allocate_(stand_in([(USER, [A], NG)]), flows(gas_a=0.5, gas_b=0.0, heat=2.0))
    assert g.fuel_mass[0, USER, A] == pytest.approx(0.4, rel=1e-12)
    assert g.c_in[0, USER, A] == pytest.approx(0.12, rel=1e-12)
    assert g.flared[0, A] == pytest.approx(0.1, rel=1e-12)


def test_direct_uses_of_several_samples_are_drawn_per_sample() -> None:
    # sample 0 uses 4 t of its 10 t, sample 1 uses 12 t (2 t bought)
    plant = stand_in([(USER, [A, B], NG)])
    f = np.concatenate([flows(direct_a=4.0), flows(direct_a=12.0)])
    g = allocate_(plant, f)
    assert g.bought[:, A] == pytest.approx([0.0, 2.0], abs=1e-12)
    assert g.c_in[:, USER, A] == pytest.approx([1.2, 3.5], rel=1e-12)
    assert g.flared[:, A] == pytest.approx([6.0, 0.0], abs=1e-12)
