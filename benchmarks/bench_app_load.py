"""Load test of the dashboard on loopback: simulated users mixing page loads and Works-page re-solves.

Each user loops: load a page as the browser does (the HTML, the layout, the dependencies and the routing
callback of a random page), then send 1-3 edits of the Works page's parameter form (a random crude-steel
target and blast-furnace availability: almost every edit is a new solve, not a cache hit) through Dash's
callback endpoint, exactly the request the browser sends. Reports errors and latency percentiles.

Run: python benchmarks/bench_app_load.py --users 50 --seconds 300      (the issue's figure)
     python benchmarks/bench_app_load.py --users 50 --seconds 45 --think 0.5:2   (impatient users)
     python benchmarks/bench_app_load.py --users 50 --seconds 45       (a bounded run)
It starts `steelworks app` on a free loopback port unless --url is given.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any

SCENARIO = "psm-bf-revival"
FIELDS = (("target.amount", "1.1"), ("units.bf1.availability", "0.95"))
PAGES = ("/", "/options", "/plan", "/report", "/risk", "/runs")


def _post(url: str, payload: dict[str, Any]) -> bytes:
    req = urllib.request.Request(
        url + "/_dash-update-component", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
        return r.read()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as r:
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
        return r.read()


def _callbacks(url: str) -> dict[str, str]:
    deps = json.loads(_get(url + "/_dash-dependencies"))
    out = {}
    for d in deps:
        if "works-kpis.children" in d["output"]:
            out["solve"] = d["output"]
        if d["output"].startswith("..page.children"):
            out["route"] = d["output"]
    return out


def _pid(path: str) -> dict[str, str]:
    return {"path": path, "scenario": SCENARIO, "type": "works-param"}


def solve_payload(output: str, values: list[str]) -> dict[str, Any]:
    simple = ["works-description", "works-kpis", "works-sankey", "works-units", "works-balances",
              "works-boundary", "works-gas", "works-co2", "works-timing", "works-error"]  # fmt: skip
    props = {"works-sankey": "figure"}
    outputs: list[Any] = [{"id": i, "property": props.get(i, "children")} for i in simple]
    outputs.append([{"id": {**_pid(p), "type": "works-param-error"}, "property": "children"} for p, _ in FIELDS])
    outputs.append({"id": "works-state", "property": "data"})
    inputs: list[Any] = [
        {"id": "works-scenario", "property": "value", "value": SCENARIO},
        [{"id": _pid(p), "property": "value", "value": v} for (p, _), v in zip(FIELDS, values, strict=True)],
        {"id": "works-sankey-kind", "property": "value", "value": 0},
        {"id": "works-sankey-view", "property": "value", "value": "process"},
        {"id": "works-sankey-groups", "property": "value", "value": ["iron-bearing", "fuels & gases", "fluxes",
                                                                      "utilities", "by-products & other"]},
        {"id": "works-sankey-min", "property": "value", "value": 1e-3},
    ]  # fmt: skip
    state = [[{"id": _pid(p), "property": "id", "value": _pid(p)} for p, _ in FIELDS]]
    changed = json.dumps(_pid(FIELDS[0][0]), sort_keys=True, separators=(",", ":")) + ".value"
    return {"output": output, "outputs": outputs, "inputs": inputs, "state": state, "changedPropIds": [changed]}


def route_payload(output: str, path: str) -> dict[str, Any]:
    return {
        "output": output,
        "outputs": [{"id": "page", "property": "children"}, {"id": "nav", "property": "children"}],
        "inputs": [{"id": "url", "property": "pathname", "value": path}],
        "changedPropIds": ["url.pathname"],
    }


def user(
    url: str,
    cbs: dict[str, str],
    stop: float,
    seed: int,
    log: dict[str, list[float]],
    errors: list[str],
    think: tuple[float, float],
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop:
        path = rng.choice(PAGES)
        t0 = time.perf_counter()
        try:
            _get(url + path)
            _get(url + "/_dash-layout")
            _get(url + "/_dash-dependencies")
            _post(url, route_payload(cbs["route"], path))
            log["page"].append(time.perf_counter() - t0)
        except Exception as exc:
            errors.append(f"page {path}: {exc}")
        for _ in range(rng.randint(1, 3)):
            if time.monotonic() >= stop:
                break
            values = [f"{rng.uniform(0.85, 1.1):.4f}", f"{rng.uniform(0.8, 1.0):.4f}"]
            t0 = time.perf_counter()
            try:
                body = json.loads(_post(url, solve_payload(cbs["solve"], values)))
                kpis = json.dumps(body["response"]["works-kpis"])
                if "Mt/yr" not in kpis or body["response"]["works-error"]["children"]:
                    raise RuntimeError("no KPIs in the answer")
                log["re-solve"].append(time.perf_counter() - t0)
            except Exception as exc:
                errors.append(f"re-solve {values}: {exc}")
            time.sleep(rng.uniform(*think))  # a person reads the page before the next edit
        time.sleep(rng.uniform(*think))


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else (values or [0.0])[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=300.0)
    ap.add_argument("--url", default=None)
    ap.add_argument("--think", default="2:8", help="LOW:HIGH seconds a user reads between requests")
    args = ap.parse_args()
    low, high = (float(x) for x in args.think.split(":"))
    proc = None
    url = args.url
    if url is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "steelworks", "app", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                _get(url + "/")
                break
            except OSError:
                time.sleep(0.2)
    try:
        cbs = _callbacks(url)
        _post(url, solve_payload(cbs["solve"], ["1.1", "0.95"]))  # warm: the first solve loads the data
        log: dict[str, list[float]] = {"page": [], "re-solve": []}
        errors: list[str] = []
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=user, args=(url, cbs, stop, i, log, errors, (low, high))) for i in range(args.users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(
            f"{args.users} users for {args.seconds:.0f} s on loopback, {low:g}-{high:g} s between requests: "
            f"{len(errors)} errors"
        )
        for kind, times in log.items():
            if times:
                print(f"  {kind:9s} n={len(times):5d}  p50 {statistics.median(times) * 1e3:6.0f} ms  "
                      f"p95 {_pct(times, 95) * 1e3:6.0f} ms  max {max(times) * 1e3:6.0f} ms")  # fmt: skip
        for e in errors[:5]:
            print("  error:", e)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
