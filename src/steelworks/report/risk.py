"""Figures and tables of a risk run: NPV histograms and CDFs, the tornado, Sobol bars, one HTML page.

Plain data in (a run's summary and its NPV samples per scenario), plotly figures out; the dashboard
shows the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from steelworks.fileio import write_text

MUSD = 1e6


def npv_histogram(npv: Mapping[str, np.ndarray]) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, values in npv.items():
        x = values[np.isfinite(values)] / MUSD
        fig.add_trace(go.Histogram(x=x, name=name, opacity=0.6, nbinsx=60))
    fig.update_layout(
        barmode="overlay",
        title="Distribution of NPV (M USD of the cost year)",
        xaxis_title="NPV, M USD",
        yaxis_title="samples",
        template="plotly_white",
    )
    fig.add_vline(x=0.0, line_dash="dash", line_color="grey")
    return fig


def npv_cdf(npv: Mapping[str, np.ndarray]) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, values in npv.items():
        x = np.sort(values[np.isfinite(values)]) / MUSD
        if x.size > 2000:  # a CDF of 2,000 points draws the same line as one of 10^6
            x = np.quantile(x, np.linspace(0.0, 1.0, 2000))
        fig.add_trace(go.Scatter(x=x, y=np.linspace(0.0, 1.0, x.size), mode="lines", name=name))
    fig.update_layout(
        title="Cumulative distribution of NPV: P(NPV <= x)",
        xaxis_title="NPV, M USD",
        yaxis_title="probability",
        template="plotly_white",
    )
    fig.add_vline(x=0.0, line_dash="dash", line_color="grey")
    return fig


def tornado_figure(rows: list[dict[str, Any]], scenario: str, top: int = 10) -> Any:
    import plotly.graph_objects as go

    rows = rows[:top][::-1]
    base = rows[0]["base_usd"] / MUSD if rows else 0.0
    names = [r["parameter"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[r["npv_low_usd"] / MUSD - base for r in rows], base=base, orientation="h",
                         name="input at its P10"))  # fmt: skip
    fig.add_trace(go.Bar(y=names, x=[r["npv_high_usd"] / MUSD - base for r in rows], base=base, orientation="h",
                         name="input at its P90"))  # fmt: skip
    fig.update_layout(
        barmode="overlay",
        title=f"{scenario}: NPV with one input at its P10 or P90, the others at their medians",
        xaxis_title="NPV, M USD",
        template="plotly_white",
    )
    return fig


def sobol_figure(indices: Mapping[str, Mapping[str, float]], scenario: str) -> Any:
    import plotly.graph_objects as go

    names = sorted(indices, key=lambda n: -indices[n]["ST"])
    fig = go.Figure()
    for key, label in (("S1", "first order S1"), ("ST", "total order ST")):
        fig.add_trace(
            go.Bar(
                x=[n.replace(" + ", " +<br>") for n in names],  # a group of correlated inputs, one a line
                y=[indices[n][key] for n in names],
                error_y={"type": "data", "array": [indices[n][f"{key}_conf"] for n in names]},
                name=label,
            )
        )
    fig.update_layout(
        barmode="group",
        title=f"{scenario}: Sobol indices of NPV (95 % confidence intervals)",
        yaxis_title="share of the variance of NPV",
        template="plotly_white",
    )
    return fig


def convergence_figure(summary: Mapping[str, Any]) -> Any:
    """NPV P50 and P(NPV > 0) on the first n samples, n doubling: is the run long enough?"""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for name, block in summary["scenarios"].items():
        points = block.get("convergence") or []
        n = [p["n"] for p in points]
        fig.add_trace(
            go.Scatter(x=n, y=[p["p50"] / MUSD for p in points], name=f"{name}: NPV P50", mode="lines+markers")
        )
        fig.add_trace(
            go.Scatter(x=n, y=[p["p_positive"] for p in points], name=f"{name}: P(NPV > 0)", line={"dash": "dot"}),
            secondary_y=True,
        )
    fig.update_layout(title="Convergence: statistics on the first n samples", template="plotly_white")
    fig.update_xaxes(type="log", title_text="samples n")
    fig.update_yaxes(title_text="NPV P50, M USD", secondary_y=False)
    fig.update_yaxes(title_text="P(NPV > 0)", secondary_y=True)
    return fig


def cash_flow_fan_figure(summary: Mapping[str, Any]) -> Any | None:
    """Each year's cash flow P10 / P50 / P90 (runs with --cash-flows)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, block in summary["scenarios"].items():
        fan = block.get("cash_flow_fan") or []
        if not fan:
            continue
        years = [p["year"] for p in fan]
        fig.add_trace(go.Scatter(x=years, y=[p["p90"] / MUSD for p in fan], line={"width": 0}, showlegend=False))
        fig.add_trace(
            go.Scatter(
                x=years, y=[p["p10"] / MUSD for p in fan], fill="tonexty", line={"width": 0}, name=f"{name}: P10-P90"
            )
        )
        fig.add_trace(go.Scatter(x=years, y=[p["p50"] / MUSD for p in fan], name=f"{name}: P50"))
    if not fig.data:
        return None
    fig.update_layout(title="Unlevered after-tax cash flow by year (nominal M USD)", xaxis_title="year",
                      yaxis_title="M USD", template="plotly_white")  # fmt: skip
    return fig


