r"""The revival planner: a multi-year MILP on the works' own recipe matrix (linopy + HiGHS).

Split as PyPSA splits its optimisation (``pypsa/optimization/variables.py``, ``constraints.py``,
``optimize.py`` building the objective): :mod:`.variables` adds the variables, :mod:`.constraints` the
constraint sets, :mod:`.objective` the NPV; this module builds, solves and reads back.

Symbols
=======
=====================  ===========================================================================
``u, c, t, a, s``      unit, carrier, year index (0 = option's construction start), action, start year
``R[u,c]``             recipe matrix of :func:`steelworks.plant.build.build_plant` (+ made, - used per
                       unit of output), the same matrix the balance solves
``C_u, A_u``           capacity (per year) and availability of unit ``u``
``d_a, p_a, L_a``      duration (lead time), spending profile and life of action ``a``, from
                       :func:`steelworks.economics.capex.estimate_capex` (capex.yaml, the plant's
                       overrides, the option's calibration where the action is the option's own)
``K_a``                all-in cost: EPC x (owner's + contingency markup) x (1 + infrastructure share)
``rho_a[j]``           ramp-up in the j-th service year (option ``ramp_up.fractions``, then 1)
``P^b_c, P^s_c``       deck prices (cost-year USD, :func:`resolve_prices`); ``D[c,t]`` market cap
``F_u``                fixed cost while in service (maintenance + insurance + sustaining on replacement
                       value; labour and fixed overheads allocated by replacement value)
``o, k``               overheads share of revenue; consumables per t crude steel
``r, delta_t``         real discount rate (finance.yaml); ``delta_t = (1 + r) ** -t`` end of year
``B_t, B``             yearly and total capital budgets
=====================  ===========================================================================

Equations
=========
* one vintage at a time:       ``sum_{a in A(u), s} 1[s <= t < s+d_a+L_a] start[a,s] <= 1`` per ``u, t``
* state after lead time:       ``state[u,t] = sum_{a in A(u), s} rho_a[t-s-d_a] 1[s+d_a <= t < s+d_a+L_a] start[a,s]``
  (times ``1 - loss`` in a reline year); a unit in service today has ``state = 1``
* capacity:                    ``x[u,t] <= C_u A_u state[u,t]``
* carrier balance, per ``c,t``: ``sum_u R[u,c] x[u,t] + buy[c,t] - sell[c,t] - burn[c,t] - flare[c,t]
  - sum_p power[p,c,t] = 0``; fuel heat: ``sum_u R[u,fh] x[u,t] + sum_c LHV_c burn[c,t] = 0``;
  electricity: ``sum_u R[u,el] x[u,t] + sum_p x[p,t] + buy - sell = 0``
* power plants:                ``3.6 x[p,t] = eta_p sum_c LHV_c power[p,c,t]``
* service units:               ``x[u,t] = sum_{c handled} buy[c,t]`` (ore berth) or ``= made[c,t]``
* trade:                       ``buy`` only where ``market.buy`` (grid buy) allows, ``sell`` only
  ``market.sell``; ``sell[c,t] <= made[c,t]`` and ``sell[c,t] <= D[c,t]`` for products
* capital:                     ``K[t] = sum_{a,s} K_a p_a[t-s] start[a,s]`` (+ reline costs);
  ``K[t] <= B_t``; ``sum_t K[t] <= B``
* objective (max):             see :mod:`.objective`

Simplifications (stated, each a departure from ``balance``/``evaluate``)
=======================================================================
* Fuel heat is one pool: works gases and the make-up fuel are burned into it at their LHV in any
  mix (the balance serves users in priority order; the LP picks the cheapest); standby energy
  (``standby_share``) and minimum loads are not modelled; recipes are fixed at the full-output
  operating point (linear in output).
* Units without a ``capex_kind`` (berth, mixer, blowers, boilers, by-product plant) are site
  infrastructure, in service from year 0; their capital is the infrastructure share on each action.
* A unit stops at the end of its life unless the plan starts a new action on it (evaluate replaces
  it in the same year at its new-build cost, without construction time); relines of a vintage are
  costs of its action, not decisions. In a fixed plan only the fixed actions may start, and each may
  be renewed after its life.
* Market cap ``D`` = the scenario's full-output sales of each product (x ``market_factor``); the
  option's ``steady_state`` utilisation is not applied (availability plays that role).
* Income tax is linear (:mod:`.tax`: no super tax); working capital, debt and labour during construction
  are omitted; residual value is straight
  line (as ``schedule_capex``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from steelworks.errors import InputError
from steelworks.planning.constraints import SETS, add_constraints
from steelworks.planning.objective import constant_fixed_cost, npv_breakdown, npv_expression
from steelworks.planning.problem import PlanInfeasibleError, PlanningProblem
from steelworks.planning.tax import add_tax, has_tax
from steelworks.planning.variables import Timing, add_variables, coords, timing


@dataclass
class PlanResult:
    problem: PlanningProblem
    status: str
    npv_usd: float
    objective_usd: float
    actions: list[dict[str, Any]]  # unit, action, start year, commissioning year, cost
    output: dict[str, list[float]]  # unit -> output per year
    sales: dict[str, list[float]]  # carrier -> sold per year
    capex_by_year: list[float]
    lines: dict[str, list[float]]
    size: dict[str, int]
    build_s: float
    solve_s: float
    mip_gap: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the plan priced by ``evaluate`` (:mod:`steelworks.planning.economics`); None: surrogate figures only
    economics: Any = field(default=None, repr=False)
    #: the plan priced on its own years (:func:`steelworks.planning.economics.price_plan`)
    plan_years_economics: Any = field(default=None, repr=False)
    #: which pricing ``economics`` is: "plan_years", or "option_schedule" for a plan on the option's units
    economics_basis: str = "surrogate"

    @property
    def surrogate_npv_usd(self) -> float:
        """The NPV of the MILP's linear objective (linear tax, no working capital: :mod:`.objective`)."""
        return float(self.lines["npv"])  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        ev = self.economics
        priced: dict[str, Any] = {"economics": "surrogate", "irr": None, "lcos_usd_per_t": None}
        if ev is not None:
            priced = {
                "economics": "evaluate",
                "irr": ev.kpis["irr"],
                "lcos_usd_per_t": ev.kpis["lcos_usd_per_t"],
                "capex_usd": ev.kpis["capex_usd"],
                "cash_flows": ev.to_dict()["cash_flows"],
            }
        priced["economics_basis"] = self.economics_basis
        if self.plan_years_economics is not None:
            priced["npv_on_plan_years_usd"] = self.plan_years_economics.kpis["npv_usd"]
        return {
            "scenario": self.problem.label,
            "years": self.problem.years,
            "status": self.status,
            "npv_usd": self.npv_usd,
            "surrogate_npv_usd": self.surrogate_npv_usd,
            **priced,
            "actions": self.actions,
            "output": self.output,
            "sales": self.sales,
            "capex_by_year": self.capex_by_year,
            "lines": self.lines,
            "model_size": self.size,
            "build_s": self.build_s,
            "solve_s": self.solve_s,
            "mip_gap": self.mip_gap,
            "conventions": {
                "discounting": "end of year, year 0 (construction start) undiscounted, real rate",
                "money": "cost-year USD as of the first year (evaluate's NPV basis)",
                "npv": "evaluate's cash-flow code (economics = evaluate): on the plan's own years - its flows, "
                "capital and vintages (economics_basis = plan_years, also npv_on_plan_years_usd) - or, for a plan "
                "on exactly the option's units, evaluate of the option on its schedule with the plan's start "
                "years (economics_basis = option_schedule); an idle plan keeps the MILP's linear "
                "surrogate (economics = surrogate)",
            },
        }


