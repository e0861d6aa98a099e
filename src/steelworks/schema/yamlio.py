"""Read YAML as data (never code), remembering the line of every key for error messages."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from steelworks.errors import InputError

# libyaml's C loader when present (10x faster); both are safe loaders: tags never run code
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LineMap = dict[tuple[str, ...], int]


def _walk(node: yaml.Node, path: tuple[str, ...], lines: LineMap) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, str(index)), lines)


def load_yaml(path: Path, *, shared: bool = False) -> tuple[Any, LineMap]:
    """Parse ``path`` with the safe loader; return the data and a map from key path to line number.

    Parsed files are cached by path and modification time; callers get their own copy, or with
    ``shared=True`` the cached data itself, which they must not change (the scenario loader copies
    on write).
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", file=str(path)) from None
    data, lines = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    return (data if shared else copy.deepcopy(data)), lines


@lru_cache(maxsize=64)
def _load_cached(path_text: str, mtime_ns: int, size: int) -> tuple[Any, LineMap]:
    path = Path(path_text)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=str(path)) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}" if mark is not None else None
        raise InputError(
            f"YAML syntax error: {exc.problem}",
            file=str(path),
            location=line,
            allowed="valid YAML (check indentation and colons)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=str(path)) from None
    lines: LineMap = {}
    if node is not None:
        _walk(node, (), lines)
    return _unshare(data), lines


def _unshare(obj: Any) -> Any:
    """Copy without keeping shared references: YAML aliases (``*bf_inputs``) become independent copies,
    so that overriding one unit's recipe never changes another's."""
    if isinstance(obj, dict):
        return {k: _unshare(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_unshare(v) for v in obj]
    return obj


def line_of(lines: LineMap, path: tuple[str, ...]) -> int | None:
    """The line of the longest prefix of ``path`` that the map knows."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def parse_scalar(text: str) -> Any:
    """Read an override value the way YAML would (number, bool, string, list) — never evaluated."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text
