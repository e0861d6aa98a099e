"""The on-disk cache of YAML parses (schema.yamlio): a fresh process reads a file it parsed before without
parsing it again, gets exactly the data and line map of a parse, and never a stale or damaged one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from steelworks.errors import InputError
from steelworks.schema import yamlio

SRC = str(Path(__file__).resolve().parents[1] / "src")

TEXT = """\
base: &base {a: 1, b: 1.0, c: true, d: -0.0}
plant:
  <<: *base
  name: "1e5"
  count: 1e5
  items: [1, 2.5, "x", null, false]
  nested: {deep: {deeper: [a, {k: 3}]}}
  text: 0.60 Mt/year
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STEELWORKS_CACHE_DIR", str(folder))
    monkeypatch.delenv("STEELWORKS_NO_PARSE_CACHE", raising=False)
    yamlio._load_cached.cache_clear()  # the in-memory cache in front of the disk
    return folder


def _typed(value: Any) -> Any:
    """The value with every leaf's type beside it (1, 1.0 and True compare equal; the cache keeps them apart)."""
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]  # order included
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, repr(value))


def _no_parse(*_: object) -> Any:
    raise AssertionError("parsed again")


def test_a_kept_parse_is_the_parse_and_no_second_parse_is_made(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(TEXT, encoding="utf-8")
    parsed, lines = yamlio.load_yaml(file)
    assert parsed["plant"]["count"] == 1e5 and parsed["plant"]["name"] == "1e5" and parsed["plant"]["c"] is True
    assert len(list((cache / "yaml").glob("*.marshal"))) == 1
    yamlio._load_cached.cache_clear()
    monkeypatch.setattr(yamlio, "_parse", _no_parse)
    again, again_lines = yamlio.load_yaml(file)
    assert _typed(again) == _typed(parsed)
    assert again_lines == lines and list(again_lines) == list(lines)


def test_a_changed_file_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(TEXT, encoding="utf-8")
    yamlio.load_yaml(file)
    file.write_text(TEXT.replace("count: 1e5", "count: 2e5"), encoding="utf-8")
    yamlio._load_cached.cache_clear()
    parsed, _ = yamlio.load_yaml(file)
    assert parsed["plant"]["count"] == 2e5


def test_a_damaged_cache_file_is_ignored(tmp_path: Path, cache: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(TEXT, encoding="utf-8")
    first, _ = yamlio.load_yaml(file)
    (kept,) = (cache / "yaml").glob("*.marshal")
    for damage in (b"", b"\x00garbage", kept.read_bytes()[:20]):
        kept.write_bytes(damage)
        yamlio._load_cached.cache_clear()
        again, _ = yamlio.load_yaml(file)
        assert _typed(again) == _typed(first)


def test_a_file_that_fails_is_never_kept_and_fails_again(tmp_path: Path, cache: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        yamlio._load_cached.cache_clear()
        with pytest.raises(InputError, match="duplicate key"):
            yamlio.load_yaml(file)
    assert not list(cache.rglob("*.marshal"))


def test_a_value_the_cache_cannot_hold_is_parsed_every_time(tmp_path: Path, cache: Path) -> None:
    file = tmp_path / "dated.yaml"
    file.write_text("when: 2025-01-31\n", encoding="utf-8")
    parsed, _ = yamlio.load_yaml(file)
    assert str(parsed["when"]) == "2025-01-31"
    assert not list(cache.rglob("*.marshal"))


def test_the_cache_can_be_turned_off(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEELWORKS_NO_PARSE_CACHE", "1")
    file = tmp_path / "a.yaml"
    file.write_text(TEXT, encoding="utf-8")
    yamlio.load_yaml(file)
    assert not cache.exists()


def test_a_fresh_process_gives_the_balance_of_a_process_that_parsed(tmp_path: Path) -> None:
    environ = {**os.environ, "PYTHONPATH": SRC, "STEELWORKS_CACHE_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "steelworks", "balance", "psm", "--format", "json"]
    first = subprocess.run(cmd, env=environ, capture_output=True, text=True, check=True).stdout
    assert list((tmp_path / "yaml").glob("*.marshal"))  # the scenario, plant and carriers files kept
    second = subprocess.run(cmd, env=environ, capture_output=True, text=True, check=True).stdout
    off = {**environ, "STEELWORKS_NO_PARSE_CACHE": "1", "STEELWORKS_NO_UNIT_CACHE": "1"}
    plain = subprocess.run(cmd, env=off, capture_output=True, text=True, check=True).stdout
    assert first == second == plain


def test_the_cache_keeps_a_bounded_number_of_parses(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "_PARSE_CACHE_MAX", 4)
    for i in range(9):  # every version of a file is a parse of its own
        file = tmp_path / f"f{i}.yaml"
        file.write_text(f"value: {i}\n", encoding="utf-8")
        assert yamlio.load_yaml(file)[0] == {"value": i}
        assert len(list((cache / "yaml").glob("*.marshal"))) <= 4
