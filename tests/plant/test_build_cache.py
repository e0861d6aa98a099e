"""Physics results are reused per validated input, never across different inputs, and never written to."""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.api import run_balance


def _bf1_coke(result: object) -> float:
    plant = result.plant  # type: ignore[attr-defined]
    return float(-plant.recipe[plant.unit("bf1"), plant.carrier("coke")])


def test_same_input_reuses_the_physics_result_and_a_changed_parameter_does_not() -> None:
    first = run_balance("psm")
    again = run_balance("psm")
    u = first.plant.unit("bf1")
    assert again.plant.unit_models[u] is first.plant.unit_models[u]  # reused, not recomputed
    assert _bf1_coke(again) == _bf1_coke(first)
    changed = run_balance("psm", ["units.bf1.model.params.blower_kwh_per_nm3=0.02"])
    assert changed.plant.unit_models[u] is not first.plant.unit_models[u]
    # blower power is electricity, the coke rate stays; the electricity input of bf1 grows
    e = first.plant.carrier("electricity")
    assert changed.plant.recipe[u, e] < first.plant.recipe[u, e]
    back = run_balance("psm")
    assert back.plant.recipe[u, e] == first.plant.recipe[u, e]  # the override did not leak into the cache


def test_cached_physics_arrays_are_read_only() -> None:
    result = run_balance("psm")
    arrays = [
        v
        for r in result.plant.unit_models.values()
        for v in (*r.recipe.values(), *r.diagnostics.values())
        if isinstance(v, np.ndarray)
    ]
    assert arrays
    with pytest.raises(ValueError, match="read-only"):
        arrays[0][...] = 0.0


@pytest.mark.parametrize("scenario", ["psm", "psm-dri-eaf", "psm-local-ore"])
def test_a_warm_build_equals_a_build_with_every_cache_emptied(scenario: str) -> None:
    from steelworks import api
    from steelworks.plant import build

    run_balance(scenario)
    api.clear_cache()  # the works cache would hand back the same plant: build it again
    warm = run_balance(scenario).plant  # physics results and their rows reused
    api.clear_cache()
    build._MODEL_RESULTS.clear()
    build._MODEL_ROWS.clear()
    cold = run_balance(scenario).plant
    for name in ("recipe", "out_c_frac", "out_lhv", "fe_frac", "c_frac", "lhv_gj_per_t", "capacity", "demand"):
        assert np.array_equal(getattr(warm, name), getattr(cold, name)), name
