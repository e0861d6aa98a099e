"""Sampled physics for a batch: every sample's recipes from the units' physics models at once.

A batch is one works (a built :class:`~steelworks.plant.build.Plant`) and ``S`` draws of some of its
physics parameters, addressed by their parameter-tree paths ``units.<id>.model.params.<name>`` and
given in the parameter table's unit (``steelworks params`` lists both). The models are vectorised
(:mod:`steelworks.physics.base`): each is called once with ``(S,)`` arrays, not once per sample.

Products a model composes (sinter chemistry, hot metal) feed the next model, so the models run to
the same fixed point as :func:`~steelworks.plant.build.build_plant`, now with one composition per
sample: the batch carries per-sample ``fe_frac``/``c_frac`` of the carriers, ``(S, C)``.

A sample is *masked*, not fatal to the batch: a value outside the parameter's domain, or a model
that finds a sample physically infeasible (``recipe(..., mask_infeasible=True)``), records the
sample's reason in ``faults`` and the sample is computed again with the unit's own values so that
the arrays stay whole and finite (the results mark it infeasible and show NaN). A check that a
model still raises for a whole batch is isolated by bisecting the batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from steelworks.errors import InputError
from steelworks.physics import MODELS
from steelworks.physics.base import CarrierProps, PhysicsResult
from steelworks.plant.build import Plant
from steelworks.plant.models import (
    FOLLOW_PASSES,
    FOLLOW_TOLERANCE,
    follows_furnace,
    furnace_sinter_basicity,
    model_parameters,
)
from steelworks.schema.loader import ResolvedScenario

Array = NDArray[np.float64]
_PREFIX = "units."
_MIDDLE = ".model.params."


@dataclass
class SampledWorks:
    """The per-sample arrays a batched solve takes, and the samples masked on the way."""

    plant: Plant  # the works with per-sample carrier compositions (fe_frac, c_frac of shape (S, C))
    recipe: Array  # (S, U, C)
    out_c_frac: Array  # (S, U, C)
    out_lhv: Array  # (S, U, C)
    faults: dict[int, str] = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        return int(self.recipe.shape[0])


def parse_samples(
    scenario: ResolvedScenario, samples: Mapping[str, ArrayLike]
) -> tuple[int, dict[str, dict[str, Array]]]:
    """Validate sample paths and lengths: (S, {unit id: {parameter: (S,) array}})."""
    by_unit: dict[str, dict[str, Array]] = {}
    sizes: set[int] = set()
    for path, values in samples.items():
        uid, _, name = path.removeprefix(_PREFIX).partition(_MIDDLE)
        unit = scenario.plant.units.get(uid) if path.startswith(_PREFIX) and _MIDDLE in path else None
        if unit is None or unit.model is None:
            with_models = [u for u, spec in scenario.plant.units.items() if spec.model is not None]
            raise InputError(
                f"'{path}' is not a physics parameter of a unit with a model",
                location=path,
                allowed="units.<id>.model.params.<name> of " + ", ".join(with_models),
            )
        names = [p.name for p in MODELS[unit.model.kind].PARAMETERS]
        if name not in names:
            raise InputError(
                f"unknown parameter '{name}' of the {unit.model.kind} model", location=path, allowed=", ".join(names)
            )
        array = np.asarray(values, dtype=float)
        if array.ndim != 1:
            raise InputError(f"samples of '{path}' must be one-dimensional", location=path, allowed="shape (S,)")
        sizes.add(array.shape[0])
        by_unit.setdefault(uid, {})[name] = array
    if len(sizes) > 1:
        raise InputError(f"sample arrays have different lengths {sorted(sizes)}", location="samples")
    return (sizes.pop() if sizes else 1), by_unit


def _domain_faults(scenario: ResolvedScenario, sampled: dict[str, dict[str, Array]], S: int) -> dict[int, str]:
    """Samples with a value outside its parameter's [low, high] (or not finite)."""
    faults: dict[int, str] = {}
    for uid, params in sampled.items():
        spec = scenario.plant.units[uid].model
        assert spec is not None
        table = {p.name: p for p in MODELS[spec.kind].PARAMETERS}
        for name, values in params.items():
            p = table[name]
            bad = ~np.isfinite(values) | (values < p.low) | (values > p.high)
            for s in map(int, np.flatnonzero(bad)):  # only the failing samples: their messages
                faults.setdefault(
                    s, f"units.{uid}.model.params.{name} = {float(values[s])!r} outside [{p.low}, {p.high}] {p.unit}"
                )
    return faults


