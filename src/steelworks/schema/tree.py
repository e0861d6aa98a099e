"""The parameter tree: one address space for everything a user can set, one way to set it.

``steelworks params`` lists the tree, ``--set path=value`` and a scenario's ``overrides`` address
it, the dashboard edits it and the risk engine samples it. It has four branches, each backed by
its files:

==========  ==========================================================  =============================
branch      paths                                                       file
==========  ==========================================================  =============================
works       ``units.<id>.*`` (incl. ``units.<id>.model.params.*``,      plant, carriers and scenario
            the physics), ``carriers.<id>.*``, ``market.*``,            files
            ``grid.*``, ``supply.*``, ``credits.*``, ``demand.*``,
            ``target.*``
prices      ``prices.<carrier>.*`` (the deck's price table) and         the price deck
            ``prices.fx.*``, ``prices.escalation.*``, ... (its top
            level)
option      ``option.*`` (the plan and its non-works costs)             the option file
finance     ``finance.*``                                               the finance settings
==========  ==========================================================  =============================

:func:`route` says which branch (and which path inside its file's tree) a dotted path addresses;
:func:`set_path` is the only function that writes an override into a tree; and
:func:`validation_error` is the only translator of a schema violation into an
:class:`~steelworks.errors.InputError` naming file, field and what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from steelworks.errors import InputError
from steelworks.schema.yamlio import parse_scalar

WORKS = "works"
#: the branches other than the works, by the first key of their paths
ECONOMICS_BRANCHES = ("prices", "option", "finance")
#: top-level keys of a price deck other than its price table: ``prices.fx...`` addresses ``fx`` of the deck
DECK_TOP_LEVEL = ("fx", "escalation", "cost_year", "price_escalation")

#: member types pydantic puts into the location of an error inside a union
_UNION_TAGS = {"str", "float", "int", "bool", "list[str]", "literal['all']", "dict[str,any]"}
_NUMBER_TAGS = {"constrained-float", "float", "int", "str"}


def route(dotted: str) -> tuple[str, str]:
    """(branch, path inside the branch's file tree) of a dotted path.

    >>> route("units.bf1.model.params.blast_temperature_c")
    ('works', 'units.bf1.model.params.blast_temperature_c')
    >>> route("prices.iron_ore_fines.price")
    ('prices', 'prices.iron_ore_fines.price')
    >>> route("prices.fx.PKR.per_usd")
    ('prices', 'fx.PKR.per_usd')
    >>> route("finance.discount_rate.value")
    ('finance', 'discount_rate.value')
    """
    head, _, rest = dotted.partition(".")
    if head not in ECONOMICS_BRANCHES:
        return WORKS, dotted
    if head == "prices":
        return head, rest if rest.split(".")[0] in DECK_TOP_LEVEL else dotted
    return head, rest


def override_items(overrides: Iterable[str] | Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Overrides as (dotted path, value): from a mapping, or from ``"path=value"`` strings read as YAML scalars."""
    if isinstance(overrides, Mapping):
        return [(str(k), v) for k, v in overrides.items()]
    items = []
    seen: set[str] = set()
    for text in overrides:
        if "=" not in text:
            raise InputError(
                f"override {text!r} is not of the form path=value",
                location="--set",
                allowed="e.g. units.bf1.availability=0.85",
            )
        key, _, value = text.partition("=")
        key = key.strip()
        if key in seen:
            raise InputError(
                f"'{key}' is set twice; only one value can take effect", location="--set", allowed="each path once"
            )
        seen.add(key)
        items.append((key, parse_scalar(value.strip(), where=f"--set {key}")))
    return items


def split_by_branch(overrides: Iterable[str] | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Overrides grouped by branch, each keyed by its path inside the branch's file tree."""
    out: dict[str, dict[str, Any]] = {WORKS: {}, **{b: {} for b in ECONOMICS_BRANCHES}}
    for key, value in override_items(overrides):
        branch, path = route(key)
        out[branch][path] = value
    return out


def set_path(
    tree: dict[str, Any],
    dotted: str,
    value: Any,
    *,
    may_add: Callable[[list[str], str], bool] = lambda parents, key: False,
    allowed_at: Callable[[list[str]], Iterable[str]] = lambda parents: (),
    file: str | None = None,
) -> None:
    """Set ``tree[dotted path] = value`` in place: the one override function.

    Every key on the way must exist, except where ``may_add(parent path, key)`` allows a new one (a
    field the schema allows there but the file leaves at its default, or a new key of an open mapping
    such as ``demand``); a typo is an error naming the keys that exist (``allowed_at`` adds the schema's
    fields to them). Numeric keys index lists.
    """
    parts = dotted.split(".")
    node: Any = tree
    for depth, part in enumerate(parts):
        parents, last = parts[:depth], depth == len(parts) - 1
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            if last:
                node[int(part)] = value
                return
            node = node[int(part)]
            continue
        if not isinstance(node, dict):
            raise InputError(f"'{'.'.join(parents)}' is a value, not a section", file=file, location=dotted)
        if part not in node:
            if not may_add(parents, part):
                known = sorted({*map(str, node), *allowed_at(parents)})
                raise InputError(
                    f"override path '{dotted}' does not exist (no '{part}' here)",
                    file=file,
                    location=dotted,
                    allowed=f"keys at '{'.'.join(parents) or '<top>'}': {', '.join(known) or '(none)'}",
                )
            node[part] = value if last else {}
        if last:
            node[part] = value
            return
        node = node[part]


def validation_error(
    exc: ValidationError,
    *,
    file: str | None = None,
    prefix: tuple[str, ...] = (),
    locate: Callable[[tuple[str, ...]], tuple[str | None, str]] | None = None,
) -> InputError:
    """The first schema violation as an :class:`InputError`: the one translator for every file.

    ``locate`` maps the dotted path of the violation to (file, "line N: path") where the caller
    knows the lines (scenario, plant and carriers files); otherwise the path itself is the location.
    """
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = tuple(str(p) for p in err.get("loc", ()) if not str(p).startswith("function-"))
    ctx = err.get("ctx") or {}
    if ctx.get("field"):  # a model-level check names the field it found wrong
        loc = (*loc, *str(ctx["field"]).split("."))
    in_union = any(p in _UNION_TAGS for p in loc)
    path = prefix + tuple(p for p in loc if p not in _UNION_TAGS and p not in _NUMBER_TAGS)
    where_file, where = locate(path) if locate is not None else (file, ".".join(path))
    kind = err.get("type", "")
    message = str(err.get("msg", "invalid value"))
    allowed: str | None = ctx.get("allowed") or None
    if kind == "literal_error":
        allowed = str(ctx.get("expected", ""))
    elif kind == "extra_forbidden":
        message = f"unknown field '{path[-1]}'"
        allowed = allowed or "only the documented keys of this record"
    elif kind == "missing":
        message = f"required field '{path[-1]}' is missing"
    elif in_union:
        message = f"expected a quantity such as '450 kg/t' or a number, got {err.get('input')!r}"
    elif any(k in ctx for k in ("ge", "gt", "le", "lt")):
        allowed = " and ".join(
            f"{op} {ctx[key]}" for key, op in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")) if key in ctx
        )
    distinct = {tuple(str(p) for p in e["loc"] if str(p) not in _UNION_TAGS) for e in errors}
    if len(distinct) > 1:
        n_more = len(distinct) - 1
        message += f" (and {n_more} more problem{'s' if n_more > 1 else ''})"
    return InputError(message, file=where_file, location=where or None, allowed=allowed)


def record_fields(model: type[BaseModel] | None) -> set[str]:
    return set(model.model_fields) if model is not None else set()
