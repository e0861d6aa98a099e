"""Read YAML as data (never code), remembering the line of every key for error messages.

The reader is hardened against hostile or damaged files; each limit is a clear :class:`InputError`
naming the file and line, never a hang, a traceback or a silently changed value:

* a file is at most :data:`MAX_FILE_BYTES`, a scalar at most :data:`MAX_SCALAR_CHARS` characters and a
  number at most :data:`MAX_NUMBER_CHARS` characters (no 4,300-digit integers);
* aliases (``*name``) are expanded into independent copies, at most :data:`MAX_ALIAS_NODES` nodes in all,
  and a document is at most :data:`MAX_NODES` nodes after expansion and :data:`MAX_DEPTH` levels deep
  (a "billion laughs" alias bomb is refused in linear time);
* a key given twice in one mapping is an error naming both lines (YAML would silently keep the last);
  keys merged with ``<<: *anchor`` may be overridden by the mapping's own keys, as YAML specifies;
* a number must be finite (``.nan``, ``.inf``, ``1e999`` are refused) and, written as a bare number, within
  :data:`MAX_MAGNITUDE` and not subnormal (below :data:`MIN_MAGNITUDE`, where ratios overflow);
* the number of a quantity written as text (``"nan kWh/t"``) obeys the same rules, whether or not a run
  reads it;
* ``1e5`` and ``1.2e0`` are numbers (YAML 1.1 would read them as text).
"""

from __future__ import annotations

import copy
import hashlib
import marshal
import math
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from steelworks.errors import InputError
from steelworks.units import MAX_MAGNITUDE, MIN_MAGNITUDE

#: the largest input file read (the bundled files are below 40 kB)
MAX_FILE_BYTES = 2_000_000
#: nodes in one document after alias expansion
MAX_NODES = 200_000
#: nodes that alias expansion may add to one document
MAX_ALIAS_NODES = 20_000
#: nesting depth of mappings and lists
MAX_DEPTH = 64
#: characters in one scalar (value or key)
MAX_SCALAR_CHARS = 20_000
#: characters of a scalar read as a number
MAX_NUMBER_CHARS = 40
#: characters of an override value (``--set path=value``)
MAX_OVERRIDE_CHARS = 1_000

# libyaml's C parser when present (10x faster); both are safe loaders: tags never run code
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

#: numbers YAML 1.1 misses: an exponent without a dot or without a sign ("1e5", "1.2e0", "2E-3")
_EXPONENT_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
#: a quantity written as text: a number, a space and one unit token ("0.60 Mt/year", "nan kWh/t")
_QUANTITY = re.compile(
    r"^\s*([-+]?(?:nan|inf|infinity|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))\s+\S+\s*$", re.IGNORECASE
)
#: plain words that number parsers (pint, pydantic, float()) read as non-finite
_NON_FINITE_WORD = re.compile(r"^[-+]?(?:nan|inf|infinity)$", re.IGNORECASE)


class _Loader(_Base):
    """The safe loader, reading exponent numbers such as ``1e5`` as numbers."""


_Loader.add_implicit_resolver(_FLOAT_TAG, _EXPONENT_NUMBER, list("-+0123456789."))

LineMap = dict[tuple[str, ...], int]


