"""A fuzz harness of the project's own: hostile inputs against the ``steelworks`` CLI (issue 9).

Each case is generated from ``(seed, index)`` alone, so any case can be replayed. Three families:

* ``set``  — a ``--set`` override of a real parameter path (from ``steelworks params``) with a damaged
  value: NaN/inf, 1e999, thousands of digits, negative, out of [0, 1], zero, huge, subnormal, wrong or
  garbage unit, no unit, empty, type swaps (bool, list, mapping), unicode, very long text;
* ``file`` — a copy of a bundled scenario with its plant, carriers and price files, one of them damaged:
  a value changed as above, a line deleted, a key duplicated, an alias bomb, deep nesting, truncation,
  a flipped byte, a tab, unicode in a key;
* ``args`` — damaged command lines: unknown names, bad options, bad output paths, malformed ``--set``.

Each run is classified:

* ``ok`` — exit 0 and the answer passes the checks below;
* ``clean`` — exit 2 with a one-paragraph message (no traceback, under 5,000 characters);
* ``crash`` — a traceback or an exit code other than 0 and 2, or exit 2 without a message;
* ``hang`` — no answer within the time limit (20 s);
* ``silent`` — exit 0 with a wrong answer: an input outside its domain accepted (a NaN, an infinity,
  a negative amount, a share above 1, a type swap, a duplicate key...), a NaN (JSON null) where a
  number belongs, a negative flow, or a mass, Fe or C balance not closed to 1e-9.

Usage::

    python tools/fuzz.py --cases 10000 --seed 1 --workers 2 [--report tools/FUZZ.md] [--show 20]

Exit status 0 when crash, hang and silent are all 0, else 1.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from typer.testing import CliRunner  # noqa: E402

from steelworks.cli import app  # noqa: E402

DATA = ROOT / "src" / "steelworks" / "data"
TIME_LIMIT_S = 20
BAD = ("crash", "hang", "silent")

#: scenarios the harness mutates, with the commands it runs on them
SCENARIOS = {
    "psm": ("balance", "params"),
    "psm-eaf": ("balance", "evaluate", "params"),
    "psm-mothballed": ("evaluate",),
    "psm-one-line": ("balance", "evaluate"),
    "ieaghg-reference": ("balance",),
}
#: JSON keys that may be null in a correct answer (no payback, no debt service, no baseline)
NULLABLE = {
    "payback_years",
    "payback_after_commissioning_years",
    "dscr",
    "irr",
    "npv_vs_baseline_usd",
    "lcos_annuity_usd_per_t",
    "min_dscr",
    "value",
    "irr_nominal",
    "irr_real",
    "equity_irr",
    "lcos_usd_per_t",  # no break-even price exists when by-product revenue alone covers the costs
}
#: last parts of parameter paths that may not be negative (amounts, rates, prices, fractions)
NON_NEGATIVE = re.compile(
    r"(^|\.)(capacity|availability|amount|price|lhv|density|fe_frac|c_frac|cost|headcount|wage\w*|"
    r"discount_rate|lifetime\w*|years?|share\w*|\w+_share|recovery\w*)$|"
    r"(^|\.)(inputs|outputs|analysis|shares|demand)\.[^.]+$"
)
#: last parts of parameter paths that are fractions in [0, 1]
FRACTION = re.compile(r"(^|\.)(availability|fe_frac|c_frac|\w+_share|share)$|(^|\.)(analysis|shares)\.[^.]+$")
#: a number, then nothing or one unit token after a space ("0.6 Mt/year"; not "2024-12-31", "63 % Fe lump")
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\s+(\S+))?\s*$")


@dataclass
class Case:
    index: int
    family: str
    what: str  # one line: the mutation
    args: list[str]
    files: dict[str, str] = field(default_factory=dict)  # file name -> text, written to a fresh directory
    must_fail: bool = False  # the input is outside its domain: only a clean error is right
    scenario: str = ""  # the bundled scenario the case starts from


@dataclass
class Outcome:
    index: int
    family: str
    what: str
    kind: str  # ok / clean / crash / hang / silent
    detail: str
    seconds: float


# ------------------------------------------------------------------------------------------------
# value mutations
# ------------------------------------------------------------------------------------------------
def _number_and_unit(value: Any, unit: str) -> tuple[float, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), ("" if unit in ("", "-") else unit)
    if isinstance(value, str):
        m = _NUMBER_UNIT.match(value)
        if m:
            return float(m.group(1)), (m.group(2) or "").strip()
    return None


def mutate_value(rng: random.Random, path: str, value: Any, unit: str) -> tuple[str, str, bool]:
    """(new value as --set/YAML text, description, must_fail) for a parameter ``path`` holding ``value``."""
    parsed = _number_and_unit(value, unit)
    if parsed is not None:
        number, u = parsed
        sp = f" {u}" if u else ""
        choices: list[tuple[str, str, bool]] = [
            (f"nan{sp}", "NaN", True),
            (f"inf{sp}", "infinity", True),
            (f"-inf{sp}", "minus infinity", True),
            (f".nan{sp}" if not u else f"NaN{sp}", "NaN (YAML)", True),
            (f"1e999{sp}", "1e999", True),
            (f"1.0e+400{sp}", "1.0e+400", True),
            (f"{'9' * rng.choice([400, 5000])}{sp}", "thousands of digits", True),
            (f"1e300{sp}", "1e300", True),
            (f"1e-320{sp}", "subnormal", True),
            (f"{-abs(number) - 1:g}{sp}", "negative", bool(NON_NEGATIVE.search(path))),
            (f"0{sp}", "zero", False),
            (f"{abs(number) * 1e6 + 1:g}{sp}", "a million times", False),
            (f"{number:g}e0{sp}", "exponent form", False),
            ("true", "type swap: bool", True),
            ("[1, 2]", "type swap: list", True),
            ("{a: 1}", "type swap: mapping", True),
            ("", "empty", True),
            ("null", "null", True),
            (f"{number:g} \U0001f525", "emoji unit", True),
            (f"{number:g} (t/", "stray bracket in unit", True),
            (f"{number:g} furlong", "unknown unit", True),
            (f"{number:g} -", "the '-' unit params prints", u != ""),
            ("ünïcødé", "unicode text", True),
            ("x" * rng.choice([300, 20_000]), "very long text", True),
        ]
        if u:
            wrong = "MWh" if u not in ("MWh", "kWh", "GWh") and "Wh" not in u else "kg"
            # a bare number is read in internal units by some model parameters: judged by its effect alone
            choices += [(f"{number:g}", "unit dropped", False), (f"{number:g} {wrong}", "wrong dimension", True)]
        if FRACTION.search(path):
            choices.append((f"{1.5 if not u else 150}{' %' if u == '%' else sp}", "fraction above 1", not u))
        return rng.choice(choices)
    if isinstance(value, bool):
        return rng.choice([("maybe", "bool: text", True), ("2", "bool: 2", True), ("[true]", "bool: list", True)])
    if isinstance(value, list):
        return rng.choice(
            [("[]", "empty list", False), ("[nosuchthing]", "unknown name in list", False), ("7", "list: number", True)]
        )
    text_choices = [
        ("", "empty text", False),
        ("ünïcødé \U0001f600", "unicode text", False),
        ("x" * rng.choice([300, 20_000]), "very long text", False),
        ("nosuch_thing", "unknown name", False),
        ("42", "text: number", False),
        ("[a, b]", "text: list", False),
        ("'", "lone quote", False),
        ("\x1b[31mred", "control characters", False),
    ]
    return rng.choice(text_choices)


# ------------------------------------------------------------------------------------------------
# case generation
# ------------------------------------------------------------------------------------------------
_PARAMS: dict[str, list[dict[str, Any]]] = {}


def _params(scenario: str) -> list[dict[str, Any]]:
    if scenario not in _PARAMS:
        result = CliRunner().invoke(app, ["params", scenario, "--format", "json"])
        _PARAMS[scenario] = json.loads(result.output)
    return _PARAMS[scenario]


def _command(rng: random.Random, scenario: str) -> list[str]:
    command = rng.choice(SCENARIOS[scenario])
    return [command, scenario] + (["--format", "json"] if command != "params" or rng.random() < 0.5 else [])


def _set_case(rng: random.Random, index: int) -> Case:
    scenario = rng.choice(list(SCENARIOS))
    args = _command(rng, scenario)
    if args[0] == "balance":  # price, option and finance paths belong to evaluate
        rows = [r for r in _params(scenario) if not r["path"].startswith(("prices.", "option.", "finance."))]
    else:
        rows = _params(scenario)
    row = rng.choice(rows)
    text, what, must_fail = mutate_value(rng, row["path"], row["value"], row["unit"])
    # a mutation of a field the run never reads (an unbuilt unit, a file name) is judged by its effect alone
    return Case(
        index,
        "set",
        f"{args[0]} {scenario}: {row['path']} = {what}",
        [*args, "--set", f"{row['path']}={text}"],
        must_fail=must_fail and not _inert_path(row["path"]),
        scenario=scenario,
    )


#: free-text fields: any text is a valid value, so a mutation of one is judged by its effect alone
FREE_TEXT_KEYS = ("source", "description", "name", "citation", "note", "basis")


def _inert_path(path: str) -> bool:
    return path.endswith((*FREE_TEXT_KEYS, "carriers_file"))


def _bundle(scenario: str) -> dict[str, str]:
    """The scenario, plant, carriers and price files of a bundled scenario, rewired to sit in one directory."""
    text = (DATA / "scenarios" / f"{scenario}.yaml").read_text(encoding="utf-8")
    plant = re.search(r"^\s*plant:\s*(\S+)", text, re.MULTILINE)
    assert plant is not None
    plant_name = Path(plant.group(1)).name
    files = {"scenario.yaml": text.replace(plant.group(1), plant_name)}
    plant_text = (DATA / "plants" / plant_name).read_text(encoding="utf-8")
    files[plant_name] = re.sub(r"carriers_file:\s*\S+", "carriers_file: carriers.yaml", plant_text)
    files["carriers.yaml"] = (DATA / "carriers.yaml").read_text(encoding="utf-8")
    prices = re.search(r"^\s*prices:\s*(\S+)\s*$", text, re.MULTILINE)
    if prices:
        files["prices.yaml"] = (DATA / "prices" / f"{prices.group(1)}.yaml").read_text(encoding="utf-8")
        line = prices.group(0)
        files["scenario.yaml"] = files["scenario.yaml"].replace(line, line.split(":")[0] + ": @@DIR@@/prices.yaml")
    return files


_KEY_LINE = re.compile(r"^(\s*)([A-Za-z_][\w-]*):(\s+)(\S.*?)\s*(#.*)?$")


def _file_case(rng: random.Random, index: int) -> Case:
    scenario = rng.choice(list(SCENARIOS))
    files = _bundle(scenario)
    name = rng.choice([n for n in files if n != "prices.yaml" or "evaluate" in SCENARIOS[scenario]])
    lines = files[name].split("\n")
    key_lines = [i for i, line in enumerate(lines) if _KEY_LINE.match(line) and not line.strip().startswith("#")]
    kind = rng.choice(["value"] * 6 + ["delete", "duplicate", "bomb", "deep", "truncate", "byte", "tab", "unicode_key"])
    must_fail = False
    what = kind
    if kind == "value":
        i = rng.choice(key_lines)
        m = _KEY_LINE.match(lines[i])
        assert m is not None
        indent, key, _, value, _ = m.groups()
        if value in (">-", ">", "|", "|-") or value.startswith(("&", "*", "[", "{")):
            kind = "delete"
        else:
            number = _number_and_unit(value, "")
            original: Any = number[0] if number and not number[1] else value
            text, what, must_fail = mutate_value(rng, key, original, number[1] if number else "")
            plain = text in ("", "true", "null", "[1, 2]", "{a: 1}", "[]") or _NUMBER_UNIT.match(text)
            quoted = text if plain else json.dumps(text, ensure_ascii=False)
            if text.startswith(("nan", "inf", "-inf", ".nan", "1e", "1.0e", "9" * 10)) and not text.split()[1:]:
                quoted = text  # bare non-finite or huge numbers stay plain YAML
            lines[i] = f"{indent}{key}: {quoted}"
            what = f"{name}:{i + 1} {key} = {what}"
            # free text is judged by its effect; so is an explicit null/empty, which YAML reads as "not
            # given": valid for an optional field (a layered file clears an inherited value with it) and
            # refused by the schema for a required one
            must_fail = must_fail and key not in FREE_TEXT_KEYS and text not in ("", "null")
    if kind == "delete":
        i = rng.choice(key_lines)
        what = f"{name}:{i + 1} line deleted"
        del lines[i]
    elif kind == "duplicate":
        i = rng.choice(key_lines)
        m = _KEY_LINE.match(lines[i])
        assert m is not None
        lines.insert(i + 1, f"{m.group(1)}{m.group(2)}: {m.group(4)}")
        what, must_fail = f"{name}:{i + 1} key '{m.group(2)}' duplicated", True
    elif kind == "bomb":
        bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        bomb += [f"a{j}: &a{j} [{', '.join([f'*a{j - 1}'] * 10)}]" for j in range(1, 9)]
        lines = bomb + lines
        what, must_fail = f"{name}: alias bomb", True
    elif kind == "deep":
        lines.append("deep: " + "[" * 3000 + "]" * 3000)
        what, must_fail = f"{name}: nesting 3000 deep", True
    elif kind == "truncate":
        text = "\n".join(lines)
        files[name] = text[: rng.randrange(len(text))]
        return Case(index, "file", f"{name} truncated", _file_args(rng, scenario, name), files, scenario=scenario)
    elif kind == "byte":
        raw = bytearray("\n".join(lines).encode("utf-8"))
        j = rng.randrange(len(raw))
        raw[j] = rng.randrange(256)
        files[name] = raw.decode("utf-8", errors="surrogateescape")
        args = _file_args(rng, scenario, name)
        return Case(index, "file", f"{name}: byte {j} flipped", args, files, scenario=scenario)
    elif kind == "tab":
        i = rng.choice(key_lines)
        lines[i] = "\t" + lines[i]
        what = f"{name}:{i + 1} tab in indentation"
    elif kind == "unicode_key":
        i = rng.choice(key_lines)
        lines[i] = lines[i].replace(":", "\u00e9\U0001f600:", 1)
        what = f"{name}:{i + 1} unicode in a key"
    files[name] = "\n".join(lines)
    return Case(index, "file", what, _file_args(rng, scenario, name), files, must_fail=must_fail, scenario=scenario)


def _file_args(rng: random.Random, scenario: str, name: str) -> list[str]:
    # the price deck is read by evaluate alone
    command = "evaluate" if name == "prices.yaml" else rng.choice(SCENARIOS[scenario])
    return [command, "@@DIR@@/scenario.yaml", "--format", "json"]


def _args_case(rng: random.Random, index: int) -> Case:
    scenario = rng.choice(list(SCENARIOS))
    choices: list[tuple[list[str], str]] = [
        (["balance", "x" * 300], "300-character scenario name"),
        (["balance", "no\x00such"], "NUL in a scenario name"),
        (["balance", "psm\U0001f600"], "emoji scenario name"),
        (["balance", "/nonexistent/s.yaml"], "missing scenario file"),
        (["balance", "@@DIR@@"], "a directory as the scenario"),
        (["balance", scenario, "--format", "xml"], "unknown format"),
        (["balance", scenario, "--set", "units.bf1.availability"], "--set without '='"),
        (["balance", scenario, "--set", "=0.5"], "--set without a path"),
        (["balance", scenario, "--set", "units..bf1=1"], "--set with an empty path part"),
        (["balance", scenario, "--set", "units.bf1.availability.deeper.x=1"], "--set below a value"),
        (["balance", scenario, "--set", "a" * 300 + "=1"], "300-character --set path"),
        (["balance", scenario, "--set", f"target.amount={'1' * 100_000} t/year"], "100,000-character --set value"),
        (["balance", scenario, "--sankey", "@@DIR@@/missing/x.html"], "--sankey into a missing directory"),
        (["balance", scenario, "--sankey", "@@DIR@@"], "--sankey onto a directory"),
        (["evaluate", scenario, "--xlsx", "@@DIR@@/missing/x.xlsx"], "--xlsx into a missing directory"),
        (["evaluate", scenario, "--xlsx", "@@DIR@@/" + "x" * 300], "--xlsx with a 300-character name"),
        (["rist", scenario, "--out", "@@DIR@@"], "rist --out onto a directory"),
        (["rist", scenario, "--unit", "nosuch"], "rist of an unknown unit"),
        (["schema", "--kind", "nosuch"], "unknown schema kind"),
        (["schema", "--out", "@@DIR@@/missing/s.json"], "schema --out into a missing directory"),
        (["compare", scenario], "compare one scenario"),
        (["compare", scenario, "psm-eaf", "--baseline", "nosuch"], "unknown baseline"),
        (["params", scenario, "--match", "\U0001f600" * 50], "emoji --match"),
        (["evaluate", scenario, "--set", "prices.nosuch.price=1 USD/t"], "price of an unknown carrier"),
        (["evaluate", scenario, "--set", "finance.discount_rate=-0.5"], "negative discount rate"),
        (["evaluate", scenario, "--set", "prices.scrap.price=-382 USD/t"], "negative scrap price"),
    ]
    args, what = rng.choice(choices)
    must_fail = what not in ("emoji --match", "compare one scenario")
    return Case(index, "args", what, args, must_fail=must_fail, scenario=scenario)


def make_case(seed: int, index: int) -> Case:
    rng = random.Random(f"{seed}:{index}")
    family = rng.choices(["set", "file", "args"], weights=[5, 4, 1])[0]
    return {"set": _set_case, "file": _file_case, "args": _args_case}[family](rng, index)


# ------------------------------------------------------------------------------------------------
# running and judging
# ------------------------------------------------------------------------------------------------
class _TimeoutError(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeoutError


_BASELINE: dict[tuple[str, str], set[str]] = {}


def baseline_nulls(scenario: str, command: str) -> set[str]:
    """Paths that are null in the unmutated answer (e.g. no top-down capex for a bottom-up option)."""
    if (scenario, command) not in _BASELINE:
        result = CliRunner().invoke(app, [command, scenario, "--format", "json"])
        _BASELINE[scenario, command] = set(_nulls(json.loads(result.output))) if result.exit_code == 0 else set()
    return _BASELINE[scenario, command]


def _nulls(obj: Any, path: str = "") -> list[str]:
    if obj is None:
        return [path]
    if isinstance(obj, dict):
        return [p for k, v in obj.items() if k not in NULLABLE for p in _nulls(v, f"{path}.{k}")]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _nulls(v, f"{path}[{i}]")]
    return []


def judge_answer(command: str, output: str, scenario: str = "") -> str | None:
    """Why an exit-0 answer is wrong (``None`` if it passes): NaN, negative flow, unclosed balance."""
    text = output.strip()
    if not text.startswith(("{", "[")):
        return None if text else "empty output"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"output is not JSON ({exc.msg})"
    if command == "params":
        return None
    if isinstance(data, dict):
        known = baseline_nulls(scenario, command) if scenario in SCENARIOS else set()
        answer = {k: v for k, v in data.items() if k not in ("assumptions", "option")}
        nulls = [p for p in _nulls(answer) if p not in known]
        if nulls:
            return f"null (NaN or infinity) at {nulls[0]}" + (f" and {len(nulls) - 1} more" if len(nulls) > 1 else "")
        for name, row in (data.get("balances") or {}).items():
            tol = 1e-6 if name == "energy" else 1e-9
            if not isinstance(row.get("residual_rel"), int | float) or abs(row["residual_rel"]) > tol:
                return f"{name} balance not closed: residual {row.get('residual_rel')}"
        for flow in data.get("flows") or []:
            if flow["amount"] < -1e-6:
                return f"negative flow {flow['amount']:g} of {flow['carrier']} {flow['source']} -> {flow['target']}"
        for row in data.get("boundary") or []:
            if row["purchased"] < -1e-6 or row["sold"] < -1e-6:
                return f"negative boundary flow of {row['carrier']}"
        for key, value in (data.get("kpis") or {}).items():
            if isinstance(value, float) and not math.isfinite(value):
                return f"kpi {key} is {value}"
    return None


def classify(case: Case, exit_code: int | None, output: str, seconds: float, timed_out: bool) -> tuple[str, str]:
    if timed_out:
        return "hang", f"no answer in {TIME_LIMIT_S} s"
    if "Traceback" in output or exit_code not in (0, 2):
        last = [line for line in output.strip().splitlines() if line.strip()][-1:] or [""]
        return "crash", f"exit {exit_code}: {last[0][:200]}"
    if exit_code == 2:
        message = output.strip()
        if not message:
            return "crash", "exit 2 without a message"
        if len(message) > 5000:
            return "crash", f"exit 2 with a {len(message):,}-character message"
        return "clean", message.splitlines()[-1][:200] if "\n" in message else message[:200]
    problem = judge_answer(case.args[0], output, case.scenario)
    if problem:
        return "silent", problem
    if case.must_fail:
        return "silent", "exit 0 on an input outside its domain"
    return "ok", ""


def run_case(case: Case) -> Outcome:
    workdir = Path(tempfile.mkdtemp(prefix="swfuzz-"))
    try:
        for name, text in case.files.items():
            data = text.replace("@@DIR@@", str(workdir)).encode("utf-8", errors="surrogateescape")
            (workdir / name).write_bytes(data)
        args = [a.replace("@@DIR@@", str(workdir)) for a in case.args]
        start = time.perf_counter()
        timed_out = False
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TIME_LIMIT_S)
        exit_code: int | None = None
        output = ""
        try:
            result = CliRunner().invoke(app, args, catch_exceptions=True)
            exit_code, output = result.exit_code, result.output
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                if isinstance(result.exception, _TimeoutError):
                    timed_out = True
                else:
                    exit_code = 1
                    output += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"[:500]
        except _TimeoutError:
            timed_out = True
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        seconds = time.perf_counter() - start
        kind, detail = classify(case, exit_code, output, seconds, timed_out)
        return Outcome(case.index, case.family, case.what, kind, detail, seconds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _worker(job: tuple[int, int]) -> Outcome:
    seed, index = job
    try:
        case = make_case(seed, index)
    except Exception as exc:  # a bug of the harness, not of steelworks: show it, do not hide it
        return Outcome(index, "harness", "case generation failed", "crash", f"harness: {exc!r}", 0.0)
    return run_case(case)


def run(cases: int, seed: int, workers: int = 1, progress: bool = False) -> list[Outcome]:
    jobs = [(seed, i) for i in range(cases)]
    outcomes: list[Outcome] = []
    if workers <= 1:
        for job in jobs:
            outcomes.append(_worker(job))
            if progress and len(outcomes) % 500 == 0:
                print(f"{len(outcomes)} cases", file=sys.stderr, flush=True)
        return outcomes
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=500) as pool:
        for outcome in pool.imap_unordered(_worker, jobs, chunksize=4):
            outcomes.append(outcome)
            if progress and len(outcomes) % 500 == 0:
                print(f"{len(outcomes)} cases", file=sys.stderr, flush=True)
    return sorted(outcomes, key=lambda o: o.index)


def summary(outcomes: list[Outcome]) -> dict[str, int]:
    counts = collections.Counter(o.kind for o in outcomes)
    return {k: counts.get(k, 0) for k in ("ok", "clean", "crash", "hang", "silent")}


def markdown(outcomes: list[Outcome], seed: int, seconds: float, show: int = 30) -> str:
    counts = summary(outcomes)
    families = collections.Counter((o.family, o.kind) for o in outcomes)
    lines = [
        "# Fuzz run of the steelworks CLI (issue 9)",
        "",
        f"`python tools/fuzz.py --cases {len(outcomes)} --seed {seed}` — "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds:,.0f} s, commit `{_commit()}`.",
        "",
        f"**{len(outcomes):,} cases: crash / hang / silent = "
        f"{counts['crash']} / {counts['hang']} / {counts['silent']}**"
        f" ({counts['ok']:,} correct answers, {counts['clean']:,} clean exit-2 errors).",
        "",
        "| family | ok | clean | crash | hang | silent |",
        "|---|---|---|---|---|---|",
    ]
    for fam in ("set", "file", "args", "harness"):
        row = [families.get((fam, k), 0) for k in ("ok", "clean", "crash", "hang", "silent")]
        if sum(row):
            lines.append(f"| {fam} | " + " | ".join(str(v) for v in row) + " |")
    slowest = max(outcomes, key=lambda o: o.seconds) if outcomes else None
    if slowest:
        lines += ["", f"Slowest case: {slowest.seconds:.1f} s (#{slowest.index}, {slowest.what[:100]})."]
    bad = [o for o in outcomes if o.kind in BAD]
    if bad:
        lines += ["", "## Bad cases (first of each kind of detail)", ""]
        seen: set[str] = set()
        for o in bad:
            key = o.kind + re.sub(r"\d+", "#", o.what)[:80] + re.sub(r"[\d.e+-]+", "#", o.detail)[:80]
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"- #{o.index} **{o.kind}** — {o.what[:140]} → {o.detail[:200]}")
            if len(seen) >= show:
                break
    return "\n".join(lines) + "\n"


def _commit() -> str:
    with contextlib.suppress(Exception):
        import subprocess

        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--report", type=Path, help="write the Markdown summary here")
    parser.add_argument("--show", type=int, default=30, help="bad cases to list")
    parser.add_argument("--case", type=int, help="run and print one case")
    parser.add_argument("--only", help="comma-separated case indices to rerun (e.g. the bad ones of a run)")
    ns = parser.parse_args()
    if ns.case is not None:
        case = make_case(ns.seed, ns.case)
        print(case.what, case.args if len(" ".join(case.args)) < 2000 else "(long)", f"must_fail={case.must_fail}")
        outcome = run_case(case)
        print(outcome.kind, outcome.detail, f"{outcome.seconds:.2f} s")
        return 0
    start = time.perf_counter()
    if ns.only:
        outcomes = [_worker((ns.seed, int(i))) for i in ns.only.split(",")]
        for o in outcomes:
            print(f"#{o.index} {o.kind}: {o.what[:120]} -> {o.detail[:200]}")
        return 0 if all(o.kind not in BAD for o in outcomes) else 1
    outcomes = run(ns.cases, ns.seed, ns.workers, progress=True)
    text = markdown(outcomes, ns.seed, time.perf_counter() - start, ns.show)
    print(text)
    if ns.report:
        ns.report.write_text(text, encoding="utf-8")
    counts = summary(outcomes)
    return 0 if all(counts[k] == 0 for k in BAD) else 1


if __name__ == "__main__":
    sys.exit(main())
