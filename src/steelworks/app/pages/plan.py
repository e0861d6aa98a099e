"""Plan page: a planning scenario's plan, solved on request in a background callback (the MILP is slow).

``run_plan`` is the plain function behind the button (it reports its stage through ``progress``);
``plan_outputs`` turns its result into the page's figures and tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html
from plotly.subplots import make_subplots

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.app.fmt import num, pct, usd_m, usd_t
from steelworks.errors import InputError

MODES = {
    "optimise": "optimise the plan (MILP; can take minutes)",
    "option": "the scenario's option as a fixed plan (seconds)",
    "best": "the bundled best plan of the scenario (plan file SCENARIO-best, seconds)",
}
STAGES = ("building the planning problem", "solving the MILP", "pricing the plan with evaluate")
Progress = Callable[[int, str], None]


def layout() -> html.Div:
    names = list(model.planning_scenarios())
    return html.Div(
        [
            html.H1("Plan: which units to restore, rebuild or build, and when"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Scenario", htmlFor="plan-scenario", className="lbl"),
                            dcc.Dropdown(
                                id="plan-scenario",
                                options=[{"label": n, "value": n} for n in names],
                                value=names[0] if names else None,
                                clearable=False,
                                style={"width": "240px"},
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label("Plan", className="lbl"),
                            dcc.RadioItems(
                                id="plan-mode",
                                options=[{"label": v, "value": k} for k, v in MODES.items()],
                                value="optimise",
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            dcc.Checklist(
                                id="plan-no-mandates",
                                options=[{"label": "drop the scenario's mandates", "value": "drop"}],
                                value=[],
                            ),
                            html.Label("Solver time limit, s", htmlFor="plan-time-limit", className="lbl"),
                            dcc.Input(id="plan-time-limit", type="number", min=5, max=3600, step=5, value=600),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label(
                                "Total capital budget, USD m (empty: none)", htmlFor="plan-budget", className="lbl"
                            ),
                            dcc.Input(id="plan-budget", type="number", min=0, step=50, value=None),
                        ]
                    ),
                    html.Div(
                        [
                            html.Label(
                                "Fixed actions, one a line: unit:action@YEAR forces, !unit:action forbids",
                                htmlFor="plan-fixes",
                                className="lbl",
                            ),
                            dcc.Textarea(
                                id="plan-fixes",
                                placeholder="bf1:clear_and_reline@2028\n!bf2:rebuild",
                                style={"width": "300px", "height": "52px"},
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.Button("Load plan", id="plan-run", className="primary", n_clicks=0),
                            " ",
                            html.Button("Cancel", id="plan-cancel", className="secondary", disabled=True),
                        ]
                    ),
                ],
                className="controls card",
            ),
            html.Div(
                [
                    html.Progress(id="plan-progress", value="0", max=str(len(STAGES)), style={"display": "none"}),
                    html.Span(id="plan-step", className="note", style={"display": "none"}),
                    html.Div(
                        "Nothing solved yet. Optimising psm-plan took 289 s on a 2-core test machine (gap 0.5 %); "
                        "a scenario's option as a fixed plan takes a few seconds. Cancel stops the solve.",
                        id="plan-status",
                        className="note",
                    ),
                ],
                className="card",
            ),
            ui.error_box("", "plan-error"),
            html.Div(id="plan-kpis", className="kpis"),
            ui.section(
                "Actions by year",
                dcc.Graph(id="plan-gantt", figure=_empty("Press 'Load plan' to solve"), config={"displaylogo": False}),
            ),
            ui.section(
                "Output and capital by year",
                dcc.Graph(id="plan-yearly-chart", figure=_empty(""), config={"displaylogo": False}),
                html.Div(id="plan-yearly", className="scroll"),
            ),
            ui.section(
                "Budget frontier: the best plan at each total capital budget",
                html.Div(
                    [
                        html.Label("Budgets, USD m: low, high, points", className="lbl"),
                        dcc.Input(id="frontier-low", type="number", min=1, step=100, value=2500),
                        dcc.Input(id="frontier-high", type="number", min=1, step=100, value=5000),
                        dcc.Input(id="frontier-n", type="number", min=2, max=12, step=1, value=4),
                        html.Button("Solve the frontier", id="frontier-run", className="primary", n_clicks=0),
                        " ",
                        html.Button("Cancel", id="frontier-cancel", className="secondary", disabled=True),
                        html.Progress(id="frontier-progress", value="0", max="1", style={"display": "none"}),
                        html.Span(id="frontier-step", className="note"),
                    ],
                    className="controls",
                ),
                ui.error_box("", "frontier-error"),
                dcc.Graph(
                    id="frontier-chart", figure=_empty("One MILP a budget: minutes"), config={"displaylogo": False}
                ),
                html.Div(id="frontier-table", className="scroll"),
                note="Uses the scenario, mandates, solver time limit and fixed actions above; NPV on the MILP's "
                "surrogate basis (one basis for every point, as `steelworks plan --budget-sweep`).",
            ),
        ]
    )


def _empty(text: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        template="plotly_white",
        height=260,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": text, "showarrow": False, "font": {"size": 15, "color": "#5b6775"}}] if text else [],
    )
    return fig


def run_plan(
    scenario: str,
    mode: str = "optimise",
    drop_mandates: bool = False,
    time_limit: float | None = None,
    progress: Progress | None = None,
    gap: float = 0.005,
    budget_usd_m: float | None = None,
    fixes: list[str] | None = None,
) -> Any:
    """Build, solve and price the plan as ``steelworks plan`` does (``--fix-option``, ``--no-mandates``,
    ``--budget``, ``--fix``)."""
    from steelworks.planning import option_plan, problem_from_scenario, solve_plan
    from steelworks.planning.economics import price

    step = progress or (lambda k, text: None)
    step(0, STAGES[0])
    if budget_usd_m is not None and not budget_usd_m > 0:
        raise InputError(
            f"capital budget {budget_usd_m:g} USD m is not a positive amount",
            location="capital budget",
            allowed="> 0 USD m, or empty for no budget",
        )
    budget = budget_usd_m * 1e6 if budget_usd_m is not None else None
    problem = problem_from_scenario(scenario, budget_total=budget)
    if drop_mandates:
        problem = problem.without_mandates()
    if mode == "option":
        problem = problem.fix(option_plan(scenario))
    if mode == "best":  # as `steelworks plan SCENARIO --plan SCENARIO-best`
        from steelworks.schema.planning import load_plan

        spec, path = load_plan(f"{scenario}-best")
        problem = (problem if spec.mandates else problem.without_mandates()).fix_rows(spec.rows, file=str(path))
    if fixes:
        problem = problem.apply_fixes(fixes)
    step(1, STAGES[1])
    result = solve_plan(problem, gap=gap, time_limit=time_limit)
    step(2, STAGES[2])
    return price(result)


def yearly_figure(rows: list[dict[str, Any]], label: str) -> go.Figure:
    years = [r["year"] for r in rows]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Crude steel and products sold (Mt/yr)", "Capital spent (USD m, cost-year)"),
    )
    fig.add_trace(
        go.Bar(x=years, y=[r["crude_steel_t"] / 1e6 for r in rows], name="crude steel", marker_color="#d62728"), 1, 1
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[r["products_sold_t"] / 1e6 for r in rows],
            name="products sold",
            mode="lines+markers",
            line={"color": "#2c2c2c"},
        ),
        1,
        1,
    )
    fig.add_trace(go.Bar(x=years, y=[r["capex_usd"] / 1e6 for r in rows], name="capital", marker_color="#1f77b4"), 1, 2)
    fig.update_yaxes(title_text="Mt/yr", tickformat=",.1f", row=1, col=1)
    fig.update_yaxes(title_text="USD m", tickformat=",.0f", row=1, col=2)
    fig.update_xaxes(title_text="year", dtick=2)
    fig.update_layout(
        title=f"Plan {label}: output and capital by year",
        template="plotly_white",
        height=380,
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 80},
    )
    return fig


def plan_outputs(result: Any, elapsed_s: float) -> dict[str, Any]:
    from steelworks.planning.summary import yearly_rows
    from steelworks.report.plan import gantt_figure

    rows = yearly_rows(result)
    data = result.to_dict()
    first = next((r["year"] for r in rows if r["crude_steel_t"] > 0), None)
    kpis = [
        ui.kpi(
            "NPV of the plan",
            usd_m(result.npv_usd),
            {
                "plan_years": "evaluate's cash flow on the plan's years, after tax",
                "option_schedule": "evaluate of the option's schedule, after tax",
            }.get(data["economics_basis"], "MILP surrogate"),
            "plan-kpi-npv",
        ),
        *(
            [ui.kpi("On the plan's own years", usd_m(data["npv_on_plan_years_usd"]), "its flows and vintages")]
            if data["economics_basis"] == "option_schedule"
            else []
        ),
        ui.kpi("IRR", "none" if data["irr"] is None else pct(data["irr"]), "real"),
        ui.kpi("Levelised cost", usd_t(data["lcos_usd_per_t"]), "per t product"),
        ui.kpi("Capital", usd_m(float(sum(result.capex_by_year))), "cost-year USD"),
        ui.kpi("First steel", str(first) if first else "never", f"{len(result.actions)} actions"),
    ]
    table = ui.table(
        [
            "year",
            "crude steel, Mt/yr",
            "products sold, Mt/yr",
            "capital, USD m",
            "cash flow, USD m",
            "direct CO2, Mt/yr",
        ],
        [
            [
                r["year"],
                num(r["crude_steel_t"] / 1e6, 2),
                num(r["products_sold_t"] / 1e6, 2),
                num(r["capex_usd"] / 1e6),
                num(r["cash_flow_usd"] / 1e6),
                num(r["co2_t"] / 1e6, 2),
            ]
            for r in rows
        ],
        numeric=[False, True, True, True, True, True],
        table_id="plan-yearly-table",
    )
    gantt = gantt_figure(result)
    gantt.update_xaxes(title_text="year")
    return {
        "kpis": kpis,
        "gantt": gantt,
        "yearly_chart": yearly_figure(rows, result.problem.label),
        "yearly": table,
        "status": f"done: {data['status']}, model {result.size['variables']:,} variables / {result.size['binaries']:,} "
        f"binaries, solved in {elapsed_s:,.1f} s",
        "error": "",
    }


def fix_lines(text: str | None) -> list[str]:
    """The fixed actions typed one a line (``unit:action@YEAR`` forces, ``!unit:action`` forbids)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def plan_view(
    scenario: str,
    mode: str,
    drop: list[str] | None,
    time_limit: float | None,
    progress: Progress | None = None,
    budget_usd_m: float | None = None,
    fixes: str | None = None,
) -> dict[str, Any]:
    """Everything the page shows after 'Load plan', or the planner's message (e.g. no feasible plan)."""
    started = time.perf_counter()
    try:
        result = run_plan(
            scenario,
            mode,
            bool(drop),
            float(time_limit) if time_limit else None,
            progress,
            budget_usd_m=float(budget_usd_m) if budget_usd_m is not None else None,
            fixes=fix_lines(fixes),
        )
    except InputError as exc:
        return {"error": model.message(exc), "status": "stopped: see the message"}
    return plan_outputs(result, time.perf_counter() - started)


