"""The self-contained HTML report (report/html.py): the figures are evaluate's, the file needs nothing online."""

from __future__ import annotations

import re
from pathlib import Path

from steelworks.api import run_evaluation
from steelworks.report.html import report_html, write_report_html


def test_the_report_shows_evaluate_figures_and_the_edits(tmp_path: Path) -> None:
    ev = run_evaluation("psm-bf-revival", ["units.bf1.availability=0.9"])
    base = run_evaluation("psm-mothballed")
    text = report_html(ev, [base], "psm-mothballed", ["units.bf1.availability=0.9"])
    k = ev.to_dict()["kpis"]
    assert f"USD {k['npv_usd'] / 1e6:,.0f} m" in text  # the NPV card, as `steelworks evaluate` prints it
    assert f"USD {k['cash_cost_usd_per_t']:,.0f}/t" in text
    # NPV vs baseline: the difference of the two NPVs
    diff = (k["npv_usd"] - base.to_dict()["kpis"]["npv_usd"]) / 1e6
    assert f"NPV vs psm-mothballed, USD m</td><td class='n'>{diff:,.0f}</td>" in text
    assert "units.bf1.availability *" in text  # the override marked among the inputs
    # key figures, balance, case, flows, plan, comparison, inputs (and the risk run with --risk)
    assert text.count("<section>") == 7
    # plotly.js embedded: no script or stylesheet is fetched, so the file opens offline
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", text)
    out = write_report_html(tmp_path / "r.html", ev)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_text_from_the_data_is_escaped() -> None:
    from steelworks.report.html import _table

    # a source or description is text, never markup
    cell = _table(["source"], [["<script>alert(1)</script> & [S49]"]], [False])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [S49]" in cell and "<script>" not in cell
