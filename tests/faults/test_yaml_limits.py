"""The YAML reader refuses damaged and hostile files with a message naming file, line and key (issue 9)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import app
from steelworks.errors import InputError
from steelworks.schema import yamlio
from steelworks.schema.loader import SCENARIO_DIR
from steelworks.schema.yamlio import load_yaml, loads, parse_scalar

runner = CliRunner()
PSM_PLANT = SCENARIO_DIR.parent / "plants" / "psm.yaml"


def _error(text: str, tmp_path: Path) -> InputError:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert info.value.file == str(path)
    return info.value


def test_a_duplicate_key_names_both_lines_and_the_key(tmp_path: Path) -> None:
    err = _error("plant:\n  units:\n    bf1:\n      capacity: 1 t/year\n    bf1:\n      capacity: 2 t/year\n", tmp_path)
    assert err.location == "line 5: plant.units.bf1"
    assert "duplicate key 'bf1' (first given on line 3)" in err.message


def test_a_duplicate_unit_in_the_bundled_plant_is_exit_2(tmp_path: Path) -> None:
    """The issue's example: a unit defined twice in the plant file; YAML alone would keep the last copy."""
    text = PSM_PLANT.read_text(encoding="utf-8")
    start = text.index("    bf1:\n")
    end = text.index("\n    bf2:\n")
    block = text[start:end]
    (tmp_path / "plant.yaml").write_text(text[:end] + "\n" + block + text[end:], encoding="utf-8")
    carriers = SCENARIO_DIR.parent / "carriers.yaml"
    (tmp_path / "carriers.yaml").write_text(carriers.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = (SCENARIO_DIR / "psm.yaml").read_text(encoding="utf-8").replace("../plants/psm.yaml", "plant.yaml")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    result = runner.invoke(app, ["balance", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2, result.output
    first = text[:start].count("\n") + 1
    second = text[:end].count("\n") + 2
    assert f"plant.yaml: line {second}: plant.units.bf1" in result.output
    assert f"first given on line {first}" in result.output


def test_merge_keys_may_be_overridden_but_not_repeated() -> None:
    data = loads("base: &b {x: 1, y: 2}\nunit:\n  <<: *b\n  y: 3\n")
    assert data["unit"] == {"x": 1, "y": 3}
    data["unit"]["x"] = 5  # an alias is an independent copy
    assert data["base"]["x"] == 1


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(lines) + "\n"
    assert len(text.encode()) < 700  # the issue's 539-byte bomb expands to 10^9 nodes
    start = time.perf_counter()
    err = _error(text, tmp_path)
    assert time.perf_counter() - start < 2.0
    assert "alias expansion goes beyond" in err.message
    assert err.location is not None and err.location.startswith("line ")


def test_a_self_referencing_alias_is_an_error(tmp_path: Path) -> None:
    err = _error("a: &x [1, *x]\n", tmp_path)
    assert "contains it" in err.message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    err = _error("[" * 5000 + "]" * 5000 + "\n", tmp_path)
    assert "nesting deeper than" in err.message
    err = _error("a: " + "[" * (yamlio.MAX_DEPTH + 2) + "]" * (yamlio.MAX_DEPTH + 2) + "\n", tmp_path)
    assert "nesting deeper than 64" in err.message


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    err = _error("a: " + "x" * (yamlio.MAX_FILE_BYTES + 10) + "\n", tmp_path)
    assert "bytes" in err.message and err.allowed == f"at most {yamlio.MAX_FILE_BYTES:,} bytes"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (".nan", "not a finite number"),
        (".inf", "not a finite number"),
        ("-.Inf", "not a finite number"),
        ("nan", "not a finite number"),
        ("1e999", "not a finite number"),
        ("1.0e+400", "not a finite number"),
        ("1e300", "too large"),
        ("1e-320", "subnormal"),
        ("1" * 5000, "a number of 5,000 characters"),
    ],
)
def test_numbers_must_be_finite_and_sensible(tmp_path: Path, value: str, fragment: str) -> None:
    err = _error(f"unit:\n  availability: {value}\n", tmp_path)
    assert fragment in err.message
    assert err.location == "line 2: unit.availability"


def test_quoted_text_that_looks_non_finite_is_text() -> None:
    assert loads("name: 'nan'\n") == {"name": "nan"}


def test_exponent_numbers_are_numbers() -> None:
    """YAML 1.1 reads 1e5 and 1.2e0 as text, which made '1.2e0' 'a number without a unit' but 1.2 fine."""
    assert loads("a: 1e5\nb: 1.2e0\nc: 2E-3\nd: 1.5\n") == {"a": 1e5, "b": 1.2, "c": 2e-3, "d": 1.5}
    assert parse_scalar("1.2e0") == 1.2


def test_an_override_value_is_bounded_and_never_empty() -> None:
    with pytest.raises(InputError, match="the value is empty") as info:
        parse_scalar("", where="--set carriers.coking_coal.lhv")
    assert info.value.location == "--set carriers.coking_coal.lhv"
    start = time.perf_counter()
    with pytest.raises(InputError, match="100,000 characters"):
        parse_scalar("9" * 100_000)
    assert time.perf_counter() - start < 0.5
    with pytest.raises(InputError, match="not a finite number"):
        parse_scalar("-inf")
    assert parse_scalar("[a, b") == "[a, b"  # not YAML: stays text, the schema judges it


@pytest.mark.parametrize(
    "override",
    [
        "units.bf1.capacity=inf Mt/year",
        "target.amount=nan Mt/year",
        "target.amount=1e-320 kt/year",
        "target.amount=1e308 Mt/year",
        "target.amount=1 (t/year",
        "target.amount=1 \U0001f600",
        "target.amount=" + "9" * 5000 + " t/year",
        "carriers.coking_coal.lhv=",
        "units.bf1.availability=1e999",
    ],
)
def test_the_issues_overrides_are_exit_2(override: str) -> None:
    result = runner.invoke(app, ["balance", "psm", "--format", "json", "--set", override])
    assert result.exit_code == 2, result.output
    key = override.partition("=")[0]
    assert key in result.output
    assert "Traceback" not in result.output
    assert len(result.output) < 2000  # no 200 kB echo of the value
