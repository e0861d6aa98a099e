"""A batch solved in blocks of SOLVE_BLOCK samples equals the same batch solved in one block (to 1e-9)
(blocks of 4, 4, 3: the joined arrays, balances and faults line up sample for sample)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import steelworks.plant.solve as solve_mod
from steelworks.plant.batch import sampled_recipes
from steelworks.plant.build import build_plant
from steelworks.schema.loader import load_scenario


def _solve(block: int, monkeypatch: pytest.MonkeyPatch) -> solve_mod.Solution:
    monkeypatch.setattr(solve_mod, "SOLVE_BLOCK", block)
    scenario = load_scenario("psm")
    plant = build_plant(scenario)
    rng = np.random.default_rng(7)
    heat = rng.uniform(0.5, 1.0, 11)
    heat[9] = 5.0  # outside the domain [0.1, 1.5]: masked by sampled_recipes, solved with the unit's value
    works = sampled_recipes(plant, scenario, {"units.bf1.model.params.heat_losses": heat})
    return solve_mod.solve(
        works.plant, works.recipe, out_c_frac=works.out_c_frac, out_lhv=works.out_lhv, mask_faults=True
    )


def test_blocks_equal_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _solve(10_000, monkeypatch)
    blocks = _solve(4, monkeypatch)  # 11 samples -> blocks of 4, 4, 3
    assert blocks.faults.keys() == whole.faults.keys()
    for name in ("throughput", "produced", "consumed", "bought", "sold", "c_in", "c_out", "e_in", "e_out"):
        np.testing.assert_allclose(getattr(blocks, name), getattr(whole, name), rtol=1e-9, atol=1e-9)
    assert blocks.balances is not None and whole.balances is not None
    for f in dataclasses.fields(whole.balances):
        np.testing.assert_allclose(
            getattr(blocks.balances, f.name), getattr(whole.balances, f.name), rtol=1e-9, atol=1e-6
        )
    assert blocks.throughput.shape[0] == 11
