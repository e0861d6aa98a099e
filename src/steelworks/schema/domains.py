"""What each settable field allows, read from the schema's own declarations (``steelworks params``).

A field's domain is declared once, on its type: pydantic constraints (``Field(ge=0, le=1)``),
``Literal`` choices, or, for a quantity that is read in its unit only when the plant is built, a
:class:`Domain` marker that the converter checks (``plant.build`` calls :meth:`Domain.allows`).
:func:`field_domain` finds the type of any parameter-tree path and says what it allows.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


@dataclass(frozen=True)
class Domain:
    """The allowed values of a quantity checked after conversion: ``low`` < (or <=) value <= ``high``."""

    low: float = -math.inf
    low_open: bool = False
    high: float = math.inf

    def allows(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        return bool(math.isfinite(value) and above and value <= self.high)

    @property
    def text(self) -> str:
        parts = []
        if self.low > -math.inf:
            parts.append(f"{'>' if self.low_open else '>='} {self.low:g}")
        if self.high < math.inf:
            parts.append(f"<= {self.high:g}")
        return "a finite quantity " + " and ".join(parts) if parts else "a finite quantity"


NON_NEGATIVE = Domain(low=0.0)
POSITIVE = Domain(low=0.0, low_open=True)

_BOUNDS = (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="))


def _members(annotation: Any) -> list[Any]:
    """The types a field accepts, without ``None`` (``X | None`` is an optional X)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _describe(annotation: Any, metadata: list[Any]) -> str:
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _describe(base, [*metadata, *extra])
    for meta in metadata:
        if isinstance(meta, Domain):
            return meta.text
    flat = [inner for m in metadata for inner in (getattr(m, "metadata", None) or [m])]  # FieldInfo holds its own
    bounds = [f"{op} {getattr(m, key):g}" for m in flat for key, op in _BOUNDS if getattr(m, key, None) is not None]
    members = _members(annotation)
    if len(members) > 1:
        return " or ".join(dict.fromkeys(_describe(m, metadata) for m in members))
    kind = members[0]
    if get_origin(kind) is Annotated:  # Optional[Annotated[...]]
        return _describe(kind, metadata)
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(str(a) for a in get_args(kind))
    name = getattr(kind, "__name__", str(kind))
    if name == "Money":
        return "money '<number> <currency>[/<unit>]', >= 0"
    label = {"float": "a number", "int": "an integer", "bool": "true or false", "str": "text"}.get(name, name)
    if get_origin(kind) is list:
        label = "a list"
    return f"{label} {' and '.join(bounds)}".strip() if bounds else label


def _descend(annotation: Any, parts: list[str]) -> tuple[Any, list[Any]] | None:
    """The type (and constraints) at ``parts`` below ``annotation``; ``None`` if the path leaves it."""
    metadata: list[Any] = []
    while parts:
        if get_origin(annotation) is Annotated:
            annotation, *extra = get_args(annotation)
            metadata = [*metadata, *extra]
            continue
        step = None
        for member in _members(annotation):
            if isinstance(member, type) and issubclass(member, BaseModel) and parts[0] in member.model_fields:
                field = member.model_fields[parts[0]]
                step = (field.annotation, list(field.metadata))
                break
            if get_origin(member) is dict:
                step = (get_args(member)[1], [])
                break
        if step is None:
            return None
        annotation, metadata = step
        parts = parts[1:]
    return annotation, metadata


def field_domain(root: Any, path: str) -> str:
    """What the field at dotted ``path`` (inside a file whose record type is ``root``) allows, or ''."""
    found = _descend(root, path.split("."))
    return _describe(*found) if found is not None else ""
