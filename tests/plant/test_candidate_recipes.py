"""A unit that does not run in a scenario (a candidate the planner may build) gets, in the planner's
build (``candidate_recipes``), its model's recipe at
the works' settled operating point, so that a plan starting it closes its Fe balance: with psm's sinter
now composed from its blend (Fe 0.591, issue 8 item 3), the idle second strand and the new furnace bf3
must read that sinter, not the carrier table's 0.57."""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.plant.build import build_plant
from steelworks.schema.loader import load_scenario


def _fe_closure(plant, uid: str) -> float:  # type: ignore[no-untyped-def]
    """Fe out - Fe in per unit of the unit's output, by its recipe and the carriers' Fe fractions."""
    u = plant.unit_ids.index(uid)
    row = np.asarray(plant.recipe[u], dtype=float)
    fe = np.asarray(plant.fe_frac, dtype=float).reshape(-1)
    return float(row @ fe)


@pytest.mark.parametrize("scenario", ["psm-plan", "psm-local-ore"])
@pytest.mark.parametrize("uid", ["sinter_plant_2", "bf3"])
def test_candidates_close_fe_with_the_works_carriers(scenario: str, uid: str) -> None:
    plant = build_plant(load_scenario(scenario), candidate_recipes=True)
    assert abs(_fe_closure(plant, uid)) < 1e-3  # t Fe per t product (dust and slag Fe are carriers too)


def test_a_candidate_with_another_blend_takes_the_running_strands_recipe() -> None:
    """psm-local-ore changes the running strand's ore; the idle strand's own blend would make richer
    sinter, so it takes the running strand's recipe (one sinter chemistry per works)."""
    plant = build_plant(load_scenario("psm-local-ore"), candidate_recipes=True)
    one, two = plant.unit_ids.index("sinter_plant"), plant.unit_ids.index("sinter_plant_2")
    assert np.asarray(plant.recipe[two]) == pytest.approx(np.asarray(plant.recipe[one]), abs=1e-15)
