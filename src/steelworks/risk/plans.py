"""Risk of a plan: a plan file (``plan:NAME``) priced on its own years, its business case sampled.

A plan's yearly flows are the planner's LP on the works' recipes at their nominal operating point
(:func:`steelworks.planning.economics.solve_rows`, every year closure-checked), priced by ``evaluate``'s
cash-flow model (:func:`steelworks.planning.economics.plan_years`). The entries of an uncertainty file
reach it as follows:

* prices (``prices.<carrier>.price``, factors), the real discount rate and the capital overrun: every
  sample through one vectorised cash-flow run (:func:`steelworks.economics.batch.sample_arrays`), the
  same path an option's samples take;
* the schedule slip (``option.plan.*.year``, a shift): the whole plan moves that many years later
  (:func:`steelworks.planning.economics.slipped`), one cash-flow run per distinct slip;
* anything else (physics parameters, the option's ramp-up steady state, availabilities) would change
  the plan's flows, which are fixed here: such entries are **held** at their values and listed as held
  in the run's summary (``entries_held_for_a_plan``), not drawn. Re-solving the plan's LP per sample
  would take them (0.4 s a sample); that is left open.

Samples a slip makes impossible (a commissioning past the horizon) are infeasible with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from steelworks.economics import cashflow as cf
from steelworks.economics.batch import CASH_FLOW_PREFIX, KPIS, sample_arrays
from steelworks.errors import InputError
from steelworks.risk.engine import (
    ECONOMICS_KPIS,
    PLAN_PREFIX,
    WORKS_KPIS,
    ChunkResult,
    Parameter,
    RiskJob,
    _applied,
    draws_to_values,
    expand,
    finish,
    load_uncertainty,
)
from steelworks.schema.tree import WORKS, split_by_branch

SLIP = "option.plan.*.year"


@dataclass
class PlanTarget:
    """A plan file bound to its scenario: the nominal plan solved and priced once (per worker)."""

    name: str
    scenario: str
    file: Path
    rows: list[tuple[str, str, int]]
    overrides: tuple[str, ...]
    year: Any = field(repr=False)  # PlantYear of the plan's steady year
    years: Any = field(repr=False)  # PlanYears
    inputs: Any = field(repr=False)
    models: dict[int, Any] = field(default_factory=dict, repr=False)  # slip -> CashFlowModel

    def evaluate(self, job: RiskJob, u: Any, start: int = 0) -> ChunkResult:
        """One chunk of this plan's draws (:func:`evaluate_plan_chunk`; the engine calls it)."""
        return evaluate_plan_chunk(job, u, start)

    def model(self, slip: int) -> Any:
        """The cash-flow model of the plan slipped by ``slip`` years (cached)."""
        if slip not in self.models:
            from steelworks.economics.evaluate import build_model
            from steelworks.planning.economics import slipped

            self.models[slip], _ = build_model(self.year, self.inputs, slipped(self.years, slip))
        return self.models[slip]


def plan_target(name: str, overrides: tuple[str, ...] = ()) -> PlanTarget:
    """Load the plan file ``name`` (after ``plan:``), solve its flows and price it."""
    from steelworks.planning.economics import plan_years, scenario_inputs, solve_plan_file

    works = split_by_branch(list(overrides))[WORKS]
    if works:
        raise InputError(
            f"--set {next(iter(works))} changes the works, whose flows a plan file fixes",
            location="--set",
            allowed="prices.*, finance.*, option.* (the plan's business case)",
        )
    result, spec, path = solve_plan_file(name)
    resolved, inputs = scenario_inputs(spec.scenario, overrides)
    year, years = plan_years(result, resolved, inputs)
    return PlanTarget(name, spec.scenario, path, spec.rows, overrides, year, years, inputs)


