"""Single runs as a user meets them: warm run_balance / run_evaluation in process, and the cold command.

Run:  python benchmarks/bench_single_run.py [--runs N] [--peer PATH_TO_FORGE_CHECKOUT]

Prints, for ``psm``:

* warm ``run_balance("psm")`` and ``run_evaluation("psm")``: median and best CPU time of N calls
  after a warm-up call (the same process: files parsed, conversions, physics results and the solved
  works kept by the API);
* warm ``run_balance`` and ``run_evaluation`` with a physics parameter that changes on every call
  (the blast furnaces' blower power), so that nothing of the works is reused from the API's cache
  and the physics models run each time: what a sensitivity sweep or a new value in the dashboard
  pays (the plain warm figures repeat one call, which the cache answers);
* cold ``steelworks balance psm --format json`` as a fresh process: median CPU (user + sys) and
  wall time, once with the on-disk caches of unit conversions and YAML parses (every run after the
  first) and once without them (``STEELWORKS_NO_UNIT_CACHE=1 STEELWORKS_NO_PARSE_CACHE=1``: the very
  first run, pint builds its registry and every file is parsed).

With ``--peer`` the peer tool FORGE (its BF-BOF coal route, the validation stage, Brazil's grid; a
checkout of github.com/rafaelmosquim/forge with its requirements installed) is timed the same way:
``run_scenario`` warm in process and its batch command cold. Without it the peer's figures quoted
in issue 7 are printed, marked as such.

The machine is shared: quote medians, and compare figures taken in one sitting.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

#: the peer's figures as issue 7 quotes them (measured on this kind of machine by the issue's author)
PEER_FROM_ISSUE = {"warm_ms": 89.6, "cold_cpu_s": 0.41}
TARGETS = {"balance_ms": 2.0, "evaluation_ms": 4.0, "cold_cpu_s": 0.25}


def warm(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and best CPU time in ms of ``runs`` calls after one warm-up call.

    CPU time of this process (not wall time): on a shared machine it does not count the time the
    process waits for a core, so it is the steadier figure; with a core to itself the two agree.
    """
    fn()
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times) * 1e3, min(times) * 1e3


