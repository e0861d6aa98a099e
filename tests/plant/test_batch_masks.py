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

#: the sinter's basicity fixed (not following the furnaces, issue 8 item 3), so that a furnace sampled alone
#: reads the same sinter as in the works; with it following, each sample settles its own sinter
FIXED_SINTER = ["units.sinter_plant.model.params.basicity_follows_furnace=0"]


def test_an_infeasible_sample_is_masked_with_the_models_own_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario("psm", FIXED_SINTER)
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


def test_a_composition_a_model_derives_per_sample_is_the_batchs_carrier_chemistry() -> None:
    """psm-local-ore: the sinter plant composes its sinter from its blend; sampled_recipes holds that
    chemistry per sample in the batch's fe_frac/c_frac (S, C) and in the out_c of every row.

    Regression: the blast furnaces, whose own parameters are not sampled, were called with scalar
    parameters and per-sample sinter and failed with a numpy ValueError (not even an InputError)."""
    scenario = load_scenario("psm-local-ore", FIXED_SINTER)
    works = build_plant(scenario)
    local = np.array([0.05, 0.15, 0.25])
    draws = {"local_ore_share": local, "fines_share": 1.0 - local}
    u = works.unit("sinter_plant")
    alone = model_batch(
        scenario.plant.units["sinter_plant"].model,  # type: ignore[arg-type]
        plant_carrier_props(works, scenario),
        draws,
        product=int(works.product[u]),
        cindex={c: i for i, c in enumerate(works.carrier_ids)},
        base_c=works.out_c_frac[u],
        base_lhv=works.out_lhv[u],
        file=None,
        where="units.sinter_plant.model",
    )
    comp = alone.result.product_composition
    sampled = sampled_recipes(works, scenario, {f"units.sinter_plant.model.params.{k}": v for k, v in draws.items()})
    assert sampled.faults == {}
    s = works.carrier("sinter")
    np.testing.assert_allclose(sampled.plant.fe_frac[:, s], comp["fe_frac"], rtol=1e-12)
    np.testing.assert_allclose(sampled.plant.c_frac[:, s], comp["c_frac"], rtol=1e-12)
    np.testing.assert_allclose(sampled.out_c_frac[:, :, s], np.repeat(comp["c_frac"][:, None], works.n_units, 1))
    assert np.all(np.diff(sampled.plant.fe_frac[:, s]) < 0)  # more local ore, leaner sinter
    other = works.carrier("hot_metal")
    assert (sampled.plant.fe_frac[:, other] == works.fe_frac[other]).all()


def test_a_check_a_model_raises_for_the_whole_batch_is_isolated_by_bisection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model check that is not masked per sample (simulated here: any heat loss above 1 GJ/t refuses the
    whole batch) is found by bisecting the batch; only the offending samples are masked."""
    from steelworks.errors import InputError

    scenario = load_scenario("psm")
    works = build_plant(scenario)
    u = works.unit("bf1")
    real = batch._run_models
    sizes: list[int] = []

    def strict(plant: Any, scen: Any, params: dict[int, dict[str, Any]], S: int) -> Any:
        sizes.append(S)
        if np.any(np.asarray(params[u]["heat_losses"]) > 1.0):
            raise InputError("refused for the whole batch", location="units.bf1.model.params.heat_losses")
        return real(plant, scen, params, S)

    monkeypatch.setattr(batch, "_run_models", strict)
    heat = np.array([0.75, 1.2, 0.75, 0.75, 1.3, 0.75, 0.75, 0.75])  # inside the domain [0.1, 1.5]
    sampled = sampled_recipes(works, scenario, {"units.bf1.model.params.heat_losses": heat})
    reason = "units.bf1.model.params.heat_losses: refused for the whole batch"
    assert sampled.faults == {1: reason, 4: reason}
    # 8 fails (and once more at the root of the bisection); halves 4 + 4 fail; quarters 2 (fails), 2 and
    # 2 (fails), 2; the failing pairs one by one; then all 8 with the unit's own value in samples 1 and 4
    assert sizes == [8, 8, 4, 2, 1, 1, 2, 4, 2, 1, 1, 2, 8]
    np.testing.assert_array_equal(sampled.recipe[1, u], works.recipe[u])  # masked: the works' own recipe
    assert not np.array_equal(sampled.recipe[0, u], works.recipe[u])  # 0.75 GJ/t is not the file's value


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (
            {"units.bf1.availability": np.ones(2)},
            (
                "'units.bf1.availability' is not a physics parameter of a unit with a model",
                "units.bf1.availability",
                "units.<id>.model.params.<name> of WITH_MODELS",
            ),
        ),
        (
            {"units.bf1.model.params.coke_rate": np.ones(2)},
            ("unknown parameter 'coke_rate' of the blast_furnace model", "units.bf1.model.params.coke_rate", "TABLE"),
        ),
        (
            {"units.bf1.model.params.heat_losses": np.ones((2, 2))},
            (
                "samples of 'units.bf1.model.params.heat_losses' must be one-dimensional",
                "units.bf1.model.params.heat_losses",
                "shape (S,)",
            ),
        ),
        (
            {"units.bf1.model.params.heat_losses": np.ones(2), "units.bf1.model.params.pci_rate": np.ones(3)},
            ("sample arrays have different lengths [2, 3]", "samples", None),
        ),
    ],
    ids=["not-a-model-parameter", "unknown-parameter", "not-1-d", "lengths"],
)
def test_bad_sample_paths_and_shapes_name_the_path_and_what_is_allowed(
    samples: dict[str, Any], expected: tuple[str, str, str | None]
) -> None:
    from steelworks.errors import InputError
    from steelworks.physics import MODELS
    from steelworks.plant.batch import parse_samples

    scenario = load_scenario("psm")
    with_models = ", ".join(u for u, spec in scenario.plant.units.items() if spec.model is not None)
    assert "bf1" in with_models.split(", ")
    table = ", ".join(p.name for p in MODELS["blast_furnace"].PARAMETERS)
    with pytest.raises(InputError) as err:
        parse_samples(scenario, samples)
    message, location, allowed = expected
    allowed = None if allowed is None else allowed.replace("WITH_MODELS", with_models).replace("TABLE", table)
    assert (err.value.message, err.value.location, err.value.allowed) == (message, location, allowed)
