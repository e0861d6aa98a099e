"""Options page: the revival options side by side (``steelworks compare``), against a chosen baseline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html, no_update

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.app.fmt import num, pct
from steelworks.errors import InputError

#: y-axis titles of the comparison chart's six panels (row-major), units stated
AXIS_TITLES = ("USD m", "USD m", "USD/t", "USD m/yr", "jobs", "t CO2/t crude steel")


def layout() -> html.Div:
    names = model.economic_scenarios()
    chosen = [n for n in model.DEFAULT_OPTIONS if n in names]
    return html.Div(
        [
            html.H1("Options: the revival options side by side"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(
                                "Options (scenarios with a business case)", htmlFor="options-scenarios", className="lbl"
                            ),
                            dcc.Dropdown(
                                id="options-scenarios",
                                options=[{"label": n, "value": n} for n in names],
                                value=chosen,
                                multi=True,
                                style={"minWidth": "520px"},
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label("Baseline", htmlFor="options-baseline", className="lbl"),
                            dcc.Dropdown(
                                id="options-baseline",
                                options=[{"label": n, "value": n} for n in chosen],
                                value=model.DEFAULT_BASELINE if model.DEFAULT_BASELINE in chosen else None,
                                style={"width": "240px"},
                            ),
                        ]
                    ),
                    dcc.Checklist(
                        id="options-apply",
                        options=[
                            {"label": "apply the Works page's price and finance edits to every option", "value": "on"}
                        ],
                        value=["on"],
                    ),
                ],
                className="controls card",
            ),
            html.Div(id="options-edits-note", className="note"),
            ui.error_box("", "options-error"),
            ui.section(
                "Business cases",
                dcc.Loading(html.Div(id="options-table", className="scroll")),
                note="Money in cost-year USD (real). NPV vs baseline: the option's NPV less the baseline's.",
            ),
            ui.section("Charts", dcc.Loading(dcc.Graph(id="options-chart", config={"displaylogo": False}))),
        ]
    )


def _irr(r: dict[str, Any]) -> str:
    return "none" if r["irr"] is None else pct(r["irr"])


FIELDS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("option", lambda r: str(r["option_name"])),
    ("crude steel, Mt/yr", lambda r: num(r["crude_steel_t"] / 1e6, 2)),
    ("capital cost, USD m", lambda r: num(r["capex_usd"] / 1e6)),
    ("NPV, USD m", lambda r: num(r["npv_usd"] / 1e6)),
    ("IRR (real), %", _irr),
    ("payback, years", lambda r: "never" if r["payback_years"] is None else f"{r['payback_years']:.1f}"),
    ("levelised cost of steel, USD/t", lambda r: num(r["lcos_usd_per_t"])),
    ("cash cost, USD/t", lambda r: num(r["cash_cost_usd_per_t"])),
    ("foreign exchange saved, USD m/yr", lambda r: num(r["fx_saved_usd_per_year"] / 1e6)),
    ("direct / indirect jobs", lambda r: f"{num(r['jobs_direct'])} / {num(r['jobs_indirect'])}"),
    (
        "CO2, t/t crude steel",
        lambda r: "-" if r["co2_t_per_t_crude_steel"] is None else f"{r['co2_t_per_t_crude_steel']:.2f}",
    ),
    ("CO2, Mt/yr", lambda r: num(r["co2_t_per_year"] / 1e6, 2)),
)


def comparison_table(rows: Sequence[dict[str, Any]], baseline: str | None) -> html.Table:
    fields = list(FIELDS)
    if baseline:
        fields.append(
            (
                f"NPV vs {baseline}, USD m",
                lambda r: "-" if r.get("npv_vs_baseline_usd") is None else num(r["npv_vs_baseline_usd"] / 1e6),
            )
        )
    body = [[name, *(get(r) for r in rows)] for name, get in fields]
    return ui.table(["figure", *(r["scenario"] for r in rows)], body, table_id="options-compare-table")


def chart(rows: list[dict[str, Any]]) -> go.Figure:
    from steelworks.report.compare import comparison_figure

    fig = comparison_figure(rows)
    for i, title in enumerate(AXIS_TITLES, start=1):
        fig.update_yaxes(
            title_text=title,
            tickformat=",.0f" if "CO2" not in title else ",.2f",
            row=(i - 1) // 3 + 1,
            col=(i - 1) % 3 + 1,
        )
    fig.update_layout(height=640, template="plotly_white", legend={"orientation": "h", "y": -0.12}, margin={"t": 80})
    return fig


def options_view(
    names: Sequence[str] | None,
    baseline: str | None,
    apply: Sequence[str] | None = None,
    state: dict[str, Any] | None = None,
) -> tuple[Any, Any, str, list[dict[str, str]], str]:
    """The comparison table, the chart, the error line, the baseline's choices and the note of edits applied.

    With ``apply``, the Works page's price and finance edits (``state``) are applied to every option."""
    names = list(names or [])
    edits = model.market_overrides((state or {}).get("overrides") or []) if apply else []
    note = "Applied to every option: " + "; ".join(edits) if edits else "As bundled: no edits applied."
    choices = [{"label": n, "value": n} for n in names]
    if len(names) < 1:
        return html.P("Pick at least one option."), go.Figure(), "", choices, note
    if baseline is not None and baseline not in names:
        baseline = None
    from steelworks.report.compare import comparison_rows

    try:
        rows = comparison_rows(model.evaluations(names, edits), baseline)
    except InputError as exc:
        return no_update, no_update, model.message(exc), choices, note
    return comparison_table(rows, baseline), chart(rows), "", choices, note


def register(app: Dash) -> None:
    @app.callback(
        Output("options-table", "children"),
        Output("options-chart", "figure"),
        Output("options-error", "children"),
        Output("options-baseline", "options"),
        Output("options-edits-note", "children"),
        Input("options-scenarios", "value"),
        Input("options-baseline", "value"),
        Input("options-apply", "value"),
        State("works-state", "data"),
    )
    def _view(
        names: list[str] | None, baseline: str | None, apply: list[str] | None, state: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        return options_view(names, baseline, apply, state)
