"""The risk engine's job: an uncertainty file bound to a scenario, and one chunk of samples through the
whole chain (:func:`steelworks.batch.run_batch`: physics -> solve -> CO2 -> economics).

A parameter of the uncertainty file reaches the chain in one of two ways:

* **vectorised** — a physics model parameter (``units.<id>.model.params.<name>``), a price
  (``prices.<carrier>.price``, drawn as a factor on the deck's price), the real discount rate
  (``finance.discount_rate.value``) or the capital overrun (``option.capex.overrun.share``): every
  sample carries its own value through one batched pass;
* **grouped** — any other path of the tree (a unit's availability, a plan's years, the ramp-up ...):
  it changes what is built, so the samples of a chunk are grouped by their values of these paths and
  each group is one batched pass with those values set. Such a path needs a ``discrete``
  distribution (a handful of values), so that the groups stay few.

No sample is dropped: a sample the physics, the solve or a conservation check refuses is counted as
infeasible with its reason (which unit, which constraint) and its KPIs are NaN.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from steelworks.batch import run_batch
from steelworks.economics.batch import CASH_FLOW_PREFIX
from steelworks.errors import InputError
from steelworks.report.params import parameter_rows
from steelworks.risk.distributions import quantile
from steelworks.schema.loader import load_scenario
from steelworks.schema.tree import override_items
from steelworks.schema.uncertainty import Discrete, UncertaintyFile
from steelworks.schema.yamlio import find_bundled, load_yaml

Array = NDArray[np.float64]
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "uncertainty"
#: most groups (distinct combinations of grouped values) a run may have
MAX_GROUPS = 64
#: a risk target ``plan:NAME`` is a plan file (bundled name or path), priced on its own years
PLAN_PREFIX = "plan:"
#: the per-sample KPIs a risk run keeps (works first, then the business case)
WORKS_KPIS = ("crude_steel_t", "hot_metal_t", "co2_t_per_t_crude_steel", "coke_rate_kg_per_thm")
ECONOMICS_KPIS = ("npv_usd", "irr", "equity_irr", "lcos_usd_per_t", "cash_cost_usd_per_t", "payback_years", "min_dscr")


def find_uncertainty(name_or_path: str | Path) -> Path:
    """A bundled uncertainty file by name (``data/uncertainty/<name>.yaml``) or a path."""
    return find_bundled(name_or_path, DATA_DIR, "uncertainty file", "--uncertainty")


def load_uncertainty(name_or_path: str | Path) -> tuple[UncertaintyFile, Path]:
    path = find_uncertainty(name_or_path)
    data, _lines = load_yaml(path)
    try:
        return UncertaintyFile.model_validate(data), path
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
        raise InputError(err["msg"].removeprefix("Value error, "), file=str(path), location=where) from None


@dataclass(frozen=True)
class Target:
    """One concrete parameter a draw sets: its path, its scenario value and how the draw applies."""

    path: str
    base: Any
    unit: str


@dataclass(frozen=True)
class Parameter:
    """One entry of the uncertainty file bound to a scenario: the paths it sets and how they reach the chain."""

    name: str  # the entry's path as written (may hold '*')
    dist: Any
    targets: tuple[Target, ...]
    route: str  # "physics", "price", "business" (vectorised) or "grouped"


def _route(path: str) -> str:
    if path.startswith("units.") and ".model.params." in path:
        return "physics"
    if path.startswith("prices.") and path.endswith(".price") and path.count(".") == 2:
        return "price"
    if path in ("finance.discount_rate.value", "option.capex.overrun.share"):
        return "business"
    return "grouped"


@dataclass
class RiskJob:
    """A scenario, its ``--set`` overrides and an uncertainty file, checked against each other."""

    scenario: str
    overrides: tuple[str, ...]
    uncertainty: UncertaintyFile
    uncertainty_file: Path
    parameters: list[Parameter]
    strict: bool = True
    correlation: Array | None = field(default=None, repr=False)
    skipped: tuple[str, ...] = ()  # entries of the file with nothing to act on in this scenario
    #: a plan file's job (:class:`steelworks.risk.plans.PlanTarget`); None: a scenario's option
    plan: Any = field(default=None, repr=False)
    held: tuple[str, ...] = ()  # entries a plan's fixed flows do not take (held at their values)
    cash_flows: bool = False  # keep each sample's yearly cash flow too

    @property
    def optional_prices(self) -> frozenset[str]:
        """Prices a wildcard matched (or any price, comparing options): a carrier this works does not
        trade is drawn to no effect instead of refused."""
        return frozenset(
            t.path
            for p in self.parameters
            if p.route == "price" and ("*" in p.name or not self.strict)
            for t in p.targets
        )

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def dimension(self) -> int:
        return len(self.parameters)


def bind(scenario: str, uncertainty: str | Path, overrides: Sequence[str] = (), *, strict: bool = True) -> RiskJob:
    """Bind an uncertainty file to a scenario: expand wildcards over its parameter listing, check each
    path, apply and domain (``strict=False``: a path the scenario does not have is skipped, for a
    comparison of options on one file). A plan file (``plan:NAME``) is bound by
    :func:`steelworks.risk.targets.bind_target`."""
    spec, path = load_uncertainty(uncertainty)
    strict = strict and not spec.skip_without_effect
    resolved = load_scenario(scenario, list(overrides))
    params, skipped = expand(spec, path, resolved, strict)
    job = RiskJob(scenario, tuple(overrides), spec, path, params, strict, skipped=tuple(skipped))
    finish(job, path)
    return job


def finish(job: RiskJob, path: Path) -> None:
    """The job's correlation block and group check, then one sample at the medians through the chain: a
    draw the chain cannot take (a price of a carrier this works does not trade, a value a model refuses)
    fails here, before a run is recorded."""
    spec = job.uncertainty
    if spec.correlations:
        kept = [spec_name for spec_name in spec.parameters if spec_name in job.names]
        full = spec.correlation_matrix()
        index = [list(spec.parameters).index(n) for n in kept]
        job.correlation = full[np.ix_(index, index)]
    _check_groups(job, path)
    evaluate_chunk(job, np.full((1, job.dimension), 0.5))


def expand(spec: UncertaintyFile, path: Path, resolved: Any, strict: bool) -> tuple[list[Parameter], list[str]]:
    """Each entry of the file bound to the paths it matches in the scenario's parameter listing, and the
    entries with nothing to act on (skipped where allowed, else an error)."""
    rows = {row["path"]: row for row in parameter_rows(resolved)}
    params: list[Parameter] = []
    skipped: list[str] = []
    for name, dist in spec.parameters.items():
        where = f"parameters.{name}"
        matches = sorted(p for p in rows if fnmatch.fnmatchcase(p, name)) if "*" in name else [name]
        matches = [m for m in matches if m in rows]
        idle = [m for m in matches if _idle_unit(resolved, m)]
        if idle and "*" not in name:
            uid = name.split(".")[1]
            raise InputError(
                f"unit '{uid}' is {resolved.plant.units[uid].condition} in scenario '{resolved.name}': "
                "a draw of its parameters would have no effect",
                file=str(path),
                location=where,
                allowed="parameters of operating units",
            )
        matches = [m for m in matches if m not in idle]  # a wildcard covers the units that run
        if not matches:
            if not strict or "*" in name:  # a pattern may match nothing here (an EAF has no blast furnace)
                skipped.append(name)
                continue
            raise InputError(
                f"'{name}' is not a parameter of scenario '{resolved.name}'",
                file=str(path),
                location=where,
                allowed="a path `steelworks params SCENARIO` lists ('*' for one segment)",
            )
        targets = tuple(Target(m, rows[m]["value"], str(rows[m].get("unit") or "")) for m in matches)
        routes = {_route(t.path) for t in targets}
        if len(routes) > 1:
            raise InputError(
                f"'{name}' matches paths that reach the model in different ways ({', '.join(sorted(routes))})",
                file=str(path),
                location=where,
                allowed="a pattern that matches parameters of one kind",
            )
        route = routes.pop()
        _check_entry(name, dist, route, targets, path)
        params.append(Parameter(name, dist, targets, route))
    if not params:
        raise InputError(
            f"no parameter of '{path.name}' is in scenario '{resolved.name}'", file=str(path), location="parameters"
        )
    return params, skipped


def _idle_unit(resolved: Any, path: str) -> bool:
    parts = path.split(".")
    if len(parts) < 3 or parts[0] != "units" or parts[1] not in resolved.plant.units:
        return False
    return bool(resolved.plant.units[parts[1]].condition != "operating")


def _check_entry(name: str, dist: Any, route: str, targets: tuple[Target, ...], path: Path) -> None:
    where = f"parameters.{name}"
    if route == "price" and dist.apply != "factor":
        raise InputError(
            f"'{name}' is a price: decks price in many currencies and units, so a price is drawn as a factor",
            file=str(path),
            location=f"{where}.apply",
            allowed="factor",
        )
    if route == "grouped" and not isinstance(dist, Discrete):
        raise InputError(
            f"'{name}' changes what is built, so its samples are evaluated in groups of equal values",
            file=str(path),
            location=f"{where}.dist",
            allowed="discrete (at most a few values), or a vectorised parameter (units.<id>.model.params.<name>, "
            "prices.<carrier>.price, finance.discount_rate.value, option.capex.overrun.share)",
        )
    for target in targets:
        numeric = isinstance(target.base, int | float) and not isinstance(target.base, bool)
        if dist.apply != "value" and not numeric:
            raise InputError(
                f"'{target.path}' has the value {target.base!r}: a draw can only be a factor on or a shift of a number",
                file=str(path),
                location=f"{where}.apply",
                allowed="value",
            )


def _check_groups(job: RiskJob, path: Path) -> None:
    combos = 1
    for p in job.parameters:
        if p.route == "grouped":
            combos *= len(p.dist.values)
    if combos > MAX_GROUPS:
        raise InputError(
            f"the grouped parameters make {combos} combinations of values",
            file=str(path),
            location="parameters",
            allowed=f"at most {MAX_GROUPS} (fewer discrete values, or vectorised parameters)",
        )


def draws_to_values(job: RiskJob, u: Array) -> dict[str, Array]:
    """Uniform draws ``(S, d)`` (columns in ``job.names`` order) -> each entry's drawn value ``(S,)``."""
    base_dir = job.uncertainty_file.parent
    return {
        p.name: quantile(p.dist, u[:, j], base_dir=base_dir, where=f"parameters.{p.name}")
        for j, p in enumerate(job.parameters)
    }


