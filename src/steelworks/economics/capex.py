"""Capital plans: the works each unit is, the cost of the action a plan takes on it, timing, life, relines.

The plant's unit table is the one description of the works (:func:`works_table` reads it once per
scenario into :class:`WorksUnit` records); an option's ``plan`` says what is done to which unit and
when. Each action is priced from data/economics/capex.yaml by the unit's ``capex_kind``::

    new-build cost at capacity C = specific_cost x C_ref x (C / C_ref) ** exponent
    action cost                  = fraction_of_new(kind, action) x new-build cost   (or the unit's cost override)

An option's ``infrastructure`` adds ``share_of_direct`` of the units' cost (site works and service units
without a capex kind); a ``grid_connection`` is sized at the works' grid purchase. With a ``calibration``
(a published top-down total such as the Russian USD 1.91 bn) the capital used is that total spread over
the plan's unit ids by the stated shares, and the bottom-up figure of every line is kept beside it for
:func:`reconcile`.

Owner's costs and contingency are added on the EPC total unless the calibration already includes them.
The *replacement value* of a unit is its new-build cost at its capacity; it sets insurance (cover at
reinstatement value) and what a unit costs when its life runs out.

Upkeep basis (one, not stacked; issue 8 item 7): maintenance is a share of the capital *invested* in
the units in service (the plan's spending on each, then its replacement when its life ends) - 3 %/yr
(Fischedick et al. 2014 via POSTED [S17]; the IEAGHG 2013 reference mill's 142 M USD/yr on its 4,124 M
USD capital is 3.4 % [S17]); a unit whose life ends inside the horizon is replaced at its new-build
value; relines are the blast furnaces' campaign capital. There is no separate sustaining capital on top
(option files carry ``sustaining: 0``): a maintenance share of capex is, in both sources, the whole
upkeep of a plant inside its life.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import ActionCost, CapexBenchmarks, CostAt, NewBuild, OptionEconomics
from steelworks.schema.plant import ACTIONS_BY_CONDITION, RelineSpec


# ----------------------------------------------------------------------------------------------
# the works: one record per plant unit, read from the validated scenario
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorksUnit:
    """One unit of the works as the economics and the planner see it (from the plant's unit table).

    ``condition`` is the unit's state before the scenario (it decides the allowed actions);
    ``in_service`` whether it operates in the scenario; ``capacity`` the nameplate per year in
    ``capacity_unit`` (``t/yr``, ``MWh/yr`` for a power plant, ``GJ/yr`` for heat).
    """

    uid: str
    name: str
    capex_kind: str | None
    condition: str
    in_service: bool
    capacity: float
    capacity_unit: str
    life_years: float | None = None
    lead_time_years: int | None = None
    reline: RelineSpec | None = None
    cost: CostAt | None = None
    file: str | None = None

    @property
    def actions(self) -> tuple[str, ...]:
        """The capital actions the unit's condition allows."""
        return ACTIONS_BY_CONDITION[self.condition]

    @property
    def brought_in(self) -> bool:
        """The scenario restores or builds it (in service, not operating before)."""
        return self.in_service and self.condition != "operating"


def works_table(scenario: Any, plant: Any) -> dict[str, WorksUnit]:
    """Every unit of a resolved scenario (:class:`steelworks.schema.loader.ResolvedScenario`) and its built
    :class:`steelworks.plant.build.Plant` (capacities converted there) as :class:`WorksUnit` records."""
    conditions: Mapping[str, str] = getattr(scenario, "conditions", {}) or {}
    file = str(getattr(scenario, "plant_file", "")) or None
    out: dict[str, WorksUnit] = {}
    for u, uid in enumerate(plant.unit_ids):
        spec = scenario.plant.units[uid]
        basis = plant.basis[u]
        if basis == "power_plant":
            unit = "MWh/yr"
        else:
            carrier_unit = _product_unit(plant, u)
            unit = f"{carrier_unit}/yr"
        out[uid] = WorksUnit(
            uid=uid,
            name=spec.name,
            capex_kind=spec.capex_kind,
            condition=conditions.get(uid, spec.condition),
            in_service=spec.condition == "operating",
            capacity=float(plant.capacity[u]),
            capacity_unit=unit,
            life_years=spec.life_years,
            lead_time_years=spec.lead_time_years,
            reline=spec.reline,
            cost=spec.cost,
            file=file,
        )
    return out


def _product_unit(plant: Any, u: int) -> str:
    product = getattr(plant, "product", None)
    units = getattr(plant, "carrier_unit", None)
    if product is not None and units is not None and int(product[u]) >= 0:
        return str(units[int(product[u])])
    return "t"


# ----------------------------------------------------------------------------------------------
# the estimate
# ----------------------------------------------------------------------------------------------
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
    #: replaced at its new-build value when its life ends (an option's convention); False: a plan's
    #: vintage, which serves its life and stops unless the plan starts a new action on the unit
    replaced_at_end_of_life: bool = True


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


def check_plan(option: OptionEconomics, works: Mapping[str, WorksUnit]) -> None:
    """The plan against the works: every plan unit exists, has a capex kind, is brought into service by the
    scenario with an action its condition allows, and every unit the scenario brings in with a capex kind
    is in the plan. Each failure is an :class:`InputError` naming the option file, field and allowed values."""
    if option.kind != "project":
        return
    file = option.file
    greenfield = option.valuation == "greenfield"
    if greenfield:  # the works valued as built new: every unit in service, each by action 'new'
        costed = [uid for uid, w in works.items() if w.capex_kind is not None and w.in_service]
    else:
        costed = [uid for uid, w in works.items() if w.capex_kind is not None and w.brought_in]
    for uid, step in option.plan.items():
        where = f"option.plan.{uid}"
        unit = works.get(uid)
        if unit is None:
            raise InputError(
                f"the plan names unit {uid!r}, which the works does not have",
                file=file,
                location=where,
                allowed=", ".join(costed)
                if costed
                else "no unit: the scenario restores or builds none with a capex_kind",
            )
        if unit.capex_kind is None:
            raise InputError(
                f"unit {uid!r} has no capex_kind in the plant file, so no benchmark prices it "
                "(it is part of the option's infrastructure share)",
                file=file,
                location=where,
                allowed=", ".join(costed),
            )
        if greenfield:
            if step.action != "new":
                raise InputError(
                    f"a greenfield valuation builds every unit new; the plan's action for {uid!r} is {step.action!r}",
                    file=file,
                    location=where + ".action",
                    allowed="new",
                )
            continue
        if step.action not in unit.actions:
            allowed = ", ".join(unit.actions) or "none (an operating unit needs no capital action)"
            raise InputError(
                f"unit {uid!r} is {unit.condition}; the plan's action {step.action!r} is not one its condition allows",
                file=file,
                location=where + ".action",
                allowed=allowed,
            )
        if not unit.brought_in:
            raise InputError(
                f"the plan {step.action}s {uid!r} but the scenario does not bring it into service",
                file=file,
                location=where,
                allowed=", ".join(costed) + " (or add the unit to the scenario's restore/build list)",
            )
    missing = [uid for uid in costed if uid not in option.plan]
    if missing:
        hints = ", ".join(f"{uid}: {{action: {'|'.join(works[uid].actions)}, year: ...}}" for uid in missing)
        raise InputError(
            f"the scenario restores or builds {', '.join(missing)} but the plan has no action for "
            + ("it" if len(missing) == 1 else "them"),
            file=file,
            location="option.plan",
            allowed=hints,
        )


def _new_cost(unit: WorksUnit, conv: Converter, benchmarks: CapexBenchmarks, new: NewBuild, kind: str) -> float:
    """New-build cost of the unit at its capacity (cost-year USD)."""
    if unit.capacity_unit == "MWh/yr":
        ref, per = new.reference_capacity_mwh, "MWh"
    elif unit.capacity_unit == "t/yr":
        ref, per = new.reference_capacity, "t"
    else:
        ref, per = None, unit.capacity_unit
    if ref is None:
        sized = "t/yr" if new.reference_capacity is not None else "MWh/yr"
        raise InputError(
            f"unit {unit.uid!r} has its capacity in {unit.capacity_unit} but capex kind {kind!r} is sized in {sized}",
            file=unit.file,
            location=f"units.{unit.uid}.capex_kind",
            allowed=f"a capex kind sized in {unit.capacity_unit}, or a capacity in {sized}",
        )
    specific = conv.usd_per(
        new.specific_cost.amount,
        per,
        new.specific_cost.year,
        where=f"capex.kinds.{kind}.new.specific_cost",
        file=benchmarks.file,
    )
    return float(specific * ref * (unit.capacity / ref) ** new.exponent)


def estimate_capex(
    option: OptionEconomics,
    works: Mapping[str, WorksUnit],
    conv: Converter,
    benchmarks: CapexBenchmarks,
    grid_mwh: float = 0.0,
) -> CapexEstimate:
    """Price ``option``'s plan against ``works`` (see the module docstring); ``grid_mwh`` sizes a grid connection."""
    if option.capex is None:
        return CapexEstimate(option.id, "none", [], 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, None)
    check_plan(option, works)
    plan, file = option.capex, option.file
    start_year = option.schedule.construction_start
    lines: list[CapexLine] = []
    new_of: dict[str, float] = {}
    kind_capacity: dict[str, float] = {}
    for w in works.values():
        if w.in_service and w.capex_kind is not None:
            kind_capacity[w.capex_kind] = kind_capacity.get(w.capex_kind, 0.0) + w.capacity
    for uid, step in option.plan.items():
        unit = works[uid]
        kind = str(unit.capex_kind)
        bench = benchmarks.kinds.get(kind)
        if bench is None:
            raise InputError(
                f"unit {uid!r} has capex kind {kind!r}, which capex.yaml does not price",
                file=unit.file,
                location=f"units.{uid}.capex_kind",
                allowed=", ".join(sorted(benchmarks.kinds)),
            )
        new_usd = _new_cost(unit, conv, benchmarks, bench.new, kind)
        price: NewBuild | ActionCost
        if step.action == "new":
            price, fraction = bench.new, 1.0
        else:
            action = bench.actions.get(step.action)  # type: ignore[call-overload,unused-ignore]
            if action is None:
                raise InputError(
                    f"capex.yaml has no cost for action {step.action!r} on kind {kind!r} (unit {uid})",
                    file=benchmarks.file,
                    location=f"capex.kinds.{kind}.actions",
                    allowed=", ".join(["new", *sorted(bench.actions)]),
                )
            price, fraction = action, action.fraction_of_new
        if unit.lead_time_years is not None:
            duration = unit.lead_time_years
            profile = np.full(duration, 1.0 / duration)
        else:
            duration, profile = price.duration_years, np.asarray(price.profile, dtype=float)
        if unit.cost is not None:
            bottom_up = conv.cost(unit.cost, where=f"units.{uid}.cost", file=unit.file)
            source = unit.cost.source
        else:
            bottom_up = new_usd * fraction
            source = step.source or f"capex.yaml {kind} {step.action} at {unit.capacity:g} {unit.capacity_unit}"
        line = CapexLine(
            uid,
            kind,
            step.action,
            step.phase,
            bottom_up,
            bottom_up,
            new_usd,
            step.year - start_year,
            duration,
            profile,
            float(unit.life_years or price.life_years),
            source=source,
        )
        if unit.reline is not None:
            rel = unit.reline
            share = rel.fraction_of_new
            if share is None:
                bench_reline = bench.actions.get("reline")
                if bench_reline is None:
                    raise InputError(
                        f"unit {uid!r} has relines but capex.yaml has no reline cost for kind {kind!r}",
                        file=unit.file,
                        location=f"units.{uid}.reline.fraction_of_new",
                        allowed="fraction_of_new: 0..2, or a reline action under capex.kinds." + kind,
                    )
                share = bench_reline.fraction_of_new
            line.reline_interval = rel.interval_years
            line.reline_first = rel.first_after_years or rel.interval_years
            line.reline_usd = share * new_usd
            # the works loses this unit's share of its kind's output for the reline's duration
            line.reline_output_loss = (
                rel.duration_days / 365.0 * unit.capacity / (kind_capacity.get(kind) or unit.capacity)
            )
        new_of[uid] = new_usd
        lines.append(line)

    if plan.grid_connection is not None:
        bench = benchmarks.kinds.get("grid_connection")
        if bench is None:
            raise InputError(
                "capex.yaml has no grid_connection kind to price the option's grid connection",
                file=benchmarks.file,
                location="capex.kinds",
                allowed="a kind grid_connection",
            )
        grid = WorksUnit("grid_connection", "grid connection", "grid_connection", "not_built", True, grid_mwh, "MWh/yr")
        new_usd = _new_cost(grid, conv, benchmarks, bench.new, "grid_connection")
        lines.append(
            CapexLine(
                "grid_connection",
                "grid_connection",
                "new",
                0,
                new_usd,
                new_usd,
                new_usd,
                plan.grid_connection.year - start_year,
                bench.new.duration_years,
                np.asarray(bench.new.profile, dtype=float),
                bench.new.life_years,
                source=f"capex.yaml grid_connection at the works' grid purchase {grid_mwh:.0f} MWh/yr",
            )
        )
        new_of["grid_connection"] = new_usd
    if plan.infrastructure is not None:
        infra = plan.infrastructure
        direct_action = sum(line.bottom_up_usd or 0.0 for line in lines)
        direct_new = sum(new_of.values())
        max_end = max((line.start + line.duration for line in lines), default=1)
        cost = infra.share_of_direct * direct_action
        lines.append(
            CapexLine(
                "infrastructure",
                "infrastructure",
                "restore",
                0,
                cost,
                cost,
                infra.share_of_direct * direct_new,
                0,
                max_end,
                np.full(max_end, 1.0 / max_end),
                infra.life_years,
                source=infra.source,
            )
        )

    top_down_usd: float | None = None
    includes_owner = includes_cont = False
    if option.calibration is not None:
        cal = option.calibration
        top_down_usd = conv.cost(cal.total, where="option.calibration.total", file=file)
        for line in lines:
            line.epc_usd = cal.shares[line.uid] * top_down_usd
            if line.replacement_usd == 0.0:
                line.replacement_usd = line.epc_usd
        includes_owner, includes_cont = cal.includes_owners_cost, cal.includes_contingency

    epc_total = sum(line.epc_usd for line in lines)
    owners = 0.0 if includes_owner else plan.owners_cost.share * epc_total
    contingency = 0.0 if includes_cont else plan.contingency.share * epc_total
    total = epc_total + owners + contingency
    comparisons = [(c.source, conv.cost(c, where="option.capex.comparisons", file=file)) for c in plan.comparisons]
    return CapexEstimate(
        option.id,
        option.basis,
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
            "start_offset_years": int(line.start),  # years after the option's first year
            "duration_years": int(line.duration),
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
    replacement_value: np.ndarray  # new-build value of the units in service per year (insurance)
    residual_value: float  # straight-line remaining value of all capital at the end of the horizon
    commissioning: list[int]  # year index of each phase's commissioning
    #: capital invested in the units in service per year (what the plan spent on each unit, with its
    #: owner's costs and contingency; a unit's end-of-life replacement at its new-build value from then
    #: on): the basis of maintenance (see :data:`UPKEEP_BASIS`)
    asset_value: np.ndarray = field(default_factory=lambda: np.zeros(0))


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
    invested = np.zeros(n_years)
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
            location="option.plan",
            allowed=f"commissioning by {start_year + n_years - 1} "
            "(shorten the durations/offsets or lengthen finance.horizon_years)",
        )
    years = np.arange(n_years)
    for line in estimate.lines:
        spend = line.epc_usd * estimate.markup
        by_phase[line.phase, line.start : line.start + line.duration] += spend * line.profile
        c = commissioning[line.phase]
        vintages.append((c, spend, line.life_years))
        end = n_years if line.replaced_at_end_of_life else c + round(line.life_years)
        serving = (years >= c) & (years < end)
        value += np.where(serving, line.replacement_usd, 0.0)
        invested += np.where(serving, spend, 0.0)
        sustaining += np.where(serving, estimate.sustaining_share * line.replacement_usd, 0.0)
        if line.reline_interval:
            t = c + (line.reline_first or line.reline_interval)
            while t < min(n_years, end):
                recurring[t] += line.reline_usd
                loss[t] += line.reline_output_loss
                vintages.append((t, line.reline_usd, float(line.reline_interval)))
                t += line.reline_interval
        t_rep = c + round(line.life_years)
        while t_rep < n_years and line.replaced_at_end_of_life:
            replacement[t_rep] += line.replacement_usd
            if t_rep == c + round(line.life_years):  # from the first replacement on: the new unit's value
                invested[t_rep:] += line.replacement_usd - spend
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
        invested,
    )


