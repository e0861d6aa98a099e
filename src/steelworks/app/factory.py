"""The app factory: layout frame, navigation by URL, one module per page, the background-callback manager."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from dash import Dash, DiskcacheManager, Input, Output, dcc, html

from steelworks.app.pages import options, plan, report, risk, runs, works

PAGES = (
    ("/", "Works"),
    ("/options", "Options"),
    ("/plan", "Plan"),
    ("/risk", "Risk"),
    ("/runs", "Runs"),
    ("/report", "Report"),
)
ASSETS = Path(__file__).parent / "assets"


def page_layout(pathname: str | None) -> Any:
    """The page for a URL path (unknown paths show the Works page)."""
    path = (pathname or "/").rstrip("/") or "/"
    if path == "/options":
        return options.layout()
    if path == "/plan":
        return plan.layout()
    if path == "/risk":
        return risk.layout()
    if path == "/runs":
        return runs.layout()
    if path == "/report":
        return report.layout()
    return works.layout()


def nav(pathname: str | None) -> list[Any]:
    path = (pathname or "/").rstrip("/") or "/"
    return [dcc.Link(name, href=href, className="active" if href == path else "") for href, name in PAGES]


def create_app(cache_dir: str | Path | None = None) -> Dash:
    """A Dash app of the dashboard. ``cache_dir``: where the background callbacks (the planner) keep
    their jobs (a fresh temporary folder by default)."""
    import diskcache

    folder = Path(cache_dir) if cache_dir is not None else Path(tempfile.mkdtemp(prefix="steelworks-app-"))
    manager = DiskcacheManager(diskcache.Cache(str(folder)))
    app = Dash(
        __name__,
        title="steelworks",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        background_callback_manager=manager,
        serve_locally=True,
    )
    app.layout = html.Div(
        [
            dcc.Location(id="url"),
            dcc.Store(id="works-state", storage_type="session"),
            html.Header([html.Div("steelworks", className="brand"), html.Nav(id="nav")], className="top"),
            html.Main(id="page"),
        ]
    )

    @app.callback(Output("page", "children"), Output("nav", "children"), Input("url", "pathname"))
    def _route(pathname: str | None) -> tuple[Any, Any]:
        return page_layout(pathname), nav(pathname)

    works.register(app)
    options.register(app)
    plan.register(app, manager)
    risk.register(app, manager)
    runs.register(app)
    report.register(app)
    return app
