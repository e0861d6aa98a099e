"""Numbers over samples, located errors and the per-sample feasibility check every model shares.

A check either raises (one run, the plant build) or, inside :func:`masked` (a batch), marks the
offending samples infeasible with their reason and lets the others carry on. This module needs nothing
of the models' tables (:mod:`steelworks.physics.base` builds on it); :mod:`steelworks.physics.common`
re-exports it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError

Array = NDArray[np.float64]


def num(x: object) -> Array:
    """``x`` as float: a numpy scalar when it is a single value (fast arithmetic), else an array."""
    arr = np.asarray(x, dtype=float)
    return arr[()] if arr.ndim == 0 else arr


def shaped(value: object, shape: tuple[int, ...]) -> Array:
    """A fresh float array of ``shape`` holding ``value`` (broadcast)."""
    arr = np.asarray(value, dtype=float)
    return arr.copy() if arr.shape == shape else np.broadcast_to(arr, shape).copy()


# --------------------------------------------------------------------------------------------
# errors and per-sample feasibility
# --------------------------------------------------------------------------------------------


def fail(where: str, name: str, message: str, allowed: str | None = None) -> InputError:
    """An InputError located at ``<where>.<name>``."""
    return InputError(message, location=f"{where}.{name}", allowed=allowed)


@dataclass(frozen=True)
class OneSample:
    """One offending sample of a batch (its index in the batch shape), as message functions receive it."""

    shape: tuple[int, ...]
    index: tuple[int, ...]


#: what a message function receives: the mask of offending samples (one run) or one of them (a batch)
Bad = NDArray[np.bool_] | OneSample


def first_bad(value: object, bad: object) -> float:
    """First offending sample of ``value`` (for messages); ``bad`` is a mask or a :class:`OneSample`."""
    if isinstance(bad, OneSample):
        return float(np.broadcast_to(num(value), bad.shape)[bad.index])
    mask = np.asarray(bad, dtype=bool)
    arr = np.broadcast_to(num(value), mask.shape)
    return float(arr[mask].ravel()[0]) if mask.ndim else float(arr)


def any_bad(condition: object, bad: Bad) -> bool:
    """Whether ``condition`` holds for any offending sample (a mask or a :class:`OneSample`)."""
    if isinstance(bad, OneSample):
        return bool(np.broadcast_to(np.asarray(condition, dtype=bool), bad.shape)[bad.index])
    mask = np.asarray(bad, dtype=bool)
    return bool(np.any(np.broadcast_to(np.asarray(condition, dtype=bool), mask.shape)[mask]))


#: a message part: a fixed string, or a function of the offending samples (:data:`Bad`)
Text = str | Callable[[Bad], str]


@dataclass
class Feasibility:
    """Per-sample record of the checks that failed while a model ran under :func:`masked`.

    ``ok`` is False for a sample once any check failed for it; ``reason`` holds the first
    failure, written as ``"<location>: <message> (allowed: ...)"``; both broadcast to the
    batch shape as checks on larger arrays arrive.
    """

    ok: NDArray[np.bool_] = field(default_factory=lambda: np.ones((), dtype=bool))
    reason: NDArray[np.object_] = field(default_factory=lambda: np.full((), "", dtype=object))

    def record(self, bad: NDArray[np.bool_], where: str, name: Text, message: Text, allowed: Text | None) -> None:
        shape = np.broadcast_shapes(self.ok.shape, bad.shape)
        if shape != self.ok.shape:
            self.ok = np.broadcast_to(self.ok, shape).copy()
            self.reason = np.broadcast_to(self.reason, shape).copy()
        new = np.broadcast_to(bad, shape) & self.ok
        for idx in zip(*np.nonzero(new), strict=True) if new.ndim else ([()] if new else []):
            one = OneSample(shape, tuple(int(i) for i in idx))
            text = f"{where}.{_text(name, one)}: {_text(message, one)}"
            if allowed is not None:
                text += f" (allowed: {_text(allowed, one)})"
            self.reason[idx] = text
        self.ok = self.ok & ~new

    def final(self, shape: tuple[int, ...]) -> tuple[NDArray[np.bool_], NDArray[np.object_]]:
        """(feasible, reason) broadcast to the result's ``shape``."""
        shape = np.broadcast_shapes(shape, self.ok.shape)
        return np.broadcast_to(self.ok, shape).copy(), np.broadcast_to(self.reason, shape).copy()


def _text(part: Text, mask: Bad) -> str:
    return part(mask) if callable(part) else part


_FEASIBILITY: ContextVar[Feasibility | None] = ContextVar("steelworks_physics_feasibility", default=None)


@contextlib.contextmanager
def masked() -> Iterator[Feasibility]:
    """Run models with per-sample checks recorded (not raised); numpy warnings of masked samples are silenced."""
    record = Feasibility()
    token = _FEASIBILITY.set(record)
    try:
        with np.errstate(all="ignore"):
            yield record
    finally:
        _FEASIBILITY.reset(token)


def masking() -> bool:
    """True inside :func:`masked`."""
    return _FEASIBILITY.get() is not None


def infeasible(bad: object, where: str, name: Text, message: Text, allowed: Text | None = None) -> None:
    """The samples where ``bad`` holds have no solution.

    Outside :func:`masked` (one run, the plant build) this raises the InputError located at
    ``<where>.<name>``; ``name``, ``message`` and ``allowed`` may be functions of the mask of
    offending samples (to quote the first offending value). Inside :func:`masked` (a batch) it
    marks those samples infeasible with the same message for each, and the model carries on with
    the others (the masked samples' numbers are then meaningless).
    """
    mask = np.asarray(bad, dtype=bool)
    if not np.any(mask):
        return
    record = _FEASIBILITY.get()
    if record is None:
        raise fail(where, _text(name, mask), _text(message, mask), None if allowed is None else _text(allowed, mask))
    record.record(mask, where, name, message, allowed)