def cold(cmd: list[str], runs: int, env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[float, float]:
    """Median CPU seconds (user + sys of the child) and median wall seconds of ``runs`` fresh processes."""
    cpu, wall = [], []
    for _ in range(runs + 1):  # the first run is a warm-up (disk cache, page cache)
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        t1 = time.perf_counter()
        after = os.times()
        cpu.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        wall.append(t1 - t0)
    return statistics.median(cpu[1:]), statistics.median(wall[1:])


def ours(runs: int, cold_runs: int) -> dict[str, tuple[float, float]]:
    from steelworks.api import run_balance, run_evaluation

    out = {
        "balance": warm(lambda: run_balance("psm"), runs),
        "evaluation": warm(lambda: run_evaluation("psm"), max(runs // 2, 5)),
    }
    step = iter(range(1, 10**9))
    out["balance_physics"] = warm(
        lambda: run_balance("psm", {"units.bf1.model.params.blower_kwh_per_nm3": next(step) * 1e-9}),
        max(runs // 4, 5),
    )
    out["evaluation_physics"] = warm(
        lambda: run_evaluation("psm", {"units.bf1.model.params.blower_kwh_per_nm3": next(step) * 1e-9}),
        max(runs // 4, 5),
    )
    cmd = [sys.executable, "-m", "steelworks", "balance", "psm", "--format", "json"]
    nan = (float("nan"), float("nan"))
    out["cold"] = cold(cmd, cold_runs) if cold_runs else nan
    first_ever = {**os.environ, "STEELWORKS_NO_UNIT_CACHE": "1", "STEELWORKS_NO_PARSE_CACHE": "1"}
    out["cold_first"] = cold(cmd, cold_runs, env=first_ever) if cold_runs else nan
    return out


def peer(path: Path, runs: int, cold_runs: int) -> dict[str, tuple[float, float]]:
    """FORGE's BF-BOF route: its own run plan, ``run_scenario`` in process, and its batch command."""
    argv = [
        "run",
        "--scenario",
        "datasets/steel/likely/scenarios/BF_BOF_coal.yml",
        "--route",
        "BF-BOF",
        "--stage-key",
        "Cast",
        "--stage-role",
        "validation",
        "--country-code",
        "BRA",
    ]
    env = {**os.environ, "PYTHONPATH": str(path / "src")}
    cmd = [sys.executable, "-m", "forge.cli.steel_batch_cli", *argv]
    cwd = os.getcwd()
    sys.path.insert(0, str(path / "src"))
    os.chdir(path)  # FORGE reads its datasets relative to the checkout and writes debug files there
    try:
        from forge.cli import steel_batch_cli as forge_cli
        from forge.steel_core_api_v2 import ScenarioInputs, run_scenario

        plan = forge_cli._single_run_plan(forge_cli._build_parser().parse_args(argv))

        def one() -> None:
            inputs = ScenarioInputs(
                country_code=plan.country_code,
                scenario=copy.deepcopy(plan.scenario),
                route=forge_cli._build_route_cfg(plan),
            )
            with contextlib.redirect_stdout(io.StringIO()):  # it prints its progress
                run_scenario(str(plan.data_dir), inputs)

        result = {"balance": warm(one, max(runs // 4, 5))}
        result["cold"] = cold(cmd, cold_runs, env=env, cwd=str(path)) if cold_runs else (float("nan"),) * 2
    finally:
        os.chdir(cwd)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="warm calls per figure")
    parser.add_argument("--cold-runs", type=int, default=10, help="fresh processes per cold figure (0: none)")
    parser.add_argument("--peer", type=Path, help="a FORGE checkout to time beside ours")
    args = parser.parse_args()

    o = ours(args.runs, args.cold_runs)
    p = peer(args.peer, args.runs, args.cold_runs) if args.peer else None
    w = 58
    print(f"{'psm (ours)':<{w}} {'median':>9} {'best':>9}   target")
    print(f"{'warm run_balance(psm) [ms CPU]':<{w}} {o['balance'][0]:9.2f} {o['balance'][1]:9.2f}   <= 2")
    print(f"{'warm run_evaluation(psm) [ms CPU]':<{w}} {o['evaluation'][0]:9.2f} {o['evaluation'][1]:9.2f}   <= 4")
    print(
        f"{'warm run_balance(psm), physics rerun every call [ms CPU]':<{w}} "
        f"{o['balance_physics'][0]:9.2f} {o['balance_physics'][1]:9.2f}"
    )
    print(
        f"{'warm run_evaluation(psm), physics rerun every call [ms CPU]':<{w}} "
        f"{o['evaluation_physics'][0]:9.2f} {o['evaluation_physics'][1]:9.2f}"
    )
    print(f"{'':<{w}} {'CPU s':>9} {'wall s':>9}")
    print(f"{'cold `steelworks balance psm --format json`':<{w}} {o['cold'][0]:9.3f} {o['cold'][1]:9.3f}   <= 0.25")
    print(f"{'cold, first run ever (no disk caches)':<{w}} {o['cold_first'][0]:9.3f} {o['cold_first'][1]:9.3f}")
    if p is not None:
        print(f"{'peer FORGE BF-BOF, warm run_scenario [ms CPU]':<{w}} {p['balance'][0]:9.2f} {p['balance'][1]:9.2f}")
        print(f"{'peer FORGE BF-BOF, cold batch command (CPU s, wall s)':<{w}} {p['cold'][0]:9.3f} {p['cold'][1]:9.3f}")
        peer_warm, peer_cold = p["balance"][0], p["cold"][0]
        source = "measured here"
    else:
        peer_warm, peer_cold = PEER_FROM_ISSUE["warm_ms"], PEER_FROM_ISSUE["cold_cpu_s"]
        print(f"{'peer FORGE BF-BOF, from the issue: warm [ms], cold CPU [s]':<{w}} {peer_warm:9.1f} {peer_cold:9.2f}")
        source = "from the issue"
    print(
        f"ratio peer/ours ({source}): warm {peer_warm / o['balance'][0]:.1f}x, cold CPU {peer_cold / o['cold'][0]:.2f}x"
    )


if __name__ == "__main__":
    main()
