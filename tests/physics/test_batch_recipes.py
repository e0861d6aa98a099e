"""Batch recipes (plant/models.model_batch): sampled parameters -> (S, C) rows, infeasible samples masked.

Reference for every number: the one-run path (run_model + apply_model, which the plant build uses)
solved one sample at a time. The batch must equal it to 1e-12 for every feasible sample and mask
exactly the samples the one-run path rejects, with the one-run error message as the reason.
"""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.errors import InputError
from steelworks.physics import MODELS
from steelworks.plant.build import build_plant
from steelworks.plant.models import apply_model, model_batch, plant_carrier_props, run_model
from steelworks.schema.loader import load_scenario

N_DRAWS = 20


@pytest.fixture(scope="module", params=["psm-local-ore", "psm-dri-eaf", "ieaghg-reference"])
def works(request):
    scenario = load_scenario(request.param)
    plant = build_plant(scenario)
    return scenario, plant, plant_carrier_props(plant, scenario)


def _model_units(scenario, plant):
    return [u for u in plant.unit_ids if plant.operating[plant.unit(u)] and scenario.plant.units[u].model is not None]


def _draws(kind: str, rng: np.random.Generator, band: float = 0.1) -> dict[str, np.ndarray]:
    """Random draws of every non-share parameter within ``band`` of its range around the default."""
    out = {}
    for spec in MODELS[kind].PARAMETERS:
        if spec.name.endswith("_share") or spec.name == "composition_from_blend":
            continue
        lo = max(spec.low, spec.default - band * (spec.high - spec.low))
        hi = min(spec.high, spec.default + band * (spec.high - spec.low))
        out[spec.name] = rng.uniform(lo, hi, N_DRAWS)
    return out


def _one_run(scenario, plant, props, uid, values):
    """Row, C and LHV of unit ``uid`` from the plant build's path with the parameters ``values``."""
    u = plant.unit(uid)
    spec = scenario.plant.units[uid].model
    spec = spec.model_copy(update={"params": {**spec.params, **values}})
    cindex = {c: i for i, c in enumerate(plant.carrier_ids)}
    recipe, out_c, out_lhv = plant.recipe.copy(), plant.out_c_frac.copy(), plant.out_lhv.copy()
    result = run_model(spec, props, file=None, where=f"units.{uid}.model")
    apply_model(result, u, int(plant.product[u]), cindex, recipe, out_c, out_lhv, file=None, where="x")
    return recipe[u], out_c[u], out_lhv[u]


def _batch(scenario, plant, props, uid, samples, n_samples=None):
    u = plant.unit(uid)
    return model_batch(
        scenario.plant.units[uid].model,
        props,
        samples,
        product=int(plant.product[u]),
        cindex={c: i for i, c in enumerate(plant.carrier_ids)},
        base_c=plant.out_c_frac[u],
        base_lhv=plant.out_lhv[u],
        n_samples=n_samples,
        file=None,
        where=f"units.{uid}.model",
    )


def test_batch_without_samples_reproduces_the_built_plant(works):
    scenario, plant, props = works
    for uid in _model_units(scenario, plant):
        u = plant.unit(uid)
        # parameters the plant set (a sinter basicity that follows the furnaces) are the unit's too
        b = _batch(scenario, plant, props, uid, plant.settled_params.get(uid, {}), n_samples=3)
        assert b.recipe.shape == (3, plant.n_carriers) and b.feasible.all()
        np.testing.assert_array_equal(b.recipe, np.broadcast_to(plant.recipe[u], (3, plant.n_carriers)))
        np.testing.assert_array_equal(b.c_frac[0], plant.out_c_frac[u])
        np.testing.assert_array_equal(b.lhv[0], plant.out_lhv[u])


