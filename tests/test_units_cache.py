"""The conversion cache of steelworks.units: pint works once, later runs read the same numbers without it."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from steelworks.errors import InputError
from steelworks.units import _CONVERTED, convert

SRC = str(Path(__file__).resolve().parents[1] / "src")

PROGRAM = """
import json, sys
from steelworks.units import convert
values = [convert("450 kg/t", "t/t"), convert("1.1 Mt/year", "t/year")]
values.append(convert("80 Nm3/t", "t/t", density_kg_per_m3=0.7))
print(json.dumps({"values": values, "pint": "pint" in sys.modules}))
"""


def _run(cache_dir: Path, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "STEELWORKS_NO_UNIT_CACHE"}
    environ.update({"PYTHONPATH": SRC, "STEELWORKS_CACHE_DIR": str(cache_dir), **env})
    out = subprocess.run([sys.executable, "-c", PROGRAM], env=environ, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def test_a_second_process_reads_the_numbers_from_disk_without_pint(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first["pint"] is True  # nothing cached yet: pint converts
    assert first["values"] == [0.45, 1.1e6, pytest.approx(80 * 0.7 / 1000, rel=1e-12)]
    files = list(tmp_path.glob("unit-conversions-*.marshal"))
    assert len(files) == 1
    second = _run(tmp_path)
    assert second["pint"] is False
    assert second["values"] == first["values"]  # exactly the same floats


def test_a_corrupt_cache_file_is_ignored_and_rewritten(tmp_path: Path) -> None:
    _run(tmp_path)
    (file,) = tmp_path.glob("unit-conversions-*.marshal")
    for damage in (b"{not marshal", b"", marshal.dumps({("450 kg/t", "t/t", None, None, True): "0.45"})):
        file.write_bytes(damage)  # unreadable, empty, or a value that is not a number
        again = _run(tmp_path)
        assert again["pint"] is True
        assert again["values"][0] == 0.45
        assert len(marshal.loads(file.read_bytes())) == 3


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    _run(tmp_path, STEELWORKS_NO_UNIT_CACHE="1")
    assert not list(tmp_path.iterdir())


def test_a_bad_quantity_is_never_cached() -> None:
    for _ in range(2):
        with pytest.raises(InputError, match="wrong unit"):
            convert("0.45 km/t", "t/t", where="units.x.inputs.coke", file="plant.yaml")
    assert not any(key[0] == "0.45 km/t" for key in _CONVERTED)


def test_where_a_value_sits_does_not_change_its_number() -> None:
    a = convert("17.5 MJ/kg", "GJ/t", where="carriers.a.lhv", file="a.yaml")
    b = convert("17.5 MJ/kg", "GJ/t", where="carriers.b.lhv", file="b.yaml")
    assert a == b == pytest.approx(17.5, rel=1e-12)


CLI_PROGRAM = """
import contextlib, io, json, sys
from steelworks.cli import app
with contextlib.redirect_stdout(io.StringIO()):
    try:
        app(["balance", "psm", "--format", "json"])
    except SystemExit as exc:
        assert not exc.code, exc.code
print(json.dumps({"pint": "pint" in sys.modules, "rich": "rich.console" in sys.modules}))
"""


def test_the_balance_command_imports_neither_pint_nor_rich_once_conversions_are_cached(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "STEELWORKS_NO_UNIT_CACHE"}
    environ.update({"PYTHONPATH": SRC, "STEELWORKS_CACHE_DIR": str(tmp_path)})

    def run() -> dict[str, bool]:
        cmd = [sys.executable, "-c", CLI_PROGRAM]
        out = subprocess.run(cmd, env=environ, capture_output=True, text=True, check=True)
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))

    assert run()["pint"] is True  # the first run converts with pint and keeps the numbers
    assert run() == {"pint": False, "rich": False}  # an import of pint or rich at start-up fails here
