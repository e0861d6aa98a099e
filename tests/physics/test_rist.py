"""Rist diagram figure from a blast-furnace result."""

import plotly.graph_objects as go
import pytest

from steelworks.physics import MODELS
from steelworks.physics.rist import figure, line_points


def test_rist_figure(carriers):
    result = MODELS["blast_furnace"].recipe({}, carriers)
    fig = figure(result)
    assert isinstance(fig, go.Figure)
    pts = line_points(result.diagnostics)
    # wüstite at O/Fe 1.05, the top at the burden O/Fe (sinter with FeO + hematite lump: 1.4-1.5)
    assert pts["W'"][1] == pytest.approx(1.05)
    assert 1.35 < pts["A"][1] < 1.5
    # the gas reaches CO2/(CO+CO2) ~0.45 at the top: x between 1.2 and 1.6
    assert 1.2 < pts["A"][0] < 1.6
    assert pts["E"][1] < -1.0  # blast + Si/Mn/P oxygen below the axis


def test_rist_needs_bf_result(carriers):
    with pytest.raises(ValueError, match="blast-furnace"):
        figure(MODELS["eaf"].recipe({}, carriers))
