"""Recipes from physics models: a unit with ``model:`` gets its recipe row from ``steelworks.physics``.

The plant's carrier table is handed to the model as :class:`~steelworks.physics.base.CarrierProps`,
so the model's element balances use exactly the compositions the solve uses; gases a model
composes itself (top gas, converter gas, coke-oven gas) get unit-specific C and LHV.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from steelworks.errors import InputError
from steelworks.physics import MODELS
from steelworks.physics.base import CarrierProps, ParameterSpec, PhysicsResult
from steelworks.schema.plant import ModelSpec
from steelworks.units import convert


def carrier_props(scenario: Any, tables: dict[str, Any]) -> dict[str, CarrierProps]:
    out = {}
    for i, cid in enumerate(tables["ids"]):
        spec = scenario.carriers[cid]
        out[cid] = CarrierProps(
            fe_frac=float(tables["fe"][i]),
            c_frac=float(tables["c"][i]),
            lhv_gj_per_t=float(tables["lhv"][i]),
            analysis=dict(spec.analysis),
            volume_fractions=dict(spec.volume_fractions),
        )
    return out


def parameter_value(spec: ParameterSpec, value: object, *, file: str | None, where: str) -> float:
    """A model parameter in its table unit; plain numbers are read in that unit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    unit = "dimensionless" if spec.unit in ("-", "") else spec.unit.replace("Nm3", "m**3")
    return convert(value, unit, where=where, file=file)


def model_parameters(model_spec: ModelSpec, model: Any, *, file: str | None, where: str) -> dict[str, float]:
    specs = {p.name: p for p in model.PARAMETERS}
    params: dict[str, float] = {}
    for name, value in model_spec.params.items():
        if name not in specs:
            raise InputError(
                f"unknown parameter '{name}' of the {model_spec.kind} model",
                file=file,
                location=f"{where}.params.{name}",
                allowed=", ".join(specs),
            )
        params[name] = parameter_value(specs[name], value, file=file, where=f"{where}.params.{name}")
    return params


def run_model(
    model_spec: ModelSpec, carriers: dict[str, CarrierProps], *, file: str | None, where: str
) -> PhysicsResult:
    if model_spec.kind not in MODELS:
        raise InputError(
            f"unknown model kind '{model_spec.kind}'", file=file, location=f"{where}.kind", allowed=", ".join(MODELS)
        )
    model = MODELS[model_spec.kind]
    params = model_parameters(model_spec, model, file=file, where=where)
    try:
        return model.recipe(params, carriers, where=f"{where}.params")
    except InputError as exc:
        raise InputError(exc.message, file=exc.file or file, location=exc.location, allowed=exc.allowed) from None


def apply_model(
    result: PhysicsResult,
    u: int,
    product: int,
    cindex: dict[str, int],
    recipe: np.ndarray,
    out_c: np.ndarray,
    out_lhv: np.ndarray,
    *,
    file: str | None,
    where: str,
) -> None:
    """Write a model's recipe and gas properties into row ``u`` of the plant arrays."""
    recipe[u, :] = 0.0
    for cid, coefficient in result.recipe.items():
        if cid not in cindex:
            raise InputError(
                f"the model uses carrier '{cid}' that the carriers file lacks",
                file=file,
                location=where,
                allowed="add the carrier to carriers.yaml",
            )
        recipe[u, cindex[cid]] += float(np.asarray(coefficient))
    if abs(recipe[u, product] - 1.0) > 1e-9:
        raise InputError("the model's recipe is not per tonne of the unit's product", file=file, location=where)
    for cid, props in result.gas_properties.items():
        c = cindex[cid]
        out_c[u, c] = float(np.asarray(props["c_frac"]))
        out_lhv[u, c] = float(np.asarray(props["lhv_gj_per_t"]))
