r"""The blend and the works solved together: iterate the LP and the plant physics to a fixed point.

Method: **iteration to a fixed point** (not a linearisation). Each pass

1. solves the blend LP (:func:`~steelworks.sourcing.blend.solve_blend`) for the works' demand ``d_k``;
2. hands the blend to the physics as the scenario's own parameters: the mixed analysis and Fe of the
   imported and the domestic sinter feed (``carriers.iron_ore_fines`` / ``carriers.local_ore_fines``),
   of the lump and of the coking coal (ash, VM, S), the sinter strand's ore shares and the basicity
   the LP reached, with ``composition_from_blend = 1`` so the sinter's Fe and gangue follow the blend
   and the blast-furnace model reads them (its coke rate, slag and limestone answer the grade);
3. solves and checks the works (the plant solve of ``steelworks balance``: mass, Fe and C balances) and reads
   the new demand ``d_{k+1}``: Fe units of sinter feed and lump, coal, scrap, the fluxes besides the
   sinter's, hot metal and sinter made, and the sinter's other SiO2/CaO/MgO (breeze ash, dust);

until ``max |d_{k+1} - d_k| / |d_k| < 1e-6``. The LP sees the furnaces' response through ``d`` (more
sinter, coal and flux per t hot metal when the grade falls), the physics sees the LP's blend; at the
fixed point the blend the LP bought is the one the works, solved by its own models, consumes.

The coal blend reaches the furnaces too: its ash goes into the coke (ash / total coke yield), whose
carbon and heating value fall accordingly (:func:`coal_and_coke`); the blast-furnace model then carries
the extra ash into its slag and coke rate.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steelworks.errors import InputError
from steelworks.plant.build import Plant, build_plant
from steelworks.results import WorksResults, solved_works
from steelworks.schema.loader import ResolvedScenario, load_scenario
from steelworks.schema.sourcing import BlendLimits, Limit
from steelworks.sourcing.blend import BlendDemand, BlendResult, plant_analysis, solve_blend
from steelworks.sourcing.data import SourcingData
from steelworks.units import convert

TOLERANCE = 1e-6
MAX_ITERATIONS = 40
#: the plant's flux carriers as the sinter model reads them (physics/sinter.py _flux)
FLUX_CARRIERS = ("limestone", "dolomite")
#: the LP keeps the sinter strands this far below their capacity: its sinter mass is linear in the blend
#: with the plant's other inputs as an offset from the last pass, which may lag by a few tonnes
CAPACITY_MARGIN = 1e-4


@dataclass
class BalanceResult:
    """A solved, checked and accounted works (the fields :mod:`steelworks.api`'s result has too)."""

    scenario: ResolvedScenario
    plant: Plant
    results: WorksResults

    @property
    def kpis(self) -> dict[str, float]:
        return self.results.kpis(0)

    @property
    def purchased(self) -> dict[str, float]:
        return self.results.purchased(0)

    @property
    def unit_output(self) -> dict[str, float]:
        return self.results.unit_output(0)


def run_balance(scenario: str, overrides: Mapping[str, Any]) -> BalanceResult:
    """Load, build, solve, check (mass/Fe/C balances) and account one scenario."""
    resolved = load_scenario(scenario, overrides)
    plant = build_plant(resolved)
    return BalanceResult(resolved, plant, solved_works(plant)[1])


@dataclass
class Coupled:
    """The blend and the works at the fixed point."""

    blend: BlendResult
    balance: BalanceResult
    overrides: dict[str, Any]
    iterations: int
    residual: float
    history: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lp_seconds: list[float] = field(default_factory=list)


def _units(bal: BalanceResult, kind: str) -> list[tuple[int, str]]:
    plant = bal.plant
    return [
        (i, uid)
        for i, uid in enumerate(plant.unit_ids)
        if plant.unit_kind[i] == kind and i in plant.unit_models and bal.unit_output.get(uid, 0.0) > 0
    ]


def _carrier_chem(bal: BalanceResult, cid: str) -> dict[str, float]:
    spec = bal.scenario.carriers[cid]
    a = {k: float(v) for k, v in (spec.analysis or {}).items()}
    return a


def demand_from(bal: BalanceResult) -> BlendDemand:
    """What the solved works buys, in the terms of the blend LP."""
    bought = bal.purchased
    fe = bal.results.carriers
    fe_frac = dict(zip(fe.ids, map(float, np.asarray(bal.plant.fe_frac).ravel()), strict=True))
    sinter_units = _units(bal, "sinter")
    s_t = sum(bal.unit_output[u] for _, u in sinter_units)
    lime_s = dolo_s = 0.0
    sio2_tot = cao_tot = mgo_tot = 0.0
    for i, uid in sinter_units:
        dg = bal.plant.unit_models[i].diagnostics
        out = bal.unit_output[uid]
        lime_s += float(dg["limestone_kg_per_t"]) / 1000.0 * out
        dolo_s += float(dg["dolomite_kg_per_t"]) / 1000.0 * out
        sio2_tot += float(dg["sinter_sio2"]) * out
        cao_tot += float(dg["sinter_cao"]) * out
        mgo_tot += float(dg["mgo_actual"]) * out
    # the ore's and the fluxes' own oxides; the rest is breeze ash and dust
    ore_sio2 = ore_cao = ore_mgo = ore_mass = 0.0
    for cid in ("iron_ore_fines", "local_ore_fines"):
        q = _sinter_use(bal, sinter_units, cid)
        a = _carrier_chem(bal, cid)
        ore_mass += q * (1.0 - a.get("LOI", 0.0))
        ore_sio2 += q * a.get("SiO2", 0.0)
        ore_cao += q * a.get("CaO", 0.0)
        ore_mgo += q * a.get("MgO", 0.0)
    flux = {c: _flux_oxides(bal, c) for c in FLUX_CARRIERS}
    fx_sio2 = lime_s * flux["limestone"]["SiO2"] + dolo_s * flux["dolomite"]["SiO2"]
    fx_cao = lime_s * flux["limestone"]["CaO"] + dolo_s * flux["dolomite"]["CaO"]
    fx_mgo = lime_s * flux["limestone"]["MgO"] + dolo_s * flux["dolomite"]["MgO"]
    fx_mass = lime_s * (1.0 - flux["limestone"]["LOI"]) + dolo_s * (1.0 - flux["dolomite"]["LOI"])
    capacity = sum(float(bal.plant.effective_capacity[i]) for i, _ in sinter_units)
    mgo_frac = mgo_tot / s_t if s_t > 0 else 0.0
    return BlendDemand(
        fe_sinter_feed_t=sum(bought.get(c, 0.0) * fe_frac[c] for c in ("iron_ore_fines", "local_ore_fines")),
        fe_lump_t=bought.get("iron_ore_lump", 0.0) * fe_frac["iron_ore_lump"],
        coking_coal_t=bought.get("coking_coal", 0.0),
        pci_coal_t=bought.get("pci_coal", 0.0),
        scrap_t=bought.get("scrap", 0.0),
        limestone_other_t=max(bought.get("limestone", 0.0) - lime_s, 0.0),
        dolomite_other_t=max(bought.get("dolomite", 0.0) - dolo_s, 0.0),
        hot_metal_t=float(bal.kpis["hot_metal_t"]),
        sinter_t=s_t,
        sinter_mgo_frac=mgo_frac,
        sinter_extra_sio2_t=sio2_tot - ore_sio2 - fx_sio2,
        sinter_extra_cao_t=cao_tot - ore_cao - fx_cao,
        sinter_extra_mgo_t=mgo_tot - ore_mgo - fx_mgo,
        sinter_extra_mass_t=s_t - ore_mass - fx_mass,
        sinter_capacity_t=capacity * (1.0 - CAPACITY_MARGIN) if sinter_units else float("inf"),
    )


def _sinter_use(bal: BalanceResult, units: list[tuple[int, str]], cid: str) -> float:
    return sum(-float(bal.plant.unit_models[i].recipe.get(cid, 0.0)) * bal.unit_output[uid] for i, uid in units)


def _flux_oxides(bal: BalanceResult, cid: str) -> dict[str, float]:
    """SiO2, CaO, MgO per t of a flux carrier as the sinter model counts them (CaO by difference)."""
    from steelworks.physics import thermo

    spec = bal.scenario.carriers[cid]
    a = {k: float(v) for k, v in (spec.analysis or {}).items()}
    sio2 = a.get("SiO2", 0.0)
    mgo = a.get("MgO", 0.0)
    if "CaMgCO3_2" in a:
        mgo += a["CaMgCO3_2"] * thermo.oxide_molar_mass("MgO") / thermo.oxide_molar_mass("CaMgCO3_2")
    co2 = float(spec.c_frac) * thermo.CO2_PER_C
    return {"SiO2": sio2, "MgO": mgo, "CaO": 1.0 - sio2 - mgo - co2, "LOI": co2}


def coal_and_coke(coal: Mapping[str, float], base: Mapping[str, Any]) -> dict[str, Any]:
    """The coal blend's analysis, and the coke it makes, as carrier parameters.

    Coal: ash, VM, S of the blend; its carbon and LHV scale with the combustible share,
    ``c = c_0 (1 - ash) / (1 - ash_0)`` (the carrier's own note: ~85 % C daf). Coke: ash
    ``= ash_coal / Y_tot`` with ``Y_tot = (1 - VM_coal) / (1 - VM_coke)`` (the coke-oven model's total
    coke yield: the ash stays in the coke); its carbon falls by the ash it gains, its LHV with its carbon.
    """
    k0, c0 = base["coking_coal"], base["coke"]
    ash0 = float(k0.analysis.get("ash", 0.09))
    scale = (1.0 - coal["ash"]) / (1.0 - ash0)
    vm_coke = float(c0.analysis.get("volatile_matter", 0.01))
    coke_ash = coal["ash"] * (1.0 - vm_coke) / (1.0 - coal["volatile_matter"])
    coke_c = float(c0.c_frac) - (coke_ash - float(c0.analysis.get("ash", 0.115)))
    out: dict[str, Any] = {
        "carriers.coking_coal.analysis": {
            "volatile_matter": coal["volatile_matter"],
            "ash": coal["ash"],
            "S": coal["S"],
        },
        "carriers.coking_coal.c_frac": float(k0.c_frac) * scale,
        "carriers.coke.analysis": {**dict(c0.analysis), "ash": coke_ash},
        "carriers.coke.c_frac": coke_c,
    }
    if k0.lhv is not None:
        out["carriers.coking_coal.lhv"] = f"{convert(k0.lhv, 'GJ/t') * scale} GJ/t"
    if c0.lhv is not None:
        out["carriers.coke.lhv"] = f"{convert(c0.lhv, 'GJ/t') * coke_c / float(c0.c_frac)} GJ/t"
    return out


def works_overrides(
    blend: BlendResult,
    sinter_units: list[str],
    base: Mapping[str, Any] | None = None,
    following: Collection[str] = (),
) -> dict[str, Any]:
    """The scenario parameters that make the works run on this blend (module docstring, step 2);
    ``base``: the scenario's own carriers (the coal and coke the blend's coal is scaled from);
    ``following``: sinter units whose basicity the furnaces set (the blend was bought for it, see
    :func:`_limits_for`), so it is not handed back as a value."""
    ov: dict[str, Any] = {}
    carriers = blend.carriers()
    for cid in ("iron_ore_fines", "local_ore_fines", "iron_ore_lump"):
        rec = carriers.get(cid)
        if rec is None:
            continue
        a = rec["analysis"]
        ov[f"carriers.{cid}.fe_frac"] = a["Fe"]
        ov[f"carriers.{cid}.analysis"] = plant_analysis(a)
    coal = carriers.get("coking_coal")
    if coal is not None and base is not None:
        ov.update(coal_and_coke(coal["coal"], base))
    fines = carriers.get("iron_ore_fines", {}).get("t_per_yr", 0.0)
    local = carriers.get("local_ore_fines", {}).get("t_per_yr", 0.0)
    total = fines + local
    basicity = float(np.clip(blend.chemistry()["sinter_basicity"], 0.5, 2.5))
    for uid in sinter_units:
        p = f"units.{uid}.model.params"
        ov[f"{p}.composition_from_blend"] = 1
        ov[f"{p}.fines_share"] = fines / total if total > 0 else 1.0
        ov[f"{p}.local_ore_share"] = local / total if total > 0 else 0.0
        if uid not in following:
            ov[f"{p}.basicity"] = basicity
    return ov


def _limits_for(bal: BalanceResult, data: SourcingData, limits: BlendLimits | None) -> BlendLimits | None:
    """The blend limits with the sinter basicity the works runs at where its sinter follows the furnaces
    (issue 8 item 3): the LP buys the flux for the basicity the furnaces ask for, not for a fixed band."""
    settled = [p["basicity"] for p in bal.plant.settled_params.values() if "basicity" in p]
    lim = limits or data.limits
    if not settled or lim is None:
        return limits
    b = float(np.mean(settled))
    why = "the basicity the blast furnaces ask for (sinter param basicity_follows_furnace; issue 8 item 3)"
    return lim.model_copy(
        update={
            "sinter_basicity_min": Limit(value=b, source=why),
            "sinter_basicity_max": Limit(value=b, source=why),
        }
    )


def _relative_change(a: BlendDemand, b: BlendDemand) -> float:
    x, y = np.array(list(a.as_dict().values())), np.array(list(b.as_dict().values()))
    scale = np.maximum(np.abs(x), 1.0)
    return float(np.max(np.abs(y - x) / scale))


def solve_coupled(
    scenario: str,
    data: SourcingData,
    *,
    overrides: Mapping[str, Any] | None = None,
    limits: BlendLimits | None = None,
    domestic_share: float | None = None,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> Coupled:
    """Blend and works at their fixed point (module docstring); the works checked by the plant solve."""
    t0 = time.perf_counter()
    base = dict(overrides or {})
    first = run_balance(scenario, base)
    sinter_units = [u for _, u in _units(first, "sinter")]
    start = {f"units.{u}.model.params.composition_from_blend": 1 for u in sinter_units}
    bal = run_balance(scenario, {**base, **start})
    demand = demand_from(bal)
    history: list[float] = []
    lp_s: list[float] = []
    for k in range(1, max_iterations + 1):
        try:
            blend = solve_blend(data, demand, _limits_for(bal, data, limits), domestic_share=domestic_share)
        except InputError as exc:
            if exc.location == "constraint sinter_capacity":  # a limit of the works, not of the data
                raise InputError(
                    exc.message, file=str(bal.scenario.plant_file), location=exc.location, allowed=exc.allowed
                ) from None
            raise
        lp_s.append(blend.solve_s)
        following = [u for u in sinter_units if u in bal.plant.settled_params]
        ov = {**base, **works_overrides(blend, sinter_units, first.scenario.carriers, following)}
        bal = run_balance(scenario, ov)
        new = demand_from(bal)
        change = _relative_change(demand, new)
        history.append(change)
        if change < tolerance:
            return Coupled(blend, bal, ov, k, change, history, time.perf_counter() - t0, lp_s)
        demand = new
    raise InputError(
        f"the blend and the works did not settle in {max_iterations} passes (last change {history[-1]:.2e})",
        location="sourcing",
        allowed="a blend the furnaces can run on (check the limits and forced shares)",
    )


BURDEN = ("sinter", "iron_ore_pellets", "iron_ore_lump", "local_ore_fines")


def works_figures(bal: BalanceResult) -> dict[str, float]:
    """The furnaces' and the works' response: burden Fe, coke and fuel rate, slag, CO2 (output-weighted)."""
    plant = bal.plant
    ids = list(plant.carrier_ids)
    fe = np.asarray(plant.fe_frac, dtype=float)
    burden_fe = burden_t = slag = hm = 0.0
    for i, uid in _units(bal, "blast_furnace"):
        res = plant.unit_models[i]
        out = bal.unit_output[uid]
        for c in BURDEN:
            q = -float(res.recipe.get(c, 0.0)) * out
            burden_t += q
            burden_fe += q * fe[ids.index(c)]
        slag += float(res.diagnostics["slag_kg_per_thm"]) * out
        hm += out
    k = bal.kpis
    sinter = [(i, u) for i, u in _units(bal, "sinter")]
    return {
        "burden_fe": burden_fe / burden_t if burden_t > 0 else float("nan"),
        "sinter_fe": float(fe[ids.index("sinter")]) if "sinter" in ids else float("nan"),
        "sinter_t": sum(bal.unit_output[u] for _, u in sinter),
        "hot_metal_t": float(k["hot_metal_t"]),
        "coke_rate_kg_per_thm": float(k["coke_rate_kg_per_thm"]),
        "fuel_rate_kg_per_thm": float(k["fuel_rate_kg_per_thm"]),
        "slag_kg_per_thm": slag / hm if hm > 0 else float("nan"),
        "co2_t_per_t_crude_steel": float(k["co2_t_per_t_crude_steel"]),
        "co2_direct_t": float(k["co2_direct_t"]),
        "crude_steel_t": float(k["crude_steel_t"]),
    }
