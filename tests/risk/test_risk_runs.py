"""Risk runs end to end: the engine's Sobol path on the real chain, Dask equals local, the store,
resume after a kill, and bad input (issue 12)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.risk.analysis import sobol_indices
from steelworks.risk.engine import bind, evaluate_chunk
from steelworks.risk.run import RunSpec
from steelworks.risk.service import run
from steelworks.store import Store

runner = CliRunner()
TWO_PRICES = """
source: "test: two price factors"
parameters:
  prices.iron_ore_fines.price: {dist: uniform, low: 0.5, high: 1.5, apply: factor, source: test}
  prices.coking_coal.price: {dist: uniform, low: 0.5, high: 1.5, apply: factor, source: test}
"""


@pytest.fixture()
def two_prices(tmp_path: Path) -> Path:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_PRICES, encoding="utf-8")
    return path


def test_the_engines_sobol_path_finds_the_analytic_shares_of_a_linear_kpi(tmp_path: Path, two_prices: Path) -> None:
    """The cash cost per t is linear in the purchase prices: with both factors uniform on (0.5, 1.5) the
    first-order index of each is slope_i^2 / (slope_1^2 + slope_2^2), the slopes read off the chain."""
    job = bind("psm-bf-revival", str(two_prices))
    u = np.array([[0.5, 0.5], [1.0, 0.5], [0.0, 0.5], [0.5, 1.0], [0.5, 0.0]]) * (1 - 2e-12) + 1e-12
    cc = evaluate_chunk(job, u).kpis["cash_cost_usd_per_t"]
    slope = np.array([cc[1] - cc[2], cc[3] - cc[4]])
    assert cc[0] == pytest.approx((cc[1] + cc[2]) / 2, rel=1e-9)  # linear indeed
    expected = slope**2 / (slope**2).sum()
    assert 0.1 < expected[0] < 0.9  # both matter: the test can tell them apart
    store = Store(tmp_path / "s.duckdb")
    spec = RunSpec(("psm-bf-revival",), str(two_prices), 256, method="sobol", seed=2, chunk_size=512)
    run_id, summary = run(spec, store, tornado=False)
    cols = store.samples(run_id, "psm-bf-revival", ["sample", "cash_cost_usd_per_t"])
    ix = sobol_indices(job.names, cols["cash_cost_usd_per_t"], seed=2)
    for i, name in enumerate(job.names):
        assert ix[name]["S1"] == pytest.approx(expected[i], abs=max(ix[name]["S1_conf"], 0.02))
        assert ix[name]["ST"] == pytest.approx(expected[i], abs=max(ix[name]["ST_conf"], 0.02))
    assert set(summary["scenarios"]["psm-bf-revival"]["sobol_npv"]) == set(job.names)


def test_two_dask_workers_give_the_numbers_of_one_process(tmp_path: Path) -> None:
    spec = RunSpec(("psm-bf-revival",), "psm-default", 240, seed=9, chunk_size=80)
    local, dist = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    id_a, sum_a = run(spec, local, workers=0, tornado=False)
    id_b, sum_b = run(spec, dist, workers=2, tornado=False)
    a = local.samples(id_a, "psm-bf-revival")
    b = dist.samples(id_b, "psm-bf-revival")
    assert np.array_equal(a["sample"], np.arange(240))
    for key in ("npv_usd", "lcos_usd_per_t", "in:option.capex.overrun.share"):
        assert np.array_equal(a[key], b[key]), key
    assert sum_a["scenarios"] == sum_b["scenarios"]
    assert local.run(id_a).status == "complete"


def test_options_on_common_random_numbers(tmp_path: Path) -> None:
    spec = RunSpec(("psm-bf-revival", "psm-eaf"), "psm-default", 120, seed=4, chunk_size=120)
    store = Store(tmp_path / "c.duckdb")
    run_id, summary = run(spec, store, tornado=False)
    bf = store.samples(run_id, "psm-bf-revival")
    eaf = store.samples(run_id, "psm-eaf")
    # the draws both options have are the same numbers (common random numbers)
    assert np.array_equal(bf["in:prices.*_coil.price"], eaf["in:prices.*_coil.price"])
    pair = summary["comparison"]["psm-bf-revival vs psm-eaf"]
    assert pair["p_a_beats_b"] == pytest.approx(np.mean(bf["npv_usd"] > eaf["npv_usd"]))


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "steelworks", *args]


def test_a_killed_run_keeps_its_chunks_and_resumes_to_the_same_statistics(tmp_path: Path) -> None:
    store_path = tmp_path / "k.duckdb"
    args = ["risk", "psm-bf-revival", "--samples", "1600", "--chunk", "100", "--workers", "0", "--no-tornado",
            "--seed", "5", "--format", "json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    proc = subprocess.Popen(_cli(*args, "--store", str(store_path)), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    chunks = store_path.with_suffix(".chunks")
    deadline = time.time() + 240
    while time.time() < deadline and len(list(chunks.rglob("chunk-*.parquet"))) < 3:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(store_path)
    (record,) = store.runs()
    assert record.status == "incomplete"
    done = store.done_chunks(record.run_id, "psm-bf-revival")
    assert 3 <= len(done) < 16
    kept = store.samples(record.run_id, "psm-bf-revival")  # every chunk file on disk reads whole
    assert len(kept["sample"]) == 100 * len(done)
    again = ["risk", "--resume", record.run_id, "--store", str(store_path), "--workers", "0", "--no-tornado"]
    resumed = subprocess.run(_cli(*again), env=env, capture_output=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    assert store.run(record.run_id).status == "complete"
    fresh = Store(tmp_path / "fresh.duckdb")
    spec = RunSpec(("psm-bf-revival",), "psm-default", 1600, seed=5, chunk_size=100)
    fresh_id, fresh_summary = run(spec, fresh, tornado=False)
    assert np.array_equal(store.samples(record.run_id, "psm-bf-revival")["npv_usd"],
                          fresh.samples(fresh_id, "psm-bf-revival")["npv_usd"])  # fmt: skip
    assert store.run(record.run_id).summary["scenarios"] == fresh_summary["scenarios"]


def test_runs_list_show_and_export(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    res = runner.invoke(app, ["risk", "psm-bf-revival", "-n", "50", "--chunk", "25", "--workers", "0",
                              "--no-tornado", "--store", str(store)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "P(NPV>0)" in res.output
    (record,) = Store(store).runs()
    listed = runner.invoke(app, ["runs", "list", "--store", str(store)])
    assert record.run_id in listed.output and "complete" in listed.output
    shown = runner.invoke(app, ["runs", "show", record.run_id, "--store", str(store)])
    assert shown.exit_code == 0 and "psm-default" in shown.output
    out = tmp_path / "export"
    exported = runner.invoke(app, ["runs", "export", record.run_id, "--parquet", str(out), "--store", str(store)])
    assert exported.exit_code == 0, exported.output
    import duckdb

    row = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out.as_posix()}/*.parquet')").fetchone()
    assert row is not None and row[0] == 50


BAD = {
    "negative sd": ("prices.hot_rolled_coil.price: {dist: normal, mean: 1, sd: -0.1, apply: factor, source: test}",
                    "greater than 0"),
    "low above high": ("option.capex.overrun.share: {dist: uniform, low: 0.5, high: 0.1, source: test}", "below high"),
    "unknown path": ("prices.unobtainium.price: {dist: uniform, low: 0.5, high: 1.5, apply: factor, source: test}",
                     "not a parameter"),
    "continuous grouped": ("option.ramp_up.steady_state: {dist: uniform, low: 0.7, high: 0.9, source: test}",
                           "discrete"),
    "price as value": ("prices.hot_rolled_coil.price: {dist: uniform, low: 500, high: 700, source: test}", "factor"),
    "idle unit": ("units.bf3.model.params.heat_losses: {dist: uniform, low: 0.5, high: 1.0, source: test}",
                  "no effect"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_uncertainty_files_exit_2_with_their_message(tmp_path: Path, case: str) -> None:
    entry, needle = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(f"source: test\nparameters:\n  {entry}\n", encoding="utf-8")
    res = runner.invoke(app, ["risk", "psm-bf-revival", "-n", "10", "--workers", "0", "--uncertainty", str(path),
                              "--store", str(tmp_path / "x.duckdb")])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert needle in res.output, res.output
    assert "Traceback" not in res.output


def test_a_correlation_matrix_no_variables_can_have_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "psd.yaml"
    entries = "\n".join(
        f"  prices.{c}.price: {{dist: uniform, low: 0.5, high: 1.5, apply: factor, source: test}}"
        for c in ("hot_rolled_coil", "iron_ore_fines", "coking_coal")
    )
    pairs = [("hot_rolled_coil", "iron_ore_fines", 0.9), ("hot_rolled_coil", "coking_coal", 0.9),
             ("iron_ore_fines", "coking_coal", -0.9)]  # fmt: skip
    corr = "\n".join(
        f"  - {{between: [prices.{a}.price, prices.{b}.price], rank: {r}, source: test}}" for a, b, r in pairs
    )
    path.write_text(f"source: test\nparameters:\n{entries}\ncorrelations:\n{corr}\n", encoding="utf-8")
    res = runner.invoke(app, ["risk", "psm-bf-revival", "-n", "10", "--uncertainty", str(path), "--workers", "0"])
    assert res.exit_code == 2 and "positive semi-definite" in res.output, res.output


@pytest.mark.parametrize(("args", "needle"), [
    (["-n", "0"], "--samples"), (["-n", "ten"], "not a sample count"),
    (["-n", "100", "--method", "sobol"], "power of two"), (["--uncertainty", "nonesuch"], "no bundled"),
])  # fmt: skip
def test_bad_options_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    res = runner.invoke(app, ["risk", "psm-bf-revival", "--workers", "0", "--store", str(tmp_path / "s.duckdb"), *args])
    assert res.exit_code == 2 and needle in res.output, res.output


def test_a_price_the_works_does_not_trade_fails_before_a_run_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "dr.yaml"
    path.write_text(
        "source: test\nparameters:\n  prices.dr_pellets.price: {dist: uniform, low: 0.5, high: 1.5, apply: factor, "
        "source: test}\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["risk", "psm-bf-revival", "-n", "10", "--workers", "0", "--uncertainty", str(path),
                              "--store", str(store)])  # fmt: skip
    assert res.exit_code == 2 and "cannot be sampled" in res.output, res.output
    assert Store(store).runs() == []
    # the same entry in a file shared by several works is skipped, with its effect nil and the run recorded
    path.write_text(path.read_text(encoding="utf-8") + "skip_without_effect: true\n", encoding="utf-8")
    res = runner.invoke(app, ["risk", "psm-bf-revival", "-n", "10", "--workers", "0", "--uncertainty", str(path),
                              "--store", str(store), "--no-tornado", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert len(Store(store).runs()) == 1


def test_yearly_cash_flows_on_request_sum_to_the_npv(tmp_path: Path) -> None:
    """With --cash-flows each sample keeps its yearly unlevered after-tax cash flow; discounted at the
    scenario's nominal rate to the first year and deflated to the deck's cost year (2025: two years of 2 %
    inflation before 2027) they give back the sample's NPV (the terminal value is in the last year)."""
    from steelworks.api import run_evaluation

    spec = RunSpec(("psm-bf-revival",), "psm-default", 30, seed=3, chunk_size=30, cash_flows=True)
    store = Store(tmp_path / "f.duckdb")
    run_id, summary = run(spec, store, tornado=False)
    cols = store.samples(run_id, "psm-bf-revival")
    years = sorted(int(k.split(":")[1]) for k in cols if k.startswith("fcf_nominal_usd:"))
    assert len(years) == 30 and years[0] == 2027
    base = run_evaluation("psm-bf-revival").to_dict()
    real, inflation = 0.10, 0.02  # finance.yaml: 10 % real, 2 % inflation
    assert "in:finance.discount_rate.value" not in cols  # the default file keeps the rate fixed
    nominal = (1 + real) * (1 + inflation) - 1
    for s in range(5):
        fcf = np.array([cols[f"fcf_nominal_usd:{y}"][s] for y in years])
        pv = float((fcf / (1 + nominal) ** np.arange(len(years))).sum()) / (1 + inflation) ** 2
        assert pv == pytest.approx(cols["npv_usd"][s], rel=1e-9)
    assert base["kpis"]["npv_usd"] != pytest.approx(cols["npv_usd"][0], rel=1e-6)  # the samples moved
    fan = summary["scenarios"]["psm-bf-revival"]["cash_flow_fan"]
    assert [p["year"] for p in fan] == years and all(p["p10"] <= p["p50"] <= p["p90"] for p in fan)


