"""plant/balance.py: each conservation check fires on a corrupted solution, with its numbers.

The solution is the helper works (tests/helpers.py) for 100 t steel, solved without the check, then
broken in one place. Hand numbers of the clean state: the furnace takes 202.8 t ore (101.4 t Fe) and
52 t coal (41.6 t C, 1,560 GJ) and makes 104 t iron (99.84 t Fe, 4.16 t C) and 52 t slag (0.52 t Fe);
its losses are 254.8 - 156 = 98.8 t mass, 101.4 - 100.36 = 1.04 t Fe and 41.6 - 4.16 = 37.44 t C. The
works buys 1,560 GJ of coal and 5 MWh = 18 GJ of power: 1,578 GJ in.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from steelworks.plant.balance import BalanceError, balance_faults, check_balances, compute_balances
from steelworks.plant.build import build_plant
from steelworks.plant.solve import Solution, solve
from steelworks.schema.loader import resolve_scenario
from tests.helpers import CARRIERS, CONVERTER, FURNACE, plant


@pytest.fixture(scope="module")
def works() -> Any:
    scenario = {"name": "test", "plant": "-", "demand": {"steel": "100 t/year"}}
    body = plant({"furnace": dict(FURNACE), "converter": dict(CONVERTER)}, ["ore", "coal"], ["steel", "slag"])
    return build_plant(resolve_scenario(scenario, body, copy.deepcopy(CARRIERS), {}))


def _solution(works: Any, samples: int = 1) -> Solution:
    recipe = np.broadcast_to(works.recipe, (samples, *works.recipe.shape)).copy()
    return solve(works, recipe, check=False)


def test_the_clean_solution_has_the_hand_losses(works: Any) -> None:
    sol = _solution(works)
    bal = check_balances(sol)
    f = sol.row_ids.index("furnace")
    assert bal.loss_mass[0, f] == pytest.approx(98.8, rel=1e-12)
    assert bal.loss_fe[0, f] == pytest.approx(1.04, rel=1e-9)
    assert bal.loss_c[0, f] == pytest.approx(37.44, rel=1e-12)
    assert bal.fe_in_rows[0, f] == pytest.approx(101.4, rel=1e-12)
    assert bal.mass_in[0] == pytest.approx(254.8, rel=1e-12)
    assert bal.energy_in[0] == pytest.approx(1578.0, rel=1e-12)
    assert bal.c_in[0] == pytest.approx(41.6, rel=1e-12)
    for element in ("mass", "fe", "c", "energy"):
        assert abs(bal.residual_rel(element)[0]) < 1e-12, element
    assert balance_faults(sol, bal) == {}


def _broken(works: Any, how: str) -> Solution:
    sol = _solution(works, samples=2)
    f = sol.row_ids.index("furnace")
    slag, iron, coal = works.carrier("slag"), works.carrier("iron"), works.carrier("coal")
    if how == "carrier":  # 1 t slag made that nobody takes
        sol.produced[1, f, slag] += 1.0
    elif how == "mass":  # 100 t more slag made and sold: 98.8 - 100 = -1.2 t
        sol.produced[1, f, slag] += 100.0
        sol.sold[1, slag] += 100.0
    elif how == "fe":  # slag at 5 % Fe: out 99.84 + 2.6 = 102.44 t against 101.4 in
        fe = np.broadcast_to(works.fe_frac, (2, works.n_carriers)).copy()
        fe[1, slag] = 0.05
        sol.plant = replace(sol.plant, fe_frac=fe)
    elif how == "dust":  # ore at 52 % Fe: in 105.456 t, out 100.36: 5.096 t lost (limit 2 % = 2.109 t)
        fe = np.broadcast_to(works.fe_frac, (2, works.n_carriers)).copy()
        fe[1, works.carrier("ore")] = 0.52
        sol.plant = replace(sol.plant, fe_frac=fe)
    elif how == "c":  # 40 t more C leaving in the iron: 37.44 - 40 = -2.56 t
        sol.c_out[1, f, iron] += 40.0
    elif how == "energy":  # 10 GJ more coal heat into the furnace than bought: off by 10 / 1,578
        sol.e_in[1, f, coal] += 10.0
    return sol


MESSAGES = {
    "carrier": "carrier slag does not balance (production + purchases - use - sales = 1) in sample 1",
    "mass": "unit furnace creates mass: loss -1.2 t/yr in sample 1",
    "fe": "unit furnace creates Fe: loss -1.04 t/yr in sample 1",
    "dust": "unit furnace loses 5.096 t Fe/yr, more than its max_fe_loss",
    "c": "unit furnace creates C: loss -2.56 t/yr in sample 1",
    "energy": "the works' energy balance is off by 0.00634 (relative) in sample 1",
}


@pytest.mark.parametrize("how", list(MESSAGES))
def test_each_broken_law_is_named_with_its_row_and_amount(works: Any, how: str) -> None:
    sol = _broken(works, how)
    with pytest.raises(BalanceError) as err:
        check_balances(sol)
    assert str(err.value) == MESSAGES[how]
    # a batch reports it for the broken sample only
    assert balance_faults(sol, compute_balances(sol)) == {1: MESSAGES[how]}


def test_a_nan_balance_is_broken(works: Any) -> None:
    sol = _solution(works)
    sol.e_in[0, sol.row_ids.index("furnace"), works.carrier("coal")] = np.nan
    with pytest.raises(BalanceError, match="the works' energy balance is off by nan"):
        check_balances(sol)


def test_below_one_gram_the_relative_residual_is_taken_against_the_floor(works: Any) -> None:
    bal = compute_balances(_solution(works))
    bal.mass_in = np.array([0.0])
    bal.mass_out = np.array([-5e-7])
    # (0 - -5e-7) / max(0, 1e-6) = 0.5: a residual of half a gram is not divided by zero
    assert bal.residual_rel("mass").tolist() == [0.5]


def test_solve_checks_the_balances_unless_told_not_to(works: Any) -> None:
    """A recipe handed to solve() (not through the build's recipe check) that makes 3 t slag per t iron."""
    recipe = works.recipe.copy()
    recipe[works.unit("furnace"), works.carrier("slag")] = 3.0
    # in 202.8 + 52 = 254.8 t; out 104 iron + 312 slag = 416 t: -161.2 t
    message = "unit furnace creates mass: loss -161.2 t/yr in sample 0"
    with pytest.raises(BalanceError) as err:
        solve(works, recipe)
    assert str(err.value) == message
    assert solve(works, recipe[None], mask_faults=True).faults == {0: message}
    assert solve(works, recipe, check=False).balances is None
    clean = solve(works)
    assert clean.balances is not None and clean.balances.loss_mass[0, 0] == pytest.approx(98.8, rel=1e-12)
