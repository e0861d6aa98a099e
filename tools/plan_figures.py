"""Render a plan's Gantt chart to PNG for the README (not in CI): the plotly figure ``steelworks plan
--gantt`` writes, drawn by Debian's chromium through Playwright.

    python tools/plan_figures.py psm-plan psm-plan-best docs/img/psm-plan-gantt.png
    python tools/plan_figures.py --html plan-frontier.html docs/img/psm-plan-frontier.png   # any plotly page
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def screenshot(html: Path, out: Path) -> None:
    """A PNG of a written plotly page (e.g. ``steelworks plan --budget-sweep ... --frontier FILE``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 700})
        page.goto(html.resolve().as_uri())
        page.wait_for_selector(".main-svg")
        page.screenshot(path=str(out), full_page=True)
        browser.close()


def main(scenario: str, plan: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from steelworks.planning.economics import price, solve_plan_file
    from steelworks.report.plan import gantt_figure, write_figure_html

    solved, spec, _path = solve_plan_file(plan)
    if spec.scenario != scenario:
        raise SystemExit(f"the plan {plan} is for scenario {spec.scenario}, not {scenario}")
    result = price(solved)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "gantt.html"
        write_figure_html(gantt_figure(result), html, "--gantt")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(html.as_uri())
            page.wait_for_selector(".barlayer")
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    print(f"{out}: {len(result.actions)} actions, NPV {result.npv_usd / 1e6:,.0f} M USD")


if __name__ == "__main__":
    if sys.argv[1] == "--html":
        screenshot(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