def test_twenty_random_draws_equal_one_at_a_time(works):
    scenario, plant, props = works
    rng = np.random.default_rng(20261203)
    for uid in _model_units(scenario, plant):
        kind = scenario.plant.units[uid].model.kind
        draws = _draws(kind, rng)
        b = _batch(scenario, plant, props, uid, draws)
        assert b.recipe.shape == b.c_frac.shape == b.lhv.shape == (N_DRAWS, plant.n_carriers)
        assert b.feasible.sum() >= N_DRAWS - 3, b.reason[~b.feasible]
        for i in range(N_DRAWS):
            values = {k: float(v[i]) for k, v in draws.items()}
            if not b.feasible[i]:  # masked exactly where one run raises, with its message
                with pytest.raises(InputError) as err:
                    _one_run(scenario, plant, props, uid, values)
                assert b.reason[i].startswith(f"{err.value.location}: {err.value.message}")
                continue
            row, c, lhv = _one_run(scenario, plant, props, uid, values)
            np.testing.assert_allclose(b.recipe[i], row, rtol=1e-12, atol=1e-12, err_msg=f"{uid} draw {i}")
            np.testing.assert_allclose(b.c_frac[i], c, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(b.lhv[i], lhv, rtol=1e-12, atol=1e-12)
        # the draws move the recipe: a batch that ignored them would fail the comparison above
        assert np.ptp(b.recipe[b.feasible], axis=0).max() > 1e-3  # masked rows are NaN


def _first_furnace(scenario, plant):
    return next(u for u in _model_units(scenario, plant) if scenario.plant.units[u].model.kind == "blast_furnace")


def test_an_infeasible_draw_is_masked_with_its_reason_and_the_others_stay_valid():
    scenario = load_scenario("psm")
    plant = build_plant(scenario)
    props = plant_carrier_props(plant, scenario)
    uid = _first_furnace(scenario, plant)
    rng = np.random.default_rng(5)
    draws = _draws("blast_furnace", rng, band=0.03)
    # draw 7: a cold, wet blast with the most natural gas the model admits -> raceway flame too cold;
    # draw 12: a blast temperature outside the model's range
    draws["natural_gas_rate"][7], draws["blast_temperature"][7], draws["blast_moisture"][7] = 200.0, 700.0, 0.06
    draws["pci_rate"][7] = 0.0  # so the natural gas is the injection to blame
    draws["blast_temperature"][12] = 1400.0
    b = _batch(scenario, plant, props, uid, draws)
    assert b.feasible.tolist() == [i not in (7, 12) for i in range(N_DRAWS)]
    assert b.n_infeasible == 2
    with pytest.raises(InputError) as err:
        _one_run(scenario, plant, props, uid, {k: float(v[7]) for k, v in draws.items()})
    assert "raceway flame" in err.value.message
    assert b.reason[7] == f"{err.value.location}: {err.value.message} (allowed: {err.value.allowed})"
    assert b.reason[7].startswith(f"units.{uid}.model.params.natural_gas_rate: no solution: the raceway flame")
    assert b.reason[12].startswith(f"units.{uid}.model.params.blast_temperature: blast_temperature = [1400.0]")
    assert np.isnan(b.recipe[[7, 12]]).all() and np.isnan(b.c_frac[7]).all()
    assert (b.reason[b.feasible] == "").all()
    for i in np.flatnonzero(b.feasible):
        row, c, _ = _one_run(scenario, plant, props, uid, {k: float(v[i]) for k, v in draws.items()})
        np.testing.assert_allclose(b.recipe[i], row, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(b.c_frac[i], c, rtol=1e-12, atol=1e-12)


def test_a_derived_sinter_composition_per_sample_feeds_the_furnace():
    """The sinter model's chemistry per sample, handed to the furnace as array carriers, equals one at a time."""
    from steelworks.plant.models import with_composition

    scenario = load_scenario("psm-local-ore")
    plant = build_plant(scenario)
    props = plant_carrier_props(plant, scenario)
    rng = np.random.default_rng(11)
    local = rng.uniform(0.05, 0.25, N_DRAWS)
    sinter = _batch(scenario, plant, props, "sinter_plant", {"local_ore_share": local, "fines_share": 1 - local})
    assert sinter.feasible.all()
    comp = sinter.result.product_composition
    batch_props = {**props, "sinter": with_composition(props["sinter"], comp)}
    bf = _batch(scenario, plant, batch_props, "bf1", {}, n_samples=N_DRAWS)
    assert bf.feasible.all()
    for i in (0, 9, 19):
        one = {k: float(v[i]) for k, v in comp.items() if k != "analysis"}
        one["analysis"] = {k: float(v[i]) for k, v in comp["analysis"].items()}
        row, _, _ = _one_run(scenario, plant, {**props, "sinter": with_composition(props["sinter"], one)}, "bf1", {})
        np.testing.assert_allclose(bf.recipe[i], row, rtol=1e-12, atol=1e-12)
    # leaner sinter, more coke: the per-sample chemistry reaches the furnace
    coke = plant.carrier("coke")
    assert np.corrcoef(local, -bf.recipe[:, coke])[0, 1] > 0.9


def test_batch_rejects_bad_sample_shapes_and_names():
    scenario = load_scenario("psm")
    plant = build_plant(scenario)
    props = plant_carrier_props(plant, scenario)
    uid = _first_furnace(scenario, plant)
    with pytest.raises(InputError, match="different lengths"):
        _batch(scenario, plant, props, uid, {"heat_losses": np.full(3, 0.7), "pci_rate": np.zeros(4)})
    with pytest.raises(InputError, match="unknown parameter 'coke_rate'") as err:
        _batch(scenario, plant, props, uid, {"coke_rate": np.zeros(3)})
    assert err.value.location == f"units.{uid}.model.params.coke_rate"
    with pytest.raises(InputError, match=r"shape \(2, 2\)"):
        _batch(scenario, plant, props, uid, {"pci_rate": np.zeros((2, 2))})
