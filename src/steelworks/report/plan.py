"""A solved plan for people: the Gantt chart of its actions, the budget frontier, the workbook.

Reads :class:`steelworks.planning.PlanResult` (the plan's actions, yearly lines and the problem's action
table: lead time, ramp-up, life, relines) and writes self-contained HTML (plotly) or xlsx, atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from steelworks.fileio import write_bytes, write_text
from steelworks.planning.model import PlanResult
from steelworks.planning.summary import action_grid, yearly_rows

#: bar colours of the phases of an action (construction, ramp-up, operation, reline year)
PHASE_COLOURS = {"construction": "#c0504d", "ramp-up": "#f4b183", "operation": "#4f81bd", "reline": "#7f7f7f"}
ACTION_NAMES = {"restore": "restore", "rebuild": "rebuild", "clear_and_reline": "clear & reline", "new": "build new"}


def gantt_phases(result: PlanResult) -> list[dict[str, Any]]:
    """One row per phase of each chosen action: unit, action, phase, first year, last year (inclusive).

    Construction runs from the start for the action's lead time; ramp-up for the length of its curve
    after commissioning; operation to the end of its life or of the horizon; each reline year is a phase.
    """
    prob = result.problem
    last_year = prob.years[-1]
    acts = {(a.unit, a.name): a for a in prob.actions}
    rows: list[dict[str, Any]] = []
    for chosen in result.actions:
        act = acts[(chosen["unit"], chosen["action"])]
        start, serve = chosen["start_year"], chosen["in_service_year"]
        end = min(last_year, serve + act.life - 1)
        ramp_end = min(end, serve + len(act.ramp) - 1)
        base = {"unit": act.unit, "action": act.name, "cost_usd": act.cost_usd}
        rows.append({**base, "phase": "construction", "from": start, "to": serve - 1})
        if len(act.ramp) and serve <= end:
            rows.append({**base, "phase": "ramp-up", "from": serve, "to": ramp_end})
        if ramp_end < end or not len(act.ramp):
            rows.append({**base, "phase": "operation", "from": ramp_end + 1 if len(act.ramp) else serve, "to": end})
        if act.reline_interval and act.reline_first:
            year = serve + act.reline_first
            while year <= end:
                rows.append({**base, "phase": "reline", "from": year, "to": year})
                year += act.reline_interval
    return [r for r in rows if r["from"] <= r["to"]]


def gantt_figure(result: PlanResult, title: str | None = None) -> go.Figure:
    """A timeline per unit: construction, ramp-up, operation and reline years of each chosen action."""
    phases = gantt_phases(result)
    units = list(dict.fromkeys(r["unit"] for r in phases))
    fig = go.Figure()
    for phase, colour in PHASE_COLOURS.items():
        rows = [r for r in phases if r["phase"] == phase]
        if not rows:
            continue
        fig.add_trace(
            go.Bar(
                name=phase,
                orientation="h",
                y=[r["unit"] for r in rows],
                base=[r["from"] for r in rows],
                x=[r["to"] - r["from"] + 1 for r in rows],
                marker_color=colour,
                customdata=[
                    [ACTION_NAMES.get(r["action"], r["action"]), r["from"], r["to"], r["cost_usd"] / 1e6] for r in rows
                ],
                hovertemplate="%{y}: %{customdata[0]} - " + phase + " %{customdata[1]}-%{customdata[2]}"
                "<br>action cost %{customdata[3]:,.0f} USD m<extra></extra>",
            )
        )
    years = result.problem.years
    fig.update_layout(
        title=title or f"Plan {result.problem.label}: construction, ramp-up and operation by unit",
        barmode="overlay",
        xaxis={"title": "year", "range": [years[0], years[-1] + 1], "dtick": 2},
        yaxis={"title": "unit", "categoryorder": "array", "categoryarray": units[::-1]},
        height=max(320, 60 + 28 * len(units)),
        legend={"orientation": "h", "y": -0.15},
        template="plotly_white",
    )
    return fig


def frontier_figure(points: Sequence[dict[str, Any]], title: str = "") -> go.Figure:
    """NPV (and capital spent) of the best plan against the capital budget, one solved plan a point."""
    feasible = [p for p in points if p["npv_usd"] is not None]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            name="NPV of the best plan",
            x=[p["budget_usd"] / 1e6 for p in feasible],
            y=[p["npv_usd"] / 1e6 for p in feasible],
            mode="lines+markers",
            customdata=[[p["capex_usd"] / 1e6, p["first_steel"] or "never", p["actions"]] for p in feasible],
            hovertemplate="budget %{x:,.0f} USD m<br>NPV %{y:,.0f} USD m<br>capital spent %{customdata[0]:,.0f}"
            " USD m<br>first steel %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="capital spent",
            x=[p["budget_usd"] / 1e6 for p in feasible],
            y=[p["capex_usd"] / 1e6 for p in feasible],
            mode="lines+markers",
            line={"dash": "dot"},
        )
    )
    infeasible = [p for p in points if p["npv_usd"] is None]
    if infeasible:
        fig.add_trace(
            go.Scatter(
                name="no plan meets the mandate",
                x=[p["budget_usd"] / 1e6 for p in infeasible],
                y=[0.0] * len(infeasible),
                mode="markers",
                marker={"symbol": "x", "size": 10, "color": "#c0504d"},
            )
        )
    fig.update_layout(
        title=title or "Budget frontier: NPV of the best plan against the total capital budget",
        xaxis={"title": "total capital budget, USD m (cost-year)", "tickformat": ",.0f"},
        yaxis={"title": "USD m (cost-year)", "tickformat": ",.0f"},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def write_figure_html(fig: go.Figure, path: str | Path, option: str) -> Path:
    return write_text(path, fig.to_html(include_plotlyjs=True, full_html=True), option=option)


def write_plan_workbook(result: PlanResult, path: str | Path, option: str = "--xlsx") -> Path:
    """Sheets: Plan (figures), Actions, Yearly (output, capital, cash, CO2), Grid (the year x unit letters)."""
    from openpyxl import Workbook

    from steelworks.report.xlsx import workbook_table

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Plan"
    data = result.to_dict()
    figures = [
        ("scenario", data["scenario"]),
        ("economics (evaluate or the MILP's surrogate)", data["economics"]),
        ("NPV, USD (cost-year)", data["npv_usd"]),
        ("NPV of the MILP's surrogate, USD", data["surrogate_npv_usd"]),
        ("basis of the NPV (plan_years or option_schedule)", data.get("economics_basis")),
        ("NPV on the plan's own years, USD", data.get("npv_on_plan_years_usd")),
        ("IRR (real)", data["irr"]),
        ("LCOS, USD/t product", data["lcos_usd_per_t"]),
        ("capital, USD (cost-year)", float(sum(result.capex_by_year))),
        ("status", data["status"]),
    ]
    workbook_table(ws, ["figure", "value"], figures)
    workbook_table(
        wb.create_sheet("Actions"),
        ["unit", "action", "start year", "in service", "cost, USD (cost-year)"],
        [(a["unit"], a["action"], a["start_year"], a["in_service_year"], a["cost_usd"]) for a in result.actions],
    )
    rows = yearly_rows(result)
    workbook_table(
        wb.create_sheet("Yearly"),
        ["year", "crude steel, t", "products sold, t", "capital, USD", "cash flow, USD", "direct CO2, t"],
        [
            (r["year"], r["crude_steel_t"], r["products_sold_t"], r["capex_usd"], r["cash_flow_usd"], r["co2_t"])
            for r in rows
        ],
    )
    workbook_table(
        wb.create_sheet("Grid"),
        ["unit", *map(str, result.problem.years)],
        [(uid, *cells) for uid, cells in action_grid(result).items()],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_bytes(path, buffer.getvalue(), option=option)
