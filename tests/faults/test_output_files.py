"""Output files: the path is checked before the computation, and every write is atomic (issue 9)."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from steelworks import fileio
from steelworks.cli import app
from steelworks.errors import InputError

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False

# each command with its output option; the computation it would run first is replaced by a trap
COMMANDS = [
    (["balance", "psm", "--sankey"], "steelworks.api.run_balance"),
    (["evaluate", "psm-eaf", "--xlsx"], "steelworks.api.run_evaluation"),
    (["compare", "psm-mothballed", "psm-eaf", "--html"], "steelworks.api.run_evaluation"),
    (["rist", "psm", "--out"], "steelworks.schema.loader.load_scenario"),
    (["schema", "--out"], None),
]


def _trap(monkeypatch: pytest.MonkeyPatch, target: str | None) -> None:
    if target is None:
        return
    module, _, name = target.rpartition(".")

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the computation ran before the output path was checked")

    monkeypatch.setattr(f"{module}.{name}", boom)


@pytest.mark.parametrize(("args", "trap"), COMMANDS, ids=[c[0][0] for c in COMMANDS])
@pytest.mark.parametrize("case", ["missing_dir", "is_dir", "nul", "long_name", "parent_is_file", "device"])
def test_a_bad_output_path_fails_before_the_computation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], trap: str | None, case: str
) -> None:
    _trap(monkeypatch, trap)
    (tmp_path / "plain").write_text("x")
    path = {
        "missing_dir": (str(tmp_path / "nowhere" / "out.file"), "does not exist"),
        "is_dir": (str(tmp_path), "is a directory"),
        "nul": (str(tmp_path / "a\x00b"), "nul"),
        "long_name": (str(tmp_path / ("x" * 300)), "255 bytes"),
        "parent_is_file": (str(tmp_path / "plain" / "out.file"), "is not a directory"),
        "device": ("/dev/null", "not a regular file"),
    }[case]
    result = runner.invoke(app, [*args, path[0]])
    assert result.exit_code == 2, result.output
    assert path[1] in result.output.lower()
    assert args[-1] in result.output  # the option is named
    assert "Traceback" not in result.output


@pytest.mark.skipif(ROOT, reason="root may write anywhere")
def test_an_unwritable_directory_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="is not writable"):
            fileio.check_output_path(locked / "out.html", "--out")
    finally:
        locked.chmod(0o700)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"the good old file")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full_disk)
    with pytest.raises(InputError, match="No space left on device") as info:
        fileio.write_bytes(target, b"new" * 1000, option="--xlsx")
    assert info.value.location == "--xlsx"
    assert target.read_bytes() == b"the good old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_a_write_keeps_the_permissions_and_writes_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.html"
    link.symlink_to(real)
    fileio.write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert real.stat().st_mode & 0o777 == 0o640


def test_the_xlsx_written_by_evaluate_is_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "case.xlsx"
    out.write_bytes(b"an old file to be replaced")
    result = runner.invoke(app, ["evaluate", "psm-mothballed", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[:2] == ["KPIs", "Cash flows"]
    assert [p.name for p in tmp_path.iterdir()] == ["case.xlsx"]


# --- kill -9 during writes --------------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys, hashlib
    from steelworks import fileio
    target, size = sys.argv[1], int(sys.argv[2])
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        body = (str(n) * size)[:size].encode()
        fileio.write_bytes(target, hashlib.sha256(body).hexdigest().encode() + b"\\n" + body)
    """
)


def _valid(data: bytes) -> bool:
    import hashlib

    digest, _, body = data.partition(b"\n")
    return hashlib.sha256(body).hexdigest().encode() == digest


def _spawn(args: list[str]) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_kill_9_during_writes_never_leaves_a_broken_file(tmp_path: Path) -> None:
    """A writer replaces a 2 MB self-checking file in a loop; SIGKILL at 40 random moments."""
    rng = random.Random(9)
    target = tmp_path / "out.bin"
    seen_versions = set()
    for _ in range(40):
        proc = _spawn([sys.executable, "-c", _WRITER, str(target), str(2_000_000)])
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if target.exists():
            data = target.read_bytes()
            assert _valid(data), "a partial or corrupt file was left"
            seen_versions.add(data.partition(b"\n")[2][:3])
    assert target.exists() and len(seen_versions) >= 2  # the kills did land between different writes


_XLSX_WRITER = textwrap.dedent(
    """
    import sys
    from steelworks.api import run_evaluation
    from steelworks.report.params import parameter_rows
    from steelworks.report.xlsx import write_workbook
    result = run_evaluation("psm-mothballed")
    data, report, rows = result.to_dict(), result.balance.report, parameter_rows(result.balance.scenario)
    write_workbook(data, report, rows, sys.argv[1])
    print("ready", flush=True)
    while True:
        write_workbook(data, report, rows, sys.argv[1])
    """
)


def test_kill_9_during_workbook_writes_leaves_a_workbook(tmp_path: Path) -> None:
    """The issue's case: killed mid-write, --xlsx left a corrupt workbook and destroyed the good one."""
    rng = random.Random(99)
    target = tmp_path / "case.xlsx"
    proc = _spawn([sys.executable, "-c", _XLSX_WRITER, str(target)])
    try:
        for _ in range(25):
            time.sleep(rng.uniform(0.0, 0.1))
            book = load_workbook(target, read_only=True)  # always a whole workbook while writes go on
            assert "KPIs" in book.sheetnames
            book.close()
        time.sleep(rng.uniform(0.0, 0.3))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert "KPIs" in load_workbook(target).sheetnames
