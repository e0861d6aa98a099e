"""The dashboard in a real browser (Playwright driving Debian's chromium, headless, 1366x768).

Every page loads without console errors; an edit changes a KPI; a refused edit shows the CLI's message
beside its field; the plan loads on the button; the report downloads and opens offline. Screenshots go to
tests/artifacts/ (the README's come from there).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from steelworks.cli import app as cli

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1366, "height": 768}
#: a page is ready when this element is shown
PAGES = {
    "works": ("/", "#kpi-crude-steel"),
    "options": ("/options", "#options-compare-table"),
    "plan": ("/plan", "#plan-run"),
    "risk": ("/risk", "#risk-run"),
    "runs": ("/runs", "#runs-search"),
    "report": ("/report", "#report-download-button"),
}
TIMEOUT_MS = 30_000


class Page:
    """A browser tab that keeps the console errors and uncaught exceptions it saw."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, **context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url: str, ready: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_selector(ready, state="visible")
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def tab(browser: Any) -> Iterator[Page]:
    t = Page(browser, accept_downloads=True)
    yield t
    t.context.close()


def field(page: Any, path: str) -> Any:
    return page.locator(".field", has=page.locator(".path", has_text=re.compile(f"^{re.escape(path)}$")))


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_console_errors(server: str, tab: Page, artifacts: Path, name: str) -> None:
    path, ready = PAGES[name]
    page = tab.open(server + path, ready)
    if name == "works":
        page.wait_for_selector("#works-sankey .sankey")
        page.wait_for_selector("#works-unit-table tr.binding")  # binding units highlighted
    if name == "options":
        page.wait_for_selector("#options-chart .main-svg")
    page.screenshot(path=str(artifacts / f"app-{name}.png"))
    assert tab.errors == []


def test_changing_an_input_changes_the_kpi(server: str, tab: Page, artifacts: Path) -> None:
    page = tab.open(server + "/", "#kpi-crude-steel")
    assert page.text_content("#kpi-crude-steel") == "1.10 Mt/yr"  # psm-bf-revival: target 1.1 Mt/year crude steel
    box = field(page, "target.amount").locator("input")
    box.fill("0.9")
    started = time.perf_counter()
    box.press("Enter")
    page.wait_for_function("document.querySelector('#kpi-crude-steel').textContent === '0.90 Mt/yr'", polling=10)
    elapsed = time.perf_counter() - started
    # edit -> re-solve -> KPI shown, through the browser: well under a second on loopback
    (artifacts / "resolve-in-browser.txt").write_text(f"{elapsed * 1e3:.0f} ms\n")
    assert elapsed < 2.0  # ~0.4 s measured on loopback; the margin is for a loaded 2-core CI machine
    assert "target.amount=0.9 Mt/year" in page.text_content("#works-timing")
    page.screenshot(path=str(artifacts / "app-works-edited.png"))
    assert tab.errors == []


def test_a_bad_edit_shows_the_cli_message_beside_the_field(server: str, tab: Page, artifacts: Path) -> None:
    cli_run = CliRunner().invoke(cli, ["balance", "psm-bf-revival", "--set", "units.bf1.availability=1.5"])
    assert cli_run.exit_code == 2
    expected = " ".join(cli_run.output.split())
    page = tab.open(server + "/", "#kpi-crude-steel")
    the_field = field(page, "units.bf1.availability")
    box = the_field.locator("input")
    box.fill("1.5")
    box.press("Enter")
    error = the_field.locator(".error")
    error.filter(has_text="less than or equal to 1").wait_for()
    assert " ".join(error.text_content().split()) in expected
    assert "error: override: units.bf1.availability: Input should be less than or equal to 1" in expected
    page.screenshot(path=str(artifacts / "app-works-bad-edit.png"))
    # an expression typed into a field is text to the schema, never code
    box.fill("__import__('os').getcwd()")
    box.press("Enter")
    error.filter(has_text="unable to parse string as a number").wait_for()


def test_the_plan_loads_on_the_button(server: str, tab: Page, artifacts: Path) -> None:
    page = tab.open(server + "/plan", "#plan-run")
    page.click("#plan-scenario")
    page.get_by_role("option", name="psm-phased", exact=True).click()
    page.wait_for_selector("#plan-scenario:has-text('psm-phased')")
    page.get_by_label(re.compile("the scenario's option as a fixed plan")).check()
    page.click("#plan-run")
    # psm-phased's own plan priced by evaluate: NPV -2,151 USD m (plan psm-phased --fix-option; -2,165 before issue 8.3)
    page.wait_for_function(
        "document.querySelector('#plan-kpi-npv') && document.querySelector('#plan-kpi-npv').textContent !== ''",
        timeout=90_000,
    )
    assert page.text_content("#plan-kpi-npv") == "USD -2,151 m"
    page.wait_for_selector("#plan-gantt .barlayer")
    page.screenshot(path=str(artifacts / "app-plan.png"), full_page=False)
    assert tab.errors == []


