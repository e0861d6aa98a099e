"""What a run's samples say: distributions, P(NPV > 0), drivers (Sobol, rank correlation, tornado).

* statistics of each KPI over the feasible samples: mean, sd, P10/P50/P90; for NPV also
  P(NPV > 0) and the expected shortfall ES10 (the mean of the worst 10 %);
* convergence: the NPV statistics on the first n samples, n doubling, so a reader sees whether the
  run was long enough;
* drivers: Spearman rank correlation of each input with NPV (any design); first- and total-order
  Sobol indices with 95 % confidence intervals (Saltelli design; SALib's estimators, Jansen ST and
  Saltelli 2010 S1); a one-at-a-time tornado (each input at its P10 and P90, the others at their
  medians, correlations ignored);
* comparison of scenarios on common random numbers: P(A's NPV > B's) on the samples both can run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from steelworks.errors import InputError
from steelworks.risk.engine import RiskJob, evaluate_chunk

Array = NDArray[np.float64]
#: the KPIs summarised, with the unit a reader sees
SUMMARY_KPIS = {
    "npv_usd": "USD",
    "irr": "-",
    "lcos_usd_per_t": "USD/t",
    "cash_cost_usd_per_t": "USD/t",
    "co2_t_per_t_crude_steel": "t/t",
    "crude_steel_t": "t/yr",
}


def kpi_statistics(values: Array, feasible: NDArray[np.bool_]) -> dict[str, float]:
    x = np.asarray(values, dtype=float)[feasible]
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {"n": 0}
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return {"n": int(x.size), "mean": float(x.mean()), "sd": float(x.std(ddof=1)) if x.size > 1 else 0.0,
            "p10": float(p10), "p50": float(p50), "p90": float(p90)}  # fmt: skip


def npv_statistics(npv: Array, feasible: NDArray[np.bool_]) -> dict[str, float]:
    out = kpi_statistics(npv, feasible)
    x = np.sort(np.asarray(npv, dtype=float)[feasible])
    if x.size:
        out["p_positive"] = float(np.mean(x > 0.0))
        worst = max(1, int(np.ceil(0.1 * x.size)))
        out["expected_shortfall_10"] = float(x[:worst].mean())
    return out


def convergence(npv: Array, feasible: NDArray[np.bool_], smallest: int = 256) -> list[dict[str, float]]:
    """NPV mean, P50 and P(NPV > 0) on the first n samples, n = smallest, 2 smallest, ..., all."""
    out = []
    n = smallest
    total = npv.shape[0]
    while True:
        m = min(n, total)
        x = npv[:m][feasible[:m]]
        if x.size:
            out.append(
                {"n": m, "mean": float(x.mean()), "p50": float(np.median(x)), "p_positive": float(np.mean(x > 0))}
            )
        if m == total:
            return out
        n *= 2


def rank_correlations(inputs: Mapping[str, Array], output: Array, feasible: NDArray[np.bool_]) -> dict[str, float]:
    """Spearman's rho of each input with the output over the feasible samples (0 for a constant input)."""
    out: dict[str, float] = {}
    y = output[feasible]
    for name, x in inputs.items():
        xs = np.asarray(x, dtype=float)[feasible]
        if xs.size < 3 or np.ptp(xs) == 0 or np.ptp(y) == 0:
            out[name] = 0.0
            continue
        out[name] = float(stats.spearmanr(xs, y).statistic)
    return dict(sorted(out.items(), key=lambda kv: -abs(kv[1])))


def sobol_indices(
    names: list[str], output: Array, seed: int, groups: list[str] | None = None
) -> dict[str, dict[str, float]]:
    """First- and total-order indices of a Saltelli design's outputs (rows in SALib's order), per input
    or, with ``groups``, per group of inputs that move together."""
    from SALib.analyze import sobol

    y = np.asarray(output, dtype=float)
    if not np.isfinite(y).all():
        bad = int((~np.isfinite(y)).sum())
        raise InputError(
            f"{bad} of {y.size} samples of the Saltelli design are infeasible: Sobol indices need every sample",
            location="--method sobol",
            allowed="narrower distributions (see the infeasible reasons), or --method mc/lhs for the other statistics",
        )
    problem: dict[str, Any] = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    labels = names
    if groups is not None and len(set(groups)) < len(names):
        problem["groups"] = groups
        labels = list(dict.fromkeys(groups))  # SALib reports groups in order of first appearance
    res = sobol.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
    return {
        name: {
            "S1": float(res["S1"][i]),
            "S1_conf": float(res["S1_conf"][i]),
            "ST": float(res["ST"][i]),
            "ST_conf": float(res["ST_conf"][i]),
        }
        for i, name in enumerate(labels)
    }


def tornado(job: RiskJob, low: float = 0.1, high: float = 0.9) -> list[dict[str, Any]]:
    """NPV with each input at its ``low`` and ``high`` quantile, the others at their medians."""
    d = job.dimension
    u = np.full((1 + 2 * d, d), 0.5)
    for j in range(d):
        u[1 + 2 * j, j] = low
        u[2 + 2 * j, j] = high
    result = evaluate_chunk(job, u)
    npv = result.kpis["npv_usd"]
    base = float(npv[0])
    rows = []
    for j, name in enumerate(job.names):
        lo, hi = float(npv[1 + 2 * j]), float(npv[2 + 2 * j])
        rows.append({"parameter": name, "npv_low_usd": lo, "npv_high_usd": hi, "swing_usd": hi - lo, "base_usd": base})
    return sorted(rows, key=lambda r: -abs(r["swing_usd"]) if np.isfinite(r["swing_usd"]) else 0.0)


def yearly_fan(columns: Mapping[str, Array], feasible: NDArray[np.bool_], prefix: str) -> list[dict[str, float]]:
    """P10/P50/P90 of each year's column ``<prefix><year>`` over the feasible samples (a fan chart)."""
    out = []
    for key in sorted((k for k in columns if k.startswith(prefix)), key=lambda k: int(k[len(prefix) :])):
        x = np.asarray(columns[key], dtype=float)[feasible]
        x = x[np.isfinite(x)]
        if x.size:
            p10, p50, p90 = np.percentile(x, [10, 50, 90])
            out.append({"year": int(key[len(prefix) :]), "p10": float(p10), "p50": float(p50), "p90": float(p90)})
    return out


def beats(npv_a: Array, ok_a: NDArray[np.bool_], npv_b: Array, ok_b: NDArray[np.bool_]) -> dict[str, float]:
    both = ok_a & ok_b
    diff = npv_a[both] - npv_b[both]
    if diff.size == 0:
        return {"n": 0}
    return {
        "n": int(diff.size),
        "p_a_beats_b": float(np.mean(diff > 0)),
        "mean_difference_usd": float(diff.mean()),
        "p10_difference_usd": float(np.percentile(diff, 10)),
        "p90_difference_usd": float(np.percentile(diff, 90)),
    }


def reasons_table(reasons: Array, feasible: NDArray[np.bool_], top: int = 5) -> list[tuple[str, int]]:
    """The commonest reasons samples were infeasible, with their counts."""
    values, counts = np.unique(np.asarray(reasons, dtype=str)[~feasible], return_counts=True)
    order = np.argsort(-counts)[:top]
    return [(str(values[i]), int(counts[i])) for i in order]