def plan_estimate(
    option: OptionEconomics,
    plan: Sequence[tuple[str, str, int]],
    works: Mapping[str, WorksUnit],
    conv: Converter,
    benchmarks: CapexBenchmarks,
    grid_mwh: float = 0.0,
) -> CapexEstimate:
    """The capital of ``plan`` (``(unit, action, start year)`` rows; a unit's later rows renew it) on
    ``works``, with the option's markups.

    Partial calibration (the rule the planner prices its actions by, ``planning.problem``): a unit whose
    action is the one the option's calibrated plan takes keeps its calibrated EPC (share x top-down
    total); every other unit is priced bottom-up by capex.yaml. The site infrastructure is carried by the
    units, as each of the planner's actions carries it, so it is spent and comes into service with them:
    a calibrated unit carries the calibrated infrastructure in proportion to its share, a bottom-up unit
    the option's ``share_of_direct``::

        line_u    = s_u T (1 + s_infra / sum_all s_u)           (calibrated: its share of the site works)
                  = bottom-up_u (1 + share_of_direct)            (bottom-up)

    Every row is a vintage that serves its life and stops (``replaced_at_end_of_life`` False): a plan
    renews a unit by a later row, as the planner decides, where an option's estimate replaces every unit
    when its life ends. Each line's ``phase`` is the rank of its commissioning year, so each unit is
    depreciated and maintained from its own year. The first rows of a plan equal to the option's plan cost
    the option's estimate. Where a calibration includes owner's costs or contingency its kept lines are
    taken back to EPC by the option's shares.
    """
    rounds: list[dict[str, tuple[str, int]]] = []
    for uid, action, year in sorted(plan, key=lambda row: (row[2], row[0])):
        k = next((i for i, r in enumerate(rounds) if uid not in r), len(rounds))
        if k == len(rounds):
            rounds.append({})
        rounds[k][uid] = (action, int(year))
    cal_epc, cal_action = _calibrated(option, works, conv, benchmarks, grid_mwh)
    lines: list[CapexLine] = []
    base: CapexEstimate | None = None
    for k, steps in enumerate(rounds):
        est = _round_estimate(option, steps, works, conv, benchmarks, grid_mwh, cal_epc, cal_action)
        base = base or est
        lines += [line for line in est.lines if k == 0 or line.uid != "grid_connection"]
    if base is None:
        return estimate_capex(option.model_copy(update={"plan": {}, "calibration": None}), {}, conv, benchmarks)
    for line in lines:
        line.replaced_at_end_of_life = False
    commissioning = sorted({line.start + line.duration for line in lines})
    for line in lines:
        line.phase = commissioning.index(line.start + line.duration)
    top = option.calibration.total if option.calibration is not None else None
    return _totals(base, lines, option, top, conv)


