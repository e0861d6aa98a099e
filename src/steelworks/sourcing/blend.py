r"""The yearly blend LP (linopy + HiGHS): the least-cost purchase of each source by each route.

Variables (dry t/yr)::

    buy[r] >= 0          purchase of route r's supply, delivered by route r
    flux[r] >= 0         of a flux route's purchase, the part charged to the sinter strand

Constraints (``name``: meaning; SF = sinter-feed routes, L = lump routes, I = SF + L)::

    fe_sinter_feed    sum_SF Fe_r buy_r >= D_Fe,sinter          Fe units the sinter plants take
    fe_lump           sum_L  Fe_r buy_r >= D_Fe,lump            Fe units charged as lump
    coking_coal, pci_coal, scrap: sum buy_r >= D               mass demand (t)
    limestone_other, dolomite_other: sum (buy_r - flux_r) >= D  flux of the furnaces and kilns
    sinter_basicity_min   sum_SF (CaO - B_lo SiO2) buy + sum_flux (CaO - B_lo SiO2) flux + e_CaO - B_lo e_SiO2 >= 0
    sinter_basicity_max   the same with B_hi, <= 0
    sinter_mgo        sum_SF MgO buy + sum_flux MgO flux + e_MgO >= m S          MgO target of the sinter
    sinter_capacity   sum_SF (1 - LOI) buy + sum_flux (1 - LOI) flux + e_mass <= S_max   the strands' output
    burden_sio2, burden_al2o3, burden_p, burden_alkali:  sum_I X_r buy_r <= lim_X HM
    coal_ash, coal_s  sum_coke (X_r - X_max) buy_r <= 0         blend limits of the coking coal
    concentrate_share sum_conc buy_r - s_max sum_SF buy_r <= 0
    supply_capacity:<id>  sum_{r of id} buy_r + sum_{conc fed by id} buy_r / yield <= cap
    leg_capacity:<id>     sum_{r over leg} buy_r / (1 - moisture_r) <= cap (wet t)
    domestic_share    sum_{I, domestic} Fe buy = s sum_I Fe buy   (only when a share is forced)

``e_X`` are the sinter's other inputs (breeze ash, recycled dust) and ``S``, ``HM`` the sinter and hot
metal made, all from the plant solve (:mod:`steelworks.sourcing.coupling`). Objective: delivered cost
``sum_r c_r buy_r`` with ``c_r`` = supply price + sum over legs (cost per t + cost per t.km x km) per wet
t. Reported besides: FX share (foreign-currency price and legs) and transport CO2 (t.km x factor on wet
t, plus the power of a concentrator).

:func:`add_blend` adds all of this to a given linopy Model (prefix ``blend_``) so the planner can compose
it; :func:`solve_blend` builds, solves and, if infeasible, solves the model again with a slack on every
constraint and raises :class:`~steelworks.errors.InputError` naming those that cannot be met.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from steelworks.errors import InputError
from steelworks.schema.sourcing import COAL, FLUX, LUMP, SCRAP, SINTER_FEED, BlendLimits
from steelworks.sourcing.data import FE2O3_PER_FE, MNO_PER_MN, SourcingData, Supply

PREFIX = "blend_"
CHEM = ("Fe", "SiO2", "Al2O3", "CaO", "MgO", "P", "S", "Mn", "alkalis", "LOI")
COAL_CHEM = ("ash", "volatile_matter", "S", "CSR")
#: rows of what the works needs (kept hard in the first diagnosis: the limits are what gives way)
DEMAND_ROWS = ("fe_sinter_feed", "fe_lump", "coking_coal", "pci_coal", "scrap", "limestone_other", "dolomite_other")
#: relative violation above which a relaxed constraint is reported as the one that cannot be met
SLACK_TOL = 1e-7


@dataclass(frozen=True)
class BlendDemand:
    """What the works needs in one year (from the plant solve), dry t/yr unless stated."""

    fe_sinter_feed_t: float
    fe_lump_t: float
    coking_coal_t: float
    pci_coal_t: float
    scrap_t: float
    limestone_other_t: float
    dolomite_other_t: float
    hot_metal_t: float
    sinter_t: float
    sinter_mgo_frac: float = 0.015
    sinter_extra_sio2_t: float = 0.0
    sinter_extra_cao_t: float = 0.0
    sinter_extra_mgo_t: float = 0.0
    sinter_extra_mass_t: float = 0.0
    sinter_capacity_t: float = float("inf")

    def as_dict(self) -> dict[str, float]:
        return {k: float(getattr(self, k)) for k in self.__dataclass_fields__}


@dataclass
class RouteTable:
    """Per-route numbers the LP and the report read (numpy, aligned with ``ids``)."""

    ids: list[str]
    supply: list[str]
    carrier: list[str]
    chem: dict[str, np.ndarray]  # dry mass fractions (ores, fluxes); zeros elsewhere
    coal: dict[str, np.ndarray]
    wet: np.ndarray  # wet t per dry t
    price: np.ndarray  # USD per dry t at the supply
    logistics: np.ndarray  # USD per dry t for the legs
    fx: np.ndarray  # USD per dry t paid in foreign currency
    co2: np.ndarray  # kg CO2 per dry t (transport + beneficiation power)
    tkm: np.ndarray  # wet t.km per dry t
    legs: list[list[str]]
    concentrate: np.ndarray  # bool
    domestic: np.ndarray  # bool

    @property
    def cost(self) -> np.ndarray:
        return self.price + self.logistics

    def mask(self, carriers: Iterable[str]) -> np.ndarray:
        cs = set(carriers)
        return np.array([c in cs for c in self.carrier], dtype=bool)


def route_table(data: SourcingData) -> RouteTable:
    supplies = data.supplies()
    ids = list(data.routes)
    n = len(ids)
    chem = {k: np.zeros(n) for k in CHEM}
    coal = {k: np.zeros(n) for k in COAL_CHEM}
    wet, price, logi, fx, co2, tkm = (np.zeros(n) for _ in range(6))
    conc, dom = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    sup_ids, carriers, legs = [], [], []
    for i, rid in enumerate(ids):
        route = data.routes[rid]
        s: Supply = supplies[route.source]
        sup_ids.append(s.id)
        carriers.append(s.carrier)
        legs.append(list(route.legs))
        if s.analysis is not None:
            for k in CHEM:
                chem[k][i] = getattr(s.analysis, k)
        if s.coal is not None:
            for k in COAL_CHEM:
                coal[k][i] = getattr(s.coal, k) or 0.0
        w = 1.0 / (1.0 - s.moisture)
        wet[i] = w
        price[i] = s.price_usd_per_t
        fx[i] = s.price_usd_per_t if s.foreign_exchange else 0.0
        co2[i] = s.co2_kg_per_t
        conc[i], dom[i] = s.concentrate, s.domestic
        for lid in route.legs:
            leg = data.legs[lid]
            c = w * (leg.cost_usd_per_t + leg.cost_usd_per_t_km * leg.distance_km)
            logi[i] += c
            fx[i] += c if leg.foreign_exchange else 0.0
            tkm[i] += w * leg.distance_km
            co2[i] += w * leg.distance_km * leg.co2_kg_per_t_km
    return RouteTable(ids, sup_ids, carriers, chem, coal, wet, price, logi, fx, co2, tkm, legs, conc, dom)


@dataclass
class BlendHandles:
    """What :func:`add_blend` put into the model: variables, the cost expression, the rows by name."""

    buy: Any
    flux: Any | None
    cost: Any
    table: RouteTable
    flux_ids: list[str]
    rows: dict[str, tuple[str, float]] = field(default_factory=dict)  # name -> (sign, scale of the rhs)
    slacks: dict[str, Any] = field(default_factory=dict)  # sign -> slack variable over its rows
    coefficients: dict[str, np.ndarray] = field(default_factory=dict)  # row name -> its buy coefficients


class _Rows:
    """Constraint rows collected as numpy coefficients over the buy and flux columns."""

    def __init__(self, n_buy: int, n_flux: int) -> None:
        self.n_buy, self.n_flux = n_buy, n_flux
        self.names: list[str] = []
        self.a: list[np.ndarray] = []
        self.f: list[np.ndarray] = []
        self.sign: list[str] = []
        self.rhs: list[float] = []
        self.scale: list[float] = []

    def add(
        self, name: str, a: np.ndarray, sign: str, rhs: float, scale: float | None = None, f: np.ndarray | None = None
    ) -> None:
        self.names.append(name)
        self.a.append(np.asarray(a, dtype=float))
        self.f.append(np.zeros(self.n_flux) if f is None else np.asarray(f, dtype=float))
        self.sign.append(sign)
        self.rhs.append(float(rhs))
        self.scale.append(max(abs(rhs) if scale is None else scale, 1.0))


def blend_rows(
    data: SourcingData,
    demand: BlendDemand,
    lim: BlendLimits,
    tab: RouteTable,
    flux_ids: list[str],
    domestic_share: float | None = None,
) -> _Rows:
    """Every constraint of the module docstring as a row ``a . buy + f . flux (sign) rhs``."""
    ids = tab.ids
    n = len(ids)
    fidx = [ids.index(r) for r in flux_ids]
    rows = _Rows(n, len(flux_ids))
    sf, lu = tab.mask(SINTER_FEED), tab.mask(LUMP)
    iron = sf | lu
    fe = tab.chem["Fe"]
    rows.add("fe_sinter_feed", fe * sf, ">=", demand.fe_sinter_feed_t)
    rows.add("fe_lump", fe * lu, ">=", demand.fe_lump_t)
    for carrier, need in (
        ("coking_coal", demand.coking_coal_t),
        ("pci_coal", demand.pci_coal_t),
        ("scrap", demand.scrap_t),
    ):
        if need > 0 or tab.mask([carrier]).any():
            rows.add(carrier, tab.mask([carrier]).astype(float), ">=", need)
    for carrier, need in (("limestone", demand.limestone_other_t), ("dolomite", demand.dolomite_other_t)):
        own = np.array([tab.carrier[i] == carrier for i in fidx], dtype=float)
        rows.add(f"{carrier}_other", tab.mask([carrier]).astype(float), ">=", need, f=-own)
    for j, i in enumerate(fidx):  # the sinter's part of a flux purchase is at most the purchase
        a = np.zeros(n)
        a[i] = -1.0
        f = np.zeros(len(fidx))
        f[j] = 1.0
        rows.add(f"flux_split:{ids[i]}", a, "<=", 0.0, max(demand.sinter_t * 0.1, 1.0), f=f)
    cao, sio2, mgo = tab.chem["CaO"], tab.chem["SiO2"], tab.chem["MgO"]
    if demand.sinter_t > 0:
        for name, b, sign in (
            ("sinter_basicity_min", lim.sinter_basicity_min.value, ">="),
            ("sinter_basicity_max", lim.sinter_basicity_max.value, "<="),
        ):
            e = demand.sinter_extra_cao_t - b * demand.sinter_extra_sio2_t
            c = cao - b * sio2
            rows.add(name, c * sf, sign, -e, demand.sinter_t * 0.05, f=c[fidx])
        rows.add(
            "sinter_mgo",
            mgo * sf,
            ">=",
            demand.sinter_mgo_frac * demand.sinter_t - demand.sinter_extra_mgo_t,
            demand.sinter_mgo_frac * demand.sinter_t,
            f=mgo[fidx],
        )
        if np.isfinite(demand.sinter_capacity_t):
            keep = 1.0 - tab.chem["LOI"]
            rows.add(
                "sinter_capacity",
                keep * sf,
                "<=",
                demand.sinter_capacity_t - demand.sinter_extra_mass_t,
                demand.sinter_capacity_t,
                f=keep[fidx],
            )
    hm = demand.hot_metal_t / 1000.0  # kg/tHM x kt HM = t
    for name, key, limit in (
        ("burden_sio2", "SiO2", lim.burden_sio2_kg_per_thm),
        ("burden_al2o3", "Al2O3", lim.burden_al2o3_kg_per_thm),
        ("burden_p", "P", lim.p_kg_per_thm),
        ("burden_alkali", "alkalis", lim.alkali_kg_per_thm),
    ):
        if iron.any():
            rows.add(name, tab.chem[key] * iron, "<=", limit.value * hm)
    coke = tab.mask(["coking_coal"])
    if coke.any():
        need = max(demand.coking_coal_t, 1.0)
        rows.add("coal_ash", (tab.coal["ash"] - lim.coal_ash_max.value) * coke, "<=", 0.0, need * 0.01)
        rows.add("coal_s", (tab.coal["S"] - lim.coal_s_max.value) * coke, "<=", 0.0, need * 0.001)
    if tab.concentrate.any():
        smax = lim.concentrate_share_of_sinter_feed_max.value
        rows.add(
            "concentrate_share", (tab.concentrate.astype(float) - smax) * sf, "<=", 0.0, max(demand.sinter_t * 0.1, 1.0)
        )
    supplies = data.supplies()
    for sid, s in supplies.items():
        own = np.array([x == sid for x in tab.supply], dtype=float)
        fed = np.array([supplies[x].feed_per_t if supplies[x].feed == sid else 0.0 for x in tab.supply])
        if (own + fed).any():
            rows.add(f"supply_capacity:{sid}", own + fed, "<=", s.capacity_t)
    for lid, leg in data.legs.items():
        on = np.array([lid in legs for legs in tab.legs], dtype=float)
        if on.any():
            rows.add(f"leg_capacity:{lid}", tab.wet * on, "<=", leg.capacity_t_per_yr)
    if domestic_share is not None:
        total = demand.fe_sinter_feed_t + demand.fe_lump_t
        a = fe * (iron & tab.domestic) - domestic_share * fe * iron
        rows.add("domestic_share", a, "==", 0.0, max(total, 1.0))
    return rows


def add_blend(
    m: Any,
    data: SourcingData,
    demand: BlendDemand,
    limits: BlendLimits | None = None,
    *,
    domestic_share: float | None = None,
    relax: bool | str = False,
) -> BlendHandles:
    """Add the blend variables and constraints (module docstring) to the linopy model ``m``.

    Variables ``blend_buy`` (dim ``route``) and ``blend_flux`` (dim ``flux_route``); constraints
    ``blend_ge``, ``blend_le``, ``blend_eq`` over a ``blend_row`` dimension labelled with the row names
    above (one call each: building stays fast). The caller adds ``handles.cost`` to its objective.
    With ``relax`` every row gets a non-negative slack (``handles.slacks``) for the diagnosis;
    ``relax="limits"`` keeps the demand rows hard and relaxes limits, capacities and a forced share.
    """
    lim = limits or data.limits
    if lim is None:
        raise InputError("no blend limits given", file=data.sources_file, allowed="limits.yaml")
    tab = route_table(data)
    ids = tab.ids
    if not ids:
        raise InputError("no routes to buy from", file=data.logistics_file, location="routes")
    flux_ids = [r for r, c in zip(ids, tab.carrier, strict=True) if c in FLUX]
    rows = blend_rows(data, demand, lim, tab, flux_ids, domestic_share)
    buy = m.add_variables(lower=0, coords=[pd.Index(ids, name="route")], name=f"{PREFIX}buy")
    flux = (
        m.add_variables(lower=0, coords=[pd.Index(flux_ids, name="flux_route")], name=f"{PREFIX}flux")
        if flux_ids
        else None
    )
    cost = (xr.DataArray(tab.cost, coords={"route": ids}, dims=["route"]) * buy).sum()
    h = BlendHandles(buy, flux, cost, tab, flux_ids)
    h.coefficients = dict(zip(rows.names, rows.a, strict=True))
    if relax == "limits":  # demand rows hard: write them with their own sign tag
        rows.sign = [s + "!" if n in DEMAND_ROWS else s for n, s in zip(rows.names, rows.sign, strict=True)]
    signs = np.array(rows.sign)
    for sign, tag in ((">=", "ge"), ("<=", "le"), ("==", "eq"), (">=!", "ge_demand")):
        sel = np.flatnonzero(signs == sign)
        if not len(sel):
            continue
        names = [rows.names[i] for i in sel]
        row = pd.Index(names, name=f"{PREFIX}row")
        a = xr.DataArray(np.array([rows.a[i] for i in sel]), coords=[row, pd.Index(ids, name="route")])
        lhs = (a * buy).sum("route")
        if flux is not None:
            f = xr.DataArray(np.array([rows.f[i] for i in sel]), coords=[row, pd.Index(flux_ids, name="flux_route")])
            lhs = lhs + (f * flux).sum("flux_route")
        rhs = xr.DataArray(np.array([rows.rhs[i] for i in sel]), coords=[row])
        if relax and not sign.endswith("!"):
            s = m.add_variables(lower=0, coords=[row], name=f"{PREFIX}slack_{tag}")
            h.slacks[sign] = s
            if sign == ">=":
                lhs = lhs + s
            elif sign == "<=":
                lhs = lhs - s
            else:
                s2 = m.add_variables(lower=0, coords=[row], name=f"{PREFIX}slack_{tag}2")
                h.slacks["=-"] = s2
                lhs = lhs + s - s2
        if sign.startswith(">="):
            m.add_constraints(lhs >= rhs, name=f"{PREFIX}{tag}")
        elif sign == "<=":
            m.add_constraints(lhs <= rhs, name=f"{PREFIX}{tag}")
        else:
            m.add_constraints(lhs == rhs, name=f"{PREFIX}{tag}")
        for i in sel:
            h.rows[rows.names[i]] = (sign.rstrip("!"), rows.scale[i])
    return h


@dataclass
class BlendResult:
    """The optimal purchase and what it means (dry t/yr; USD/yr; t CO2/yr)."""

    table: RouteTable
    buy: np.ndarray
    flux: dict[str, float]
    demand: BlendDemand
    limits: BlendLimits
    binding: list[str]
    solve_s: float
    domestic_share: float | None = None
    reduced_cost: np.ndarray | None = None  # USD per dry t a route not bought must shed to enter

    def unused(self) -> list[dict[str, Any]]:
        """Routes not bought, with the cut in delivered cost (USD/dry t) that would bring them in."""
        t = self.table
        if self.reduced_cost is None:
            return []
        bought = {c: float(self.buy[t.mask([c])].sum()) for c in set(t.carrier)}
        return [
            {
                "route": rid,
                "source": t.supply[i],
                "delivered_usd_per_t": float(t.cost[i]),
                "entry_cut_usd_per_t": float(self.reduced_cost[i]),
            }
            for i, rid in enumerate(t.ids)
            if self.buy[i] <= 1e-6 and bought[t.carrier[i]] > 0  # a carrier nobody needs has no entry price
        ]

    # -- per route ----------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        t = self.table
        out = []
        for i, rid in enumerate(t.ids):
            x = float(self.buy[i])
            if x <= 1e-6:
                continue
            cost = x * t.cost[i]
            out.append(
                {
                    "route": rid,
                    "source": t.supply[i],
                    "carrier": t.carrier[i],
                    "t_per_yr": x,
                    "wet_t_per_yr": x * t.wet[i],
                    "price_usd_per_t": float(t.price[i]),
                    "logistics_usd_per_t": float(t.logistics[i]),
                    "delivered_usd_per_t": float(t.cost[i]),
                    "cost_usd_per_yr": cost,
                    "fx_share": float(t.fx[i] / t.cost[i]) if t.cost[i] > 0 else 0.0,
                    "transport_co2_t_per_yr": x * t.co2[i] / 1000.0,
                    "legs": list(t.legs[i]),
                }
            )
        return out

    @property
    def cost_usd(self) -> float:
        return float(self.buy @ self.table.cost)

    @property
    def fx_usd(self) -> float:
        return float(self.buy @ self.table.fx)

    @property
    def transport_co2_t(self) -> float:
        return float(self.buy @ self.table.co2) / 1000.0

    # -- per plant carrier ------------------------------------------------------------------------------
    def carriers(self) -> dict[str, dict[str, Any]]:
        """Each plant carrier bought: t, delivered cost per t, FX share, and its mixed analysis."""
        t = self.table
        out: dict[str, dict[str, Any]] = {}
        for c in dict.fromkeys(t.carrier):
            mk = t.mask([c])
            x = self.buy * mk
            q = float(x.sum())
            if q <= 1e-9:
                continue
            rec: dict[str, Any] = {
                "t_per_yr": q,
                "delivered_usd_per_t": float(x @ t.cost) / q,
                "fx_share": float(x @ t.fx) / max(float(x @ t.cost), 1e-12),
                "moisture": 1.0 - q / float(x @ t.wet),
            }
            if c in COAL:
                rec["coal"] = {k: float(x @ t.coal[k]) / q for k in COAL_CHEM}
            elif c not in SCRAP:
                rec["analysis"] = {k: float(x @ t.chem[k]) / q for k in CHEM}
            out[c] = rec
        return out

    def chemistry(self) -> dict[str, float]:
        """The blend's chemistry against its limits (per t hot metal, sinter basicity, coal ash/S)."""
        t, d, b = self.table, self.demand, self.buy
        iron = t.mask(SINTER_FEED + LUMP)
        sf = t.mask(SINTER_FEED)
        hm = max(d.hot_metal_t, 1e-9) / 1000.0
        out = {
            "iron_feed_fe": float(b[iron] @ t.chem["Fe"][iron]) / max(float(b[iron].sum()), 1e-9),
            "sinter_feed_fe": float(b[sf] @ t.chem["Fe"][sf]) / max(float(b[sf].sum()), 1e-9),
            "burden_sio2_kg_per_thm": float(b[iron] @ t.chem["SiO2"][iron]) / hm,
            "burden_al2o3_kg_per_thm": float(b[iron] @ t.chem["Al2O3"][iron]) / hm,
            "p_kg_per_thm": float(b[iron] @ t.chem["P"][iron]) / hm,
            "alkali_kg_per_thm": float(b[iron] @ t.chem["alkalis"][iron]) / hm,
        }
        ids = t.ids
        fl = np.zeros(len(ids))
        for r, v in self.flux.items():
            fl[ids.index(r)] = v
        sio2 = float(b[sf] @ t.chem["SiO2"][sf] + fl @ t.chem["SiO2"]) + d.sinter_extra_sio2_t
        cao = float(b[sf] @ t.chem["CaO"][sf] + fl @ t.chem["CaO"]) + d.sinter_extra_cao_t
        out["sinter_basicity"] = cao / sio2 if sio2 > 0 else float("nan")
        coke = t.mask(["coking_coal"])
        q = float(b[coke].sum())
        if q > 0:
            out["coal_ash"] = float(b[coke] @ t.coal["ash"][coke]) / q
            out["coal_s"] = float(b[coke] @ t.coal["S"][coke]) / q
        conc = t.concentrate & sf
        out["concentrate_share_of_sinter_feed"] = float(b[conc].sum()) / max(float(b[sf].sum()), 1e-9)
        fe = t.chem["Fe"]
        out["domestic_fe_share"] = float(b[iron & t.domestic] @ fe[iron & t.domestic]) / max(
            float(b[iron] @ fe[iron]), 1e-9
        )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "routes": self.rows(),
            "carriers": self.carriers(),
            "chemistry": self.chemistry(),
            "binding": self.binding,
            "unused_routes": self.unused(),
            "cost_usd_per_yr": self.cost_usd,
            "fx_usd_per_yr": self.fx_usd,
            "fx_share": self.fx_usd / self.cost_usd if self.cost_usd > 0 else 0.0,
            "transport_co2_t_per_yr": self.transport_co2_t,
            "demand": self.demand.as_dict(),
            "solve_s": self.solve_s,
        }


