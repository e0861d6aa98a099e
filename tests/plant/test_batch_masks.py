"""plant/batch.py: a sample a physics model cannot solve is masked by the model's own per-sample mask.

Regression (found by mutation testing): ``_run_models`` never asked the models for their mask
(``recipe(..., mask_infeasible=True)``), so an infeasible sample made the model raise for the whole
batch and the batch was bisected to find it (O(k log S) model runs for k bad samples), with a reason
that lost the model's ``(allowed: ...)``. The reason must be the one :func:`model_batch` gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from steelworks.plant import batch
from steelworks.plant.batch import sampled_recipes
from steelworks.plant.build import build_plant
from steelworks.plant.models import model_batch, plant_carrier_props
from steelworks.schema.loader import load_scenario


def test_an_infeasible_sample_is_masked_with_the_models_own_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario("psm")
    works = build_plant(scenario)
    # sample 1: a cold, wet blast with 200 kg/t natural gas and no coal: the raceway flame is too cold
    draws = {
        "natural_gas_rate": np.array([0.0, 200.0, 0.0]),
        "blast_temperature": np.array([1100.0, 700.0, 1100.0]),
        "blast_moisture": np.array([0.01, 0.06, 0.01]),
        "pci_rate": np.array([0.1, 0.0, 0.1]),
    }
    u = works.unit("bf1")
    alone = model_batch(
        scenario.plant.units["bf1"].model,  # type: ignore[arg-type]
        plant_carrier_props(works, scenario),
        draws,
        product=int(works.product[u]),
        cindex={c: i for i, c in enumerate(works.carrier_ids)},
        base_c=works.out_c_frac[u],
        base_lhv=works.out_lhv[u],
        file=None,
        where="units.bf1.model",
    )
    assert alone.feasible.tolist() == [True, False, True]
    assert alone.reason[1].startswith("units.bf1.model.params.natural_gas_rate: no solution: the raceway flame")
    assert "(allowed: " in alone.reason[1]

    runs: list[int] = []
    real = batch._run_models

    def counted(*args: Any) -> Any:
        runs.append(args[-1])
        return real(*args)

    monkeypatch.setattr(batch, "_run_models", counted)
    sampled = sampled_recipes(works, scenario, {f"units.bf1.model.params.{k}": v for k, v in draws.items()})
    assert sampled.faults == {1: alone.reason[1]}
    # one batched run finds the sample, one more with the unit's own values in it: no bisection
    assert runs == [3, 3]
    # the masked sample carries the works' own recipe, the others their draws
    np.testing.assert_array_equal(sampled.recipe[1, u], works.recipe[u])
    assert np.isfinite(sampled.recipe).all()
    np.testing.assert_allclose(sampled.recipe[[0, 2], u], alone.recipe[[0, 2]], rtol=1e-12, atol=1e-12)
