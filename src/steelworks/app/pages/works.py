"""Works page: pick a scenario, edit a few parameters, see the KPIs, the flowsheet Sankey, units, balances.

The callbacks are plain functions (``picker``, ``param_form``, ``works_view``) that take and return plain
values and Dash components, so tests call them without a browser.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.app.fmt import mt, num, pct, sci, usd_m, usd_t
from steelworks.errors import InputError

#: a unit is drawn as binding when it runs at or above this share of its available capacity
BINDING_SHARE = 0.98
SANKEY_GROUPS = ("iron-bearing", "fuels & gases", "fluxes", "utilities", "by-products & other")
MIN_SHARES = {"0.01 %": 1e-4, "0.1 %": 1e-3, "1 %": 1e-2}
PARAM = "works-param"
PARAM_ERROR = "works-param-error"


def layout() -> html.Div:
    names = [name for name, _ in model.scenarios()]
    return html.Div(
        [
            html.H1("Works: one year of the steel works, solved"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Scenario", htmlFor="works-scenario", className="lbl"),
                            dcc.Dropdown(
                                id="works-scenario",
                                options=[{"label": n, "value": n} for n in names],
                                value=model.DEFAULT_SCENARIO,
                                clearable=False,
                                style={"width": "260px"},
                            ),
                        ]
                    ),
                    html.Div(id="works-description", className="note", style={"flex": "1 1 400px"}),
                    html.Div(
                        [
                            dcc.Upload(
                                id="works-upload",
                                children=html.Button("Upload a scenario YAML", className="secondary"),
                                accept=".yaml,.yml",
                                max_size=model.MAX_UPLOAD_BYTES,
                            ),
                            html.Div(id="works-upload-message", className="error"),
                        ]
                    ),
                ],
                className="controls card",
            ),
            html.Div(id="works-kpis", className="kpis"),
            ui.error_box("", "works-error"),
            ui.section(
                "Parameters",
                html.Label(
                    "Add or remove parameters (search any path of `steelworks params`)",
                    htmlFor="works-picker",
                    className="lbl",
                ),
                dcc.Dropdown(
                    id="works-picker", multi=True, searchable=True, placeholder="type to search, e.g. availability"
                ),
                html.Div(id="works-form", className="params", style={"marginTop": "10px"}),
                html.Div(id="works-timing", className="timing"),
                note="Each field shows the value in the scenario, its unit, its source and what is allowed. "
                "Editing a field re-solves the works; a value the model refuses shows the CLI's message beside it.",
            ),
            ui.section(
                "Flows through the works",
                html.Div(
                    [
                        html.Div(
                            [
                                html.Label("Flows", className="lbl"),
                                dcc.RadioItems(
                                    id="works-sankey-kind",
                                    options=[
                                        {"label": "material (t/yr)", "value": 0},
                                        {"label": "energy (GJ/yr, LHV)", "value": 1},
                                    ],
                                    value=0,
                                    inline=True,
                                ),
                            ]
                        ),
                        html.Div(
                            [
                                html.Label("View", className="lbl"),
                                dcc.RadioItems(
                                    id="works-sankey-view",
                                    options=[
                                        {"label": "process (recycles in grey)", "value": "process"},
                                        {"label": "recycles and gas networks only", "value": "recycles"},
                                    ],
                                    value="process",
                                    inline=True,
                                ),
                            ]
                        ),
                        html.Div(
                            [
                                html.Label("Carrier groups", className="lbl"),
                                dcc.Checklist(
                                    id="works-sankey-groups",
                                    options=[{"label": g, "value": g} for g in SANKEY_GROUPS],
                                    value=list(SANKEY_GROUPS),
                                    inline=True,
                                ),
                            ]
                        ),
                        html.Div(
                            [
                                html.Label("Hide flows below", className="lbl"),
                                dcc.Dropdown(
                                    id="works-sankey-min",
                                    options=[{"label": k + " of the total", "value": v} for k, v in MIN_SHARES.items()],
                                    value=1e-3,
                                    clearable=False,
                                    style={"width": "170px"},
                                ),
                            ]
                        ),
                    ],
                    className="controls",
                ),
                dcc.Graph(id="works-sankey", config={"displaylogo": False}),
            ),
            ui.section(
                "Units",
                html.Div(id="works-units", className="scroll"),
                note=f"Highlighted: binding units, running at {BINDING_SHARE:.0%} or more of their available capacity "
                "(nameplate x availability). Output in each unit's product unit per year.",
            ),
            html.Div(
                [
                    html.Div(ui.section("Balances of the works", html.Div(id="works-balances")), className="grow"),
                    html.Div(
                        ui.section("Across the works boundary", html.Div(id="works-boundary", className="scroll")),
                        className="grow",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    html.Div(ui.section("Works gases", html.Div(id="works-gas", className="scroll")), className="grow"),
                    html.Div(
                        ui.section("Direct CO2 by unit", html.Div(id="works-co2", className="scroll")), className="grow"
                    ),
                ],
                className="row",
            ),
        ]
    )


# ---------------------------------------------------------------------------------------------
# parameter picker and form
# ---------------------------------------------------------------------------------------------


def field_text(row: dict[str, Any]) -> str:
    """The text a field starts with: the number (without its unit, shown beside it) or the value as listed."""
    value = row["value"]
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def picker(scenario: str, current: Sequence[str] | None) -> tuple[list[dict[str, str]], list[str]]:
    """Options of the searchable parameter dropdown and the chosen paths (kept where the scenario has them)."""
    index = model.parameter_index(scenario)
    options = [
        {"label": f"{path} ({row['unit']})" if row["unit"] not in ("", "-") else path, "value": path}
        for path, row in index.items()
        if not isinstance(row["value"], list | dict)
    ]
    chosen = [p for p in (current or []) if p in index]
    if not chosen:
        chosen = [p for p in model.KEY_PARAMETERS if p in index]
    return options, chosen


def param_form(scenario: str, selected: Sequence[str] | None) -> list[html.Div]:
    """One field per chosen parameter: value, unit, allowed range, source; an error slot beside it."""
    index = model.parameter_index(scenario)
    fields = []
    for path in selected or []:
        row = index.get(path)
        if row is None:
            continue
        unit = row["unit"] if row["unit"] not in ("", "-") else ""
        key = {"type": PARAM, "path": path, "scenario": scenario}
        fields.append(
            html.Div(
                [
                    html.Label(path, className="path"),
                    html.Div(
                        [
                            dcc.Input(
                                id=key,
                                type="text",
                                value=field_text(row),
                                debounce=True,
                                spellCheck=False,
                                autoComplete="off",
                            ),
                            html.Span(unit, className="unit"),
                        ],
                        className="inline",
                    ),
                    html.Div(f"allowed: {row['allowed'] or 'see the schema'}", className="meta"),
                    html.Div(f"source: {row['source'] or '-'}", className="meta"),
                    html.Div("", id={"type": PARAM_ERROR, "path": path, "scenario": scenario}, className="error"),
                ],
                className="field",
            )
        )
    return fields


def overrides_from_form(scenario: str, values: Sequence[Any], ids: Sequence[dict[str, str]]) -> list[tuple[int, str]]:
    """(field position, ``--set`` string) for every field of this scenario whose text differs from the scenario's."""
    index = model.parameter_index(scenario)
    out = []
    for i, (value, key) in enumerate(zip(values, ids, strict=True)):
        row = index.get(key["path"])
        if key.get("scenario") != scenario or row is None:
            continue
        text = "" if value is None else str(value)
        if text.strip() == field_text(row):
            continue
        out.append((i, model.override_string(key["path"], text, row["unit"])))
    return out


