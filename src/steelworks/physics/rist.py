"""Rist operating diagram of a blast-furnace result, as a plotly figure.

Axes (RIST, process_coefficients 5.1): x = O/(C + H2) of the gas, 0 at the tuyere carbon, 1 for
CO, 2 for CO2; y = O/Fe, negative below the x-axis for the oxygen the blast (y_b) and the
reduction of Si, Mn, P (y_f) supply, positive above for the oxygen taken from the iron oxides
(wüstite 1.05, magnetite 1.333, hematite 1.5). The operating line::

    y = mu x - (y_b + y_f)

runs from E = (0, -(y_b + y_f)) through the direct-reduction point (1, y_d), the shaft-efficiency
point W' = (x_W', y_W) and the top A = (x_top, y_A). Its slope mu is the moles of carbon (plus
hydrogen) per mole of iron. The ideal line through the equilibrium point W = (x_W, y_W) is drawn
dashed for comparison. Only the diagnostics ``rist_*`` of :func:`blast_furnace.solve` are used.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from steelworks.physics.base import Array, PhysicsResult

KEYS = (
    "rist_mu",
    "rist_y_b",
    "rist_y_f",
    "rist_y_a",
    "rist_y_w",
    "rist_x_top",
    "rist_x_w",
    "rist_x_w_eq",
    "rist_y_d",
)


def line_points(diagnostics: Mapping[str, Array], sample: int = 0) -> dict[str, tuple[float, float]]:
    """The named points of the operating line (E, D, W', A and the ideal W) for one sample."""
    d = {k: float(np.ravel(diagnostics[k])[sample]) for k in KEYS}
    y0 = -(d["rist_y_b"] + d["rist_y_f"])
    return {
        "E": (0.0, y0),
        "F": (0.0, -d["rist_y_f"]),
        "D": (1.0, d["rist_mu"] + y0),
        "W'": (d["rist_x_w"], d["rist_y_w"]),
        "W": (d["rist_x_w_eq"], d["rist_y_w"]),
        "A": (d["rist_x_top"], d["rist_y_a"]),
    }


def figure(result: PhysicsResult, *, sample: int = 0, title: str = "Rist operating diagram") -> go.Figure:
    """A plotly figure of the Rist diagram of one sample of a blast-furnace result."""
    missing = [k for k in KEYS if k not in result.diagnostics]
    if missing:
        raise ValueError(f"not a blast-furnace result: diagnostics {missing} missing")
    pts = line_points(result.diagnostics, sample)
    mu = float(np.ravel(result.diagnostics["rist_mu"])[sample])
    x0, y0 = pts["E"]
    xa, ya = pts["A"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[x0, xa],
            y=[y0, ya],
            mode="lines",
            name=f"operating line (mu = {mu:.2f})",
            line={"color": "firebrick", "width": 3},
        )
    )
    xw, yw = pts["W"]
    mu_ideal = (yw - y0) / xw if xw > 0 else mu
    x_ideal_top = (ya - y0) / mu_ideal
    fig.add_trace(
        go.Scatter(
            x=[0.0, x_ideal_top],
            y=[y0, ya],
            mode="lines",
            name="ideal line through W",
            line={"color": "grey", "dash": "dash"},
        )
    )
    names = list(pts)
    fig.add_trace(
        go.Scatter(
            x=[pts[n][0] for n in names],
            y=[pts[n][1] for n in names],
            mode="markers+text",
            text=names,
            textposition="top left",
            name="points",
            marker={"size": 9, "color": "black"},
        )
    )
    for level, label in ((1.05, "FeO"), (1.333, "Fe3O4"), (1.5, "Fe2O3")):
        fig.add_hline(
            y=level,
            line={"color": "lightgrey", "width": 1},
            annotation_text=label,
            annotation_position="right",
        )
    fig.add_vline(x=1.0, line={"color": "lightgrey", "width": 1})
    fig.add_hline(y=0.0, line={"color": "black", "width": 1})
    fig.update_layout(
        title=title,
        xaxis_title="O/(C+H2) of the gas",
        yaxis_title="O/Fe",
        xaxis={"range": [0, 2]},
        template="plotly_white",
    )
    return fig