def statistics_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per scenario: P(NPV > 0), NPV and LCOS P10/P50/P90, feasible samples."""
    rows = []
    for name, block in summary["scenarios"].items():
        npv, lcos = block["npv"], block["kpis"].get("lcos_usd_per_t", {})
        rows.append(
            {
                "scenario": name,
                "samples": block["samples"],
                "feasible": block["feasible"],
                "p_npv_positive": npv.get("p_positive"),
                "npv_p10_musd": npv.get("p10", np.nan) / MUSD,
                "npv_p50_musd": npv.get("p50", np.nan) / MUSD,
                "npv_p90_musd": npv.get("p90", np.nan) / MUSD,
                "npv_es10_musd": npv.get("expected_shortfall_10", np.nan) / MUSD,
                "lcos_p10": lcos.get("p10"),
                "lcos_p50": lcos.get("p50"),
                "lcos_p90": lcos.get("p90"),
            }
        )
    return rows


def write_risk_html(path: str | Path, summary: Mapping[str, Any], npv: Mapping[str, np.ndarray]) -> Path:
    """One self-contained page: the statistics table, histogram, CDF, tornado and Sobol bars."""
    figures = [npv_histogram(npv), npv_cdf(npv), convergence_figure(summary)]
    fan = cash_flow_fan_figure(summary)
    if fan is not None:
        figures.append(fan)
    for name, block in summary["scenarios"].items():
        if block.get("tornado_npv"):
            figures.append(tornado_figure(block["tornado_npv"], name))
        if block.get("sobol_npv"):
            figures.append(sobol_figure(block["sobol_npv"], name))
    head = ["scenario", "P(NPV>0)", "NPV P10, M USD", "P50", "P90", "ES10", "LCOS P10, USD/t", "P50", "P90"]
    body = []
    for r in statistics_rows(summary):
        cells = [r["scenario"], f"{r['p_npv_positive']:.1%}"] + [
            f"{r[k]:,.0f}" if r[k] is not None else "-"
            for k in (
                "npv_p10_musd",
                "npv_p50_musd",
                "npv_p90_musd",
                "npv_es10_musd",
                "lcos_p10",
                "lcos_p50",
                "lcos_p90",
            )
        ]
        body.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>steelworks risk run</title>",
        "<style>body{font-family:sans-serif;margin:2em} td,th{padding:4px 10px;text-align:right}"
        " td:first-child{text-align:left}</style></head><body>",
        f"<h1>Risk run {escape(str(summary.get('run_id', '')))}</h1>",
        f"<p>{escape(str(summary['spec']['samples']))} samples, method {escape(summary['spec']['method'])}, "
        f"seed {summary['spec']['seed']}, uncertainty {escape(summary['spec']['uncertainty'])}</p>",
        "<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" + "".join(body) + "</table>",
    ]
    for i, fig in enumerate(figures):
        parts.append(fig.to_html(include_plotlyjs=(i == 0), full_html=False))
    parts.append("</body></html>")
    return write_text(path, "\n".join(parts), option="--html")
