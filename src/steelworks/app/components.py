"""Small building blocks of the pages: a table with units in its headers, KPI cards, a page frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    numeric: Sequence[bool] | None = None,
    highlight: Sequence[bool] | None = None,
    table_id: str | None = None,
    caption: str | None = None,
) -> html.Table:
    """A plain HTML table; numeric columns align right, highlighted rows carry the class ``binding``."""
    numeric = numeric if numeric is not None else [i > 0 for i in range(len(columns))]
    head = html.Thead(
        html.Tr([html.Th(c, className="num" if n else None) for c, n in zip(columns, numeric, strict=True)])
    )
    body = []
    for r, row in enumerate(rows):
        cls = "binding" if highlight is not None and highlight[r] else None
        body.append(
            html.Tr(
                [html.Td(str(v), className="num" if n else None) for v, n in zip(row, numeric, strict=True)],
                className=cls,
            )
        )
    parts: list[Any] = [html.Caption(caption)] if caption else []
    kwargs: dict[str, Any] = {"id": table_id} if table_id else {}
    return html.Table([*parts, head, html.Tbody(body)], className="data", **kwargs)


def kpi(label: str, value: str, note: str = "", card_id: str | None = None) -> html.Div:
    kwargs: dict[str, Any] = {"id": card_id} if card_id else {}
    return html.Div(
        [
            html.Div(label, className="kpi-label"),
            html.Div(value, className="kpi-value", **kwargs),
            html.Div(note, className="kpi-note"),
        ],
        className="kpi",
    )


def section(title: str, *children: Any, note: str = "") -> html.Section:
    parts: list[Any] = [html.H2(title)]
    if note:
        parts.append(html.P(note, className="note"))
    return html.Section([*parts, *children], className="card")


def error_box(text: str, box_id: str | None = None) -> html.Div:
    kwargs: dict[str, Any] = {"id": box_id} if box_id else {}
    return html.Div(text, className="error", **kwargs)