def _base_props(plant: Plant, scenario: ResolvedScenario) -> dict[str, CarrierProps]:
    """Carrier compositions before any model composed a product (the fixed point starts here)."""
    out = {}
    for c, cid in enumerate(plant.carrier_ids):
        spec = scenario.carriers[cid]
        derived = cid in plant.derived_compositions
        out[cid] = CarrierProps(
            fe_frac=float(spec.fe_frac) if derived else float(plant.fe_frac[c]),
            c_frac=float(spec.c_frac) if derived else float(plant.c_frac[c]),
            lhv_gj_per_t=float(plant.lhv_gj_per_t[c]),
            analysis=dict(spec.analysis),
            volume_fractions=dict(spec.volume_fractions),
        )
    return out


def _default(kind: str, name: str) -> float:
    return next(float(p.default) for p in MODELS[kind].PARAMETERS if p.name == name)


def _run_models(
    plant: Plant, scenario: ResolvedScenario, params: dict[int, dict[str, Any]], S: int
) -> tuple[dict[int, PhysicsResult], dict[str, dict[str, Array]]]:
    """The models of the operating units for every sample, to the fixed point of composed products."""
    props = _base_props(plant, scenario)
    models = {u: MODELS[scenario.plant.units[plant.unit_ids[u]].model.kind] for u in params}  # type: ignore[union-attr]
    composed: dict[str, dict[str, Array]] = {}
    results: dict[int, PhysicsResult] = {}
    kinds = {u: scenario.plant.units[plant.unit_ids[u]].model.kind for u in params}  # type: ignore[union-attr]
    follow = {u: follows_furnace(kinds[u], params[u]) for u in params}
    follow = {u: f for u, f in follow.items() if np.any(f)}
    for u in follow:
        if "basicity" in params[u]:
            raise InputError(
                f"the basicity of '{plant.unit_ids[u]}' is set by the blast furnaces (basicity_follows_furnace = 1)",
                location=f"units.{plant.unit_ids[u]}.model.params.basicity",
                allowed="basicity_follows_furnace=0 to sample or fix the basicity",
            )
    params = {u: dict(p) for u, p in params.items()}
    if follow:  # the sinter then differs per sample, so every consumer runs per sample
        for u, p in params.items():
            first = MODELS[kinds[u]].PARAMETERS[0]
            p.setdefault(first.name, float(first.default))
            params[u] = {k: np.broadcast_to(np.asarray(v, dtype=float), (S,)).copy() for k, v in p.items()}
    basicity: Array | None = None
    settled = False
    for _ in range(len(params) + 1 + (FOLLOW_PASSES if follow else 0)):
        if basicity is not None:
            for u, mask in follow.items():  # the sinter basicity the furnaces asked for in the last pass
                current = params[u].get("basicity", _default(kinds[u], "basicity"))
                params[u]["basicity"] = np.where(mask & np.isfinite(basicity), basicity, current)
        # every parameter as (S,), its table's default where none is given: a model whose own parameters are
        # not sampled still runs S samples when a carrier it reads is (a composition another model derives);
        # built each pass, as a sinter that follows the furnaces takes a new basicity per pass
        batched = {
            u: {
                p.name: np.broadcast_to(np.asarray(params[u].get(p.name, p.default), dtype=float), (S,))
                for p in m.PARAMETERS
            }
            for u, m in models.items()
        }
        results = {
            u: models[u].recipe(
                batched[u], props, where=f"units.{plant.unit_ids[u]}.model.params", mask_infeasible=True
            )
            for u in params
        }
        changed = False
        for u, result in results.items():
            if not result.product_composition:
                continue
            cid = plant.carrier_ids[plant.product[u]]
            new = {
                "fe_frac": np.broadcast_to(np.asarray(result.product_composition["fe_frac"], dtype=float), (S,)),
                "c_frac": np.broadcast_to(np.asarray(result.product_composition["c_frac"], dtype=float), (S,)),
            }
            old = props[cid]
            if (
                np.max(np.abs(np.asarray(old.fe_frac) - new["fe_frac"])) > 1e-13
                or np.max(np.abs(np.asarray(old.c_frac) - new["c_frac"])) > 1e-13
            ):
                changed = True
            analysis = {k: np.asarray(v, dtype=float) for k, v in result.product_composition["analysis"].items()}
            props[cid] = CarrierProps(new["fe_frac"], new["c_frac"], old.lhv_gj_per_t, analysis, old.volume_fractions)
            composed[cid] = new
        if follow and not settled:
            wanted = furnace_sinter_basicity(results)
            if wanted is not None:
                previous = basicity if basicity is not None else np.full(S, np.nan)
                wanted = np.broadcast_to(np.where(np.isfinite(wanted), wanted, previous), (S,))
                moved = np.abs(wanted - previous)
                if basicity is not None and not np.any(moved > FOLLOW_TOLERANCE):
                    settled = True  # keep the values the last pass used: the chain then closes exactly
                else:
                    basicity = wanted.copy()
                    changed = True
        if not changed:
            break
    return results, composed