def build(prob: PlanningProblem, skip: tuple[str, ...] = ()) -> tuple[Any, dict, Timing]:
    """The linopy model of ``prob`` (``skip``: constraint sets left out, for a diagnosis)."""
    import linopy

    tm = timing(prob)
    m = linopy.Model()
    v = add_variables(m, prob, tm)
    add_constraints(m, prob, v, tm, skip)
    objective = npv_expression(prob, v, tm)
    if has_tax(prob):  # income tax in its linear form (planning/tax.py)
        tax = add_tax(m, prob, v, tm, float((prob.fixed_cost * prob.in_service).sum()))
        objective = objective - (tax * xr.DataArray(prob.discount, coords=[coords(prob)["t"]])).sum()
    m.add_objective(objective, sense="max")
    return m, v, tm


def size(m: Any) -> dict[str, int]:
    nvars = int(m.nvars)
    nbin = int(m.binaries.flat.shape[0]) if len(m.binaries) else 0
    return {"variables": nvars, "binaries": nbin, "constraints": int(m.ncons)}


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner on file descriptor 1 even with output_flag off; keep stdout for results
    (``steelworks plan --format json``)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (captured stdout): nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _solve(m: Any, gap: float, time_limit: float | None) -> tuple[str, str]:
    try:  # linopy hands the model to HiGHS through highspy ("direct" API): say so if it is missing
        import highspy  # noqa: F401
    except ImportError:
        raise InputError(
            "the planner needs the HiGHS solver (Python package highspy), which is not installed",
            location="steelworks plan",
            allowed="pip install highspy (a dependency of steelworks)",
        ) from None
    opts: dict[str, Any] = {"mip_rel_gap": gap, "output_flag": False}
    if time_limit is not None:
        opts["time_limit"] = float(time_limit)
    with _quiet_stdout():
        status, condition = m.solve(solver_name="highs", io_api="direct", progress=False, **opts)
    return str(status), str(condition)


