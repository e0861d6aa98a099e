"""Quantile functions of the uncertainty file's distributions: uniform draws ``u`` in (0, 1) -> values.

Every sampling method (plain Monte Carlo, Latin hypercube, Sobol/Saltelli) makes uniform draws first;
the marginal of each parameter is then its inverse CDF at those draws, so correlations (a Gaussian
copula on the uniforms, :mod:`steelworks.risk.sampling`) and the method are independent of the
distribution's kind.

=============  =====================================  ==========================================
kind           parameters                             x(u)
=============  =====================================  ==========================================
normal         mean mu, sd sigma                      mu + sigma Phi^-1(u)
lognormal      median m, sigma s (of ln x)            m exp(s Phi^-1(u))
uniform        low a, high b                          a + (b - a) u
triangular     low a, mode c, high b                  a + sqrt(u (b-a)(c-a)) if u < (c-a)/(b-a), else
                                                      b - sqrt((1-u)(b-a)(b-c))
pert           low a, mode c, high b                  a + (b-a) B^-1(u; 1 + 4(c-a)/(b-a), 1 + 4(b-c)/(b-a))
discrete       values v_k, weights w_k                v_k for the first k with u <= sum_{j<=k} w_j / sum w
empirical      observations x_(1) <= ... <= x_(n)     linear interpolation of x at plotting positions
                                                      (i - 0.5) / n
=============  =====================================  ==========================================
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from steelworks.errors import InputError
from steelworks.schema.uncertainty import Discrete, Empirical, LogNormal, Normal, Pert, Triangular, Uniform

Array = NDArray[np.float64]


def _normal_scores(u: Array) -> Array:
    return np.asarray(special.ndtri(u), dtype=float)


def quantile(dist: object, u: Array, *, base_dir: Path | None = None, where: str = "") -> Array:
    """The distribution's values at the uniform draws ``u`` (any shape)."""
    u = np.asarray(u, dtype=float)
    if isinstance(dist, Normal):
        return dist.mean + dist.sd * _normal_scores(u)
    if isinstance(dist, LogNormal):
        return dist.median * np.exp(dist.sigma * _normal_scores(u))
    if isinstance(dist, Uniform):
        return dist.low + (dist.high - dist.low) * u
    if isinstance(dist, Triangular):
        a, c, b = dist.low, dist.mode, dist.high
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)
    if isinstance(dist, Pert):
        a, c, b = dist.low, dist.mode, dist.high
        alpha, beta = 1.0 + 4.0 * (c - a) / (b - a), 1.0 + 4.0 * (b - c) / (b - a)
        return a + (b - a) * np.asarray(stats.beta.ppf(u, alpha, beta), dtype=float)
    if isinstance(dist, Discrete):
        values = np.asarray(dist.values, dtype=float)
        weights = np.asarray(dist.weights or [1.0] * len(values), dtype=float)
        edges = np.cumsum(weights) / weights.sum()
        edges[-1] = 1.0
        return values[np.minimum(np.searchsorted(edges, u, side="left"), len(values) - 1)]
    if isinstance(dist, Empirical):
        data = np.sort(empirical_values(dist, base_dir, where))
        n = data.size
        positions = (np.arange(n) + 0.5) / n
        return np.interp(u, positions, data)
    raise TypeError(f"no quantile function for {type(dist).__name__}")  # pragma: no cover - schema closes it


def empirical_values(dist: Empirical, base_dir: Path | None, where: str) -> Array:
    """The column's observations; a clear message for a missing file or column and non-numbers."""
    path = Path(dist.file) if base_dir is None else (base_dir / dist.file)
    if not path.is_file():
        raise InputError(f"no such CSV file '{path}'", location=f"{where}.file", allowed="a CSV file with a header")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or dist.column not in rows[0]:
        columns = ", ".join(rows[0]) if rows else "(none)"
        raise InputError(f"'{path}' has no column '{dist.column}'", location=f"{where}.column", allowed=columns)
    values: list[float] = []
    for line, row in enumerate(rows, start=2):
        text = (row.get(dist.column) or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise InputError(
                f"'{path}' line {line}: '{text}' is not a number", location=f"{where}.column", allowed="numbers"
            ) from None
        if not math.isfinite(value):
            raise InputError(f"'{path}' line {line}: {text} is not finite", location=f"{where}.column")
        values.append(value)
    if len(values) < 2:
        raise InputError(f"'{path}' has {len(values)} observation(s)", location=f"{where}.column", allowed=">= 2")
    return np.asarray(values, dtype=float)