def _model_params(
    plant: Plant, scenario: ResolvedScenario, sampled: dict[str, dict[str, Array]]
) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for u, uid in enumerate(plant.unit_ids):
        spec = scenario.plant.units[uid]
        if spec.model is None or not spec.model.use or spec.condition != "operating":
            continue
        file, where = scenario.where(f"units.{uid}.model")
        params: dict[str, Any] = model_parameters(spec.model, MODELS[spec.model.kind], file=file, where=where)
        params.update(sampled.get(uid, {}))
        out[u] = params
    return out


def _take(params: dict[int, dict[str, Any]], idx: NDArray[np.int_]) -> dict[int, dict[str, Any]]:
    return {u: {k: (v[idx] if isinstance(v, np.ndarray) else v) for k, v in p.items()} for u, p in params.items()}


def _isolate_failures(
    plant: Plant,
    scenario: ResolvedScenario,
    params: dict[int, dict[str, Any]],
    idx: NDArray[np.int_],
    faults: dict[int, str],
) -> None:
    """Bisect a batch a model rejects as a whole until each failing sample is alone; record its reason
    (``O(k log S)`` model calls for ``k`` failing samples)."""
    try:
        _run_models(plant, scenario, _take(params, idx), int(idx.size))
    except InputError as exc:
        if idx.size == 1:
            faults.setdefault(int(idx[0]), f"{exc.location}: {exc.message}" if exc.location else exc.message)
            return
        half = idx.size // 2
        _isolate_failures(plant, scenario, params, idx[:half], faults)
        _isolate_failures(plant, scenario, params, idx[half:], faults)


def _model_faults(results: dict[int, PhysicsResult]) -> dict[int, str]:
    """Samples a model found infeasible, with its reason (``recipe(..., mask_infeasible=True)``)."""
    faults: dict[int, str] = {}
    for result in results.values():
        if result.feasible is None:
            continue
        for s in map(int, np.flatnonzero(~result.feasible)):  # only the failing samples
            faults.setdefault(s, str(result.infeasible_reason[s]) if result.infeasible_reason is not None else "")
    return faults