# ---------------------------------------------------------------------------------------------
# the solved works
# ---------------------------------------------------------------------------------------------


def kpi_cards(solved: model.Solved) -> list[html.Div]:
    k = solved.balance.kpis
    econ = solved.economics
    e = econ["kpis"] if econ else {}
    crude = k["crude_steel_t"]
    cards = [
        ui.kpi("Crude steel", mt(crude), "per year", "kpi-crude-steel"),
        ui.kpi("Hot metal", mt(k["hot_metal_t"]), "per year", "kpi-hot-metal"),
        ui.kpi(
            "CO2 intensity",
            f"{k['co2_t_per_t_crude_steel']:.2f} t/t" if crude > 0 else "-",
            "direct + indirect, per t crude steel",
            "kpi-co2",
        ),
        ui.kpi(
            "Cash cost",
            usd_t(e.get("cash_cost_usd_per_t")) if econ else "-",
            "per t product" if econ else "no business case",
            "kpi-cash-cost",
        ),
        ui.kpi("Capital cost", usd_m(e.get("capex_usd")) if econ else "-", "undiscounted, cost-year USD", "kpi-capex"),
        ui.kpi(
            "NPV",
            usd_m(e.get("npv_usd")) if econ else "-",
            f"at {e['discount_rate']:.1%} real" if econ else "",
            "kpi-npv",
        ),
        ui.kpi(
            "IRR",
            pct(e.get("irr")) if econ and e.get("irr") is not None else ("none" if econ else "-"),
            "real",
            "kpi-irr",
        ),
    ]
    return cards