def test_the_report_takes_the_latest_risk_run_of_its_scenario(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    out = tmp_path / "report.html"
    missing = runner.invoke(app, ["report", "psm-bf-revival", "--html", str(out), "--risk", "latest",
                                  "--store", str(store)])  # fmt: skip
    assert missing.exit_code == 2 and "no completed risk run" in missing.output
    run_id, summary = run(RunSpec(("psm-bf-revival",), "psm-default", 40, seed=2, chunk_size=40), Store(store))
    res = runner.invoke(
        app, ["report", "psm-bf-revival", "--html", str(out), "--risk", "latest", "--store", str(store)]
    )
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "7. Risk" in text and run_id in text
    p50 = summary["scenarios"]["psm-bf-revival"]["npv"]["p50"] / 1e6
    assert f"{p50:,.0f}" in text  # the store's P50, as the report prints it


def test_a_run_on_an_existing_scheduler_gives_the_local_numbers(tmp_path: Path) -> None:
    """`--scheduler tcp://host:port`: the same job on a cluster someone else started (here a one-worker
    cluster on loopback) equals the run in this process."""
    from distributed import LocalCluster

    spec = RunSpec(("psm-eaf",), "psm-default", 60, seed=11, chunk_size=30)
    local = Store(tmp_path / "l.duckdb")
    id_l, _ = run(spec, local, workers=0, tornado=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        remote = Store(tmp_path / "r.duckdb")
        id_r, _ = run(spec, remote, scheduler=cluster.scheduler_address, tornado=False)
    a, b = local.samples(id_l, "psm-eaf"), remote.samples(id_r, "psm-eaf")
    assert np.array_equal(a["npv_usd"], b["npv_usd"]) and np.ptp(a["npv_usd"]) > 0


def test_an_unreachable_scheduler_is_a_clear_message(tmp_path: Path) -> None:
    res = runner.invoke(app, ["risk", "psm-eaf", "-n", "10", "--scheduler", "tcp://127.0.0.1:9", "--store",
                              str(tmp_path / "s.duckdb")])  # fmt: skip
    assert res.exit_code == 2 and "cannot reach the scheduler" in res.output, res.output
    assert Store(tmp_path / "s.duckdb").runs() == []  # no incomplete run left behind
