"""The shape every benchmark reports in, and helpers to measure with."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure beside the reference it is judged against."""

    name: str
    value: float
    unit: str
    reference: str
    ok: bool


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Run ``fn`` once; return its result and the wall time in seconds."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed run)."""
    return min(timed(fn)[1] for _ in range(repeats))
