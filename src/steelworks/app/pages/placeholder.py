"""Risk and Runs: placeholders until the risk engine and the results store are merged."""

from __future__ import annotations

from dash import html

from steelworks.app import components as ui


def layout(page: str) -> html.Div:
    what = {
        "Risk": "start a Monte Carlo run with a progress bar, or open one from the store: histograms and CDFs, "
        "P(NPV > 0), the tornado, Sobol indices and the options on common random numbers",
        "Runs": "every run saved in the store (from the CLI or the app), searchable, with its inputs, a diff "
        "between two runs' inputs, and re-opening any of them",
    }[page]
    return html.Div(
        [
            html.H1(page),
            ui.section(
                "Not available yet: the risk store is not merged",
                html.P(
                    f"This page will {what}. It needs the results store (steelworks.store) and the risk engine "
                    "(steelworks.risk), which are being built in parallel and are not merged into this version. "
                    "Nothing on this page is computed.",
                    className="placeholder",
                    id=f"placeholder-{page.lower()}",
                ),
            ),
        ]
    )
