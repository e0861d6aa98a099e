"""Runs page: every run in the results store (from the CLI or the app), searchable, with its inputs, a
diff between two runs' inputs, and any run re-opened with the Risk page's view."""

from __future__ import annotations

import difflib
import json
from typing import Any

from dash import Dash, Input, Output, dcc, html

from steelworks.app import components as ui
from steelworks.app import model
from steelworks.app.pages import risk
from steelworks.errors import InputError


def run_rows(query: str | None = None) -> list[list[str]]:
    """One row per run, newest first, those whose id, scenarios, uncertainty, method or status hold ``query``."""
    try:
        records = risk.store().runs()
    except InputError:
        return []
    q = (query or "").strip().lower()
    rows = []
    for r in reversed(records):
        row = [
            r.run_id,
            r.status,
            ", ".join(r.scenarios),
            r.uncertainty,
            r.method,
            f"{r.n_samples:,}",
            str(r.seed),
            r.created[:19],
        ]
        if not q or any(q in cell.lower() for cell in row):
            rows.append(row)
    return rows


def inputs_text(run_id: str) -> str:
    """A run's inputs as text a reader (and a diff) can follow: the spec, overrides, versions, the file."""
    r = risk.store().run(run_id)
    head = {
        "scenarios": r.scenarios,
        "uncertainty": r.uncertainty,
        "method": r.method,
        "seed": r.seed,
        "samples": r.n_samples,
        "chunk_size": r.chunk_size,
        "overrides": r.inputs.get("overrides", []),
        "cash_flows": r.inputs.get("cash_flows", False),
        "hashes": r.hashes,
        "versions": r.versions,
    }
    return (
        json.dumps(head, indent=1, sort_keys=True)
        + "\n--- uncertainty file ---\n"
        + str(r.inputs.get("uncertainty_text", ""))
    )


def inputs_diff(first: str, second: str) -> str:
    """A unified diff of two runs' inputs ('' when they are the same)."""
    a, b = inputs_text(first).splitlines(), inputs_text(second).splitlines()
    return "\n".join(difflib.unified_diff(a, b, fromfile=first, tofile=second, lineterm="", n=1))


def layout() -> html.Div:
    rows = run_rows()
    ids = [{"label": r[0], "value": r[0]} for r in rows]
    return html.Div(
        [
            html.H1("Runs in the results store"),
            html.P(f"Store: {risk.store().path}", className="note"),
            html.Div(
                [
                    html.Label(
                        "Search (id, option, uncertainty, method, status)", className="lbl", htmlFor="runs-search"
                    ),
                    dcc.Input(id="runs-search", type="text", debounce=True, placeholder="e.g. psm-eaf"),
                ],
                className="controls card",
            ),
            html.Div(id="runs-table", children=_table(rows)),
            ui.section(
                "Inputs of a run, or the difference between two",
                html.Div(
                    [
                        dcc.Dropdown(id="runs-first", options=ids, placeholder="a run", style={"width": "300px"}),
                        dcc.Dropdown(
                            id="runs-second",
                            options=ids,
                            placeholder="another run (for a diff)",
                            style={"width": "300px"},
                        ),
                    ],
                    className="controls",
                ),
                html.Pre(id="runs-inputs", className="scroll"),
            ),
            ui.error_box("", "runs-error"),
            html.Div(id="runs-view"),
        ]
    )


def _table(rows: list[list[str]]) -> Any:
    if not rows:
        return html.P(
            "No runs yet: start one on the Risk page or with `steelworks risk`.", className="note", id="runs-empty"
        )
    return ui.table(
        ["run", "status", "options", "uncertainty", "method", "samples", "seed", "started (UTC)"],
        rows,
        numeric=[False, False, False, False, False, True, True, False],
        table_id="runs-list",
    )


def register(app: Dash) -> None:
    @app.callback(Output("runs-table", "children"), Input("runs-search", "value"), prevent_initial_call=True)
    def _search(query: str | None) -> Any:
        return _table(run_rows(query))

    @app.callback(
        Output("runs-inputs", "children"),
        Output("runs-view", "children"),
        Output("runs-error", "children"),
        Input("runs-first", "value"),
        Input("runs-second", "value"),
        prevent_initial_call=True,
    )
    def _show(first: str | None, second: str | None) -> tuple[str, Any, str]:
        if not first:
            return "", [], ""
        try:
            if second and second != first:
                diff = inputs_diff(first, second)
                return diff or "The two runs have the same inputs.", [], ""
            return inputs_text(first), risk.run_view(first), ""
        except InputError as exc:
            return "", [], model.message(exc)
