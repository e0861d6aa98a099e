"""Recipes from physics models: a unit with ``model:`` gets its recipe row from ``steelworks.physics``.

The plant's carrier table is handed to the model as :class:`~steelworks.physics.base.CarrierProps`,
so the model's element balances use exactly the compositions the solve uses; gases a model
composes itself (top gas, converter gas, coke-oven gas) get unit-specific C and LHV.

Two paths share one row assembly (:func:`recipe_rows`):

* one run (the plant build): :func:`run_model` then :func:`apply_model` writes row ``u`` of the
  plant arrays; an infeasible model raises :class:`~steelworks.errors.InputError`;
* a batch of ``S`` samples of the model parameters: :func:`model_batch` returns the unit's recipe
  rows ``(S, C)``, its output C and LHV ``(S, C)`` and a per-sample feasibility mask with the
  reason of each infeasible sample (its rows are NaN), without a Python loop over samples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

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


def plant_carrier_props(plant: Any, scenario: Any) -> dict[str, CarrierProps]:
    """The carriers as the plant's last model pass read them: its table plus the compositions models derived.

    ``plant`` is a built :class:`~steelworks.plant.build.Plant`; a carrier whose chemistry a model
    composes (sinter from its blend) carries that chemistry, as in the build's fixed point.
    """
    tables = {"ids": plant.carrier_ids, "fe": plant.fe_frac, "c": plant.c_frac, "lhv": plant.lhv_gj_per_t}
    props = carrier_props(scenario, tables)
    for cid, held in plant.derived_compositions.items():
        props[cid] = with_composition(props[cid], held)
    return props


def with_composition(props: CarrierProps, composition: Mapping[str, Any]) -> CarrierProps:
    """``props`` with the ``fe_frac``, ``c_frac`` and ``analysis`` a model composed (floats or arrays (S,))."""
    return replace(
        props,
        fe_frac=composition["fe_frac"],
        c_frac=composition["c_frac"],
        analysis=dict(composition["analysis"]),
    )


def parameter_value(spec: ParameterSpec, value: object, *, file: str | None, where: str) -> float:
    """A model parameter in its table unit; plain numbers are read in that unit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    # the table's unit is for people ("bar abs", "Nm3/t"); pint reads the same unit without the words
    unit = "dimensionless" if spec.unit in ("-", "") else spec.unit.replace("Nm3", "m**3").removesuffix(" abs")
    if isinstance(value, str) and spec.unit.endswith(" abs"):  # "3.9 bar abs", as `params` prints it
        value = value.strip().removesuffix(" abs")
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