def plant_analysis(a: dict[str, float]) -> dict[str, float]:
    """A source-style analysis (Fe, Mn as elements) in the plant's carrier format (Fe2O3, MnO)."""
    return {
        "Fe2O3": a["Fe"] * FE2O3_PER_FE,
        "SiO2": a["SiO2"],
        "Al2O3": a["Al2O3"],
        "CaO": a["CaO"],
        "MgO": a["MgO"],
        "MnO": a["Mn"] * MNO_PER_MN,
        "P": a["P"],
        "S": a["S"],
        "LOI": a["LOI"],
    }


@contextlib.contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    """HiGHS writes its banner to file descriptor 1 whatever its options: keep it off the results
    (``steelworks source --format json``); without a real descriptor there is nothing to guard."""
    sys.stdout.flush()
    try:
        kept = os.dup(1)
    except OSError:
        yield
        return
    sink = os.open(os.devnull, os.O_WRONLY)
    os.dup2(sink, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(kept, 1)
        os.close(kept)
        os.close(sink)


def _run(m: Any) -> str:
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("the blend LP needs the HiGHS solver (highspy)", allowed="pip install highspy") from None
    log = logging.getLogger("linopy")
    level = log.level
    log.setLevel(logging.ERROR)  # an infeasible LP is diagnosed below, not warned about
    try:
        with _stdout_to_devnull():
            _status, condition = m.solve(solver_name="highs", io_api="direct", progress=False, output_flag=False)
    finally:
        log.setLevel(level)
    return str(condition)


def solve_blend(
    data: SourcingData,
    demand: BlendDemand,
    limits: BlendLimits | None = None,
    *,
    domestic_share: float | None = None,
) -> BlendResult:
    """Build and solve the yearly blend LP; an infeasible one raises InputError naming the constraints."""
    import linopy

    t0 = time.perf_counter()
    m = linopy.Model()
    h = add_blend(m, data, demand, limits, domestic_share=domestic_share)
    m.add_objective(h.cost)
    condition = _run(m)
    if condition != "optimal":
        raise _diagnose(data, demand, limits, domestic_share, condition)
    buy = np.asarray(h.buy.solution.values, dtype=float)
    buy = np.where(buy < 1e-9, 0.0, buy)
    flux = {} if h.flux is None else dict(zip(h.flux_ids, map(float, h.flux.solution.values), strict=True))
    binding = []
    reduced = h.table.cost.copy()  # c - A^T y: how much a route's delivered cost must fall to be bought
    for tag in ("ge", "le", "eq"):
        name = f"{PREFIX}{tag}"
        if name in m.constraints:
            con = m.constraints[name]
            labels = con.dual.coords[f"{PREFIX}row"].values
            # a row without a term (e.g. no flux bought for a zero demand) is left out by linopy: no dual
            duals = np.nan_to_num(np.asarray(con.dual.values, dtype=float))
            for label, dual in zip(labels, duals, strict=True):
                reduced -= dual * h.coefficients[str(label)]
                if tag != "eq" and abs(dual) > 1e-9:
                    binding.append(str(label))
    lim = limits or data.limits
    assert lim is not None
    return BlendResult(
        h.table,
        buy,
        flux,
        demand,
        lim,
        binding,
        time.perf_counter() - t0,
        domestic_share,
        np.where(buy > 0, 0.0, np.maximum(reduced, 0.0)),
    )


def _diagnose(
    data: SourcingData, demand: BlendDemand, limits: BlendLimits | None, share: float | None, condition: str
) -> InputError:
    """Solve with a slack on every row (least total relative violation) and name the violated ones."""

    for mode in ("limits", True):
        found = _relaxed(data, demand, limits, share, mode)
        if found is not None:
            break
    if found is None:  # pragma: no cover - the relaxed model is always feasible
        return InputError(f"the blend LP is {condition}, and so is its relaxation", file=data.sources_file)
    bad = found
    text = "; ".join(f"{n} off by {v:,.4g}" for _, n, v in bad[:4]) or condition
    first = bad[0][1] if bad else "?"
    return InputError(
        f"no blend meets every constraint: {text} (t/yr, or t of the row's chemistry term)",
        file=data.limits_file if _is_limit(first) else data.sources_file,
        location=f"constraint {first}",
        allowed=_hint(first),
    )


def _relaxed(
    data: SourcingData, demand: BlendDemand, limits: BlendLimits | None, share: float | None, mode: bool | str
) -> list[tuple[float, str, float]] | None:
    """The rows a least-violation relaxation breaks, largest relative violation first (None: infeasible)."""
    import linopy

    m = linopy.Model()
    h = add_blend(m, data, demand, limits, domestic_share=share, relax=mode)
    obj = None
    for var in h.slacks.values():
        labels = [str(x) for x in var.coords[f"{PREFIX}row"].values]
        w = xr.DataArray([1.0 / h.rows[n][1] for n in labels], coords=var.coords)
        term = (var * w).sum()
        obj = term if obj is None else obj + term
    m.add_objective(obj + 1e-9 * h.cost)
    if _run(m) != "optimal":
        return None
    bad: list[tuple[float, str, float]] = []
    for var in h.slacks.values():
        labels = [str(x) for x in var.coords[f"{PREFIX}row"].values]
        for n, v in zip(labels, np.asarray(var.solution.values, dtype=float), strict=True):
            if v / h.rows[n][1] > SLACK_TOL:
                bad.append((v / h.rows[n][1], n, v))
    bad.sort(reverse=True)
    return bad


def _is_limit(name: str) -> bool:
    return name != "sinter_capacity" and name.startswith(("sinter_", "burden_", "coal_", "concentrate_"))


def _hint(name: str) -> str:
    if name == "sinter_capacity":
        return "more sinter capacity, more lump in the burden (units.<bf>.model.params.lump_share) or a richer blend"
    if name.startswith("supply_capacity:") or name.startswith("leg_capacity:"):
        return "more capacity, another route, or less demand"
    if name == "domestic_share":
        return "a domestic share the domestic sources and limits allow"
    if _is_limit(name):
        return "a looser limit in limits.yaml, or sources that meet it"
    return "sources and routes that can meet the demand"
