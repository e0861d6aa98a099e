"""Scenarios side by side: one row per evaluated scenario, and a plotly chart of the comparison."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from steelworks.economics import compare
from steelworks.errors import InputError
from steelworks.fileio import write_text


class Evaluation(Protocol):
    """What the comparison reads of an evaluated scenario (``steelworks.api.Evaluation``): the report
    reads results and names no later step of the chain."""

    @property
    def economics(self) -> Any: ...

    @property
    def balance(self) -> Any: ...


def comparison_rows(evaluations: Sequence[Evaluation], baseline: str | None = None) -> list[dict[str, Any]]:
    """The economics' comparison rows, labelled by scenario, with the plant's output and CO2 intensity."""
    try:
        rows = compare(
            [ev.economics for ev in evaluations], baseline, labels=[ev.balance.scenario.name for ev in evaluations]
        )
    except InputError as exc:
        raise InputError(
            exc.message.replace("options", "scenarios"), location="--baseline", allowed=exc.allowed
        ) from None
    for row, ev in zip(rows, evaluations, strict=True):
        row["scenario"] = row.pop("label")
        row["option_name"] = row.pop("name")
        row["crude_steel_t"] = ev.balance.kpis["crude_steel_t"]
        row["co2_t_per_t_crude_steel"] = ev.balance.kpis["co2_t_per_t_crude_steel"]
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
    write_text(path, comparison_figure(rows).to_html(include_plotlyjs=True), option="--html")  # atomic
