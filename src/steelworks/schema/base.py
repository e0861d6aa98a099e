"""What every schema record shares: strict records (no unknown keys, frozen, no NaN/infinity, no
true/false where a number is meant — issue 9)."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, field_validator


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


def _allows_bool(annotation: Any) -> bool:
    if annotation is bool or annotation is Any:
        return True
    return any(_allows_bool(arg) for arg in get_args(annotation))


class _Strict(BaseModel):
    # no NaN or infinity, and no true/false taken as 1/0 where a number is meant (issue 9)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_as_number(cls, value: Any, info: Any) -> Any:
        if not _holds_bool(value):  # no true/false anywhere in it (most values): nothing to look up
            return value
        field = cls.model_fields.get(info.field_name)
        if field is not None and _stray_bool(value, field.annotation):
            if isinstance(value, bool):
                raise ValueError(f"expected a value of this field's type, got {str(value).lower()}")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            keys = [str(k) for k, v in items if isinstance(v, bool)]
            raise ValueError(f"true/false is not a value of this field's type (at {', '.join(keys[:5])})")
        return value


def _holds_bool(value: Any) -> bool:
    """True or false is the value, or an item of its (nested) mappings and lists: only then can
    :func:`_stray_bool` find one."""
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_holds_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_bool(v) for v in value)
    return False


def _checks_itself(annotation: Any) -> bool:
    """An item type such as :data:`Fraction` refuses a bool itself, with the item's own location."""
    return any(getattr(meta, "func", None) is _not_bool for meta in get_args(annotation)[1:])


def _stray_bool(value: Any, annotation: Any) -> bool:
    """True or false where the field (or the items of its mapping or list) wants no bool."""
    if isinstance(value, bool):
        return not _allows_bool(annotation) and not _checks_itself(annotation)
    if isinstance(value, dict | list):
        for member in (annotation, *get_args(annotation)):  # dict[str, float] | None, Annotated[...]
            origin, args = get_origin(member), get_args(member)
            if origin is dict and len(args) == 2:
                return any(_stray_bool(v, args[1]) for v in value.values()) if isinstance(value, dict) else False
            if origin is list and len(args) == 1:
                return any(_stray_bool(v, args[0]) for v in value) if isinstance(value, list) else False
    return False