def test_the_report_downloads_and_opens_offline(server: str, tab: Page, artifacts: Path, browser: Any) -> None:
    page = tab.open(server + "/report", "#report-download-button")
    with page.expect_download(timeout=60_000) as info:
        page.click("#report-download-button")
    target = artifacts / "steelworks-report.html"
    info.value.save_as(str(target))
    page.wait_for_selector("#report-status:has-text('downloaded')")
    page.screenshot(path=str(artifacts / "app-report.png"))
    text = target.read_text(encoding="utf-8")
    assert "3. Business case" in text and "Inputs with their sources" in text
    assert not re.search(r"<script[^>]+src=['\"]https?://", text)  # nothing fetched from the internet
    with page.expect_download(timeout=60_000) as book:
        page.click("#report-xlsx-button")
    assert book.value.suggested_filename == "steelworks-psm-bf-revival.xlsx"
    assert book.value.path().read_bytes()[:2] == b"PK"  # a zip: the xlsx container
    offline = Page(browser, offline=True)
    try:
        report = offline.page
        report.goto(target.as_uri())
        report.wait_for_selector(".js-plotly-plot .sankey")
        assert report.title() == "steelworks report: psm-bf-revival"
        report.screenshot(path=str(artifacts / "app-report-file.png"))
        assert offline.errors == []
    finally:
        offline.context.close()
    assert tab.errors == []


def test_switching_the_scenario_rebuilds_the_form_and_the_figures(server: str, tab: Page) -> None:
    page = tab.open(server + "/", "#kpi-crude-steel")
    page.click("#works-scenario")
    page.get_by_role("option", name="psm-one-line", exact=True).click()
    # psm-one-line: one furnace line, 0.59 Mt/yr crude steel (`steelworks compare`); its own target in the form
    page.wait_for_function("document.querySelector('#kpi-crude-steel').textContent === '0.59 Mt/yr'")
    box = field(page, "target.amount").locator("input")
    # the form is rebuilt by its own chain of callbacks (scenario -> picker -> form), which may finish after
    # the KPIs now that a cached solve answers in well under a millisecond: wait for it, then check
    deadline = time.monotonic() + 15
    while box.input_value() != "0.59" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert box.input_value() == "0.59"
    assert page.text_content("#works-error") == ""
    assert tab.errors == []


def test_cancel_stops_a_long_plan(server: str, tab: Page) -> None:
    page = tab.open(server + "/plan", "#plan-run")
    page.click("#plan-run")  # psm-plan, optimised: minutes of MILP
    page.wait_for_selector("#plan-step:has-text('solving the MILP')")
    assert page.is_disabled("#plan-run") and not page.is_disabled("#plan-cancel")
    page.click("#plan-cancel")
    page.wait_for_function("!document.querySelector('#plan-run').disabled", timeout=15_000)
    assert page.is_disabled("#plan-cancel")
    assert page.text_content("#plan-kpis") == ""  # nothing was solved
    assert tab.errors == []


def test_a_risk_run_from_the_page_shows_its_statistics_and_appears_in_runs(
    server: str, tab: Page, artifacts: Path
) -> None:
    page = tab.open(server + "/risk", "#risk-run")
    page.fill("#risk-samples", "40")
    page.click("#risk-run")
    page.wait_for_selector("#risk-stats", timeout=180_000)
    cells = page.locator("#risk-stats tbody tr").first.locator("td").all_text_contents()
    assert cells[0] == "psm-bf-revival" and cells[1] == "40 of 40"
    # the P50 of NPV on the page is the store's (a number in USD m, negative at pk-2025 prices)
    assert float(cells[4].replace(",", "")) < 0
    page.wait_for_selector("#risk-result .js-plotly-plot")
    page.screenshot(path=str(artifacts / "app-risk.png"), full_page=False)
    runs = tab.open(server + "/runs", "#runs-search")
    runs.wait_for_selector("#runs-list")
    assert "psm-bf-revival" in runs.text_content("#runs-list")
    runs.click("#runs-first")
    runs.get_by_role("option").first.click()
    runs.wait_for_function("document.querySelector('#runs-inputs').textContent.includes('psm-default')")
    runs.screenshot(path=str(artifacts / "app-runs.png"), full_page=False)
    assert tab.errors == []