PLAN_OUTPUTS = ("kpis", "gantt", "yearly_chart", "yearly", "status", "error")


def frontier_view(
    scenario: str,
    drop: list[str] | None,
    time_limit: float | None,
    low_usd_m: float | None,
    high_usd_m: float | None,
    n: float | None,
    fixes: str | None = None,
    progress: Callable[[int, float], None] | None = None,
    gap: float = 0.02,
) -> dict[str, Any]:
    """The budget frontier as ``steelworks plan SCENARIO --budget-sweep LOW:HIGH:N`` (the chart and table),
    or the planner's message."""
    from steelworks.planning import problem_from_scenario
    from steelworks.planning.frontier import budget_frontier, parse_sweep
    from steelworks.report.plan import frontier_figure

    try:
        if low_usd_m is None or high_usd_m is None or n is None:
            raise InputError("give the lowest and highest budget and the number of points", location="budgets")
        budgets = parse_sweep(f"{float(low_usd_m) * 1e6}:{float(high_usd_m) * 1e6}:{int(n)}", option="budgets")
        problem = problem_from_scenario(scenario)
        if drop:
            problem = problem.without_mandates()
        if fix_lines(fixes):
            problem = problem.apply_fixes(fix_lines(fixes))
        points = budget_frontier(
            problem, budgets, gap=gap, time_limit=float(time_limit) if time_limit else None, progress=progress
        )
    except InputError as exc:
        return {"error": model.message(exc)}
    table = ui.table(
        ["budget, USD m", "NPV (surrogate), USD m", "capital spent, USD m", "first steel", "actions"],
        [
            [
                num(p["budget_usd"] / 1e6),
                "no plan" if p["npv_usd"] is None else num(p["npv_usd"] / 1e6),
                num(p["capex_usd"] / 1e6),
                p["first_steel"] or "-",
                p["actions"],
            ]
            for p in points
        ],
        numeric=[True, True, True, True, False],
        table_id="frontier-points",
    )
    return {
        "chart": frontier_figure(points, f"{scenario}: NPV against the capital budget"),
        "table": table,
        "error": "",
    }


