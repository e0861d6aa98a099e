"""Every InputError the solve raises (plant/solve.py), read field by field, and the batch's fault masks.

The works is the helper's furnace -> converter (tests/helpers.py). Hand numbers, per t steel:
1.04 t iron (converter), so 100 t steel take 104 t iron, 1.95 x 104 = 202.8 t ore, 0.5 x 104 = 52 t
coal, 0.5 x 104 = 52 t slag and 50 kWh x 100 = 5 MWh of electricity.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from steelworks.errors import InputError
from steelworks.plant.build import build_plant
from steelworks.plant.solve import DemandError, solve
from steelworks.schema.loader import resolve_scenario
from tests.helpers import CARRIERS, CONVERTER, FURNACE, GRID, plant, run

SLAG_PIT = {
    "name": "slag pit",
    "kind": "pit",
    "product": "slag",
    "capacity": "1000 t/year",
    "source": "test",
    "inputs": {"ore": "1 t/t"},
    "max_fe_loss": 1.0,  # 0.5 Fe in, 0.01 out: a dump, not a process
}


def _run(changes: dict[str, Any]) -> Any:
    works: dict[str, Any] = {
        "units": {"furnace": dict(FURNACE), "converter": dict(CONVERTER)},
        "demand": {"steel": "100 t/year"},
        "buy": ["ore", "coal"],
        "sell": ["steel", "slag"],
    }
    works.update(copy.deepcopy(changes))
    return run(works.pop("units"), works.pop("demand"), works.pop("buy"), works.pop("sell"), **works)


CASES: list[tuple[str, dict[str, Any], tuple[str, str, str]]] = [
    (
        "surplus-that-cannot-be-sold",
        {"sell": ["steel"]},
        (
            "the works has a surplus of 52.0 t/yr of 'slag' that cannot be sold or used",
            "market.sell",
            "add 'slag' to market.sell, or a unit that uses it",
        ),
    ),
    (
        "input-nobody-makes-and-cannot-be-bought",
        {"buy": ["ore"]},
        (
            "the works needs 52.0 t/yr of 'coal' but no unit produces it and it cannot be bought",
            "market.buy",
            "add 'coal' to market.buy, or restore a producer",
        ),
    ),
    (
        # the converter co-produces 0.01 t ore per t steel: 1 t of the 202.8 t the furnace needs
        "input-whose-producers-make-too-little",
        {
            "buy": ["coal"],
            "units": {"furnace": dict(FURNACE), "converter": dict(CONVERTER, outputs={"ore": "0.01 t/t"})},
        },
        (
            "the works needs 201.8 t/yr of 'ore' but its producers (converter) do not make enough and it "
            "cannot be bought",
            "market.buy",
            "add 'ore' to market.buy, or restore a producer",
        ),
    ),
    (
        "power-without-the-grid",
        {"grid": dict(GRID, buy=False)},
        (
            "the works needs 5 MWh/yr more than it generates and the grid may not be used",
            "grid.buy",
            "grid.buy: true, or more own generation",
        ),
    ),
    (
        "target-without-a-demand-mix",
        {"demand": {}, "target": {"tag": "crude_steel", "amount": "100 t/year"}},
        ("a target needs a demand mix to scale", "demand", "at least one positive demand"),
    ),
    (
        # 52 t slag co-produced by the furnace against a demand of 10 t: the pit would run at -42 t/yr
        "co-product-beyond-the-need",
        {
            "units": {"furnace": dict(FURNACE), "converter": dict(CONVERTER), "pit": SLAG_PIT},
            "demand": {"steel": "100 t/year", "slag": "10 t/year"},
            "sell": ["steel"],
        },
        (
            "unit pit would run at a negative rate (-42.0/yr): either other units co-produce more slag than "
            "is needed, or a loop of units consumes more slag than it makes (a cycle with no net producer)",
            "units.pit",
            "recipes whose loops make more than they use; surplus co-products listed in market.sell",
        ),
    ),
]


_X = {"name": "x", "kind": "k", "product": "x", "capacity": "1e9 t/year", "source": "test", "inputs": {"y": "1 t/t"}}
_Y = {"name": "y", "kind": "k", "product": "y", "capacity": "1e9 t/year", "source": "test", "inputs": {"x": "1 t/t"}}
_XY = {"x": {"name": "x", "kind": "material", "unit": "t", "source": "test"}}
_XY["y"] = dict(_XY["x"], name="y")
CASES.append(
    (
        # a makes x from 1 t y, b makes y from 1 t x: gain exactly 1, the matrix I - R is singular
        "cycle-with-no-net-producer",
        {
            "units": {"furnace": FURNACE, "converter": dict(CONVERTER, inputs={"iron": "1.04 t/t", "x": "0.01 t/t"})}
            | {"a": _X, "b": _Y},
            "carriers": {**CARRIERS, **_XY},
        },
        (
            "the flowsheet has a cycle with no net producer (the recipe matrix is singular): a loop of units "
            "consumes at least as much of a carrier as it makes",
            "units",
            "recipes whose loops (e.g. coke -> sinter -> hot metal -> ...) have a gain below 1",
        ),
    )
)


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_solve_error_names_message_location_and_allowed(
    changes: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    with pytest.raises(InputError) as err:
        _run(changes)
    e = err.value
    assert not isinstance(e, DemandError)
    assert (e.message, e.location, e.allowed) == expected


def test_a_target_tag_no_unit_makes_for_this_demand() -> None:
    # only iron is asked for: the converter (the one unit making crude_steel) runs at 0
    with pytest.raises(InputError) as err:
        _run(
            {
                "demand": {"iron": "100 t/year"},
                "sell": ["iron", "slag"],
                "target": {"tag": "crude_steel", "amount": "50 t/year"},
            }
        )
    assert (err.value.message, err.value.location, err.value.allowed) == (
        "no unit makes carriers tagged 'crude_steel' for this demand",
        "target.tag",
        None,
    )


ALLOWED_DEMAND = "a lower demand or target, more availability or capacity, or restored units"


@pytest.mark.parametrize(
    ("furnace", "reason"),
    [
        ({"condition": "repairable"}, "furnace is repairable but would have to make 104 t/yr"),
        ({"capacity": "0 t/year"}, "furnace has no capacity but would have to make 104 t/yr"),
        # 80 % available: 800 t/yr effective against 1,040 t iron for 1,000 t steel
        (
            {"availability": 0.8},
            "furnace needs 1,040 against an effective capacity of 800 /yr (130.0%, short by 240)",
        ),
    ],
    ids=["idle", "no-capacity", "short"],
)
def test_a_demand_beyond_the_works_names_each_short_unit(furnace: dict[str, Any], reason: str) -> None:
    demand = "1000 t/year" if "availability" in furnace else "100 t/year"
    with pytest.raises(DemandError) as err:
        _run(
            {"units": {"furnace": dict(FURNACE, **furnace), "converter": dict(CONVERTER)}, "demand": {"steel": demand}}
        )
    assert (err.value.message, err.value.location, err.value.allowed) == (
        f"the works cannot meet the demand: {reason}",
        "demand / target",
        ALLOWED_DEMAND,
    )


def test_an_idle_unit_is_named_with_its_product_unit() -> None:
    # 10 MWh asked for plus 5 MWh for the converter from a generator that is not running
    gen: dict[str, Any] = {"name": "gen", "kind": "gen", "product": "electricity", "capacity": "100 MWh/year"}
    gen.update(source="test", condition="repairable", inputs={"coal": "0.4 t/MWh"})
    with pytest.raises(DemandError) as err:
        _run(
            {
                "units": {"furnace": dict(FURNACE), "converter": dict(CONVERTER), "gen": gen},
                "demand": {"steel": "100 t/year", "electricity": "10 MWh/year"},
            }
        )
    assert err.value.message == "the works cannot meet the demand: gen is repairable but would have to make 15 MWh/yr"


def test_a_merit_order_fills_the_own_unit_to_capacity_and_buys_the_rest() -> None:
    # 900 t steel: the converter (500 t/yr) first, the market the other 400 t; shares 5/9 and 4/9
    result = _run(
        {
            "units": {"furnace": dict(FURNACE), "converter": dict(CONVERTER, capacity="500 t/year")},
            "demand": {"steel": "900 t/year"},
            "buy": ["ore", "coal", "steel"],
            "supply": {"steel": {"mode": "merit", "order": ["converter", "market"]}},
        }
    )
    sol, works = result.solution, result.plant
    assert sol.shares[works.carrier("steel")][0].tolist() == pytest.approx([5 / 9, 4 / 9], rel=1e-12)
    assert sol.throughput[0].tolist() == pytest.approx([520.0, 500.0], rel=1e-12)  # 1.04 t iron per t steel
    assert sol.bought[0, works.carrier("steel")] == pytest.approx(400.0, rel=1e-12)


def test_a_target_scales_a_small_demand_mix() -> None:
    # 3 t crude steel from a mix of 0.5 t: scale 6, 3.12 t iron
    result = _run({"demand": {"steel": "0.5 t/year"}, "target": {"tag": "crude_steel", "amount": "3 t/year"}})
    sol, works = result.solution, result.plant
    assert sol.demand_scale.tolist() == pytest.approx([6.0], rel=1e-12)
    assert sol.throughput[0].tolist() == pytest.approx([3.12, 3.0], rel=1e-12)
    assert sol.delivered[0, works.carrier("steel")] == pytest.approx(3.0, rel=1e-12)


def _built(**extra: Any) -> Any:
    scenario = {"name": "test", "plant": "-", "demand": {"steel": "100 t/year"}}
    body = plant({"furnace": dict(FURNACE), "converter": dict(CONVERTER)}, ["ore", "coal"], ["steel", "slag"], **extra)
    return build_plant(resolve_scenario(scenario, body, copy.deepcopy(CARRIERS), {}))


def test_a_batch_names_the_sample_that_cannot_be_met_or_masks_it() -> None:
    works = _built()
    recipe = np.broadcast_to(works.recipe, (3, *works.recipe.shape)).copy()
    demand = np.zeros((3, works.n_carriers))
    demand[:, works.carrier("steel")] = [100.0, 1200.0, 500.0]  # sample 1: 1,248 t iron from 1,000
    with pytest.raises(DemandError) as err:
        solve(works, recipe, demand)
    assert err.value.message == (
        "the works cannot meet the demand in sample 1: furnace needs 1,248 against an effective capacity of "
        "1,000 /yr (124.8%, short by 248); converter needs 1,200 against an effective capacity of 1,000 /yr "
        "(120.0%, short by 200)"
    )
    sol = solve(works, recipe, demand, mask_faults=True)
    assert sol.faults == {
        1: "the works cannot meet the demand: furnace needs 1,248 against an effective capacity of 1,000 /yr "
        "(124.8%, short by 248); converter needs 1,200 against an effective capacity of 1,000 /yr (120.0%, "
        "short by 200)"
    }
    # the other samples are solved as one run would: 104 and 520 t iron
    assert sol.throughput[[0, 2], works.unit("furnace")] == pytest.approx([104.0, 520.0], rel=1e-12)


def test_a_batch_masks_the_market_and_grid_faults_of_a_sample() -> None:
    works = _built(grid=dict(GRID, buy=False))
    recipe = np.broadcast_to(works.recipe, (2, *works.recipe.shape)).copy()
    recipe[0, works.unit("converter"), works.carrier("electricity")] = 0.0  # sample 0 needs no power
    recipe[1, works.unit("converter"), works.carrier("electricity")] = -0.005  # sample 1: 0.5 MWh is still too much
    sol = solve(works, recipe, mask_faults=True)
    assert sol.faults == {1: "the works needs more power than it generates and the grid may not be used"}
    works = _built()
    recipe = np.broadcast_to(works.recipe, (2, *works.recipe.shape)).copy()
    recipe[1, works.unit("furnace"), works.carrier("slag")] = 0.0  # then the slag is an Fe loss ...
    recipe[1, works.unit("furnace"), works.carrier("air")] = 0.5  # ... and sample 1 makes air nobody buys
    sol = solve(works, recipe, mask_faults=True, check=False)
    assert sol.faults == {1: "carriers short and not buyable: []; surplus not sellable: ['air']"}


def test_a_batch_beyond_one_block_is_solved_block_by_block_as_alone() -> None:
    """solve() cuts S > SOLVE_BLOCK samples into blocks: per-sample recipes, compositions and C/LHV rows."""
    from dataclasses import replace

    from steelworks.plant.solve import SOLVE_BLOCK

    works = _built()
    S = SOLVE_BLOCK + 44
    f, ore = works.unit("furnace"), works.carrier("ore")
    recipe = np.broadcast_to(works.recipe, (S, *works.recipe.shape)).copy()
    factor = 1.0 + 1e-5 * np.arange(S)  # up to 0.3 % more ore: the Fe loss stays under the furnace's 2 %
    recipe[:, f, ore] *= factor
    per_sample = replace(works, fe_frac=np.broadcast_to(works.fe_frac, (S, works.n_carriers)).copy())
    out_c = np.broadcast_to(works.out_c_frac, recipe.shape).copy()
    out_lhv = np.broadcast_to(works.out_lhv, recipe.shape).copy()
    sol = solve(per_sample, recipe, None, out_c, out_lhv)
    assert sol.throughput.shape == (S, works.n_units) and sol.plant.fe_frac.shape == (S, works.n_carriers)
    assert sol.bought[:, ore] == pytest.approx(100 * 1.04 * 1.95 * factor, rel=1e-12)
    assert sol.balances is not None and sol.balances.loss_mass.shape == (S, works.n_units + 1)
    tail = solve(works, recipe[SOLVE_BLOCK:])
    np.testing.assert_allclose(sol.bought[SOLVE_BLOCK:], tail.bought, rtol=1e-13)
    np.testing.assert_allclose(sol.c_out[SOLVE_BLOCK:], tail.c_out, rtol=1e-13)
    unchecked = solve(works, recipe, check=False)
    assert unchecked.balances is None


def test_a_per_sample_target_beyond_one_block_is_cut_with_its_samples() -> None:
    from dataclasses import replace

    from steelworks.plant.solve import SOLVE_BLOCK

    scenario = {
        "name": "t",
        "plant": "-",
        "demand": {"steel": "1 t/year"},
        "target": {"tag": "crude_steel", "amount": "100 t/year"},
    }
    body = plant({"furnace": dict(FURNACE), "converter": dict(CONVERTER)}, ["ore", "coal"], ["steel", "slag"])
    works = build_plant(resolve_scenario(scenario, body, copy.deepcopy(CARRIERS), {}))
    S = SOLVE_BLOCK + 44
    target = np.linspace(100.0, 400.0, S)
    recipe = np.broadcast_to(works.recipe, (S, *works.recipe.shape)).copy()
    sol = solve(replace(works, target_amount=target), recipe)  # type: ignore[arg-type]  # a batch holds (S,)
    steel = works.carrier("steel")
    np.testing.assert_allclose(sol.delivered[:, steel], target, rtol=1e-12)  # each sample its own target
    np.testing.assert_allclose(sol.throughput[:, works.unit("furnace")], 1.04 * target, rtol=1e-12)


def test_per_sample_output_carbon_is_what_the_solve_books() -> None:
    """solve(out_c_frac=...) books each sample's C of the outputs (a model's composed gases in a batch)."""
    works = _built()
    f, slag = works.unit("furnace"), works.carrier("slag")
    out_c = np.broadcast_to(works.out_c_frac, (2, *works.out_c_frac.shape)).copy()
    out_c[1, f, slag] = 0.05  # sample 1: 5 % C in the furnace's 52 t slag = 2.6 t
    recipe = np.broadcast_to(works.recipe, out_c.shape).copy()
    sol = solve(works, recipe, None, out_c, check=False)  # the slag's C is not in the carrier file: no balance
    assert sol.c_out[:, f, slag].tolist() == pytest.approx([0.0, 2.6], rel=1e-12)


def test_own_demand_reports_the_fuel_it_leaves_unfired() -> None:
    """gas.allocate's unmet fuel of an own_demand power plant (tests/plant/test_power_dispatch.py's works):
    fuel capacity Q = 0.02 MW x 8766 h x 3.6 / 0.4 = 1,577.88 GJ; it fires 135.82 GJ works gas and buys
    364.18 GJ make-up (500 GJ for the works' 50 MWh at 0.36 net): 1,577.88 - 500 = 1,077.88 GJ unfired."""
    from tests.plant.test_power_dispatch import _run as dispatch

    r = dispatch({"makeup": "natural_gas", "dispatch": "own_demand"})
    q = 0.02 * 8766 * 3.6 / 0.4
    unmet = r.solution.gas.unmet_fuel_gj[0, r.plant.unit("power")]
    assert unmet == pytest.approx(q - 50.0 * 3.6 / (0.4 * 0.9), rel=1e-12)


def test_a_merit_supplied_carrier_nobody_needs_is_not_made() -> None:
    # only ore is asked for (bought and delivered): the iron merit order has a need of exactly 0
    result = _run(
        {
            "demand": {"ore": "10 t/year"},
            "buy": ["ore", "coal", "iron"],
            "sell": ["steel", "slag", "ore"],
            "supply": {"iron": {"mode": "merit", "order": ["furnace", "market"]}},
        }
    )
    sol, works = result.solution, result.plant
    assert sol.throughput[0].tolist() == [0.0, 0.0]
    assert sol.shares[works.carrier("iron")][0].tolist() == [0.0, 0.0]
    assert sol.bought[0, works.carrier("ore")] == pytest.approx(10.0, rel=1e-12)
