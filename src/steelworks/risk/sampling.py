"""Uniform designs in (0, 1)^d — plain Monte Carlo, Latin hypercube, Sobol/Saltelli — and the copula.

Reproducibility: the same seed gives the same design whatever the chunking or the number of workers.
Monte Carlo draws each chunk from its own stream (``SeedSequence(seed).spawn`` by chunk index), so a
run of any size never holds its whole design; Latin hypercube and Saltelli designs are stratified
over the whole run and are drawn at once by SALib (``SALib.sample.latin``, ``SALib.sample.sobol``;
8 bytes x samples x parameters).

Correlation is imposed by a Gaussian copula: z = Phi^-1(u) L^T with L L^T = R (the normal-score
correlation matrix), u' = Phi(z). It keeps each marginal exactly; with a Latin hypercube it keeps the
strata only approximately. Sobol indices assume independent inputs, so a Saltelli design treats each
set of correlated inputs as one group (:func:`correlation_groups`) and its indices are the groups'.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import special

from steelworks.errors import InputError

Array = NDArray[np.float64]
Method = Literal["mc", "lhs", "sobol"]
#: draws are kept this far inside (0, 1) so that unbounded quantile functions stay finite
EDGE = 1e-12


def _problem(d: int, groups: list[str] | None = None) -> dict[str, object]:
    problem: dict[str, object] = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}
    if groups is not None and len(set(groups)) < d:
        problem["groups"] = groups
    return problem


def saltelli_rows(n_base: int, d: int, groups: list[str] | None = None) -> int:
    """Rows of a Saltelli design for first- and total-order indices: N (k + 2), k inputs or groups."""
    k = len(set(groups)) if groups is not None else d
    return n_base * (k + 2)


def correlation_groups(names: list[str], correlation: Array | None) -> list[str]:
    """Each input's group: the inputs joined by non-zero correlations (connected components), named by
    their members. Sobol indices of such groups stay well defined when the groups are independent of
    each other (Jacques, Lavergne and Devictor 2006): a group moves as one input with a joint law."""
    d = len(names)
    parent = list(range(d))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if correlation is not None:
        for i in range(d):
            for j in range(i + 1, d):
                if correlation[i, j] != 0.0:
                    parent[root(i)] = root(j)
    members: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        members.setdefault(root(i), []).append(name)
    return [" + ".join(members[root(i)]) for i in range(d)]


def whole_design(method: Method, n: int, d: int, seed: int, groups: list[str] | None = None) -> Array:
    """The design of a Latin hypercube (n rows) or a Saltelli design (n = N base samples, N (k+2) rows;
    ``groups`` name each input's group, inputs of a group moving together)."""
    if method == "lhs":
        from SALib.sample import latin

        return np.clip(np.asarray(latin.sample(_problem(d), n, seed=seed), dtype=float), EDGE, 1.0 - EDGE)
    if method == "sobol":
        from SALib.sample import sobol

        if n & (n - 1):
            raise InputError(
                f"a Sobol design needs a power of two of base samples, got {n}", location="--samples", allowed="2^k"
            )
        design = sobol.sample(_problem(d, groups), n, calc_second_order=False, scramble=True, seed=seed)
        return np.clip(np.asarray(design, dtype=float), EDGE, 1.0 - EDGE)
    raise ValueError(f"{method} is drawn per chunk")  # pragma: no cover


def mc_chunk(seed: int, chunk: int, rows: int, d: int) -> Array:
    """Chunk ``chunk``'s plain Monte Carlo draws: its own stream of the run's seed."""
    stream = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(chunk,)))
    return np.clip(stream.random((rows, d)), EDGE, 1.0 - EDGE)


def correlate(u: Array, correlation: Array | None) -> Array:
    """The Gaussian copula: rows of independent uniforms -> rows with the normal-score correlation.

    Each block of inputs joined by correlations is transformed on its own, by the Cholesky factor of
    its block (an eigen-root for a singular block): an uncorrelated input keeps its own draw, which a
    Saltelli design needs (a root of the whole matrix may rotate independent inputs into each other:
    right in distribution, wrong for Sobol's column structure)."""
    if correlation is None or np.allclose(correlation, np.eye(len(correlation))):
        return u
    names = [str(i) for i in range(len(correlation))]
    groups = correlation_groups(names, correlation)
    out = u.copy()
    for group in dict.fromkeys(groups):
        index = [i for i, g in enumerate(groups) if g == group]
        if len(index) == 1:
            continue
        block = correlation[np.ix_(index, index)]
        try:
            root = np.linalg.cholesky(block)
        except np.linalg.LinAlgError:  # positive semi-definite, singular
            values, vectors = np.linalg.eigh(block)
            root = vectors * np.sqrt(np.clip(values, 0.0, None))
        z = special.ndtri(u[:, index]) @ root.T
        out[:, index] = np.clip(special.ndtr(z), EDGE, 1.0 - EDGE)
    return out
