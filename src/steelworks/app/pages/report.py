"""Report page: download the self-contained HTML report (``steelworks report SCENARIO --html FILE``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.errors import InputError


def layout() -> html.Div:
    names = model.economic_scenarios()
    return html.Div(
        [
            html.H1("Report: take the case away"),
            ui.section(
                "HTML report",
                html.P(
                    "One self-contained file (plotly embedded, nothing fetched from the internet): inputs with their "
                    "sources, the balance, the Sankey, the business case and the comparison with other options. "
                    "Open it offline; print it to PDF from the browser.",
                    className="note",
                ),
                html.Div(
                    [
                        html.Div(
                            [
                                html.Label("Scenario", htmlFor="report-scenario", className="lbl"),
                                dcc.Dropdown(
                                    id="report-scenario",
                                    options=[{"label": n, "value": n} for n in names],
                                    value=model.DEFAULT_SCENARIO,
                                    clearable=False,
                                    style={"width": "240px"},
                                ),
                            ]
                        ),
                        html.Div(
                            [
                                html.Label("Compare with", htmlFor="report-compare", className="lbl"),
                                dcc.Dropdown(
                                    id="report-compare",
                                    options=[{"label": n, "value": n} for n in names],
                                    value=[n for n in model.DEFAULT_OPTIONS if n in names],
                                    multi=True,
                                    style={"minWidth": "420px"},
                                ),
                            ]
                        ),
                        dcc.Checklist(
                            id="report-edits",
                            options=[{"label": "include the Works page's edits (same scenario)", "value": "edits"}],
                            value=["edits"],
                        ),
                        html.Button(
                            "Download HTML report", id="report-download-button", className="primary", n_clicks=0
                        ),
                        html.Button(
                            "Download workbook (xlsx)", id="report-xlsx-button", className="secondary", n_clicks=0
                        ),
                    ],
                    className="controls",
                ),
                ui.error_box("", "report-error"),
                html.Div(id="report-status", className="note"),
                dcc.Download(id="report-download"),
                dcc.Download(id="report-xlsx"),
            ),
        ]
    )


def report_file(
    scenario: str,
    overrides: Sequence[str] = (),
    compare: Sequence[str] = (),
    baseline: str | None = None,
) -> dict[str, Any]:
    """The report as a download (``content``, ``filename``, ``type``), as the CLI writes it."""
    from steelworks.report.html import report_html

    solved = model.solve(scenario, list(overrides))
    if solved.evaluation is None:
        raise InputError(
            f"scenario '{scenario}' has no business case to report",
            location="scenario.economics",
            allowed=", ".join(model.economic_scenarios()),
        )
    others = model.evaluations([n for n in compare if n != scenario])
    risk = _latest_risk(scenario)
    with model.LOCK:
        text = report_html(
            solved.evaluation, others, baseline if baseline in (*compare, scenario) else None, overrides, risk
        )
    return {"content": text, "filename": f"steelworks-{scenario}.html", "type": "text/html"}


def _latest_risk(scenario: str) -> dict[str, Any] | None:
    """The newest completed risk run of the scenario in the store (the Risk page's), if there is one."""
    from steelworks.risk.service import risk_for_report

    try:
        return risk_for_report("latest", scenario)
    except InputError:
        return None


def workbook_file(scenario: str, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """``steelworks evaluate SCENARIO --xlsx FILE`` as a download (base64 content)."""
    import base64
    import tempfile
    from pathlib import Path

    from steelworks.report.params import parameter_rows
    from steelworks.report.xlsx import write_workbook

    solved = model.solve(scenario, list(overrides))
    if solved.evaluation is None:
        raise InputError(
            f"scenario '{scenario}' has no business case to export",
            location="scenario.economics",
            allowed=", ".join(model.economic_scenarios()),
        )
    with tempfile.TemporaryDirectory(prefix="steelworks-xlsx-") as folder:
        path = Path(folder) / "book.xlsx"
        with model.LOCK:
            rows = parameter_rows(solved.balance.scenario)
            write_workbook(solved.economics or {}, solved.balance.report, rows, path)
        data = path.read_bytes()
    return {
        "content": base64.b64encode(data).decode(),
        "filename": f"steelworks-{scenario}.xlsx",
        "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "base64": True,
    }


def _edits(scenario: str, edits: Sequence[str] | None, state: dict[str, Any] | None) -> list[str]:
    if edits and state and state.get("scenario") == scenario:
        return list(state.get("overrides") or [])
    return []


def workbook_view(
    clicks: int | None, scenario: str, edits: Sequence[str] | None, state: dict[str, Any] | None
) -> tuple[Any, str]:
    if not clicks:
        return no_update, ""
    try:
        return workbook_file(scenario, _edits(scenario, edits, state)), ""
    except InputError as exc:
        return no_update, model.message(exc)


def report_view(
    clicks: int | None,
    scenario: str,
    compare: Sequence[str] | None,
    edits: Sequence[str] | None,
    state: dict[str, Any] | None,
) -> tuple[Any, str, str]:
    if not clicks:
        return no_update, "", ""
    overrides = _edits(scenario, edits, state)
    compare = list(compare or [])
    baseline = model.DEFAULT_BASELINE if model.DEFAULT_BASELINE in compare else None
    try:
        file = report_file(scenario, overrides, compare, baseline)
    except InputError as exc:
        return no_update, model.message(exc), ""
    size = len(file["content"].encode())
    note = f" with {len(overrides)} edit(s) from the Works page" if overrides else ""
    return file, "", f"{file['filename']} ({size / 1e6:,.1f} MB){note} downloaded."


def register(app: Dash) -> None:
    @app.callback(
        Output("report-download", "data"),
        Output("report-error", "children"),
        Output("report-status", "children"),
        Input("report-download-button", "n_clicks"),
        State("report-scenario", "value"),
        State("report-compare", "value"),
        State("report-edits", "value"),
        State("works-state", "data"),
        prevent_initial_call=True,
    )
    def _download(
        clicks: int, scenario: str, compare: list[str], edits: list[str], state: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        return report_view(clicks, scenario, compare, edits, state)

    @app.callback(
        Output("report-xlsx", "data"),
        Output("report-error", "children", allow_duplicate=True),
        Input("report-xlsx-button", "n_clicks"),
        State("report-scenario", "value"),
        State("report-edits", "value"),
        State("works-state", "data"),
        prevent_initial_call=True,
    )
    def _xlsx(clicks: int, scenario: str, edits: list[str], state: dict[str, Any] | None) -> tuple[Any, ...]:
        return workbook_view(clicks, scenario, edits, state)
