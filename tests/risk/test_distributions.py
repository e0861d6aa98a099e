"""Quantile functions, designs and the copula against closed forms (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from steelworks.risk.distributions import quantile
from steelworks.risk.sampling import EDGE, correlate, mc_chunk, whole_design
from steelworks.schema.uncertainty import (
    Discrete,
    Empirical,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    UncertaintyFile,
    Uniform,
)

SRC = {"source": "test"}
U = np.array([0.025, 0.5, 0.975])


def test_normal_and_lognormal_quantiles() -> None:
    # Phi^-1(0.975) = 1.959964 (any table of the normal distribution)
    x = quantile(Normal(dist="normal", mean=10.0, sd=2.0, **SRC), U)
    assert x == pytest.approx([10 - 2 * 1.959964, 10.0, 10 + 2 * 1.959964], rel=1e-6)
    y = quantile(LogNormal(dist="lognormal", median=100.0, sigma=0.3, **SRC), U)
    assert y == pytest.approx([100 * np.exp(-0.3 * 1.959964), 100.0, 100 * np.exp(0.3 * 1.959964)], rel=1e-6)


def test_uniform_triangular_and_pert_by_hand() -> None:
    assert quantile(Uniform(dist="uniform", low=2.0, high=6.0, **SRC), U) == pytest.approx([2.1, 4.0, 5.9])
    tri = Triangular(dist="triangular", low=0.0, mode=1.0, high=4.0, **SRC)
    # F(mode) = (c - a)/(b - a) = 0.25; at u = 0.25 the quantile is the mode; u = 0.01 -> sqrt(0.01*4*1) = 0.2
    assert quantile(tri, np.array([0.01, 0.25, 0.91])) == pytest.approx([0.2, 1.0, 4 - np.sqrt(0.09 * 4 * 3)])
    pert = Pert(dist="pert", low=-0.05, mode=0.10, high=1.0, **SRC)
    draws = quantile(pert, (np.arange(200_000) + 0.5) / 200_000)
    assert draws.mean() == pytest.approx((-0.05 + 4 * 0.10 + 1.0) / 6, rel=1e-4)  # PERT mean (a + 4c + b) / 6
    assert draws.min() >= -0.05 and draws.max() <= 1.0


def test_discrete_weights_and_empirical_interpolation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = Discrete(dist="discrete", values=[0, 1, 2, 4], weights=[0.4, 0.3, 0.2, 0.1], **SRC)
    u = (np.arange(10_000) + 0.5) / 10_000
    counts = {v: int((quantile(d, u) == v).sum()) for v in (0, 1, 2, 4)}
    assert counts == {0: 4000, 1: 3000, 2: 2000, 4: 1000}
    (tmp_path / "hist.csv").write_text("year,price\n2020,4\n2021,1\n2022,3\n2023,2\n", encoding="utf-8")
    e = Empirical(dist="empirical", file="hist.csv", column="price", **SRC)
    # sorted 1,2,3,4 at plotting positions 0.125, 0.375, 0.625, 0.875: u = 0.5 -> 2.5, u = 0.25 -> 1.5
    assert quantile(e, np.array([0.25, 0.5, 0.01]), base_dir=tmp_path) == pytest.approx([1.5, 2.5, 1.0])


def test_latin_hypercube_has_one_draw_per_stratum() -> None:
    n = 64
    design = whole_design("lhs", n, 3, seed=7)
    for j in range(3):
        assert sorted(np.floor(design[:, j] * n).astype(int)) == list(range(n))


def test_monte_carlo_chunks_are_reproducible_and_independent() -> None:
    a, b = mc_chunk(5, 3, 100, 4), mc_chunk(5, 3, 100, 4)
    assert np.array_equal(a, b)
    assert not np.allclose(mc_chunk(5, 4, 100, 4), a)
    assert a.min() >= EDGE and a.max() <= 1 - EDGE


def test_the_copula_gives_the_rank_correlation_asked_for() -> None:
    spec = UncertaintyFile.model_validate(
        {
            "source": "test",
            "parameters": {
                "a": {"dist": "uniform", "low": 0, "high": 1, **SRC},
                "b": {"dist": "uniform", "low": 0, "high": 1, **SRC},
            },
            "correlations": [{"between": ["a", "b"], "rank": 0.6, **SRC}],
        }
    )
    u = correlate(mc_chunk(11, 0, 40_000, 2), spec.correlation_matrix())
    rho = stats.spearmanr(u[:, 0], u[:, 1]).statistic
    assert rho == pytest.approx(0.6, abs=0.015)  # standard error of rho at n = 40,000 is ~0.004
    assert abs(np.mean(u[:, 0]) - 0.5) < 0.01  # the marginals stay uniform


def test_salib_sobol_reproduces_the_ishigami_indices() -> None:
    """Ishigami (a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437 (Saltelli et al. 2008,
    Global Sensitivity Analysis: The Primer, and SALib's test suite), within the estimates' 95 % CIs."""
    from steelworks.risk.analysis import sobol_indices

    n = 2**13
    u = whole_design("sobol", n, 3, seed=3)
    x = -np.pi + 2 * np.pi * u
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    ix = sobol_indices(["x1", "x2", "x3"], y, seed=3)
    for name, s1, st in (("x1", 0.3139, 0.5576), ("x2", 0.4424, 0.4424), ("x3", 0.0, 0.2437)):
        assert abs(ix[name]["S1"] - s1) <= max(ix[name]["S1_conf"], 0.01), (name, ix[name])
        assert abs(ix[name]["ST"] - st) <= max(ix[name]["ST_conf"], 0.01), (name, ix[name])


def test_sobol_of_a_linear_function_is_its_variance_shares() -> None:
    """Y = 3 X1 + X2 with X uniform on (0, 1): S1 = ST = 9/10 and 1/10 (variance 9/12 vs 1/12)."""
    from steelworks.risk.analysis import sobol_indices

    u = whole_design("sobol", 2**12, 2, seed=1)
    ix = sobol_indices(["x1", "x2"], 3 * u[:, 0] + u[:, 1], seed=1)
    assert ix["x1"]["S1"] == pytest.approx(0.9, abs=0.02) and ix["x2"]["ST"] == pytest.approx(0.1, abs=0.02)


def test_group_sobol_indices_of_a_linear_function() -> None:
    """Y = 3 X1 + X2 + X3, X uniform: the group {X1, X2} carries (9 + 1)/11 of the variance, X3 1/11."""
    from steelworks.risk.analysis import sobol_indices
    from steelworks.risk.sampling import correlation_groups

    corr = np.eye(3)
    corr[0, 1] = corr[1, 0] = 0.3  # only the grouping matters here: the draws below are not correlated
    groups = correlation_groups(["x1", "x2", "x3"], corr)
    assert groups == ["x1 + x2", "x1 + x2", "x3"]
    u = whole_design("sobol", 2**12, 3, seed=4, groups=groups)
    assert u.shape == (2**12 * (2 + 2), 3)  # N (groups + 2) rows
    ix = sobol_indices(["x1", "x2", "x3"], 3 * u[:, 0] + u[:, 1] + u[:, 2], seed=4, groups=groups)
    assert ix["x1 + x2"]["S1"] == pytest.approx(10 / 11, abs=0.02)
    assert ix["x3"]["ST"] == pytest.approx(1 / 11, abs=0.02)


def test_the_copula_leaves_uncorrelated_inputs_their_own_draws() -> None:
    """A Saltelli design swaps one input's column at a time: the copula must not mix an uncorrelated
    input's draw into another's (a root of the whole matrix can rotate inputs of equal eigenvalue)."""
    corr = np.eye(5)
    corr[0, 1] = corr[1, 0] = 0.5
    u = mc_chunk(3, 0, 1000, 5)
    v = correlate(u, corr)
    assert np.array_equal(v[:, 2:], u[:, 2:])
    assert np.allclose(v[:, 0], u[:, 0])  # Cholesky: the first of a block keeps its draw too
    assert not np.allclose(v[:, 1], u[:, 1])