def recipe_rows(
    result: PhysicsResult,
    n_samples: int,
    product: int,
    cindex: dict[str, int],
    base_c: np.ndarray,
    base_lhv: np.ndarray,
    *,
    file: str | None,
    where: str,
    feasible: NDArray[np.bool_] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A model's recipe and gas properties as rows ``(S, C)``: recipe, output C fraction, output LHV.

    ``base_c``/``base_lhv`` (C,) are the carrier table's values (the plant's ``out_c_frac[u]``);
    gases the model composes overwrite their columns. Raises if the recipe names a carrier the
    table lacks or is not per tonne of the product (in a feasible sample).
    """
    shape = (n_samples,)
    rows = np.zeros((n_samples, len(base_c)))
    for cid, coefficient in result.recipe.items():
        if cid not in cindex:
            raise InputError(
                f"the model uses carrier '{cid}' that the carriers file lacks",
                file=file,
                location=where,
                allowed="add the carrier to carriers.yaml",
            )
        rows[:, cindex[cid]] += np.broadcast_to(np.asarray(coefficient, dtype=float), shape)
    off = np.abs(rows[:, product] - 1.0) > 1e-9
    if np.any(off if feasible is None else off & feasible):
        raise InputError("the model's recipe is not per tonne of the unit's product", file=file, location=where)
    out_c = np.broadcast_to(np.asarray(base_c, dtype=float), rows.shape).copy()
    out_lhv = np.broadcast_to(np.asarray(base_lhv, dtype=float), rows.shape).copy()
    for cid, props in result.gas_properties.items():
        c = cindex[cid]
        out_c[:, c] = np.broadcast_to(np.asarray(props["c_frac"], dtype=float), shape)
        out_lhv[:, c] = np.broadcast_to(np.asarray(props["lhv_gj_per_t"], dtype=float), shape)
    return rows, out_c, out_lhv


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
    """Write a one-run model result (scalars) into row ``u`` of the plant arrays."""
    if np.size(result.recipe[next(iter(result.recipe))]) != 1:
        raise InputError(
            "a batch of model samples cannot be written into the one-run plant arrays",
            file=file,
            location=where,
            allowed="one value per parameter (use model_batch for samples)",
        )
    rows, c_rows, lhv_rows = recipe_rows(result, 1, product, cindex, out_c[u], out_lhv[u], file=file, where=where)
    recipe[u, :] = rows[0]
    out_c[u, :] = c_rows[0]
    out_lhv[u, :] = lhv_rows[0]


@dataclass(frozen=True)
class RecipeBatch:
    """One unit's physics model over ``S`` parameter samples.

    =================  ==========  ================================================================
    attribute          shape       meaning
    =================  ==========  ================================================================
    ``recipe``         (S, C)      signed coefficients per t of the unit's product (NaN if infeasible)
    ``c_frac``         (S, C)      C mass fraction of the unit's outputs (composed gases per sample)
    ``lhv``            (S, C)      LHV of the unit's outputs, GJ/t
    ``feasible``       (S,)        False where the model has no solution for the sample
    ``reason``         (S,)        why (``"<location>: <message> (allowed: ...)"``), ``""`` if feasible
    ``result``         -           the model's result: diagnostics and product composition over S
    =================  ==========  ================================================================
    """

    recipe: np.ndarray
    c_frac: np.ndarray
    lhv: np.ndarray
    feasible: NDArray[np.bool_]
    reason: NDArray[np.object_]
    result: PhysicsResult

    @property
    def n_infeasible(self) -> int:
        return int(np.count_nonzero(~self.feasible))


def model_batch(
    model_spec: ModelSpec,
    carriers: Mapping[str, CarrierProps],
    samples: Mapping[str, float | np.ndarray],
    *,
    product: int,
    cindex: dict[str, int],
    base_c: np.ndarray,
    base_lhv: np.ndarray,
    n_samples: int | None = None,
    file: str | None,
    where: str,
) -> RecipeBatch:
    """Run a unit's model for ``S`` samples of its parameters and return its rows (see :class:`RecipeBatch`).

    ``samples`` maps parameter names of the model's table to floats or arrays of shape ``(S,)``
    in the table's unit (``steelworks params`` lists them); they override the scenario's
    ``model.params``, which hold for every sample. ``carriers`` may hold arrays ``(S,)`` too
    (a composition another model derived per sample, :func:`with_composition`). A sample the
    model cannot solve — out of the parameter's range, or no physical solution — is masked with
    its reason; the others are exactly what one run with their values gives. Unknown model kinds,
    parameter names and missing carriers raise :class:`~steelworks.errors.InputError`.
    """
    if model_spec.kind not in MODELS:
        raise InputError(
            f"unknown model kind '{model_spec.kind}'", file=file, location=f"{where}.kind", allowed=", ".join(MODELS)
        )
    model = MODELS[model_spec.kind]
    params: dict[str, float | np.ndarray] = dict(model_parameters(model_spec, model, file=file, where=where))
    names = {p.name for p in model.PARAMETERS}
    for name, value in samples.items():
        if name not in names:
            raise InputError(
                f"unknown parameter '{name}' of the {model_spec.kind} model",
                file=file,
                location=f"{where}.params.{name}",
                allowed=", ".join(sorted(names)),
            )
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1:
            raise InputError(
                f"samples of '{name}' have shape {arr.shape}",
                file=file,
                location=f"{where}.params.{name}",
                allowed="a float or an array of shape (S,)",
            )
        params[name] = arr
    sizes = {np.size(v) for v in params.values() if np.ndim(v) == 1}
    if n_samples is not None:
        sizes.add(n_samples)
    if len(sizes) > 1:
        raise InputError(
            f"parameter samples of different lengths {sorted(sizes)}",
            file=file,
            location=f"{where}.params",
            allowed="every sampled parameter with the same number of samples S",
        )
    if not sizes:
        raise InputError("no samples: give n_samples or an array of samples", file=file, location=f"{where}.params")
    S = sizes.pop()
    batch = {k: np.broadcast_to(np.asarray(v, dtype=float), (S,)) for k, v in params.items()}
    try:
        result = model.recipe(batch, carriers, where=f"{where}.params", mask_infeasible=True)
    except InputError as exc:
        raise InputError(exc.message, file=exc.file or file, location=exc.location, allowed=exc.allowed) from None
    assert result.feasible is not None and result.infeasible_reason is not None
    feasible = np.broadcast_to(result.feasible, (S,)).copy()
    reason = np.broadcast_to(result.infeasible_reason, (S,)).copy()
    rows, out_c, out_lhv = recipe_rows(
        result, S, product, cindex, base_c, base_lhv, file=file, where=where, feasible=feasible
    )
    rows[~feasible] = np.nan
    out_c[~feasible] = np.nan
    out_lhv[~feasible] = np.nan
    return RecipeBatch(recipe=rows, c_frac=out_c, lhv=out_lhv, feasible=feasible, reason=reason, result=result)


#: passes the plant allows the sinter basicity to settle on what the furnaces ask (each pass
#: contracts the gap ~10-fold: first order in the sinter's CaO, the burden mass moves with it)
FOLLOW_PASSES = 12
#: the sinter basicity counts as settled when it moves less than this between passes
FOLLOW_TOLERANCE = 1e-9


def follows_furnace(kind: str, params: Mapping[str, Any]) -> Any:
    """Whether a unit is a sinter plant whose basicity follows the blast furnaces (bool or array (S,))."""
    if kind != "sinter":
        return False
    return np.asarray(params.get("basicity_follows_furnace", 0.0), dtype=float) > 0.5


def furnace_sinter_basicity(results: Mapping[int, PhysicsResult]) -> Any:
    r"""The sinter basicity the blast furnaces ask for, or None if no furnace charges sinter::

        B_sinter = sum_f w_f B_f / sum_f w_f,    w_f = sinter per t hot metal of furnace f

    ``B_f`` is the furnace's diagnostic ``sinter_basicity_for_target`` (the sinter CaO/SiO2 at which
    it holds its slag basicity with neither limestone nor quartzite). Floats or arrays (S,).
    """
    num: Any = 0.0
    den: Any = 0.0
    for result in results.values():
        target = result.diagnostics.get("sinter_basicity_for_target")
        if target is None or "sinter" not in result.recipe:
            continue
        w = np.maximum(-np.asarray(result.recipe["sinter"], dtype=float), 0.0)
        w = np.where(np.isfinite(w), w, 0.0)
        num = num + w * np.where(np.isfinite(target), target, 0.0)
        den = den + w
    if not np.any(np.asarray(den) > 0):
        return None
    den_a = np.asarray(den, dtype=float)
    return np.clip(np.where(den_a > 0, np.asarray(num) / np.where(den_a > 0, den_a, 1.0), np.nan), 0.5, 2.5)
