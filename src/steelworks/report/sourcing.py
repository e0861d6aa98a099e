"""A sourcing result for people: the JSON contract of ``steelworks source``, the works' response priced
by the economics engine on the delivered blend, and the domestic-share frontier chart (plotly)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from steelworks.fileio import write_text
from steelworks.sourcing.coupling import works_figures
from steelworks.sourcing.run import SourcingRun

#: the LP rows that bound each chemistry figure
ROWS = {
    "sinter_basicity": ("sinter_basicity_min", "sinter_basicity_max"),
    "burden_sio2_kg_per_thm": ("burden_sio2",),
    "burden_al2o3_kg_per_thm": ("burden_al2o3",),
    "p_kg_per_thm": ("burden_p",),
    "alkali_kg_per_thm": ("burden_alkali",),
    "coal_ash": ("coal_ash",),
    "coal_s": ("coal_s",),
    "concentrate_share_of_sinter_feed": ("concentrate_share",),
}
LIMIT_KEYS = {
    "sinter_basicity": ("sinter_basicity_min", "sinter_basicity_max"),
    "burden_sio2_kg_per_thm": (None, "burden_sio2_kg_per_thm"),
    "burden_al2o3_kg_per_thm": (None, "burden_al2o3_kg_per_thm"),
    "p_kg_per_thm": (None, "p_kg_per_thm"),
    "alkali_kg_per_thm": (None, "alkali_kg_per_thm"),
    "coal_ash": (None, "coal_ash_max"),
    "coal_s": (None, "coal_s_max"),
    "concentrate_share_of_sinter_feed": (None, "concentrate_share_of_sinter_feed_max"),
}


def price_overrides(run: SourcingRun) -> dict[str, Any]:
    """The price deck's carriers at the blend's delivered cost and FX share (``prices.<carrier>.*``)."""
    out: dict[str, Any] = {}
    for cid, rec in run.coupled.blend.carriers().items():
        out[f"prices.{cid}.price"] = f"{rec['delivered_usd_per_t']} USD/t"
        out[f"prices.{cid}.foreign_share"] = rec["fx_share"]
    return out


def cash_cost(run: SourcingRun) -> dict[str, Any] | None:
    """Cash cost per t (the economics engine's basis) of the works on this blend, or None without economics."""
    from steelworks.economics import PlantYear, evaluate
    from steelworks.schema.economics import EconomicsChoice

    bal = run.coupled.balance
    block = bal.scenario.economics
    if not block:
        return None
    choice = EconomicsChoice.model_validate(block)
    prices = {k: v for k, v in choice.overrides.items() if k.startswith("prices.")}
    prices.update(price_overrides(run))
    result = evaluate(
        PlantYear.from_balance(bal), choice.option, prices=choice.prices, finance=choice.finance, price_overrides=prices
    )
    k = result.to_dict()["kpis"]
    return {
        "cash_cost_usd_per_t": k.get("cash_cost_usd_per_t"),
        "per_tonne_basis": k.get("per_tonne_basis"),
        "lcos_usd_per_t": k.get("lcos_usd_per_t"),
        "npv_usd": k.get("npv_usd"),
    }


def sourcing_report(run: SourcingRun, economics: bool = True) -> dict[str, Any]:
    c = run.coupled
    blend = c.blend.to_dict()
    lim = c.blend.limits
    chem = []
    for key, value in blend["chemistry"].items():
        lo, hi = LIMIT_KEYS.get(key, (None, None))
        chem.append(
            {
                "figure": key,
                "value": value,
                "min": getattr(lim, lo).value if lo else None,
                "max": getattr(lim, hi).value if hi else None,
                "binding": any(row in blend["binding"] for row in ROWS.get(key, ())),
            }
        )
    works: dict[str, Any] = dict(works_figures(c.balance))
    if economics:
        works["economics"] = cash_cost(run)
    return {
        "scenario": run.scenario,
        "file": str(run.file),
        "description": run.spec.description,
        "domestic_ore_share_forced": run.domestic_share,
        "routes": blend["routes"],
        "carriers": blend["carriers"],
        "chemistry": chem,
        "binding": blend["binding"],
        "unused_routes": blend["unused_routes"],
        "totals": {
            "delivered_cost_usd_per_yr": blend["cost_usd_per_yr"],
            "fx_usd_per_yr": blend["fx_usd_per_yr"],
            "fx_share": blend["fx_share"],
            "transport_co2_t_per_yr": blend["transport_co2_t_per_yr"],
        },
        "works": works,
        "fixed_point": {
            "method": "iteration (LP -> sinter/blast-furnace physics -> demand)",
            "passes": c.iterations,
            "last_relative_change": c.residual,
            "history": c.history,
            "seconds": c.seconds,
            "lp_solve_s_last": c.lp_seconds[-1] if c.lp_seconds else None,
        },
    }


def sweep_points(points: list[tuple[float, SourcingRun | None, str]]) -> list[dict[str, Any]]:
    """One row per share: cash cost, FX, CO2 and the furnaces' response (or why it is infeasible)."""
    base_fx = None
    rows: list[dict[str, Any]] = []
    for share, run, why in points:
        if run is None:
            rows.append({"domestic_ore_share": share, "feasible": False, "reason": why})
            continue
        rep = sourcing_report(run)
        fx = rep["totals"]["fx_usd_per_yr"]
        base_fx = fx if base_fx is None else base_fx
        econ = rep["works"].get("economics") or {}
        rows.append(
            {
                "domestic_ore_share": share,
                "feasible": True,
                "delivered_cost_usd_per_yr": rep["totals"]["delivered_cost_usd_per_yr"],
                "fx_usd_per_yr": fx,
                "fx_saved_usd_per_yr": base_fx - fx,
                "transport_co2_t_per_yr": rep["totals"]["transport_co2_t_per_yr"],
                "cash_cost_usd_per_t": econ.get("cash_cost_usd_per_t"),
                "burden_fe": rep["works"]["burden_fe"],
                "coke_rate_kg_per_thm": rep["works"]["coke_rate_kg_per_thm"],
                "fuel_rate_kg_per_thm": rep["works"]["fuel_rate_kg_per_thm"],
                "slag_kg_per_thm": rep["works"]["slag_kg_per_thm"],
                "co2_t_per_t_crude_steel": rep["works"]["co2_t_per_t_crude_steel"],
                "binding": [b for b in rep["binding"] if b not in _ALWAYS],
            }
        )
    return rows


_ALWAYS = {"fe_sinter_feed", "fe_lump", "coking_coal", "pci_coal", "scrap", "limestone_other", "dolomite_other"}


def frontier_figure(rows: list[dict[str, Any]], title: str) -> go.Figure:
    ok = [r for r in rows if r["feasible"]]
    x = [r["domestic_ore_share"] for r in ok]
    fig = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=("cash cost, USD/t", "FX saved, USD m/yr", "CO2, t/t crude steel", "coke rate, kg/tHM"),
    )
    hover = [
        f"burden Fe {r['burden_fe']:.1%}, slag {r['slag_kg_per_thm']:.0f} kg/tHM, binding: {', '.join(r['binding'])}"
        for r in ok
    ]
    series = [
        ([r["cash_cost_usd_per_t"] for r in ok], 1, 1),
        ([r["fx_saved_usd_per_yr"] / 1e6 for r in ok], 1, 2),
        ([r["co2_t_per_t_crude_steel"] for r in ok], 2, 1),
        ([r["coke_rate_kg_per_thm"] for r in ok], 2, 2),
    ]
    for y, row, col in series:
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", text=hover, showlegend=False), row=row, col=col)
    for r in rows:
        if not r["feasible"]:
            fig.add_vline(x=r["domestic_ore_share"], line_dash="dot", line_color="#c0504d")
    fig.update_xaxes(title_text="domestic share of Fe units")
    fig.update_layout(title=title + " (dotted: infeasible shares)", height=700)
    return fig


def write_frontier_html(fig: go.Figure, path: str | Path) -> Path:
    return write_text(path, fig.to_html(include_plotlyjs=True, full_html=True), option="--html")
