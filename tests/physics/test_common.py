"""The shared helpers of the process models: one home (physics/common.py), no model imports another."""

import ast
from pathlib import Path

import numpy as np
import pytest

from steelworks.errors import InputError
from steelworks.physics import MODELS, common
from steelworks.physics.base import CarrierProps

PHYSICS = Path(common.__file__).parent
#: modules a process model may import from steelworks.physics
SHARED = {"base", "common", "thermo"}


def _physics_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[:2] == ["steelworks", "physics"]:
                found |= {parts[2]} if len(parts) > 2 else {a.name for a in node.names}
    return found


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_no_model_imports_another_model(kind):
    path = PHYSICS / f"{MODELS[kind].solve.__module__.rsplit('.', 1)[1]}.py"
    assert path.exists()
    assert _physics_imports(path) <= SHARED, f"{path.name} imports {_physics_imports(path) - SHARED}"


def test_the_shared_helpers_live_in_common_only():
    """The shared helpers are defined once: in common.py, or in feasibility.py (numbers, errors and the
    per-sample check, which common re-exports), never again in a model."""
    for path in PHYSICS.glob("*.py"):
        if path.name in ("common.py", "feasibility.py"):
            continue
        defined = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)}
        assert not defined & {"num", "fail", "get_carrier", "ferrous_chemistry", "flux_props", "first_bad"}, path.name


def test_flux_props_closes_the_mass():
    lime = CarrierProps(c_frac=0.01, analysis={"SiO2": 0.02, "MgO": 0.03})
    f = common.flux_props(lime)
    assert f["CO2"] == pytest.approx(0.01 * 44.009 / 12.011, rel=1e-4)
    assert f["CaO"] + f["SiO2"] + f["MgO"] + f["CO2"] == pytest.approx(1.0, abs=1e-15)


def test_ferrous_chemistry_splits_hematite_and_magnetite():
    # 66 % Fe pellets with 1 % FeO: the rest of the iron is hematite, Fe2O3 = (0.66 - 0.01 * 0.7773) / 0.6994
    ch = common.ferrous_chemistry(CarrierProps(fe_frac=0.66, analysis={"FeO": 0.01, "SiO2": 0.03}), "p", "m")
    assert ch["Fe2O3"] == pytest.approx((0.66 - 0.01 * 0.77731) / 0.69943, rel=1e-4)
    assert ch["other"] == pytest.approx(1 - 0.66 - ch["O"] - 0.03, abs=1e-12)


def test_infeasible_raises_outside_a_batch_and_masks_inside():
    value = np.array([1.0, -2.0, 3.0, -4.0])
    bad = value < 0
    with pytest.raises(InputError, match=r"value -2\.0 is negative") as err:
        common.infeasible(bad, "units.x.model", "p", lambda b: f"value {common.first_bad(value, b)} is negative", "> 0")
    assert err.value.location == "units.x.model.p"
    with common.masked() as record:
        common.infeasible(bad, "units.x.model", "p", lambda b: f"value {common.first_bad(value, b)} is negative", "> 0")
        common.infeasible(value > 2.5, "units.x.model", "q", "too large")
    ok, reason = record.final((4,))
    assert ok.tolist() == [True, False, False, False]
    assert reason.tolist() == [
        "",
        "units.x.model.p: value -2.0 is negative (allowed: > 0)",
        "units.x.model.q: too large",
        "units.x.model.p: value -4.0 is negative (allowed: > 0)",
    ]
    # a check on a scalar (a carrier property) masks every sample
    with common.masked() as record:
        common.infeasible(np.bool_(True), "m", "carriers.coke", "coke chemistry does not sum")
    ok, reason = record.final((3,))
    assert not ok.any() and set(reason) == {"m.carriers.coke: coke chemistry does not sum"}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_a_masked_batch_equals_one_run_per_sample_for_every_model(kind, carriers):
    """Wide random draws (many infeasible): each feasible sample equals its own run exactly; each masked
    sample is one whose own run raises, and its reason is that error's location and message."""
    model = MODELS[kind]
    rng = np.random.default_rng(sum(map(ord, kind)))
    n = 30
    draws = {
        s.name: rng.uniform(s.low, s.high, n)
        for s in model.PARAMETERS
        if not s.name.endswith("_share") and s.name != "composition_from_blend"
    }
    first = next(iter(draws))
    draws[first][4] = model.PARAMETERS[0].high + 1e6  # out of the model's range
    batch = model.recipe(draws, carriers, mask_infeasible=True)
    assert batch.feasible.shape == (n,) and not batch.feasible[4]
    for i in range(n):
        one = {k: float(v[i]) for k, v in draws.items()}
        try:
            alone = model.recipe(one, carriers)
        except InputError as err:
            assert not batch.feasible[i]
            assert batch.infeasible_reason[i].startswith(f"{err.location}: {err.message}")
            continue
        assert batch.feasible[i], batch.infeasible_reason[i]
        assert batch.infeasible_reason[i] == ""
        for cid, coefficient in alone.recipe.items():
            # equal to a few ulp: numpy's SIMD loops over an array may round differently from the scalar
            # path (numpy 2.4 on this machine: 1 ulp in the blower's steam); any real divergence is far larger
            got, want = float(batch.recipe[cid][i]), float(coefficient)
            assert abs(got - want) <= 4 * np.spacing(abs(want)), (kind, i, cid, got, want)
    # both kinds of sample occur (more than the one forced out of range): the comparison tests something
    assert 10 <= batch.feasible.sum() <= n - 1