def diagnose(prob: PlanningProblem) -> str:
    """The first constraint set whose removal makes the model feasible (or 'unknown')."""
    for name in SETS:
        m, _, _ = build(prob, skip=(name,))
        _, condition = _solve(m, 0.05, 60)
        if condition == "optimal":
            return name
    return "unknown"


def has_incumbent(m: Any) -> bool:
    """HiGHS holds a feasible primal solution (status 2, kSolutionStatusFeasible) after stopping."""
    try:
        return int(m.solver_model.getInfo().primal_solution_status) == 2
    except Exception:  # no solver object or no such field: no incumbent to trust
        return False


def solve_plan(prob: PlanningProblem, *, gap: float = 1e-4, time_limit: float | None = None) -> PlanResult:
    """Build and solve ``prob``; an infeasible plan raises :class:`PlanInfeasibleError` naming the binding set."""
    t0 = time.perf_counter()
    m, v, tm = build(prob)
    t1 = time.perf_counter()
    status, condition = _solve(m, gap, time_limit)
    t2 = time.perf_counter()
    if condition in ("infeasible", "infeasible_or_unbounded"):
        where = diagnose(prob)
        raise PlanInfeasibleError(
            f"no plan meets the constraints; the binding constraint set is {where!r}"
            + (f" (budget total {prob.budget_total:.4g} USD)" if where == "budget_total" else ""),
            location=f"plan.{where}",
            allowed="relax that set (a larger --budget, fewer fixed actions, a later start) or lengthen the horizon",
        )
    if condition != "optimal" and not (condition == "time_limit" and has_incumbent(m)):
        raise PlanInfeasibleError(
            f"the planner stopped before finding a plan ({status}/{condition})",
            location="plan",
            allowed="a longer --time-limit or a larger --gap",
        )
    # a time-limit incumbent is a plan with its gap (status "time_limit", mip_gap): every year of it is
    # checked for mass, Fe and C closure below like an optimum's, so a read-back that did not fit the
    # model (seen once with an older linopy/HiGHS, cc62b29) cannot pass as a plan
    sol = {
        "start": _values(v.get("start"), (len(prob.actions), prob.n_years)),
        "x": _values(v["x"], (len(prob.unit_ids), prob.n_years)),
        "buy": _values(v["buy"], (len(prob.carrier_ids), prob.n_years)),
        "sell": _values(v["sell"], (len(prob.carrier_ids), prob.n_years)),
        "tax": _values(v.get("tax"), (prob.n_years,)),
    }
    sol["start"] = np.round(sol["start"])
    flows = {k: sol[k] for k in ("x", "buy", "sell")}
    for key in ("burn", "flare"):
        if key in v:
            flows[key] = _values(v[key], (len(prob.carrier_ids), prob.n_years))
    if "power" in v:
        flows["power"] = _values(v["power"], (-1, len(prob.carrier_ids), prob.n_years))
    closure = None
    if prob.mass.size:  # mass, Fe and C of every year, by the balance's laws (planning/closure.py)
        from steelworks.planning.closure import check_year_flows

        closure = check_year_flows(prob, flows)
    lines = npv_breakdown(prob, sol, tm)
    co2 = _site_co2(prob, flows, closure)
    years = prob.years
    actions = []
    for a, act in enumerate(prob.actions):
        for s in np.nonzero(sol["start"][a] > 0.5)[0]:
            actions.append(
                {
                    "unit": act.unit,
                    "action": act.name,
                    "start_year": years[int(s)],
                    "in_service_year": years[0] + int(s) + act.duration,
                    "cost_usd": act.cost_usd,
                }
            )
    actions.sort(key=lambda r: (r["start_year"], r["unit"]))
    output = {uid: sol["x"][u].tolist() for u, uid in enumerate(prob.unit_ids) if sol["x"][u].any()}
    sales = {cid: sol["sell"][c].tolist() for c, cid in enumerate(prob.carrier_ids) if sol["sell"][c].any()}
    objective = float(m.objective.value) - constant_fixed_cost(prob)
    gap_value = None
    try:
        gap_value = float(m.solver_model.getInfo().mip_gap)
    except Exception:  # the solver object is optional diagnostics
        gap_value = None
    return PlanResult(
        problem=prob,
        status=condition,
        npv_usd=lines["npv"],
        objective_usd=objective,
        actions=actions,
        output=output,
        sales=sales,
        capex_by_year=lines["capex"].tolist(),
        lines={k: (val.tolist() if isinstance(val, np.ndarray) else val) for k, val in lines.items()},
        size=size(m),
        build_s=t1 - t0,
        solve_s=t2 - t1,
        mip_gap=gap_value,
        extra={"flows": flows, "closure": closure, **co2},
    )


def _site_co2(prob: PlanningProblem, flows: dict[str, np.ndarray], closure: dict | None) -> dict[str, list[float]]:
    """Direct CO2 per year, t: the MILP's linear form (what a CO2 cap constrains) and, where the closure
    ran, the balance's exact C (sold carriers at each year's pool composition)."""
    from steelworks.physics.thermo import CO2_PER_C

    sold = prob.sold_c_frac if prob.sold_c_frac.size else prob.c_frac
    if not prob.c_frac.size:
        return {}
    linear = CO2_PER_C * (prob.c_frac @ flows["buy"] - sold @ flows["sell"])
    out = {"co2_t": linear.tolist()}
    if closure is not None:
        out["co2_exact_t"] = (CO2_PER_C * (closure["c_in"] - closure["c_sold"])).tolist()
    return out


def _values(var: Any, shape: tuple[int, ...]) -> np.ndarray:
    if var is None:
        return np.zeros(shape)
    return np.nan_to_num(np.asarray(var.solution.values, dtype=float), nan=0.0).reshape(shape)