def _defaults_where(
    params: dict[int, dict[str, Any]], bad: NDArray[np.bool_], plant: Plant, scenario: ResolvedScenario
) -> None:
    """Replace the sampled values of masked samples by the unit's own values (the arrays stay whole)."""
    if not bad.any():
        return
    base = _model_params(plant, scenario, {})
    for u, p in params.items():
        model = scenario.plant.units[plant.unit_ids[u]].model
        assert model is not None
        defaults = {spec.name: spec.default for spec in MODELS[model.kind].PARAMETERS}
        for name, values in p.items():
            if isinstance(values, np.ndarray):
                values[bad] = base[u].get(name, defaults[name])


def sampled_recipes(
    plant: Plant, scenario: ResolvedScenario, samples: Mapping[str, ArrayLike], n: int | None = None
) -> SampledWorks:
    """Recipes, gas properties and carrier compositions of every sample (see the module docstring);
    ``n`` samples of the unchanged works when no physics parameter is sampled."""
    S, sampled = parse_samples(scenario, samples)
    if not samples and n is not None:
        S = n
    sampled = {uid: {k: v.copy() for k, v in p.items()} for uid, p in sampled.items()}
    faults = _domain_faults(scenario, sampled, S)
    params = _model_params(plant, scenario, sampled)
    bad = np.zeros(S, dtype=bool)
    bad[list(faults)] = True
    _defaults_where(params, bad, plant, scenario)
    try:
        results, composed = _run_models(plant, scenario, params, S)
        infeasible = _model_faults(results)
    except InputError:  # a check the models raise for the whole batch (e.g. burden shares not summing to 1)
        infeasible = {}
        _isolate_failures(plant, scenario, params, np.arange(S), infeasible)
        if not infeasible:  # no single sample fails alone: the batch itself is wrong
            raise
    if infeasible:  # again with the unit's own values in the masked samples, so every number is finite
        for s, reason in infeasible.items():
            faults.setdefault(s, reason)
        bad[list(faults)] = True
        _defaults_where(params, bad, plant, scenario)
        results, composed = _run_models(plant, scenario, params, S)
    return _assemble(plant, results, composed, S, faults)


def _assemble(
    plant: Plant,
    results: dict[int, PhysicsResult],
    composed: dict[str, dict[str, Array]],
    S: int,
    faults: dict[int, str],
) -> SampledWorks:
    cindex = {cid: c for c, cid in enumerate(plant.carrier_ids)}
    recipe = np.repeat(plant.recipe[None], S, axis=0)
    out_c = np.repeat(plant.out_c_frac[None], S, axis=0)
    out_lhv = np.repeat(plant.out_lhv[None], S, axis=0)
    fe = np.repeat(plant.fe_frac[None], S, axis=0)
    c_frac = np.repeat(plant.c_frac[None], S, axis=0)
    for cid, comp in composed.items():
        c = cindex[cid]
        fe[:, c] = comp["fe_frac"]
        c_frac[:, c] = comp["c_frac"]
        out_c[:, :, c] = comp["c_frac"][:, None]
    for u, result in results.items():
        recipe[:, u, :] = 0.0
        for cid, coefficient in result.recipe.items():
            recipe[:, u, cindex[cid]] += np.broadcast_to(np.asarray(coefficient, dtype=float), (S,))
        for cid, gas in result.gas_properties.items():
            out_c[:, u, cindex[cid]] = np.broadcast_to(np.asarray(gas["c_frac"], dtype=float), (S,))
            out_lhv[:, u, cindex[cid]] = np.broadcast_to(np.asarray(gas["lhv_gj_per_t"], dtype=float), (S,))
        off = np.abs(recipe[:, u, plant.product[u]] - 1.0) > 1e-9
        for s in map(int, np.flatnonzero(off)):
            faults.setdefault(s, f"the {plant.unit_ids[u]} model's recipe is not per tonne of its product")
    batched = replace(plant, fe_frac=fe, c_frac=c_frac)
    return SampledWorks(batched, recipe, out_c, out_lhv, faults)
