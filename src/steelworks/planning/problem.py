"""The planning problem as plain arrays, and its assembly from a bundled scenario.

:class:`PlanningProblem` holds only numbers (no files, no pydantic), so a test can write a two-unit,
three-year problem by hand; :func:`problem_from_scenario` fills it from a scenario, its option, the price
deck, the finance settings and capex.yaml through the same functions ``evaluate`` uses
(:func:`steelworks.economics.capex.estimate_capex` prices every action, :func:`resolve_prices` the
carriers, the real discount rate as in :func:`steelworks.economics.evaluate.build_model`).

Money is cost-year USD (real); year index 0 is the first horizon year (the option's construction start).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steelworks.errors import InputError

Array = np.ndarray


class PlanInfeasibleError(InputError):
    """No plan meets the constraints; the message names the constraint set that makes it so."""


@dataclass
class Action:
    """One capital action a plan may start on a unit: its cost, spending profile, life, ramp-up, relines.

    ``cost_usd`` is all-in (EPC x owner's costs and contingency x the infrastructure share); spent as
    ``cost_usd * profile[k]`` in the k-th year after the start; the unit serves from ``start + len(profile)``
    for ``life`` years at ``ramp[j]`` of its capacity in its j-th service year (1 after the curve).
    """

    unit: str
    name: str
    cost_usd: float
    profile: Array
    life: int
    ramp: Array = field(default_factory=lambda: np.zeros(0))
    reline_usd: float = 0.0
    reline_first: int = 0  # service years to the first reline (0: none)
    reline_interval: int = 0
    reline_loss: float = 0.0  # share of the unit's output lost in a reline year
    fixed: bool = False  # set by a fixed plan: this action starts in ``fixed_year``
    fixed_year: int | None = None

    @property
    def duration(self) -> int:
        return len(self.profile)


@dataclass
class PlanningProblem:
    """Units x carriers x years. See :mod:`steelworks.planning.model` for the equations and symbols."""

    start_year: int
    n_years: int
    discount_rate: float  # real, end-of-year (year 0 undiscounted, as finance.npv)
    unit_ids: list[str]
    carrier_ids: list[str]
    recipe: Array  # R (U, C): + made, - used per unit of the unit's output
    capacity: Array  # (U,) per year in the unit's product unit
    availability: Array  # (U,)
    in_service: Array  # (U,) bool: serves from year 0 without an action (operating or infrastructure)
    actions: list[Action]
    price_buy: Array  # (C,) USD per carrier unit
    price_sell: Array  # (C,)
    can_buy: Array  # (C,) bool
    can_sell: Array  # (C,) bool
    market_cap: Array  # (C, T) most the market takes (inf: no cap)
    fixed_cost: Array  # (U,) USD/yr while the unit is in service (on capacity, not production)
    lhv: Array = field(default_factory=lambda: np.zeros(0))  # (C,) GJ/t, for works gases and make-up fuel
    works_gases: list[str] = field(default_factory=list)
    fuel_heat: str | None = None
    makeup_fuel: str | None = None
    electricity: str | None = None
    power_efficiency: Array = field(default_factory=lambda: np.zeros(0))  # (U,) >0: a power plant on works gas
    service_purchases: dict[str, list[str]] = field(default_factory=dict)  # unit -> carriers it handles bought
    service_production: dict[str, list[str]] = field(default_factory=dict)  # unit -> carriers it handles made
    crude_steel: list[str] = field(default_factory=list)
    consumables_usd_per_t: float = 0.0  # per t crude steel
    overhead_share: float = 0.0  # of revenue
    budget_per_year: Array | None = None  # (T,) USD
    budget_total: float | None = None
    #: mandate: least crude steel (t, carriers in ``crude_steel``) per year; None: no mandate
    min_crude_steel_t: Array | None = None
    #: mandate: a unit making crude steel in service in this year index; None: no mandate
    first_steel_by: int | None = None
    #: mandate: most direct (site) CO2 per year, t (inf: no cap that year); None: no mandate
    max_co2_t: Array | None = None
    #: mass fraction of C of each carrier as sold (its makers' common output composition, else the
    #: carrier record's), so that site CO2 = 44/12 (C bought - C sold) is linear; empty: ``c_frac``
    sold_c_frac: Array = field(default_factory=lambda: np.zeros(0))
    #: where the mandates and budgets come from (the scenario's ``planning.source``)
    mandate_source: str = ""
    residual_value: bool = True  # credit straight-line undepreciated capital at the end of the horizon
    #: income tax in the objective (:mod:`steelworks.planning.tax`); 0 and 0: pre-tax
    tax_rate: float = 0.0  # corporate rate on taxable income after loss carry-forward
    minimum_tax_rate: float = 0.0  # minimum tax on turnover (sales), paid when larger
    #: tax depreciation kernel ``K[tau, t]`` (:func:`steelworks.economics.finance.depreciation_kernel`); None: none
    tax_depreciation: Array | None = None
    inflation: float = 0.0  # erodes the real value of depreciation and of the loss pool (nominal in law)
    forbidden: list[tuple[str, str]] = field(default_factory=list)  # (unit, action) never started
    only_fixed: bool = False  # no action but the fixed ones (a fixed plan, e.g. a bundled option)
    #: (action index, year index) of every start of an exact plan (a plan file): these and no other
    exact_starts: list[tuple[int, int]] | None = None
    label: str = ""
    #: carrier properties for the closure check (:mod:`.closure`): mass carrier (not energy), Fe and C mass
    #: fractions; empty: not checked
    mass: Array = field(default_factory=lambda: np.zeros(0, dtype=bool))
    fe_frac: Array = field(default_factory=lambda: np.zeros(0))
    c_frac: Array = field(default_factory=lambda: np.zeros(0))
    out_c_frac: Array = field(default_factory=lambda: np.zeros(0))  # (U, C) C of each unit's outputs

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.start_year + self.n_years))

    @property
    def discount(self) -> Array:
        """End-of-year discount factor of each year index: (1 + r) ** -t, year 0 undiscounted."""
        return (1.0 + self.discount_rate) ** -np.arange(self.n_years, dtype=float)

    def unit_index(self, uid: str) -> int:
        return self.unit_ids.index(uid)

    def carrier_index(self, cid: str) -> int:
        return self.carrier_ids.index(cid)

    @property
    def has_mandates(self) -> bool:
        return self.min_crude_steel_t is not None or self.first_steel_by is not None or self.max_co2_t is not None

    def without_mandates(self) -> PlanningProblem:
        """The same problem with no mandate: its optimum, against which a mandate's cost is measured."""
        return dataclasses.replace(self, min_crude_steel_t=None, first_steel_by=None, max_co2_t=None)

    def with_mandates(
        self,
        crude_steel: dict[int, float] | None = None,
        first_steel_by: int | None = None,
        co2_cap: dict[int, float] | None = None,
    ) -> PlanningProblem:
        """A copy with these mandates in place of the ones of the same kind (calendar years, t/yr)."""
        fields = mandate_fields(
            self.start_year, self.n_years, crude_steel or {}, first_steel_by, co2_cap or {}, prefix="--"
        )
        return dataclasses.replace(self, **fields)

    def fix(self, plan: dict[str, tuple[str, int]], *, only: bool = True) -> PlanningProblem:
        """A copy with ``plan`` (unit -> (action, calendar start year)) forced; ``only``: nothing else."""
        by_key = {(a.unit, a.name): a for a in self.actions}
        acts = [dataclasses.replace(a, fixed=False, fixed_year=None) for a in self.actions]
        for uid, (name, year) in plan.items():
            if (uid, name) not in by_key:
                allowed = ", ".join(f"{a.unit}:{a.name}" for a in self.actions if a.unit == uid) or "none"
                raise InputError(
                    f"the plan fixes {name!r} on unit {uid!r}, which is not an action the planner offers",
                    location=f"plan.{uid}",
                    allowed=allowed,
                )
            if not self.start_year <= year < self.start_year + self.n_years:
                raise InputError(
                    f"the plan fixes {uid} {name} in {year}, outside the horizon",
                    location=f"--fix/plan.{uid}.year",
                    allowed=f"{self.start_year}..{self.start_year + self.n_years - 1}",
                )
            i = next(k for k, a in enumerate(acts) if (a.unit, a.name) == (uid, name))
            acts[i] = dataclasses.replace(acts[i], fixed=True, fixed_year=year - self.start_year)
        return dataclasses.replace(self, actions=acts, only_fixed=only)

    def fix_rows(self, rows: Sequence[tuple[str, str, int]], *, file: str | None = None) -> PlanningProblem:
        """A copy whose plan is exactly ``rows`` (unit, action, calendar start year; a later row on a unit
        renews it): every start forced, no other start allowed, only the flows left to the LP."""
        index = {(a.unit, a.name): k for k, a in enumerate(self.actions)}
        starts: list[tuple[int, int]] = []
        for n, (uid, name, year) in enumerate(rows):
            where = f"plan.actions.{n}"
            if (uid, name) not in index:
                offered = sorted({a.unit for a in self.actions})
                allowed = ", ".join(a.name for a in self.actions if a.unit == uid) if uid in offered else None
                raise InputError(
                    f"the plan starts {name!r} on unit {uid!r}, which is not an action the planner offers here",
                    file=file,
                    location=where + (".action" if allowed else ".unit"),
                    allowed=allowed or ", ".join(offered),
                )
            if not self.start_year <= year < self.start_year + self.n_years:
                raise InputError(
                    f"the plan starts {uid} {name} in {year}, outside the horizon",
                    file=file,
                    location=where + ".start_year",
                    allowed=f"{self.start_year}..{self.start_year + self.n_years - 1}",
                )
            starts.append((index[(uid, name)], year - self.start_year))
        return dataclasses.replace(self, exact_starts=starts, only_fixed=True)

    def apply_fixes(self, specs: list[str]) -> PlanningProblem:
        """``--fix`` forms: ``unit:action@YEAR`` forces that start (other actions stay open), ``!unit:action``
        forbids the action; an unknown unit or action, or a year outside the horizon, is an InputError."""
        force: dict[str, tuple[str, int]] = {}
        forbid: list[tuple[str, str]] = []
        offered = {(a.unit, a.name) for a in self.actions}
        for spec in specs:
            text = spec.strip()
            body = text[1:] if text.startswith("!") else text
            head, _, year = body.partition("@")
            uid, _, name = head.partition(":")
            form = "!unit:action" if text.startswith("!") else "unit:action@YEAR"
            if not uid or not name or (text.startswith("!") == bool(year)):
                raise InputError(f"--fix {spec!r} is not of the form {form}", location="--fix", allowed=form)
            if (uid, name) not in offered:
                allowed = ", ".join(f"{u}:{n}" for u, n in sorted(offered) if u == uid) or ", ".join(
                    sorted({u for u, _ in offered})
                )
                raise InputError(
                    f"--fix {spec!r}: unit {uid!r} has no action {name!r} the planner offers",
                    location="--fix.unit" if all(u != uid for u, _ in offered) else "--fix.action",
                    allowed=allowed,
                )
            if text.startswith("!"):
                forbid.append((uid, name))
                continue
            try:
                force[uid] = (name, int(year))
            except ValueError:
                raise InputError(
                    f"--fix {spec!r}: year {year!r} is not a year", location="--fix.year", allowed="e.g. 2029"
                ) from None
        prob = self.fix(force, only=False) if force else self
        return dataclasses.replace(prob, forbidden=[*prob.forbidden, *forbid])


# ---------------------------------------------------------------------------------------------
# assembly from a bundled scenario
# ---------------------------------------------------------------------------------------------
def problem_from_scenario(
    scenario: str,
    *,
    budget_total: float | None = None,
    budget_per_year: float | None = None,
    market_factor: float = 1.0,
    horizon_years: int | None = None,
) -> PlanningProblem:
    """The planning problem of a bundled scenario (or scenario file) with an ``economics:`` block.

    Every unit whose condition allows an action and that has a ``capex_kind`` is a candidate, with every
    action its condition allows (restore/rebuild/clear_and_reline/new), priced bottom-up by capex.yaml, or
    by the option's calibrated line where the action is the one the option's plan takes. Units without a
    capex_kind (berth, mixer, blowers, boilers, by-product plant) are site infrastructure: in service from
    year 0, their cost in the infrastructure share on every action.
    """
    from steelworks.economics.capex import estimate_capex, works_table
    from steelworks.economics.evaluate import load_inputs
    from steelworks.economics.opex import labour_cost
    from steelworks.economics.prices import Converter, resolve_prices
    from steelworks.plant.build import KIND_CODES, build_plant
    from steelworks.plant.solve import solve
    from steelworks.schema.economics import PlanStep
    from steelworks.schema.loader import load_scenario

    resolved = load_scenario(scenario)
    block = resolved.economics or {}
    if "option" not in block:
        raise InputError(
            "a planning scenario needs an 'economics:' block naming its option (ramp-up, fixed costs) and prices",
            file=str(getattr(resolved, "scenario_file", scenario)),
            location="scenario.economics",
            allowed="economics: {option: psm-bf-revival, prices: pk-2025}",
        )
    plant = build_plant(resolved, candidate_recipes=True)  # the planner may start any candidate
    inputs = load_inputs(block["option"], block.get("prices", "pk-2025"), block.get("finance", "finance"))
    option, deck, settings = inputs.option, inputs.deck, inputs.finance
    conv = Converter(deck)
    works = works_table(resolved, plant)
    planning = planning_spec(resolved)
    n_years = int(horizon_years or (planning.horizon_years if planning else None) or settings.horizon_years)
    start = option.schedule.construction_start
    if planning is not None:  # the CLI's --budget/--budget-per-year win over the scenario's
        file = str(resolved.scenario_file)
        if budget_total is None and planning.budget_total is not None:
            budget_total = conv.usd(planning.budget_total, where="planning.budget_total", file=file)
        if budget_per_year is None and planning.budget_per_year is not None:
            budget_per_year = conv.usd(planning.budget_per_year, where="planning.budget_per_year", file=file)
    dr = settings.discount_rate
    real = dr.value if dr.basis == "real" else (1.0 + dr.value) / (1.0 + settings.inflation.value) - 1.0

    # --- capital: every allowed action of every costed unit, priced by estimate_capex -------------
    candidates = {uid: w for uid, w in works.items() if w.capex_kind is not None and w.actions}
    opened = {uid: dataclasses.replace(w, in_service=True) for uid, w in works.items()}
    ramp = np.asarray(option.ramp_up.fractions if option.ramp_up else [], dtype=float)
    priced: dict[tuple[str, str], Any] = {}
    markup_of: dict[tuple[str, str], float] = {}
    bottom_option = option.model_copy(update={"calibration": None})
    for uid, w in candidates.items():
        for name in w.actions:
            step = PlanStep.model_validate({"action": name, "year": start})  # the actions the unit allows
            one = bottom_option.model_copy(update={"plan": {uid: step}})
            try:
                est = estimate_capex(one, {uid: opened[uid]}, conv, inputs.benchmarks)
            except InputError as exc:
                if "has no cost for action" in str(exc):
                    continue  # capex.yaml does not price this action on the unit's kind: not offered
                raise
            for line in est.lines:
                if line.uid == uid:
                    priced[(uid, name)] = line
                    markup_of[(uid, name)] = est.markup * _infrastructure_factor(est)
    if option.calibration is not None and option.plan:
        est = estimate_capex(option, works, conv, inputs.benchmarks)
        infra = _infrastructure_factor(est)
        for line in est.lines:
            if line.uid in candidates:
                priced[(line.uid, line.action)] = line
                markup_of[(line.uid, line.action)] = est.markup * infra

    actions: list[Action] = []
    for (uid, name), line in priced.items():
        actions.append(
            Action(
                unit=uid,
                name=name,
                cost_usd=float(line.epc_usd * markup_of[(uid, name)]),
                profile=np.asarray(line.profile, dtype=float),
                life=max(1, round(line.life_years)),
                ramp=ramp,
                # a reline is campaign capital at its EPC, as evaluate's schedule_capex books it
                reline_usd=float(line.reline_usd) if line.reline_interval else 0.0,
                reline_first=int(line.reline_first or 0),
                reline_interval=int(line.reline_interval or 0),
                reline_loss=float(line.reline_output_loss),
            )
        )

    # --- fixed costs on capacity: maintenance, insurance, sustaining on replacement value; labour and
    # fixed overheads allocated to units by replacement value --------------------------------------------
    replacement = {uid: float(line.replacement_usd) for (uid, _), line in priced.items()}
    fc = option.fixed_costs
    share = (fc.maintenance.share + fc.insurance.share) if fc else 0.0
    sustaining = option.capex.sustaining.share if option.capex else 0.0
    labour = labour_cost(
        option.labour.headcount, inputs.labour, conv, where="option.labour.headcount", file=option.file
    )
    overheads = (
        conv.usd_per(fc.overheads.fixed.amount, "year", fc.overheads.fixed.year, where="option.fixed_costs.overheads")
        if fc
        else 0.0
    )
    base_units = [uid for uid in option.plan if uid in replacement] or list(replacement)
    base_value = sum(replacement[u] for u in base_units) or 1.0
    per_value = (labour + overheads) / base_value
    fixed_cost = np.array([replacement.get(uid, 0.0) * (share + sustaining + per_value) for uid in plant.unit_ids])

    # --- carriers, market, prices ------------------------------------------------------------------
    cids = list(plant.carrier_ids)
    can_buy = np.array(plant.can_buy, dtype=bool)
    can_sell = np.array(plant.can_sell, dtype=bool)
    elec = "electricity" if "electricity" in cids else None
    if elec:
        can_buy[cids.index(elec)] = plant.grid_buy
        can_sell[cids.index(elec)] = plant.grid_sell
    # a carrier the deck does not price is not traded by the planner (evaluate prices what the balance trades)
    unpriced = np.array([c not in deck.prices for c in cids])
    can_buy &= ~unpriced
    can_sell &= ~unpriced
    traded = [c for i, c in enumerate(cids) if can_buy[i] or can_sell[i]]
    lhv_map = {c: float(v) for c, v in zip(cids, plant.lhv_gj_per_t, strict=True) if v > 0}
    table = resolve_prices(deck, traded, lhv_map, buying=[c for i, c in enumerate(cids) if can_buy[i]])
    price_buy = np.zeros(len(cids))
    price_sell = np.zeros(len(cids))
    for i, c in enumerate(cids):
        if c in table.carriers:
            price_buy[i] = table.buy[table.index(c)]
            price_sell[i] = table.sell[table.index(c)]
    full = solve(plant)
    products = set(np.array(cids)[plant.tags.get("product", np.zeros(len(cids), bool))])
    cap = np.full((len(cids), n_years), np.inf)
    for i, c in enumerate(cids):
        if c in products:
            cap[i, :] = float(full.sold[0, i]) * market_factor

    operating = {uid for uid, w in works.items() if w.condition == "operating"}
    infrastructure = {uid for uid, w in works.items() if w.capex_kind is None and w.condition != "not_built"}
    in_service = np.array([uid in operating or uid in infrastructure for uid in plant.unit_ids])
    gases = [cids[i] for i in np.nonzero(plant.tags.get("works_gas", np.zeros(len(cids), bool)))[0]]
    service_buy: dict[str, list[str]] = {}
    service_made: dict[str, list[str]] = {}
    for u, uid in enumerate(plant.unit_ids):
        if plant.basis[u] != "service":
            continue
        tag = plant.service_purchase_tag[u]
        if tag:
            service_buy[uid] = [cids[i] for i in np.nonzero(plant.tags[tag])[0]]
        made = np.nonzero(plant.service_production[u])[0]
        if made.size:
            service_made[uid] = [cids[i] for i in made]
    fc_cons = (
        conv.usd_per(fc.consumables.cost.amount, "t", fc.consumables.cost.year, where="option.fixed_costs.consumables")
        if fc
        else 0.0
    )
    crude = [cids[i] for i in np.nonzero(plant.tags.get("crude_steel", np.zeros(len(cids), bool)))[0]]
    mandates = _mandates(planning, start, n_years, str(resolved.scenario_file))
    return PlanningProblem(
        start_year=start,
        n_years=n_years,
        discount_rate=real,
        unit_ids=list(plant.unit_ids),
        carrier_ids=cids,
        recipe=np.asarray(plant.recipe, dtype=float),
        capacity=np.asarray(plant.capacity, dtype=float),
        availability=np.asarray(plant.availability, dtype=float),
        in_service=in_service,
        actions=actions,
        price_buy=price_buy,
        price_sell=price_sell,
        can_buy=can_buy,
        can_sell=can_sell,
        market_cap=cap,
        fixed_cost=fixed_cost,
        lhv=np.asarray(plant.lhv_gj_per_t, dtype=float),
        works_gases=gases,
        fuel_heat="fuel_heat" if "fuel_heat" in cids else None,
        makeup_fuel="natural_gas" if "natural_gas" in cids else None,
        electricity=elec,
        power_efficiency=np.asarray(plant.power_efficiency, dtype=float),
        service_purchases=service_buy,
        service_production=service_made,
        crude_steel=crude,
        consumables_usd_per_t=float(fc_cons),
        overhead_share=float(fc.overheads.share_of_revenue) if fc else 0.0,
        budget_per_year=None if budget_per_year is None else np.full(n_years, float(budget_per_year)),
        budget_total=budget_total,
        residual_value=settings.terminal_value.method == "residual_value",
        tax_rate=float(settings.tax.corporate_rate),
        minimum_tax_rate=float(settings.tax.minimum_tax_rate),
        tax_depreciation=_depreciation_kernel(settings, n_years),
        inflation=float(settings.inflation.value),
        label=str(scenario),
        mass=np.asarray(plant.carrier_kind) != KIND_CODES["energy"],
        fe_frac=np.asarray(plant.fe_frac, dtype=float),
        c_frac=np.asarray(plant.c_frac, dtype=float),
        out_c_frac=np.asarray(plant.out_c_frac, dtype=float),
        sold_c_frac=sold_carbon(np.asarray(plant.recipe), np.asarray(plant.out_c_frac), plant.c_frac, can_buy),
        **mandates,
    )


def _depreciation_kernel(settings: Any, n_years: int) -> Array:
    """The finance file's tax depreciation as ``K[tau, t]`` (evaluate's own kernel)."""
    from steelworks.economics.finance import depreciation_kernel

    dep = settings.tax.depreciation
    return depreciation_kernel(n_years, dep.method, dep.rate, dep.initial_allowance)


def planning_spec(resolved: Any) -> Any:
    """The scenario's validated ``planning:`` block (:class:`~steelworks.schema.planning.PlanningSpec`) or None."""
    from pydantic import ValidationError

    from steelworks.schema.planning import PlanningSpec
    from steelworks.schema.tree import validation_error

    if resolved.planning is None:
        return None
    try:
        return PlanningSpec.model_validate(resolved.planning)
    except ValidationError as exc:
        raise validation_error(exc, file=str(resolved.scenario_file), prefix=("planning",)) from None


def _mandates(planning: Any, start: int, n_years: int, file: str) -> dict[str, Any]:
    """The planning block's mandates as the problem's fields (years after the horizon are errors)."""
    if planning is None:
        return {}
    m = planning.mandates
    fields = mandate_fields(start, n_years, m.crude_steel, m.first_steel_by, m.co2_cap, file=file)
    return {**fields, "mandate_source": planning.source}


def mandate_fields(
    start: int,
    n_years: int,
    crude_steel: dict[int, float],
    first_steel_by: int | None,
    co2_cap: dict[int, float],
    *,
    file: str | None = None,
    prefix: str = "planning.mandates.",
) -> dict[str, Any]:
    """Mandates given by calendar year (step functions: each value holds from its year to the next one's)
    as :class:`PlanningProblem` fields: ``min_crude_steel_t``, ``max_co2_t`` (T,), ``first_steel_by`` (index)."""
    from steelworks.schema.planning import step_values

    years = list(range(start, start + n_years))
    for name, steps in (("crude_steel", crude_steel), ("co2_cap", co2_cap)):
        late = [y for y in steps if y > years[-1]]
        if late:
            raise InputError(
                f"a {name} mandate starts in {late[0]}, after the horizon",
                file=file,
                location=f"{prefix}{name}.{late[0]}",
                allowed=f"years up to {years[-1]}",
            )
        bad = [y for y, v in steps.items() if not (v >= 0.0 and v < float("inf"))]
        if bad:
            raise InputError(
                f"the {name} mandate for {bad[0]} is {steps[bad[0]]!r}",
                file=file,
                location=f"{prefix}{name}.{bad[0]}",
                allowed="a finite amount >= 0 t/yr",
            )
    out: dict[str, Any] = {}
    if crude_steel:
        out["min_crude_steel_t"] = np.array([v or 0.0 for v in step_values(crude_steel, years)])
    if co2_cap:
        out["max_co2_t"] = np.array([np.inf if v is None else v for v in step_values(co2_cap, years)])
    if first_steel_by is not None:
        if not start <= first_steel_by <= years[-1]:
            raise InputError(
                f"first_steel_by {first_steel_by} is outside the horizon",
                file=file,
                location=f"{prefix}first_steel_by",
                allowed=f"{start}..{years[-1]}",
            )
        out["first_steel_by"] = first_steel_by - start
    return out


def sold_carbon(recipe: Array, out_c_frac: Array, c_frac: Array, can_buy: Array) -> Array:
    """C fraction of each carrier as sold: its makers' output composition where they all agree and it is
    not also bought (then the pool is that composition), else the carrier record's ``c_frac``."""
    sold = np.asarray(c_frac, dtype=float).copy()
    for c in range(recipe.shape[1]):
        makers = np.nonzero(recipe[:, c] > 0)[0]
        if makers.size and not can_buy[c]:
            values = out_c_frac[makers, c]
            if np.ptp(values) <= 1e-12:
                sold[c] = float(values[0])
    return sold


def option_plan(scenario: str) -> dict[str, tuple[str, int]]:
    """The fixed plan of the scenario's option: unit -> (action, start year)."""
    from steelworks.economics.evaluate import load_inputs
    from steelworks.schema.loader import load_scenario

    resolved = load_scenario(scenario)
    option = load_inputs((resolved.economics or {})["option"]).option
    return {uid: (step.action, step.year) for uid, step in option.plan.items()}


def _infrastructure_factor(est: Any) -> float:
    """1 + (infrastructure EPC / the units' EPC): the site-works share carried by each unit action."""
    units = sum(line.epc_usd for line in est.lines if line.uid not in ("infrastructure", "grid_connection"))
    infra = sum(line.epc_usd for line in est.lines if line.uid == "infrastructure")
    return 1.0 + (infra / units if units else 0.0)


def parse_year_amounts(specs: list[str], option: str) -> dict[int, float]:
    """``YEAR:AMOUNT`` forms (``2031:1.0 Mt/year``) as {year: t/yr}; a repeated year is an error."""
    from steelworks.units import parse_quantity

    out: dict[int, float] = {}
    for spec in specs:
        year_text, sep, amount = spec.partition(":")
        try:
            year = int(year_text.strip())
        except ValueError:
            year = -1
        if not sep or not 1950 <= year <= 2200:
            raise InputError(f"{option} {spec!r} is not YEAR:AMOUNT", location=option, allowed="e.g. 2031:1.0 Mt/year")
        if year in out:
            raise InputError(f"{option} gives {year} twice", location=option, allowed="each year once")
        out[year] = parse_quantity(amount.strip(), "mass_per_year", where=f"{option} {year}")
    return out