def register(app: Dash, manager: Any) -> None:
    from dash import no_update

    @app.callback(
        Output("plan-kpis", "children"),
        Output("plan-gantt", "figure"),
        Output("plan-yearly-chart", "figure"),
        Output("plan-yearly", "children"),
        Output("plan-status", "children"),
        Output("plan-error", "children"),
        Input("plan-run", "n_clicks"),
        State("plan-scenario", "value"),
        State("plan-mode", "value"),
        State("plan-no-mandates", "value"),
        State("plan-time-limit", "value"),
        State("plan-budget", "value"),
        State("plan-fixes", "value"),
        background=True,
        manager=manager,
        running=[
            (Output("plan-run", "disabled"), True, False),
            (Output("plan-cancel", "disabled"), False, True),
            (Output("plan-progress", "style"), {"display": "inline-block"}, {"display": "none"}),
            (Output("plan-step", "style"), {"display": "inline"}, {"display": "none"}),
        ],
        cancel=[Input("plan-cancel", "n_clicks")],
        progress=[Output("plan-progress", "value"), Output("plan-step", "children")],
        prevent_initial_call=True,
    )
    def _plan(
        set_progress: Callable[..., None],
        n: int,
        scenario: str,
        mode: str,
        drop: list[str],
        limit: float | None,
        budget: float | None,
        fixes: str | None,
    ) -> tuple[Any, ...]:
        def step(k: int, text: str) -> None:
            set_progress((str(k), f"step {k + 1} of {len(STAGES)}: {text} …"))

        out = plan_view(scenario, mode, drop, limit, step, budget, fixes)
        return tuple(out.get(k, no_update) for k in PLAN_OUTPUTS)

    @app.callback(
        Output("frontier-chart", "figure"),
        Output("frontier-table", "children"),
        Output("frontier-error", "children"),
        Input("frontier-run", "n_clicks"),
        State("plan-scenario", "value"),
        State("plan-no-mandates", "value"),
        State("plan-time-limit", "value"),
        State("frontier-low", "value"),
        State("frontier-high", "value"),
        State("frontier-n", "value"),
        State("plan-fixes", "value"),
        background=True,
        manager=manager,
        running=[
            (Output("frontier-run", "disabled"), True, False),
            (Output("frontier-cancel", "disabled"), False, True),
            (Output("frontier-progress", "style"), {"display": "inline-block"}, {"display": "none"}),
        ],
        cancel=[Input("frontier-cancel", "n_clicks")],
        progress=[
            Output("frontier-progress", "value"),
            Output("frontier-progress", "max"),
            Output("frontier-step", "children"),
        ],
        prevent_initial_call=True,
    )
    def _frontier(set_progress, _n, scenario, drop, limit, low, high, count, fixes):
        def step(k: int, budget: float) -> None:
            set_progress((str(k), str(count or 1), f"budget {k + 1} of {count}: USD {budget / 1e6:,.0f} m …"))

        out = frontier_view(scenario, drop, limit, low, high, count, fixes, step)
        return out.get("chart", no_update), out.get("table", no_update), out.get("error", "")