def _applied(dist: Any, target: Target, drawn: Array) -> Array:
    if dist.apply == "factor":
        return float(target.base) * drawn
    if dist.apply == "shift":
        return float(target.base) + drawn
    return drawn


def _override_text(target: Target, value: float) -> Any:
    if isinstance(target.base, int) and not isinstance(target.base, bool):
        if value != round(value):
            raise InputError(f"'{target.path}' is an integer; a draw gave {value}", location=target.path)
        return round(value)
    unit = target.unit.strip()
    return f"{value!r} {unit}" if unit and unit != "-" else value


@dataclass
class ChunkResult:
    """One chunk's KPIs ``(S,)`` each, feasibility and the reasons of the infeasible samples."""

    start: int
    kpis: dict[str, Array]
    feasible: NDArray[np.bool_]
    reasons: dict[int, str]  # index within the chunk -> reason


def evaluate_chunk(job: RiskJob, u: Array, start: int = 0) -> ChunkResult:
    """The whole chain for the draws ``u`` ``(S, d)``, one batched pass per group of grouped values."""
    if job.plan is not None:  # a plan file's job (steelworks.risk.plans.PlanTarget) evaluates itself
        return job.plan.evaluate(job, u, start)
    values = draws_to_values(job, u)
    S = u.shape[0]
    grouped = [p for p in job.parameters if p.route == "grouped"]
    keys = np.stack([values[p.name] for p in grouped], axis=1) if grouped else np.zeros((S, 0))
    combos, which = np.unique(keys, axis=0, return_inverse=True) if grouped else (np.zeros((1, 0)), np.zeros(S, int))
    which = np.asarray(which).reshape(-1)
    kpis = {k: np.full(S, np.nan) for k in (*WORKS_KPIS, *ECONOMICS_KPIS)}
    feasible = np.zeros(S, dtype=bool)
    reasons: dict[int, str] = {}
    for g, combo in enumerate(combos):
        rows = np.flatnonzero(which == g)
        overrides = dict(override_items(job.overrides))  # the run's --set, read as the CLI reads them
        for p, drawn in zip(grouped, combo, strict=True):
            for target in p.targets:
                overrides[target.path] = _override_text(target, float(_applied(p.dist, target, np.array(drawn))))
        samples: dict[str, Array] = {}
        factors: dict[str, Array] = {}
        for p in job.parameters:
            if p.route == "grouped":
                continue
            for target in p.targets:
                if p.route == "price":
                    factors[target.path] = values[p.name][rows]
                else:
                    samples[target.path] = _applied(p.dist, target, values[p.name][rows])
        batch = _run(job, overrides, samples, factors, rows.size)
        for k in WORKS_KPIS:
            if k in batch.kpis:
                kpis[k][rows] = batch.kpis[k]
        for k in ECONOMICS_KPIS:
            if k in batch.economics:
                kpis[k][rows] = batch.economics[k]
        for k, v in batch.economics.items():
            if k.startswith(CASH_FLOW_PREFIX):  # years a group lacks (a shifted horizon) stay NaN
                kpis.setdefault(k, np.full(S, np.nan))[rows] = v
        ok = batch.feasible & np.isfinite(kpis["npv_usd"][rows])
        feasible[rows] = ok
        for i in np.flatnonzero(~ok):
            reasons[int(rows[i])] = batch.faults.get(int(i), "the business case of this sample is not finite")
    return ChunkResult(start, kpis, feasible, reasons)


def _run(
    job: RiskJob, overrides: Mapping[str, Any], samples: dict[str, Array], factors: dict[str, Array], n: int
) -> Any:
    if not samples and not factors:  # only grouped parameters: every sample of the group is the same run
        return _tiled(run_batch(job.scenario, {}, overrides, chunk=1, cash_flows=job.cash_flows), n)
    return run_batch(
        job.scenario, samples, overrides, price_factors=factors, optional=job.optional_prices, cash_flows=job.cash_flows
    )


def _tiled(batch: Any, n: int) -> Any:
    from steelworks.batch import BatchResult

    return BatchResult(
        scenario=batch.scenario,
        n_samples=n,
        kpis={k: np.repeat(v[:1], n) for k, v in batch.kpis.items()},
        feasible=np.repeat(batch.feasible[:1], n),
        faults={i: batch.faults[0] for i in range(n)} if 0 in batch.faults else {},
        economics={k: np.repeat(v[:1], n) for k, v in batch.economics.items()},
    )
