"""A batch: ``S`` samples of a scenario's physics through solve, CO2 and the business case at once.

:func:`run_batch` is what the risk engine calls: sampled physics parameters (parameter-tree paths,
see :mod:`steelworks.plant.batch`) go through the vectorised models, the batched solve, the carbon
account and the results contract; the economics prices every sample's plant year in one vectorised
cash-flow run (:func:`steelworks.economics.batch.evaluate_samples`). There is no Python loop over
samples. A sample that fails (a value outside its domain, a model or a solve it breaks, a conservation
law) is masked with its reason in :attr:`BatchResult.faults`; its numbers are NaN.

With ``keep="kpis"`` only the per-sample KPIs are returned and the full solution (``(S, rows,
carrier)`` arrays, ~150 kB a sample for PSM) is dropped as soon as they are read, so a large batch
can run in chunks of ``chunk`` samples within a fixed memory.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from steelworks.carbon import account
from steelworks.errors import InputError
from steelworks.plant.batch import SampledWorks, parse_samples, sampled_recipes
from steelworks.plant.build import build_plant
from steelworks.plant.solve import solve
from steelworks.results import WorksResults, works_results
from steelworks.schema.loader import ResolvedScenario, load_scenario
from steelworks.schema.tree import WORKS, route, split_by_branch

Array = NDArray[np.float64]


@dataclass
class BatchResult:
    """Per-sample KPIs of the works (and of the business case when asked), the masked samples and why."""

    scenario: str
    n_samples: int
    kpis: dict[str, Array]  # each (S,)
    feasible: NDArray[np.bool_]
    faults: dict[int, str]
    economics: dict[str, Array] = field(default_factory=dict)  # each (S,): npv_usd, irr, lcos_usd_per_t, ...
    results: WorksResults | None = None  # the full results (keep="all", one chunk only)


def _chunk(samples: Mapping[str, Array], start: int, stop: int) -> dict[str, Array]:
    return {k: v[start:stop] for k, v in samples.items()}


def solve_samples(
    resolved: ResolvedScenario, samples: Mapping[str, ArrayLike], plant: Any = None, n: int | None = None
) -> tuple[WorksResults, SampledWorks]:
    """Physics -> solve -> CO2 -> results contract for every sample (masked samples are NaN); ``n``
    samples when none of them is a physics parameter."""
    plant = plant if plant is not None else build_plant(resolved)
    works = sampled_recipes(plant, resolved, samples, n=n)
    sol = solve(works.plant, works.recipe, out_c_frac=works.out_c_frac, out_lhv=works.out_lhv, mask_faults=True)
    faults = dict(works.faults)
    for s, reason in sol.faults.items():
        faults.setdefault(s, reason)
    assert sol.balances is not None
    co2 = account(sol, sol.balances)
    ok = np.ones(works.n_samples, dtype=bool)
    ok[list(faults)] = False
    res = works_results(sol, sol.balances, co2, feasible=ok, reasons=faults)
    if not ok.all():
        for values in (*res.data.values(), *res.kpi.values()):
            values[~ok] = np.nan
    return res, works


def run_batch(
    scenario: str | Path,
    samples: Mapping[str, ArrayLike],
    overrides: Mapping[str, Any] | list[str] = (),  # type: ignore[assignment]
    *,
    economics: bool = True,
    keep: Literal["kpis", "all"] = "kpis",
    chunk: int = 1_000,
    price_factors: Mapping[str, ArrayLike] | None = None,
    optional: Collection[str] = (),
    cash_flows: bool = False,
) -> BatchResult:
    """Run ``S`` samples of ``scenario``'s physics parameters through the whole chain.

    ``price_factors`` are draws of factors on the deck's prices, by path ``prices.<carrier>.price``;
    ``optional`` price paths may name a carrier the works does not trade (to no effect); ``cash_flows``
    adds each year's cash flow to the economics (:data:`steelworks.economics.batch.CASH_FLOW_PREFIX`)."""
    branches = split_by_branch(overrides)
    works_overrides = branches.pop(WORKS)
    econ_overrides = branches
    resolved = load_scenario(scenario, works_overrides)
    arrays = {k: np.asarray(v, dtype=float) for k, v in samples.items()}
    factors = {k: np.asarray(v, dtype=float) for k, v in (price_factors or {}).items()}
    physics = {k: v for k, v in arrays.items() if route(k)[0] == WORKS}
    business = {k: v for k, v in arrays.items() if route(k)[0] != WORKS}
    if business and not economics:
        raise InputError(
            f"{sorted(business)} only act on the business case", location="samples", allowed="economics=True"
        )
    S, _ = parse_samples(resolved, physics)
    sizes = {v.shape[0] for v in (*arrays.values(), *factors.values())}
    if len(sizes) > 1:
        raise InputError(f"sample arrays have different lengths {sorted(sizes)}", location="samples")
    S = sizes.pop() if sizes else S
    plant = build_plant(resolved)
    if keep == "all" and chunk < S:
        chunk = S
    kpis: dict[str, list[Array]] = {}
    econ: dict[str, list[Array]] = {}
    feasible: list[NDArray[np.bool_]] = []
    faults: dict[int, str] = {}
    last: WorksResults | None = None
    for start in range(0, S, chunk):  # chunks bound the memory; each chunk is one vectorised pass
        res, works = solve_samples(resolved, _chunk(physics, start, start + chunk), plant, n=min(chunk, S - start))
        for name, values in res.kpi.items():
            kpis.setdefault(name, []).append(values)
        feasible.append(res.feasible)
        faults.update({start + s: r for s, r in enumerate(res.infeasible_reason) if r})
        if economics:
            from steelworks.economics.batch import evaluate_samples

            drawn = _chunk(business, start, start + chunk)
            scaled = _chunk(factors, start, start + chunk)
            kpis_econ = evaluate_samples(
                res,
                resolved,
                econ_overrides,
                plant=plant,
                works=works,
                sampled=drawn,
                factors=scaled,
                optional=optional,
                cash_flows=cash_flows,
            )
            for name, values in kpis_econ.items():
                econ.setdefault(name, []).append(values)
        last = res if keep == "all" else None
    return BatchResult(
        scenario=resolved.name,
        n_samples=S,
        kpis={k: np.concatenate(v) for k, v in kpis.items()},
        feasible=np.concatenate(feasible),
        faults=faults,
        economics={k: np.concatenate(v) for k, v in econ.items()},
        results=last,
    )