class _Builder:
    """Turn a composed node graph into plain data, expanding aliases into copies under a budget."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.nodes = 0
        self.alias_nodes = 0
        self.lines: LineMap = {}
        self.expanding: set[int] = set()  # ids of nodes being built (an alias inside itself is a cycle)
        self.seen: set[int] = set()  # ids of nodes built once (a second build is an alias expansion)

    def fail(self, message: str, node: yaml.Node, path: tuple[str, ...], allowed: str | None = None) -> InputError:
        where = f"line {node.start_mark.line + 1}"
        if path:
            where += ": " + ".".join(path)
        return InputError(message, file=self.file, location=where, allowed=allowed)

    def build(self, node: yaml.Node, path: tuple[str, ...], depth: int = 0, aliased: bool = False) -> Any:
        self.nodes += 1
        if id(node) in self.seen:
            aliased = True
        if aliased:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self.fail(
                    f"alias expansion goes beyond {MAX_ALIAS_NODES:,} nodes (an alias bomb?)",
                    node,
                    path,
                    allowed="aliases that expand to a small part of the document",
                )
        if self.nodes > MAX_NODES:
            raise self.fail(f"the document has more than {MAX_NODES:,} nodes", node, path)
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node, path)
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.expanding:
            raise self.fail("an alias refers to the mapping or list that contains it", node, path)
        self.expanding.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, str(i)), depth + 1, aliased) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, path, depth, aliased)
        finally:
            self.expanding.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: tuple[str, ...], depth: int, aliased: bool) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        own: dict[Any, Any] = {}
        own_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise self.fail("'<<' must merge a mapping or a list of mappings", value_node, path)
                    for k, v in self.build(source, path, depth + 1, aliased).items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("a key must be a plain value, not a mapping or a list", key_node, path)
            key = self.scalar(key_node, path)
            line = key_node.start_mark.line + 1
            if isinstance(key, float | list | dict) or key is None:
                key = key_node.value  # keep odd keys as their text
            if key in own:
                raise self.fail(
                    f"duplicate key '{key}' (first given on line {own_lines[key]})",
                    key_node,
                    (*path, str(key)),
                    allowed="each key once per mapping",
                )
            own_lines[key] = line
            self.lines[(*path, str(key))] = line
            own[key] = self.build(value_node, (*path, str(key)), depth + 1, aliased)
        return {**merged, **own}

    def scalar(self, node: yaml.ScalarNode, path: tuple[str, ...]) -> Any:
        text = node.value
        if len(text) > MAX_SCALAR_CHARS:
            raise self.fail(f"a value of {len(text):,} characters", node, path, allowed=f"≤ {MAX_SCALAR_CHARS:,}")
        if node.tag in (_INT_TAG, _FLOAT_TAG) and len(text) > MAX_NUMBER_CHARS:
            raise self.fail(
                f"a number of {len(text):,} characters", node, path, allowed=f"≤ {MAX_NUMBER_CHARS} characters"
            )
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.fail(f"cannot read {text[:60]!r} ({exc})", node, path) from None
        plain = node.style in (None, "")
        if plain and isinstance(value, str) and _NON_FINITE_WORD.match(value.strip()):
            value = float(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            check_number(value, lambda msg, allowed: self.fail(msg, node, path, allowed))
        elif isinstance(value, str) and (quantity := _QUANTITY.match(value)):
            # the number of a quantity is checked here too, so that a value no run reads (a unit not
            # built) cannot hide a NaN; the unit is checked where the value is used
            number = quantity.group(1)
            if len(number) > MAX_NUMBER_CHARS:
                raise self.fail(f"a number of {len(number):,} characters", node, path, f"≤ {MAX_NUMBER_CHARS}")
            check_number(float(number), lambda msg, allowed: self.fail(msg, node, path, allowed))
        return value


def check_number(value: float, fail: Any) -> None:
    """Raise ``fail(message, allowed)`` unless ``value`` is finite and of a sensible size."""
    allowed = f"a finite number of magnitude {MIN_MAGNITUDE:.1e} to {MAX_MAGNITUDE:g}, or 0"
    if isinstance(value, float) and not math.isfinite(value):
        raise fail(f"{value} is not a finite number", allowed)
    if abs(value) > MAX_MAGNITUDE:
        raise fail(f"{value:g} is too large", allowed)
    if value != 0 and abs(value) < MIN_MAGNITUDE:
        raise fail(f"{value:g} is subnormal (too small to be meant)", allowed)


def _parse(text: str, file: str) -> tuple[Any, LineMap]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = f"line {mark.line + 1}" if mark is not None else None
            raise InputError(
                f"YAML syntax error: {exc.problem}",
                file=file,
                location=line,
                allowed="valid YAML (check indentation and colons)",
            ) from None
        except yaml.YAMLError as exc:
            raise InputError(f"YAML error: {exc}", file=file) from None
        except RecursionError:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels", file=file) from None
        if node is None:
            return None, {}
        builder = _Builder(loader, file)
        data = builder.build(node, ())
        return data, builder.lines
    finally:
        loader.dispose()


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
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"cannot read file ({reason})", file=str(path)) from None
    if path.is_dir():
        raise InputError("this is a directory, not a YAML file", file=str(path))
    if stat.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {stat.st_size:,} bytes", file=str(path), allowed=f"at most {MAX_FILE_BYTES:,} bytes"
        )
    data, lines = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    return (data if shared else copy.deepcopy(data)), lines


@lru_cache(maxsize=64)
def _load_cached(path_text: str, mtime_ns: int, size: int) -> tuple[Any, LineMap]:
    path = Path(path_text)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", file=str(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError("the file is too large", file=str(path), allowed=f"at most {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=str(path)) from None
    if "\x00" in text:
        raise InputError("the file holds a NUL character (a binary file?)", file=str(path))
    cached = _parse_cache(raw)
    if cached is not None:
        kept = _read_parsed(cached)
        if kept is not None:
            return kept
    parsed = _parse(text, str(path))
    if cached is not None:
        _write_parsed(cached, parsed)
    return parsed


# The parse of a file (its data and line map) is also kept on disk, keyed on the file's bytes, this module
# (its size and modification time: the reading rules), the number limits and the YAML library, so that a
# fresh process (the command line) does not parse the same file again: a parse of the bundled plant and
# carriers files is ~30 ms of a cold `steelworks balance`. A file that fails to parse is never kept (the
# error is raised anew). marshal keeps dicts in order and floats, ints and bools apart, so the data read
# back is the data parsed. STEELWORKS_NO_PARSE_CACHE=1 turns it off; STEELWORKS_CACHE_DIR moves it.
_PARSE_FORMAT = 1
#: parses kept at most (each version of each file read is one); beyond it the oldest quarter is dropped
_PARSE_CACHE_MAX = 256


def _parse_cache(raw: bytes) -> Path | None:
    """The cache file of a parse of ``raw``, or None when the cache is off."""
    if os.environ.get("STEELWORKS_NO_PARSE_CACHE"):
        return None
    try:
        here = os.stat(__file__)
    except OSError:
        return None
    limits = (MAX_NODES, MAX_ALIAS_NODES, MAX_DEPTH, MAX_SCALAR_CHARS, MAX_NUMBER_CHARS, MAX_MAGNITUDE, MIN_MAGNITUDE)
    reader = (_PARSE_FORMAT, here.st_mtime_ns, here.st_size, getattr(yaml, "__version__", ""), _Base.__name__)
    rules = repr((*reader, *limits, sys.version_info[:2], marshal.version))
    digest = hashlib.sha256(rules.encode() + b"\x00" + raw).hexdigest()[:32]
    base = os.environ.get("STEELWORKS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "steelworks"
    )
    return Path(base) / "yaml" / f"{digest}.marshal"


def _read_parsed(path: Path) -> tuple[Any, LineMap] | None:
    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # absent or damaged: parse the file
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict)):
        return None
    return kept[0], kept[1]


def _write_parsed(path: Path, parsed: tuple[Any, LineMap]) -> None:
    """Keep a parse (atomically; a value marshal cannot hold, e.g. a date, or a failed write keeps nothing)."""
    try:
        blob = marshal.dumps(parsed)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
        kept = list(path.parent.glob("*.marshal"))
        if len(kept) > _PARSE_CACHE_MAX:
            by_age = sorted(kept, key=lambda f: f.stat().st_mtime_ns)
            for old in by_age[: len(kept) - _PARSE_CACHE_MAX * 3 // 4]:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


def loads(text: str, file: str = "<text>") -> Any:
    """Parse YAML text with the same rules as :func:`load_yaml` (no line map)."""
    return _parse(text, file)[0]


def line_of(lines: LineMap, path: tuple[str, ...]) -> int | None:
    """The line of the longest prefix of ``path`` that the map knows."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def parse_scalar(text: str, where: str | None = None) -> Any:
    """Read an override value the way YAML would (number, bool, string, list) — never evaluated.

    An empty value, a value longer than :data:`MAX_OVERRIDE_CHARS` and a number that is not finite
    or absurdly large are errors naming ``where``; text that is not valid YAML stays text.
    """
    location = where or "--set"
    if not text.strip():
        raise InputError("the value is empty", location=location, allowed="a number, a quantity or a name")
    if len(text) > MAX_OVERRIDE_CHARS:
        raise InputError(
            f"the value is {len(text):,} characters long",
            location=location,
            allowed=f"at most {MAX_OVERRIDE_CHARS:,} characters",
        )
    try:
        value = _parse(text, "--set")[0]
    except InputError as exc:
        if exc.message.startswith(("YAML syntax error", "YAML error")):
            return text
        raise InputError(exc.message, location=location, allowed=exc.allowed) from None
    if value is None:  # as an empty value: an override sets a value; leaving a field unset is the file's job
        raise InputError(
            f"{text.strip()!r} is YAML's null, not a value",
            location=location,
            allowed="a number, a quantity or a name (to leave an optional field unset, leave it out of the file)",
        )
    return value


def find_bundled(name_or_path: str | Path, directory: Path, what: str, option: str) -> Path:
    """A bundled data file by name (``directory/<name>.yaml``) or a path to one (a name ending in
    ``.yaml``/``.yml`` or an existing path); ``what`` names the kind of file in messages (``plan``)."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise InputError(f"no such {what} file '{path}'", location=option, allowed=f"a {what} YAML file")
        return path
    bundled = directory / f"{name_or_path}.yaml"
    if not bundled.is_file():
        names = ", ".join(sorted(p.stem for p in directory.glob("*.yaml"))) or "none bundled"
        raise InputError(f"no bundled {what} '{name_or_path}'", location=option, allowed=names)
    return bundled