def _calibrated(
    option: OptionEconomics,
    works: Mapping[str, WorksUnit],
    conv: Converter,
    benchmarks: CapexBenchmarks,
    grid_mwh: float,
) -> tuple[dict[str, float], dict[str, str]]:
    """The option's calibrated EPC by unit id (back to EPC where the calibration includes markups) and the
    calibrated plan's action by unit; empty without a calibration."""
    cal = option.calibration
    if cal is None or option.capex is None:
        return {}, {}
    full = estimate_capex(option, works, conv, benchmarks, grid_mwh)
    back = 1.0 + (option.capex.owners_cost.share if cal.includes_owners_cost else 0.0)
    back += option.capex.contingency.share if cal.includes_contingency else 0.0
    return {line.uid: line.epc_usd / back for line in full.lines}, {u: s.action for u, s in option.plan.items()}


def _round_estimate(
    option: OptionEconomics,
    plan: Mapping[str, tuple[str, int]],
    works: Mapping[str, WorksUnit],
    conv: Converter,
    benchmarks: CapexBenchmarks,
    grid_mwh: float,
    cal_epc: Mapping[str, float],
    cal_action: Mapping[str, str],
) -> CapexEstimate:
    """One action per unit, priced by :func:`plan_estimate`'s rule, the infrastructure folded into the units."""
    from steelworks.schema.economics import PlanStep

    steps = {uid: PlanStep.model_validate({"action": a, "year": int(y)}) for uid, (a, y) in plan.items()}
    plan_works = {
        uid: (
            w
            if w.capex_kind is None or (uid in steps) == w.brought_in
            else WorksUnit(**{**w.__dict__, "in_service": uid in steps or w.condition == "operating"})
        )
        for uid, w in works.items()
    }
    est = estimate_capex(
        option.model_copy(update={"plan": steps, "calibration": None}), plan_works, conv, benchmarks, grid_mwh
    )
    site = ("infrastructure", "grid_connection")
    infra = next((line for line in est.lines if line.uid == "infrastructure"), None)
    share = option.capex.infrastructure.share_of_direct if option.capex and option.capex.infrastructure else 0.0
    carried = {line.uid: share for line in est.lines}  # infrastructure carried per unit of EPC
    if cal_epc:
        units_all = sum(v for u, v in cal_epc.items() if u not in site)
        for line in est.lines:
            if line.uid in cal_epc and cal_action.get(line.uid) == line.action and line.uid not in site:
                line.epc_usd = cal_epc[line.uid]
                carried[line.uid] = cal_epc.get("infrastructure", 0.0) / units_all if units_all else 0.0
            elif line.uid == "grid_connection" and line.uid in cal_epc:
                line.epc_usd = cal_epc[line.uid]
    if infra is not None:  # the site works carried by the units (as each of the planner's actions carries it)
        for line in est.lines:
            if line.uid not in site:
                line.epc_usd *= 1.0 + carried[line.uid]
                line.replacement_usd *= 1.0 + share
                line.bottom_up_usd = (line.bottom_up_usd or 0.0) * (1.0 + share)
        est.lines.remove(infra)
    return est


def _totals(
    base: CapexEstimate, lines: list[CapexLine], option: OptionEconomics, top_down: CostAt | None, conv: Converter
) -> CapexEstimate:
    """An estimate of ``lines`` with its EPC, owner's costs, contingency and total summed from them."""
    epc = sum(line.epc_usd for line in lines)
    owners = option.capex.owners_cost.share * epc if option.capex is not None else 0.0
    contingency = option.capex.contingency.share * epc if option.capex is not None else 0.0
    total = epc + owners + contingency
    return CapexEstimate(
        base.option_id,
        base.basis,
        lines,
        epc,
        owners,
        contingency,
        total,
        total / epc if epc else 1.0,
        base.foreign_share,
        base.sustaining_share,
        None if top_down is None else conv.cost(top_down, where="option.calibration.total", file=option.file),
        base.comparisons,
    )
