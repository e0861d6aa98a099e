"""An uncertainty file: which parameters of the one parameter tree are uncertain, how, and why.

``steelworks risk`` reads one of these (``data/uncertainty/<name>.yaml`` or a path)::

    source: "what the file as a whole rests on"
    parameters:
      prices.hrc.price:     {dist: lognormal, median: 1.0, sigma: 0.22, apply: factor, source: "..."}
      option.capex.overrun.share: {dist: pert, low: -0.05, mode: 0.10, high: 1.0, source: "..."}
      option.plan.*.year:   {dist: discrete, values: [0, 1, 2], weights: [0.5, 0.3, 0.2], apply: shift, source: "..."}
    correlations:
      - {between: [prices.hrc.price, prices.iron_ore_fines.price], rank: 0.6, source: "..."}

Every path is one ``steelworks params`` lists (``*`` stands for one path segment and expands over the
listing). ``apply`` says what a draw is: ``value`` (the parameter's value, in the unit the listing
shows), ``factor`` (multiplies the scenario's value) or ``shift`` (is added to it). Correlations are
Spearman rank correlations imposed by a Gaussian copula (Pearson r = 2 sin(pi rho / 6) between the
normal scores); the matrix they make must be positive semi-definite.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from steelworks.schema.base import _Strict

Source = Annotated[str, Field(min_length=3, description="where the distribution comes from, or 'estimate: why'")]
Apply = Literal["value", "factor", "shift"]


class _Dist(_Strict):
    apply: Apply = "value"
    source: Source


class Normal(_Dist):
    dist: Literal["normal"]
    mean: float
    sd: Annotated[float, Field(gt=0.0)]


class LogNormal(_Dist):
    """``exp(N(ln median, sigma))``: positive, right-skewed (prices, factors)."""

    dist: Literal["lognormal"]
    median: Annotated[float, Field(gt=0.0)]
    sigma: Annotated[float, Field(gt=0.0, le=3.0)]


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


class _ThreePoint(_Dist):
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"need low <= mode <= high and low < high, got {self.low}, {self.mode}, {self.high}")
        return self


class Triangular(_ThreePoint):
    dist: Literal["triangular"]


class Pert(_ThreePoint):
    """Beta-PERT: a beta distribution on [low, high] with mean (low + 4 mode + high) / 6."""

    dist: Literal["pert"]


class Discrete(_Dist):
    dist: Literal["discrete"]
    values: Annotated[list[float], Field(min_length=1, max_length=64)]
    weights: list[Annotated[float, Field(gt=0.0)]] | None = None

    @model_validator(mode="after")
    def _matching(self) -> Discrete:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError(f"{len(self.weights)} weights for {len(self.values)} values")
        if len(set(self.values)) != len(self.values):
            raise ValueError("values repeat: give each value once with its weight")
        return self


class Empirical(_Dist):
    """The empirical distribution of a column of a CSV file (path relative to the uncertainty file):
    quantiles interpolated linearly between the sorted observations."""

    dist: Literal["empirical"]
    file: Annotated[str, Field(min_length=1)]
    column: Annotated[str, Field(min_length=1)]


Distribution = Normal | LogNormal | Uniform | Triangular | Pert | Discrete | Empirical
#: each distribution by its ``dist`` tag
KINDS: dict[str, type[_Dist]] = {
    "normal": Normal,
    "lognormal": LogNormal,
    "uniform": Uniform,
    "triangular": Triangular,
    "pert": Pert,
    "discrete": Discrete,
    "empirical": Empirical,
}


def _tagged(name: str, entry: Any) -> Any:
    """An entry validated as the distribution its ``dist`` names (a union would report every kind's errors)."""
    if not isinstance(entry, dict):
        raise ValueError(f"parameters.{name}: expected a mapping with 'dist', got {type(entry).__name__}")
    kind = entry.get("dist")
    if kind not in KINDS:
        raise ValueError(f"parameters.{name}.dist: '{kind}' is not a distribution (allowed: {', '.join(KINDS)})")
    try:
        return KINDS[kind].model_validate(entry)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ValueError(f"parameters.{name}.{where}: {err['msg'].removeprefix('Value error, ')}") from None


class Correlation(_Strict):
    between: Annotated[list[str], Field(min_length=2, max_length=2)]
    rank: Annotated[float, Field(gt=-1.0, lt=1.0)]
    source: Source


class UncertaintyFile(_Strict):
    description: str | None = None
    source: Source
    parameters: Annotated[dict[str, Distribution], Field(min_length=1)]
    correlations: list[Correlation] = Field(default_factory=list)
    skip_without_effect: bool = Field(
        default=False,
        description="a file shared by several works: an entry with nothing to act on in a scenario (a unit it "
        "lacks, a carrier it does not trade) is skipped and listed instead of refused",
    )

    @model_validator(mode="before")
    @classmethod
    def _distributions(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
            data = {**data, "parameters": {k: _tagged(str(k), v) for k, v in data["parameters"].items()}}
        return data

    @model_validator(mode="after")
    def _correlations(self) -> UncertaintyFile:
        seen: set[frozenset[str]] = set()
        for i, c in enumerate(self.correlations):
            a, b = c.between
            for name in (a, b):
                if name not in self.parameters:
                    raise ValueError(f"correlations[{i}] names '{name}', which is not under parameters")
            if a == b:
                raise ValueError(f"correlations[{i}] correlates '{a}' with itself")
            pair = frozenset((a, b))
            if pair in seen:
                raise ValueError(f"correlations[{i}] repeats the pair {a}, {b}")
            seen.add(pair)
        if self.correlations:
            eigen = np.linalg.eigvalsh(self.correlation_matrix())
            if eigen.min() < -1e-10:
                raise ValueError(
                    f"the correlations make a matrix that is not positive semi-definite (smallest eigenvalue "
                    f"{eigen.min():.3g}): no set of variables can have them all"
                )
        return self

    def correlation_matrix(self) -> np.ndarray:
        """Pearson correlations of the normal scores, in the order of ``parameters``."""
        names = list(self.parameters)
        r = np.eye(len(names))
        for c in self.correlations:
            i, j = names.index(c.between[0]), names.index(c.between[1])
            r[i, j] = r[j, i] = 2.0 * math.sin(math.pi * c.rank / 6.0)
        return r
