"""Capital plans: the cost of each unit's action, its timing, life and recurring campaigns.

Two bases, chosen per option (``capex.basis``):

* ``bottom_up``: each unit costs ``specific_cost x C_ref x (C / C_ref) ** exponent`` (capex.yaml)
  times the action's fraction of new; an ``infrastructure`` block costs ``share_of_direct`` of the
  other units.
* ``top_down``: a published total (e.g. the Russian USD 1.91 bn) is split over the units with the
  stated ``share``; the bottom-up figure of every unit is still computed (where its capacity is
  known) so that :func:`reconcile` can show both side by side.

Owner's costs and contingency are added on the EPC total unless the top-down figure already
includes them. The *replacement value* of a unit is its new-build cost at its capacity; it sets
maintenance, insurance and sustaining capital, and what a unit costs when its life runs out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import ActionCost, CapexBenchmarks, CapexItem, NewBuild, OptionEconomics


@dataclass
class CapexLine:
    """One unit of a capital plan, costed in cost-year USD (EPC, before owner's costs and contingency)."""

    uid: str
    kind: str
    action: str
    phase: int
    epc_usd: float
    bottom_up_usd: float | None
    replacement_usd: float
    start: int
    duration: int
    profile: np.ndarray
    life_years: float
    reline_interval: int | None = None
    reline_first: int | None = None
    reline_usd: float = 0.0
    reline_output_loss: float = 0.0
    source: str = ""


@dataclass
class CapexEstimate:
    option_id: str
    basis: str
    lines: list[CapexLine]
    epc_usd: float
    owners_usd: float
    contingency_usd: float
    total_usd: float
    markup: float  # total / EPC
    foreign_share: float
    sustaining_share: float
    top_down_usd: float | None
    comparisons: list[tuple[str, float]] = field(default_factory=list)

    @property
    def replacement_value_usd(self) -> float:
        return float(sum(line.replacement_usd for line in self.lines))


@dataclass
class _Staged:
    uid: str
    item: CapexItem
    new_usd: float | None
    fraction: float
    duration: int | None
    profile: list[float] | None
    life: float


def _capacity(item: CapexItem, uid: str, unit_capacity: Mapping[str, float]) -> tuple[float | None, str]:
    if item.capacity is not None:
        return item.capacity, "t"
    if item.capacity_mwh is not None:
        return item.capacity_mwh, "MWh"
    if uid in unit_capacity:
        return float(unit_capacity[uid]), "t"
    return None, "t"


def estimate_capex(
    option: OptionEconomics,
    conv: Converter,
    benchmarks: CapexBenchmarks,
    unit_capacity: Mapping[str, float] | None = None,
) -> CapexEstimate:
    """Cost every unit of ``option`` (see the module docstring); capacities from the option or the plant."""
    if option.capex is None:
        return CapexEstimate(option.id, "none", [], 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, None)
    plan = option.capex
    file = option.file
    caps = unit_capacity or {}
    staged: list[_Staged] = []
    for uid, item in option.units.items():
        where = f"option.units.{uid}"
        bench = benchmarks.kinds.get(item.kind)
        capacity, cap_unit = _capacity(item, uid, caps)
        new_usd: float | None = None
        action_fraction = 1.0
        duration, profile, life = item.duration_years, item.profile, item.life_years
        step: NewBuild | ActionCost
        if bench is not None:
            new = bench.new
            if capacity is not None:
                ref = new.reference_capacity if cap_unit == "t" else new.reference_capacity_mwh
                if ref is None:
                    raise InputError(
                        f"unit kind {item.kind!r} is sized in "
                        f"{'t/yr' if new.reference_capacity is not None else 'MWh/yr'}",
                        file=file,
                        location=where + (".capacity" if cap_unit == "t" else ".capacity_mwh"),
                        allowed="capacity: '<n> Mt/yr'"
                        if new.reference_capacity is not None
                        else "capacity_mwh: '<n> MWh/yr'",
                    )
                specific = conv.usd_per(
                    new.specific_cost.amount,
                    "t" if cap_unit == "t" else "MWh",
                    new.specific_cost.year,
                    where=f"capex.kinds.{item.kind}.new.specific_cost",
                    file=benchmarks.file,
                )
                new_usd = specific * ref * (capacity / ref) ** new.exponent
            if item.action == "new":
                step = new
            else:
                action = bench.actions.get(item.action)  # type: ignore[call-overload,unused-ignore]
                if action is None:
                    raise InputError(
                        f"no cost benchmark for action {item.action!r} on unit kind {item.kind!r}",
                        file=file,
                        location=where + ".action",
                        allowed=", ".join(["new", *sorted(bench.actions)]),
                    )
                step = action
                action_fraction = action.fraction_of_new
            duration = duration or step.duration_years
            profile = profile or (step.profile if duration == step.duration_years else None)
            life = life or step.life_years
        elif item.share_of_direct is None and item.cost is None and item.share is None:
            raise InputError(
                f"unit kind {item.kind!r} has no cost benchmark",
                file=file,
                location=where + ".kind",
                allowed="a kind of capex.yaml ("
                + ", ".join(sorted(benchmarks.kinds))
                + ") or a cost / share / share_of_direct on the unit",
            )
        if life is None:
            raise InputError(
                "the unit needs an asset life",
                file=file,
                location=where + ".life_years",
                allowed="life_years > 0",
            )
        if item.share_of_direct is None and new_usd is None and item.cost is None and plan.basis == "bottom_up":
            raise InputError(
                f"unit {uid!r} has no capacity to size its cost",
                file=file,
                location=where + ".capacity",
                allowed="capacity: '<n> Mt/yr' (or capacity_mwh), or a plant unit of the same id",
            )
        staged.append(_Staged(uid, item, new_usd, action_fraction, duration, profile, life))

    direct_new = sum(st.new_usd for st in staged if st.new_usd is not None)
    direct_action = sum(st.new_usd * st.fraction for st in staged if st.new_usd is not None)
    top_down_usd = (
        conv.cost(plan.top_down.total, where="option.capex.top_down.total", file=file)
        if plan.top_down is not None
        else None
    )
    lines: list[CapexLine] = []
    max_end = max((st.item.start_offset_years + (st.duration or 0) for st in staged), default=1)
    for st in staged:
        item, uid = st.item, st.uid
        bottom_up: float | None
        if st.new_usd is not None:
            bottom_up = st.new_usd * st.fraction
            replacement = st.new_usd
        elif item.share_of_direct is not None:
            bottom_up = item.share_of_direct * direct_action
            replacement = item.share_of_direct * direct_new
        else:
            bottom_up = None
            replacement = 0.0
        if item.cost is not None:
            epc = conv.cost(item.cost, where=f"option.units.{uid}.cost", file=option.file)
        elif plan.basis == "top_down":
            assert top_down_usd is not None and item.share is not None
            epc = item.share * top_down_usd
        else:
            epc = bottom_up if bottom_up is not None else 0.0
        if replacement == 0.0:
            replacement = epc
        duration = st.duration or max_end
        spending = np.asarray(st.profile if st.profile is not None else np.full(duration, 1.0 / duration), float)
        line = CapexLine(
            uid,
            item.kind,
            item.action,
            item.phase,
            epc,
            bottom_up,
            replacement,
            item.start_offset_years,
            duration,
            spending,
            st.life,
            source=item.source,
        )
        if item.recurring is not None:
            rec = item.recurring
            line.reline_interval = rec.interval_years
            line.reline_first = rec.first_after_years or rec.interval_years
            line.reline_usd = (
                conv.cost(rec.cost, where=f"option.units.{uid}.recurring.cost", file=file)
                if rec.cost is not None
                else float(rec.fraction_of_new or 0.0) * replacement
            )
            line.reline_output_loss = rec.output_loss
        lines.append(line)

    epc_total = sum(line.epc_usd for line in lines)
    includes_owner = plan.top_down.includes_owners_cost if plan.top_down else False
    includes_cont = plan.top_down.includes_contingency if plan.top_down else False
    owners = 0.0 if includes_owner else plan.owners_cost.share * epc_total
    contingency = 0.0 if includes_cont else plan.contingency.share * epc_total
    total = epc_total + owners + contingency
    comparisons = [(c.source, conv.cost(c, where="option.capex.comparisons", file=file)) for c in plan.comparisons]
    return CapexEstimate(
        option.id,
        plan.basis,
        lines,
        epc_total,
        owners,
        contingency,
        total,
        total / epc_total if epc_total else 1.0,
        plan.foreign_share.share,
        plan.sustaining.share,
        top_down_usd,
        comparisons,
    )


def reconcile(estimate: CapexEstimate) -> dict[str, Any]:
    """Top-down and bottom-up side by side, per unit and in total (cost-year USD, EPC)."""
    rows = [
        {
            "unit": line.uid,
            "kind": line.kind,
            "action": line.action,
            "used_usd": line.epc_usd,
            "bottom_up_usd": line.bottom_up_usd,
            "replacement_value_usd": line.replacement_usd,
        }
        for line in estimate.lines
    ]
    bottom_up_total = sum(line.bottom_up_usd or 0.0 for line in estimate.lines)
    return {
        "basis": estimate.basis,
        "top_down_usd": estimate.top_down_usd,
        "epc_used_usd": estimate.epc_usd,
        "bottom_up_usd": bottom_up_total,
        "bottom_up_over_used": bottom_up_total / estimate.epc_usd if estimate.epc_usd else None,
        "owners_usd": estimate.owners_usd,
        "contingency_usd": estimate.contingency_usd,
        "total_usd": estimate.total_usd,
        "replacement_value_usd": estimate.replacement_value_usd,
        "comparisons": [{"source": label, "usd": usd} for label, usd in estimate.comparisons],
        "units": rows,
    }


@dataclass
class CapexSchedule:
    """Capital spending and its consequences over the horizon (cost-year USD, shape ``(T,)``)."""

    initial: np.ndarray  # construction spending incl. owner's costs and contingency
    initial_by_phase: np.ndarray  # (P, T): the same split by phase (each goes into service at its commissioning)
    recurring: np.ndarray  # relines
    replacement: np.ndarray  # units whose life ends inside the horizon
    sustaining: np.ndarray
    output_loss: np.ndarray  # share of output lost to relines per year
    replacement_value: np.ndarray  # of the units in service per year (maintenance, insurance)
    residual_value: float  # straight-line remaining value of all capital at the end of the horizon
    commissioning: list[int]  # year index of each phase's commissioning


def schedule_capex(
    estimate: CapexEstimate,
    n_years: int,
    n_phases: int,
    *,
    start_year: int,
    file: str | None = None,
    sustaining_life: float = 10.0,
) -> CapexSchedule:
    """Place the plan on the horizon; a construction that does not end before the horizon is an error."""
    by_phase = np.zeros((n_phases, n_years))
    recurring = np.zeros(n_years)
    replacement = np.zeros(n_years)
    sustaining = np.zeros(n_years)
    loss = np.zeros(n_years)
    value = np.zeros(n_years)
    vintages: list[tuple[int, float, float]] = []  # (year in service, cost, life)
    commissioning = []
    for phase in range(n_phases):
        ends = [line.start + line.duration for line in estimate.lines if line.phase == phase]
        commissioning.append(max(ends) if ends else 0)
    last = max(commissioning) if commissioning else 0
    if last >= n_years:
        raise InputError(
            f"the construction schedule ends in {start_year + last - 1}, after the horizon "
            f"({start_year}-{start_year + n_years - 1}) leaves a year to operate",
            file=file,
            location="option.units",
            allowed=f"commissioning by {start_year + n_years - 1} "
            "(shorten the durations/offsets or lengthen finance.horizon_years)",
        )
    years = np.arange(n_years)
    for line in estimate.lines:
        spend = line.epc_usd * estimate.markup
        by_phase[line.phase, line.start : line.start + line.duration] += spend * line.profile
        c = commissioning[line.phase]
        vintages.append((c, spend, line.life_years))
        value += np.where(years >= c, line.replacement_usd, 0.0)
        sustaining += np.where(years >= c, estimate.sustaining_share * line.replacement_usd, 0.0)
        if line.reline_interval:
            t = c + (line.reline_first or line.reline_interval)
            while t < n_years:
                recurring[t] += line.reline_usd
                loss[t] += line.reline_output_loss
                vintages.append((t, line.reline_usd, float(line.reline_interval)))
                t += line.reline_interval
        t_rep = c + round(line.life_years)
        while t_rep < n_years:
            replacement[t_rep] += line.replacement_usd
            vintages.append((t_rep, line.replacement_usd, line.life_years))
            t_rep += round(line.life_years)
    for t in range(n_years):
        if sustaining[t]:
            vintages.append((t, sustaining[t], sustaining_life))
    residual = 0.0
    for t0, cost, life in vintages:
        used = n_years - t0  # years of service inside the horizon (in service at the start of year t0)
        residual += cost * max(0.0, 1.0 - used / life)
    return CapexSchedule(
        by_phase.sum(axis=0),
        by_phase,
        recurring,
        replacement,
        sustaining,
        np.minimum(loss, 1.0),
        value,
        residual,
        commissioning,
    )