def unit_table(report: dict[str, Any]) -> html.Table:
    rows, binding = [], []
    for u in report["units"]:
        if u["condition"] == "not_built":
            continue
        rows.append(
            [
                u["id"],
                u["kind"].replace("_", " "),
                u["condition"].replace("_", " "),
                f"{num(u['output_t'])} {u['output_unit']}/yr",
                f"{num(u['capacity_t'])} {u['output_unit']}/yr",
                pct(u["utilisation"]),
                pct(u["utilisation_of_available"]),
                num(u["co2_direct_t"]),
            ]
        )
        binding.append(u["utilisation_of_available"] >= BINDING_SHARE and u["output_t"] > 0)
    return ui.table(
        [
            "unit",
            "kind",
            "condition",
            "throughput",
            "capacity (nameplate)",
            "utilisation, % of nameplate",
            "% of available",
            "direct CO2, t/yr",
        ],
        rows,
        numeric=[False, False, False, True, True, True, True, True],
        highlight=binding,
        table_id="works-unit-table",
    )


def balance_table(report: dict[str, Any]) -> html.Table:
    rows = []
    for name, row in report["balances"].items():
        unit = "GJ" if name == "energy" else "t"
        key = unit.lower()
        rows.append(
            [
                name,
                f"{num(row[f'in_{key}'])} {unit}/yr",
                f"{num(row[f'out_{key}'])} {unit}/yr",
                sci(row["residual_rel"]),
            ]
        )
    return ui.table(["balance", "in", "out", "residual (relative, -)"], rows)


def boundary_table(report: dict[str, Any]) -> html.Table:
    rows = [
        [r["carrier"].replace("_", " "), num(r["purchased"]), num(r["sold"]), f"{r['unit']}/yr"]
        for r in report["boundary"]
    ]
    return ui.table(["carrier", "bought", "sold", "unit"], rows, numeric=[False, True, True, False])


def gas_table(report: dict[str, Any]) -> html.Table:
    rows = []
    for g in report["works_gas"]:
        burned = sum(g["burned_gj"].values())
        rows.append(
            [g["gas"].replace("_", " "), num(g["produced_gj"]), num(burned), num(g["sold_gj"]), num(g["flared_gj"])]
        )
    return ui.table(["gas", "made, GJ/yr", "burned in the works, GJ/yr", "sold, GJ/yr", "flared, GJ/yr"], rows)


def co2_table(report: dict[str, Any]) -> html.Table:
    items = sorted(report["co2_by_unit_t"].items(), key=lambda kv: -kv[1])
    return ui.table(["unit", "direct CO2, t/yr"], [[u, num(v)] for u, v in items])


def sankey(solved: model.Solved, kind: int, view: str, groups: Sequence[str] | None, min_share: float) -> go.Figure:
    from steelworks.report.sankey import flow_sankey

    fig = flow_sankey(
        solved.balance.results,
        solved.balance.report["flows"],
        "energy" if kind else "material",
        min_share=float(min_share),
        view="recycles" if view == "recycles" else "process",
        groups=tuple(groups) if groups is not None else None,
    )
    fig.update_layout(height=620, margin={"l": 10, "r": 10, "t": 100, "b": 10})
    return fig


