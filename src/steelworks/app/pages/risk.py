"""Risk page: start a risk run (a background callback with progress and cancel) or open one from the
results store; show P(NPV > 0), P10/P50/P90, histograms and CDFs, the tornado, Sobol bars and the
options on common random numbers.

``start_run`` and ``run_view`` are the plain functions behind the page (tested without a browser); the
figures are :mod:`steelworks.report.risk`'s, the numbers the store's — the page computes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dash import Dash, Input, Output, State, dcc, html

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.app.fmt import num, pct
from steelworks.errors import InputError

#: most samples a run started from the page may have (larger runs: the CLI, on a cluster)
MAX_APP_SAMPLES = 100_000
Progress = Callable[[int, int], None]


def store() -> Any:
    from steelworks.store import Store

    return Store()  # $STEELWORKS_STORE or the user's data directory, as the CLI


def uncertainty_files() -> list[str]:
    from steelworks.risk.engine import DATA_DIR

    return sorted(p.stem for p in Path(DATA_DIR).glob("*.yaml"))


def completed_runs() -> list[dict[str, str]]:
    try:
        records = store().runs()
    except InputError:
        return []
    return [
        {"label": f"{r.run_id} — {', '.join(r.scenarios)} ({r.method}, {r.n_samples:,})", "value": r.run_id}
        for r in reversed(records)
        if r.status == "complete"
    ]


def layout() -> html.Div:
    options = model.risk_targets()
    runs = completed_runs()
    return html.Div(
        [
            html.H1("Risk: how likely is each option to pay back, and what drives it"),
            html.Div(
                [
                    _field(
                        "Options or plans (several: compared on common random numbers)",
                        dcc.Dropdown(
                            id="risk-scenarios",
                            options=[{"label": n, "value": n} for n in options],
                            value=[model.DEFAULT_SCENARIO],
                            multi=True,
                            style={"width": "360px"},
                        ),
                    ),
                    _field(
                        "Uncertainty file",
                        dcc.Dropdown(
                            id="risk-uncertainty",
                            options=[{"label": n, "value": n} for n in uncertainty_files()],
                            value="psm-default",
                            clearable=False,
                            style={"width": "200px"},
                        ),
                    ),
                    _field(
                        "Samples",
                        dcc.Input(id="risk-samples", type="number", min=1, max=MAX_APP_SAMPLES, step=1, value=1000),
                    ),
                    _field(
                        "Method",
                        dcc.RadioItems(
                            id="risk-method",
                            value="mc",
                            options=[
                                {"label": "Monte Carlo", "value": "mc"},
                                {"label": "Latin hypercube", "value": "lhs"},
                                {"label": "Sobol (samples: a power of 2)", "value": "sobol"},
                            ],
                        ),
                    ),
                    _field("Seed", dcc.Input(id="risk-seed", type="number", min=0, step=1, value=1)),
                    _field(
                        "Run on",
                        dcc.RadioItems(
                            id="risk-workers",
                            value=0,
                            options=[
                                {"label": "this server process", "value": 0},
                                {"label": "a local Dask cluster of 2 workers", "value": 2},
                            ],
                        ),
                    ),
                    html.Div(
                        [
                            html.Button("Start run", id="risk-run", className="primary", n_clicks=0),
                            " ",
                            html.Button("Cancel", id="risk-cancel", className="secondary", disabled=True),
                        ]
                    ),
                ],
                className="controls card",
            ),
            html.Div(
                [
                    html.Progress(id="risk-progress", value="0", max="1", style={"display": "none"}),
                    html.Span(id="risk-step", className="note", style={"display": "none"}),
                    _field(
                        "or open a run from the store",
                        dcc.Dropdown(
                            id="risk-open",
                            options=runs,
                            value=None,
                            placeholder="a completed run",
                            style={"width": "560px"},
                        ),
                    ),
                ],
                className="card",
            ),
            ui.error_box("", "risk-error"),
            html.Div(
                id="risk-result",
                children=html.P(
                    "No run shown yet: start one (1,000 samples take ~5-10 s here) or open one.", className="note"
                ),
            ),
        ]
    )


def _field(label: str, control: Any) -> html.Div:
    return html.Div([html.Label(label, className="lbl"), control])


def start_run(
    scenarios: list[str] | None,
    uncertainty: str,
    samples: float | None,
    method: str,
    seed: float | None,
    progress: Progress | None = None,
    workers: int = 0,
) -> str:
    """Run the risk engine into the store, in this process or on a local Dask cluster of ``workers``
    processes (as ``steelworks risk --workers N``); the run id."""
    from steelworks.risk.run import RunSpec
    from steelworks.risk.service import run

    names = list(scenarios or [])
    if not names:
        raise InputError("pick at least one option", location="Options", allowed="a bundled scenario")
    if samples is None or not 1 <= float(samples) <= MAX_APP_SAMPLES or float(samples) != int(samples):
        raise InputError(
            f"{samples} samples", location="Samples", allowed=f"a whole number, 1 to {MAX_APP_SAMPLES:,} in the app"
        )
    spec = RunSpec(
        scenarios=tuple(names),
        uncertainty=uncertainty,
        samples=int(samples),
        method=method,  # type: ignore[arg-type]
        seed=int(seed or 0),
        chunk_size=500,
    )
    done = [0, 1]

    def on_start(run_id: str, total: int) -> None:
        done[1] = max(total, 1)

    def advance(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], done[1])

    # the page runs this in a background callback's own process, so it holds no lock of the web server's
    run_id, _summary = run(spec, store(), workers=int(workers or 0), progress=advance, on_start=on_start)
    return run_id


def run_view(run_id: str) -> list[Any]:
    """What the page shows of a stored run: the statistics, the figures, the comparison."""
    from steelworks.report.risk import npv_cdf, npv_histogram, sobol_figure, statistics_rows, tornado_figure

    st = store()
    record = st.run(run_id)
    summary = record.summary
    if summary is None:
        return [html.P(f"Run {run_id} is {record.status}: finish it with `steelworks risk --resume {run_id}`.")]
    npv = {s: st.samples(run_id, s, ["npv_usd"])["npv_usd"] for s in summary["scenarios"]}
    rows = statistics_rows(summary)
    table = ui.table(
        [
            "option",
            "feasible samples",
            "P(NPV > 0)",
            "NPV P10, USD m",
            "NPV P50, USD m",
            "NPV P90, USD m",
            "ES10, USD m",
            "LCOS P10, USD/t",
            "LCOS P50, USD/t",
            "LCOS P90, USD/t",
        ],
        [
            [
                r["scenario"],
                f"{r['feasible']:,} of {r['samples']:,}",
                pct(r["p_npv_positive"]),
                num(r["npv_p10_musd"]),
                num(r["npv_p50_musd"]),
                num(r["npv_p90_musd"]),
                num(r["npv_es10_musd"]),
                num(r["lcos_p10"]),
                num(r["lcos_p50"]),
                num(r["lcos_p90"]),
            ]
            for r in rows
        ],
        table_id="risk-stats",
        numeric=[False, *([True] * 9)],
    )
    spec = summary["spec"]
    parts: list[Any] = [
        ui.section(
            f"Run {run_id}",
            table,
            note=f"{summary['rows']:,} draws ({spec['method']}, seed {spec['seed']}, "
            f"uncertainty {spec['uncertainty']})",
        ),
        ui.section("Distribution of NPV", dcc.Graph(figure=npv_histogram(npv)), dcc.Graph(figure=npv_cdf(npv))),
    ]
    for name, block in summary["scenarios"].items():
        if block.get("sobol_npv"):
            parts.append(
                ui.section(f"{name}: what drives NPV", dcc.Graph(figure=sobol_figure(block["sobol_npv"], name)))
            )
        if block.get("tornado_npv"):
            parts.append(ui.section(f"{name}: tornado", dcc.Graph(figure=tornado_figure(block["tornado_npv"], name))))
        if block.get("entries_held_for_a_plan"):
            held = ", ".join(block["entries_held_for_a_plan"])
            parts.append(html.P(f"{name}: held at their values (a plan's flows are fixed): {held}", className="note"))
        if block.get("entries_without_effect"):
            parts.append(
                html.P(f"{name}: without effect here: {', '.join(block['entries_without_effect'])}", className="note")
            )
    pairs = summary.get("comparison") or {}
    if pairs:
        parts.append(
            ui.section(
                "Options on common random numbers",
                ui.table(
                    ["pair", "P(first beats second)", "mean NPV difference, USD m", "P10, USD m", "P90, USD m"],
                    [
                        [
                            pair,
                            pct(b.get("p_a_beats_b")),
                            num(b.get("mean_difference_usd", float("nan")) / 1e6),
                            num(b.get("p10_difference_usd", float("nan")) / 1e6),
                            num(b.get("p90_difference_usd", float("nan")) / 1e6),
                        ]
                        for pair, b in pairs.items()
                    ],
                    table_id="risk-pairs",
                ),
            )
        )
    return parts


def register(app: Dash, manager: Any) -> None:
    @app.callback(
        Output("risk-result", "children"),
        Output("risk-error", "children"),
        Output("risk-open", "options"),
        Input("risk-run", "n_clicks"),
        State("risk-scenarios", "value"),
        State("risk-uncertainty", "value"),
        State("risk-samples", "value"),
        State("risk-method", "value"),
        State("risk-seed", "value"),
        State("risk-workers", "value"),
        background=True,
        manager=manager,
        running=[
            (Output("risk-run", "disabled"), True, False),
            (Output("risk-cancel", "disabled"), False, True),
            (Output("risk-progress", "style"), {"display": "inline-block"}, {"display": "none"}),
            (Output("risk-step", "style"), {"display": "inline"}, {"display": "none"}),
        ],
        cancel=[Input("risk-cancel", "n_clicks")],
        progress=[Output("risk-progress", "value"), Output("risk-progress", "max"), Output("risk-step", "children")],
        prevent_initial_call=True,
    )
    def _run(set_progress, _n, scenarios, uncertainty, samples, method, seed, workers):
        def progress(done: int, total: int) -> None:
            set_progress((str(done), str(total), f"{done:,} of {total:,} samples"))

        try:
            run_id = start_run(scenarios, uncertainty, samples, method, seed, progress, workers)
        except InputError as exc:
            from dash import no_update

            return no_update, model.message(exc), no_update
        return run_view(run_id), "", completed_runs()

    @app.callback(
        Output("risk-result", "children", allow_duplicate=True),
        Output("risk-error", "children", allow_duplicate=True),
        Input("risk-open", "value"),
        prevent_initial_call=True,
    )
    def _open(run_id: str | None) -> tuple[Any, str]:
        from dash import no_update

        if not run_id:
            return no_update, ""
        try:
            return run_view(run_id), ""
        except InputError as exc:
            return no_update, model.message(exc)