def bind_plan(target: str, uncertainty: str | Path, overrides: Any = (), *, strict: bool = True) -> RiskJob:
    """Bind an uncertainty file to a plan file (``plan:NAME``): the entries that reach a plan are drawn,
    the others held (see the module)."""
    from steelworks.schema.loader import load_scenario

    spec, path = load_uncertainty(uncertainty)
    plan = plan_target(target[len(PLAN_PREFIX) :], tuple(overrides))
    resolved = load_scenario(plan.scenario)
    params, skipped = expand(spec, path, resolved, strict and not spec.skip_without_effect)
    drawn = [p for p in params if _reaches(p)]
    held = [p.name for p in params if not _reaches(p)]
    if not drawn:
        raise InputError(
            f"no entry of '{path.name}' reaches a plan's business case",
            file=str(path),
            location="parameters",
            allowed="prices.<carrier>.price, finance.discount_rate.value, option.capex.overrun.share, "
            "option.plan.*.year (a slip)",
        )
    job = RiskJob(target, tuple(overrides), spec, path, drawn, strict, skipped=tuple(skipped))
    job.plan, job.held = plan, tuple(held)
    finish(job, path)
    return job


def _reaches(p: Parameter) -> bool:
    if p.route in ("price", "business"):
        return True
    return p.name == SLIP and p.dist.apply == "shift"


def evaluate_plan_chunk(job: RiskJob, u: Any, start: int = 0) -> ChunkResult:
    """The plan's business case for the draws ``u`` ``(S, d)``: one vectorised run per distinct slip."""
    plan: PlanTarget = job.plan
    values = draws_to_values(job, u)
    S = u.shape[0]
    slip_entry = next((p for p in job.parameters if p.route == "grouped"), None)
    slips = np.rint(values[slip_entry.name]).astype(int) if slip_entry is not None else np.zeros(S, dtype=int)
    kpis = {k: np.full(S, np.nan) for k in (*WORKS_KPIS, *ECONOMICS_KPIS)}
    feasible = np.zeros(S, dtype=bool)
    reasons: dict[int, str] = {}
    for k in np.unique(slips):
        rows = np.flatnonzero(slips == k)
        try:
            model = plan.model(int(k))
        except InputError as exc:
            for i in rows:
                reasons[int(i)] = exc.message
            continue
        sampled: dict[str, Any] = {}
        factors: dict[str, Any] = {}
        for p in job.parameters:
            if p.route == "grouped":
                continue
            for target in p.targets:
                drawn = values[p.name][rows]
                if p.route == "price":
                    factors[target.path] = drawn
                else:
                    sampled[target.path] = _applied(p.dist, target, drawn)
        fields = sample_arrays(sampled, model, plan.inputs, rows.size, factors=factors, optional=job.optional_prices)
        samples = cf.Samples(capex_factor=np.full(rows.size, model.capex_factor))
        for name, array in fields.items():
            setattr(samples, name, array)
        out = cf.run(model, samples)
        for name, key in KPIS.items():
            if name in kpis:
                kpis[name][rows] = np.broadcast_to(np.asarray(out[key], dtype=float), (rows.size,))
        steady = plan.years.steady_index
        crude = float(np.asarray(plan.years.states.crude_steel_t)[steady])
        kpis["crude_steel_t"][rows] = crude
        kpis["co2_t_per_t_crude_steel"][rows] = float(plan.years.co2_t[steady]) / crude if crude > 0 else np.nan
        if job.cash_flows:
            fcf = np.broadcast_to(np.asarray(out["fcf"], dtype=float), (rows.size, model.n_years))
            for t, year in enumerate(model.years):
                kpis.setdefault(f"{CASH_FLOW_PREFIX}{int(year)}", np.full(S, np.nan))[rows] = fcf[:, t]
        ok = np.isfinite(kpis["npv_usd"][rows])
        feasible[rows] = ok
        for i in rows[~ok]:
            reasons[int(i)] = "the business case of this sample is not finite"
    return ChunkResult(start, kpis, feasible, reasons)