def works_view(
    scenario: str,
    values: Sequence[Any],
    ids: Sequence[dict[str, str]],
    kind: int = 0,
    view: str = "process",
    groups: Sequence[str] | None = None,
    min_share: float = 1e-3,
    triggered: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Solve the scenario with the form's edits; every output of the page by name.

    On an edit the model refuses, the figures are left as they were (``no_update``) and each refused
    field gets the CLI's message; an error of the edits together goes to the last edited field and the
    page's error line.
    """
    edits = overrides_from_form(scenario, values, ids)
    overrides = [text for _, text in edits]
    errors = [""] * len(ids)
    started = time.perf_counter()
    hits = model.cache_hits()
    try:
        solved = model.solve(scenario, overrides)
    except InputError as exc:
        blamed = model.blame(scenario, overrides)
        for pos, (i, _) in enumerate(edits):
            if pos in blamed:
                errors[i] = blamed[pos]
        general = model.message(exc)
        if not blamed and triggered is not None:
            for i, key in enumerate(ids):
                if key == triggered:
                    errors[i] = general
        return {
            "errors": errors,
            "error": general,
            **dict.fromkeys(
                ("description", "kpis", "sankey", "units", "balances", "boundary", "gas", "co2", "timing"), no_update
            ),
        }
    elapsed = time.perf_counter() - started
    report = solved.balance.report
    description = dict(model.scenarios()).get(scenario, "")
    edited = f"{len(overrides)} edit(s): " + "; ".join(overrides) if overrides else "no edits: the scenario as bundled"
    return {
        "errors": errors,
        "error": "",
        "description": description,
        "kpis": kpi_cards(solved),
        "sankey": sankey(solved, kind, view, groups, min_share),
        "units": unit_table(report),
        "balances": balance_table(report),
        "boundary": boundary_table(report),
        "gas": gas_table(report),
        "co2": co2_table(report),
        "timing": f"{edited}. "
        + ("Answered from the cache." if model.cache_hits() > hits else f"Solved in {elapsed * 1e3:,.0f} ms."),
        "overrides": overrides,
    }


OUTPUTS = ("description", "kpis", "sankey", "units", "balances", "boundary", "gas", "co2", "timing", "error", "errors")


def upload_choice(filename: str | None, contents: str | None, options: list[dict[str, str]]) -> tuple[Any, Any, str]:
    """The scenario picker after an upload: the file added and chosen, or the CLI's message."""
    from dash import no_update

    if not contents:
        return no_update, no_update, ""
    try:
        path = model.accept_upload(filename or "upload.yaml", contents)
    except InputError as exc:
        return no_update, no_update, model.message(exc)
    label = f"{filename} (uploaded)"
    kept = [o for o in options or [] if o.get("value") != path]
    return [*kept, {"label": label, "value": path}], path, ""


def register(app: Dash) -> None:
    @app.callback(
        Output("works-scenario", "options"),
        Output("works-scenario", "value"),
        Output("works-upload-message", "children"),
        Input("works-upload", "contents"),
        State("works-upload", "filename"),
        State("works-scenario", "options"),
        prevent_initial_call=True,
    )
    def _upload(contents: str | None, filename: str | None, options: list[dict[str, str]]) -> tuple[Any, Any, str]:
        return upload_choice(filename, contents, options)

    @app.callback(
        Output("works-picker", "options"),
        Output("works-picker", "value"),
        Input("works-scenario", "value"),
        State("works-picker", "value"),
    )
    def _picker(scenario: str, current: list[str] | None) -> tuple[Any, Any]:
        return picker(scenario, current)

    @app.callback(Output("works-form", "children"), Input("works-picker", "value"), State("works-scenario", "value"))
    def _form(selected: list[str] | None, scenario: str) -> Any:
        return param_form(scenario, selected)

    @app.callback(
        Output("works-description", "children"),
        Output("works-kpis", "children"),
        Output("works-sankey", "figure"),
        Output("works-units", "children"),
        Output("works-balances", "children"),
        Output("works-boundary", "children"),
        Output("works-gas", "children"),
        Output("works-co2", "children"),
        Output("works-timing", "children"),
        Output("works-error", "children"),
        Output({"type": PARAM_ERROR, "path": ALL, "scenario": ALL}, "children"),
        Output("works-state", "data"),
        Input("works-scenario", "value"),
        Input({"type": PARAM, "path": ALL, "scenario": ALL}, "value"),
        Input("works-sankey-kind", "value"),
        Input("works-sankey-view", "value"),
        Input("works-sankey-groups", "value"),
        Input("works-sankey-min", "value"),
        State({"type": PARAM, "path": ALL, "scenario": ALL}, "id"),
    )
    def _solve(
        scenario: str,
        values: list[Any],
        kind: int,
        view: str,
        groups: list[str],
        min_share: float,
        ids: list[dict[str, str]],
    ) -> tuple[Any, ...]:
        trig = ctx.triggered_id if isinstance(ctx.triggered_id, dict) else None
        out = works_view(scenario, values, ids, kind, view, groups, min_share, dict(trig) if trig else None)
        state = {"scenario": scenario, "overrides": out["overrides"]} if "overrides" in out else no_update
        return (*(out[k] for k in OUTPUTS), state)
