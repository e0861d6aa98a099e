"""plant/models.py on its own: parameter units, recipe rows and every InputError, read field by field.

The rows are built from hand-made PhysicsResults (so each number is stated here), the model runs use
the blower model (physics/blower.py: four carriers, no composition), whose parameter table is short.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from steelworks.errors import InputError
from steelworks.physics import MODELS
from steelworks.physics.base import CarrierProps, PhysicsResult
from steelworks.plant.models import RecipeBatch, apply_model, model_batch, parameter_value, recipe_rows, run_model
from steelworks.schema.plant import ModelSpec

BLOWER = MODELS["blower"]
SPECS = {p.name: p for p in BLOWER.PARAMETERS}
CARRIERS = ["cold_blast", "air", "steam", "electricity", "top_gas"]
CINDEX = {c: i for i, c in enumerate(CARRIERS)}
AIR = {"N2": 0.79, "O2": 0.21}


def _props(**volume_fractions: float) -> CarrierProps:
    return CarrierProps(fe_frac=0.0, c_frac=0.0, lhv_gj_per_t=0.0, analysis={}, volume_fractions=volume_fractions)


BLOWER_CARRIERS = {"air": _props(**AIR), "cold_blast": _props(**AIR), "steam": _props(), "electricity": _props()}


def _fields(err: pytest.ExceptionInfo[InputError]) -> tuple[str, str | None, str | None, str | None]:
    e = err.value
    return e.message, e.file, e.location, e.allowed


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("blast_pressure", 4, 4.0),  # a plain number is read in the table's unit (bar abs)
        ("blast_pressure", 3.9, 3.9),
        ("blast_pressure", "3.9 bar abs", 3.9),  # as `steelworks params` prints it
        ("blast_pressure", " 3.9 bar abs ", 3.9),
        ("blast_pressure", "390 kPa", 3.9),  # 1 bar = 100 kPa
        ("polytropic_efficiency", "87 %", 0.87),  # "-" is dimensionless
        ("auxiliary_electricity", "5 kWh/t", 0.005),  # table unit MWh/t
    ],
)
def test_a_parameter_is_read_in_its_table_unit(name: str, value: object, expected: float) -> None:
    got = parameter_value(SPECS[name], value, file=None, where="w")
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-12)


def test_nm3_in_a_table_unit_is_read_as_cubic_metres() -> None:
    spec = next(p for p in MODELS["blast_furnace"].PARAMETERS if p.name == "blower_kwh_per_nm3")
    assert spec.unit == "kWh/Nm3"
    assert parameter_value(spec, "85 Wh/m**3", file=None, where="w") == pytest.approx(0.085, rel=1e-12)
    assert parameter_value(spec, "0.085 kWh/Nm3", file=None, where="w") == pytest.approx(0.085, rel=1e-12)


def test_a_boolean_is_not_a_parameter_value() -> None:
    with pytest.raises(InputError) as err:
        parameter_value(SPECS["electric_share"], True, file="f.yaml", where="units.b.model.params.electric_share")
    assert err.value.file == "f.yaml" and err.value.location == "units.b.model.params.electric_share"


def test_run_model_errors_name_the_file_the_field_and_the_choices() -> None:
    with pytest.raises(InputError) as err:
        run_model(ModelSpec(kind="blowr"), BLOWER_CARRIERS, file="p.yaml", where="units.b.model")
    assert _fields(err) == ("unknown model kind 'blowr'", "p.yaml", "units.b.model.kind", ", ".join(MODELS))
    with pytest.raises(InputError) as err:
        run_model(ModelSpec(kind="blower", params={"speed": "3 rpm"}), BLOWER_CARRIERS, file="p.yaml", where="m")
    assert _fields(err) == (
        "unknown parameter 'speed' of the blower model",
        "p.yaml",
        "m.params.speed",
        ", ".join(SPECS),  # the table's order
    )
    # the model's own error gets the plant file (the model knows only the location)
    with pytest.raises(InputError) as err:
        run_model(ModelSpec(kind="blower", params={"blast_pressure": 9}), BLOWER_CARRIERS, file="p.yaml", where="m")
    assert _fields(err) == (
        "blast_pressure = [9.0] bar abs is outside the range the model is valid for",
        "p.yaml",
        "m.params.blast_pressure",
        "1.5 to 7.0 bar abs",
    )


def test_recipe_rows_add_the_model_recipe_and_overwrite_the_gases_it_composes() -> None:
    result = PhysicsResult(
        recipe={"cold_blast": np.array(1.0), "air": np.array(-1.0), "top_gas": np.array([0.5, 0.25])},
        gas_properties={"top_gas": {"c_frac": np.array([0.2, 0.3]), "lhv_gj_per_t": np.array(3.0)}},
    )
    base_c = np.array([0.0, 0.0, 0.0, 0.0, 0.1])
    base_lhv = np.array([0.0, 0.0, 0.0, 0.0, 2.0])
    rows, c, lhv = recipe_rows(result, 2, CINDEX["cold_blast"], CINDEX, base_c, base_lhv, file=None, where="w")
    np.testing.assert_array_equal(rows, [[1.0, -1.0, 0.0, 0.0, 0.5], [1.0, -1.0, 0.0, 0.0, 0.25]])
    np.testing.assert_array_equal(c, [[0.0, 0.0, 0.0, 0.0, 0.2], [0.0, 0.0, 0.0, 0.0, 0.3]])
    np.testing.assert_array_equal(lhv, [[0.0, 0.0, 0.0, 0.0, 3.0]] * 2)
    np.testing.assert_array_equal(base_c, [0.0, 0.0, 0.0, 0.0, 0.1])  # the table is not written


def test_recipe_rows_refuse_an_unknown_carrier_and_a_recipe_not_per_tonne() -> None:
    zeros = np.zeros(len(CARRIERS))
    unknown = PhysicsResult(recipe={"cold_blast": np.array(1.0), "nitrogen": np.array(-1.0)})
    with pytest.raises(InputError) as err:
        recipe_rows(unknown, 1, 0, CINDEX, zeros, zeros, file="p.yaml", where="units.b.model")
    assert _fields(err) == (
        "the model uses carrier 'nitrogen' that the carriers file lacks",
        "p.yaml",
        "units.b.model",
        "add the carrier to carriers.yaml",
    )
    half = PhysicsResult(recipe={"cold_blast": np.array([1.0, 0.5]), "air": np.array(-1.0)})
    with pytest.raises(InputError) as err:
        recipe_rows(half, 2, 0, CINDEX, zeros, zeros, file="p.yaml", where="units.b.model")
    assert _fields(err) == (
        "the model's recipe is not per tonne of the unit's product",
        "p.yaml",
        "units.b.model",
        None,
    )
    # a sample the model marked infeasible is not held to it (its rows are NaN afterwards)
    rows, _, _ = recipe_rows(half, 2, 0, CINDEX, zeros, zeros, file=None, where="w", feasible=np.array([True, False]))
    assert rows[:, 0].tolist() == [1.0, 0.5]


def test_apply_model_writes_row_u_and_refuses_a_batch() -> None:
    recipe = np.zeros((2, len(CARRIERS)))
    out_c = np.full((2, len(CARRIERS)), 0.1)
    out_lhv = np.full((2, len(CARRIERS)), 2.0)
    one = PhysicsResult(
        recipe={"cold_blast": np.array(1.0), "air": np.array(-1.0), "top_gas": np.array(0.5)},
        gas_properties={"top_gas": {"c_frac": np.array(0.25), "lhv_gj_per_t": np.array(3.5)}},
    )
    apply_model(one, 1, 0, CINDEX, recipe, out_c, out_lhv, file=None, where="w")
    assert recipe.tolist() == [[0.0] * 5, [1.0, -1.0, 0.0, 0.0, 0.5]]
    assert out_c.tolist() == [[0.1] * 5, [0.1, 0.1, 0.1, 0.1, 0.25]]
    assert out_lhv.tolist() == [[2.0] * 5, [2.0, 2.0, 2.0, 2.0, 3.5]]
    batch = PhysicsResult(recipe={"cold_blast": np.ones(2), "air": -np.ones(2)})
    with pytest.raises(InputError) as err:
        apply_model(batch, 0, 0, CINDEX, recipe, out_c, out_lhv, file="p.yaml", where="units.b.model")
    assert _fields(err) == (
        "a batch of model samples cannot be written into the one-run plant arrays",
        "p.yaml",
        "units.b.model",
        "one value per parameter (use model_batch for samples)",
    )


def _batch(samples: dict[str, Any], spec: ModelSpec | None = None, n_samples: int | None = None) -> RecipeBatch:
    zeros = np.zeros(len(CARRIERS))
    return model_batch(
        spec or ModelSpec(kind="blower"),
        BLOWER_CARRIERS,
        samples,
        product=CINDEX["cold_blast"],
        cindex=CINDEX,
        base_c=zeros,
        base_lhv=zeros,
        n_samples=n_samples,
        file="p.yaml",
        where="units.b.model",
    )


def test_model_batch_masks_a_sample_out_of_range_and_keeps_the_others_as_one_run() -> None:
    b = _batch({"blast_pressure": np.array([3.9, 9.0, 2.0])})
    assert b.feasible.tolist() == [True, False, True] and b.n_infeasible == 1
    assert b.reason.tolist() == [
        "",
        "units.b.model.params.blast_pressure: blast_pressure = [9.0] bar abs is outside the range the model is "
        "valid for (allowed: 1.5 to 7.0 bar abs)",
        "",
    ]
    assert np.isnan(b.recipe[1]).all() and np.isnan(b.c_frac[1]).all() and np.isnan(b.lhv[1]).all()
    for s, pressure in ((0, 3.9), (2, 2.0)):
        one = run_model(
            ModelSpec(kind="blower", params={"blast_pressure": pressure}), BLOWER_CARRIERS, file=None, where="w"
        )
        row = np.zeros(len(CARRIERS))
        for cid, v in one.recipe.items():
            row[CINDEX[cid]] = float(v)
        np.testing.assert_allclose(b.recipe[s], row, rtol=1e-12)
    assert b.recipe[0, CINDEX["steam"]] < b.recipe[2, CINDEX["steam"]] < 0  # more pressure, more steam


def test_model_batch_holds_the_scenario_params_for_every_sample() -> None:
    spec = ModelSpec(kind="blower", params={"electric_share": 1})
    b = _batch({}, spec, n_samples=2)
    assert b.feasible.all()
    assert b.recipe[:, CINDEX["steam"]].tolist() == [0.0, 0.0]  # all electric: no steam


@pytest.mark.parametrize(
    ("samples", "spec", "n_samples", "expected"),
    [
        (
            {},
            ModelSpec(kind="blowr"),
            1,
            ("unknown model kind 'blowr'", "p.yaml", "units.b.model.kind", ", ".join(MODELS)),
        ),
        (
            {"speed": np.zeros(2)},
            None,
            None,
            (
                "unknown parameter 'speed' of the blower model",
                "p.yaml",
                "units.b.model.params.speed",
                ", ".join(sorted(SPECS)),
            ),
        ),
        (
            {"blast_pressure": np.full((2, 2), 3.9)},
            None,
            None,
            (
                "samples of 'blast_pressure' have shape (2, 2)",
                "p.yaml",
                "units.b.model.params.blast_pressure",
                "a float or an array of shape (S,)",
            ),
        ),
        (
            {"blast_pressure": np.full(3, 3.9), "inlet_pressure": np.ones(2)},
            None,
            None,
            (
                "parameter samples of different lengths [2, 3]",
                "p.yaml",
                "units.b.model.params",
                "every sampled parameter with the same number of samples S",
            ),
        ),
        (
            {"blast_pressure": np.full(3, 3.9)},
            None,
            4,
            (
                "parameter samples of different lengths [3, 4]",
                "p.yaml",
                "units.b.model.params",
                "every sampled parameter with the same number of samples S",
            ),
        ),
        (
            {"blast_pressure": 3.9},
            None,
            None,
            ("no samples: give n_samples or an array of samples", "p.yaml", "units.b.model.params", None),
        ),
    ],
    ids=["kind", "name", "shape", "lengths", "n_samples", "none"],
)
def test_model_batch_errors(
    samples: dict[str, Any], spec: ModelSpec | None, n_samples: int | None, expected: tuple[str, ...]
) -> None:
    with pytest.raises(InputError) as err:
        _batch(samples, spec, n_samples)
    assert _fields(err) == expected
