"""Scenarios side by side: one row per evaluated scenario, and a plotly chart of the comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from steelworks.errors import InputError

_KEYS = (
    "capex_usd",
    "npv_usd",
    "irr",
    "payback_years",
    "lcos_usd_per_t",
    "cash_cost_usd_per_t",
    "fx_saved_usd_per_year",
    "jobs_direct",
    "jobs_indirect",
    "co2_t_per_t_crude_steel",
    "co2_t_per_year",
    "discount_rate",
    "horizon_years",
)


def comparison_rows(evaluations: list[dict[str, Any]], baseline: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for ev in evaluations:
        row = {
            "scenario": ev["scenario"],
            "option": ev["option"],
            "option_name": ev["option_name"],
            "crude_steel_t": ev["plant_kpis"]["crude_steel_t"],
        }
        row.update({k: ev["kpis"].get(k) for k in _KEYS})
        rows.append(row)
    if baseline is not None:
        base = next((r for r in rows if r["scenario"] == baseline), None)
        if base is None:
            raise InputError(
                f"baseline '{baseline}' is not among the compared scenarios",
                location="--baseline",
                allowed=", ".join(r["scenario"] for r in rows),
            )
        for r in rows:
            r["npv_vs_baseline_usd"] = r["npv_usd"] - base["npv_usd"]
            r["fx_vs_baseline_usd_per_year"] = r["fx_saved_usd_per_year"] - base["fx_saved_usd_per_year"]
    return rows


def comparison_figure(rows: list[dict[str, Any]]) -> go.Figure:
    names = [r["scenario"] for r in rows]
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=(
            "Capital cost (USD m)",
            "NPV (USD m)",
            "Cost of steel (USD/t)",
            "Foreign exchange saved (USD m/yr)",
            "Direct jobs",
            "CO2 (t/t crude steel)",
        ),
    )

    def bar(values: list[float | None], row: int, col: int, name: str = "", color: str = "#1f77b4") -> None:
        fig.add_trace(
            go.Bar(
                x=names,
                y=[v if v is not None else 0 for v in values],
                name=name or None,
                marker_color=color,
                showlegend=bool(name),
            ),
            row=row,
            col=col,
        )

    bar([r["capex_usd"] / 1e6 for r in rows], 1, 1)
    bar([r["npv_usd"] / 1e6 for r in rows], 1, 2)
    bar([r["lcos_usd_per_t"] for r in rows], 1, 3, "levelised cost (break-even)", "#1f77b4")
    bar([r["cash_cost_usd_per_t"] for r in rows], 1, 3, "cash cost", "#ff7f0e")
    bar([r["fx_saved_usd_per_year"] / 1e6 for r in rows], 2, 1)
    bar([r["jobs_direct"] for r in rows], 2, 2)
    bar([r["co2_t_per_t_crude_steel"] for r in rows], 2, 3)
    fig.update_layout(title="steelworks: revival options side by side", height=750, barmode="group")
    return fig


def write_comparison_html(rows: list[dict[str, Any]], path: Path) -> None:
    comparison_figure(rows).write_html(path, include_plotlyjs=True)
