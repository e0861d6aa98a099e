"""What every process model shares: its parameter table, the carrier properties it reads, its result.

A process model is a pure, vectorised function ``recipe(params, carriers) -> PhysicsResult``:

* ``params`` maps each name of the model's :data:`PARAMETERS` table to a float or a numpy array
  (a leading sample axis broadcasts through every equation);
* ``carriers`` maps carrier ids (``src/steelworks/data/carriers.yaml``) to :class:`CarrierProps`
  so that the model's element balances use exactly the compositions the plant solve uses;
* the result's ``recipe`` holds signed coefficients per tonne of the model's main product, in the
  internal units of :mod:`steelworks.units` (t, GJ, MWh): outputs positive, inputs negative, the
  main product exactly +1.

Balance contract (checked by the plant on every solve): with ``fe_frac``/``c_frac`` of the
carriers (and of ``gas_properties`` for gases the model composes itself), Fe in = Fe out exactly,
and C in - C out >= 0 is carbon burned to CO2 inside the unit. Mass in - mass out >= 0 is the
unit's declared loss (stack gas of burned fuel, moisture, unrecovered off-gas).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError
from steelworks.physics.feasibility import first_bad, infeasible, masked, masking

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ParameterSpec:
    """One row of a model's parameter table (PyPSA-style attribute table).

    ``unit`` is the internal unit the value is held in; ``kind`` is the key of
    :data:`steelworks.units.INTERNAL_UNITS` used to parse ``"1150 degC"``-style input.
    """

    name: str
    kind: str
    unit: str
    default: float
    low: float
    high: float
    description: str
    source: str


@dataclass(frozen=True)
class CarrierProps:
    """Composition of a carrier as the plant holds it (floats or arrays over samples)."""

    fe_frac: float | Array = 0.0
    c_frac: float | Array = 0.0
    lhv_gj_per_t: float | Array = 0.0
    analysis: Mapping[str, float | Array] = field(default_factory=dict)
    volume_fractions: Mapping[str, float | Array] = field(default_factory=dict)


@dataclass
class PhysicsResult:
    """A model's answer: the recipe, properties of gases it composes, and diagnostics."""

    recipe: dict[str, Array]
    gas_properties: dict[str, dict[str, Array]] = field(default_factory=dict)
    diagnostics: dict[str, Array] = field(default_factory=dict)
    #: composition of the main product when the model computes it (``fe_frac``, ``c_frac``, ``analysis``);
    #: the plant then holds that composition for the carrier (one per scenario)
    product_composition: dict[str, Any] = field(default_factory=dict)
    #: per sample: False where the model has no solution (only set by ``recipe(..., mask_infeasible=True)``;
    #: the numbers of those samples are meaningless)
    feasible: NDArray[np.bool_] | None = None
    #: per sample: why it is infeasible (``"<location>: <message> (allowed: ...)"``), ``""`` where feasible
    infeasible_reason: NDArray[np.object_] | None = None


@dataclass(frozen=True)
class Model:
    """A process model: its name, main product, parameter table and vectorised solve function."""

    name: str
    main_product: str
    PARAMETERS: tuple[ParameterSpec, ...]
    solve: Callable[..., PhysicsResult]

    def recipe(
        self,
        params: Mapping[str, float | Array],
        carriers: Mapping[str, CarrierProps],
        *,
        where: str = "model",
        mask_infeasible: bool = False,
    ) -> PhysicsResult:
        """The recipe for parameters given as floats or arrays over samples (shape ``(S,)``).

        A sample without solution raises an InputError for the whole call, unless
        ``mask_infeasible``: then the result's ``feasible`` and ``infeasible_reason`` say which
        samples failed and why, and the other samples are exactly what they would be alone.
        Unknown parameter names and missing carriers raise in either case.
        """
        if not mask_infeasible:
            return self.solve(params, carriers, where=where)

        with masked() as record:
            result = self.solve(params, carriers, where=where)
        result.feasible, result.infeasible_reason = record.final(np.shape(result.recipe[self.main_product]))
        return result


#: the interface the plant uses (kept as a name for readers of older code)
ProcessModel = Model


def check_parameters(
    specs: tuple[ParameterSpec, ...], params: Mapping[str, float | Array], *, where: str
) -> dict[str, Array]:
    """Fill defaults, reject unknown names and values outside ``[low, high]`` with an InputError.

    ``where`` is the location prefix used in messages, e.g. ``units.bf1.model``. In a batch
    (inside :func:`steelworks.physics.common.masked`) a sample outside the range is masked
    infeasible instead and computed on with the default value.
    """
    by_name = {spec.name: spec for spec in specs}
    unknown = sorted(set(params) - set(by_name))
    if unknown:
        raise InputError(f"unknown model parameter(s) {unknown}", location=where, allowed=", ".join(sorted(by_name)))

    out: dict[str, Array] = {}
    for spec in specs:
        value = np.asarray(params.get(spec.name, spec.default), dtype=float)
        if not np.all(np.isfinite(value)) or np.any(value < spec.low) or np.any(value > spec.high):
            if masking():  # a batch: mask the samples outside the range, carry on with the default there
                outside = (~np.isfinite(value)) | (value < spec.low) | (value > spec.high)
                infeasible(
                    outside, where, spec.name, _range_message(spec, value), f"{spec.low} to {spec.high} {spec.unit}"
                )
                out[spec.name] = np.where(outside, spec.default, value)
                continue
            bad = value[(~np.isfinite(value)) | (value < spec.low) | (value > spec.high)] if value.ndim else value
            raise InputError(
                f"{spec.name} = {np.asarray(bad).ravel()[:3].tolist()} {spec.unit} is outside the range "
                "the model is valid for",
                location=f"{where}.{spec.name}",
                allowed=f"{spec.low} to {spec.high} {spec.unit}",
            )
        out[spec.name] = value
    return out


def _range_message(spec: ParameterSpec, value: Array) -> Callable[[Any], str]:
    """The out-of-range message for one offending sample of ``value`` (as the one-run error words it)."""

    def message(bad: Any) -> str:
        return f"{spec.name} = {[first_bad(value, bad)]} {spec.unit} is outside the range the model is valid for"

    return message
