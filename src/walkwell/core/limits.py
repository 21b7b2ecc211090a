"""Input limits and domain validation: one problem, one field, one plain sentence.

Services raise ``ValidationProblem`` before anything is written, so the CLI, the web
pages and the API can all show the same message and nothing is ever half-stored.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from walkwell.core.model import Footwear, Pace, Terrain
from walkwell.core.safety import unknown_ids

if TYPE_CHECKING:  # the command line reads these limits before any protocol
    from walkwell.core.protocol import Protocol

E = TypeVar("E", bound=StrEnum)

# What a person can enter, the same in the services, the simulator and the forms.
RATING_MAX = 10  # pain, sleep, focus: 0 to 10
MAX_WALK_MINUTES = 600.0  # a walk, and the baseline (at least 1 minute)
MIN_BASELINE_MINUTES = 1.0
MIN_TYPED_WALK_MINUTES = 1  # a walk typed on the page; an import may be shorter
MAX_LOAD_KG = 20.0  # a daypack; past this it is not the light load the plan allows
MAX_STIFFNESS_MINUTES = 1440  # morning stiffness, at most a whole day
MAX_CLEARED_BY = 200  # who cleared the person, in characters
MAX_REASON = 1000  # a clinician's reason for an action, in characters


FieldKind = Literal["date", "number", "rating", "choice", "signs", "yes_no"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a person enters: its kind, its range, and how it is asked.

    ``help`` is the command line's option help, ``label`` the page form's label and
    ``flag`` the command line's option; ``low``/``high``/``unit`` bound a number.
    """

    name: str
    kind: FieldKind
    flag: str
    help: str = ""
    label: str = ""
    low: float = 0
    high: float = 0
    unit: str = ""
    choices: type[StrEnum] | None = None
    optional: bool = False


def _one_of(enum: type[StrEnum]) -> str:
    values = [m.value for m in enum]
    return f"{', '.join(values[:-1])} or {values[-1]}."


# The walk's fields, defined once: the services check them, the simulator's JSON
# bounds them, the page form and the command line ask for them from here, and a
# test holds the core ``Walk`` and the stored table to the same names.
WALK_SPEC: tuple[FieldSpec, ...] = (
    FieldSpec("date", "date", "--date", label="Date of the walk"),
    FieldSpec(
        "minutes",
        "number",
        "--minutes",
        help="How long you walked, in minutes.",
        label="Minutes walked",
        high=MAX_WALK_MINUTES,
        unit="minutes",
    ),
    FieldSpec(
        "terrain", "choice", "--terrain", _one_of(Terrain), "Ground", choices=Terrain
    ),
    FieldSpec("pace", "choice", "--pace", _one_of(Pace), "Pace", choices=Pace),
    FieldSpec(
        "pain_before",
        "rating",
        "--pain-before",
        help="Pain before the walk, 0 (none) to 10.",
        label="Pain before the walk",
        high=RATING_MAX,
        optional=True,
    ),
    FieldSpec(
        "pain_during",
        "rating",
        "--pain-during",
        help="Worst pain during the walk, 0 to 10.",
        label="Highest pain during the walk",
        high=RATING_MAX,
        optional=True,
    ),
    FieldSpec(
        "pain_after",
        "rating",
        "--pain-after",
        help="Pain just after the walk, 0 to 10.",
        label="Pain just after the walk",
        high=RATING_MAX,
        optional=True,
    ),
    FieldSpec("warning_signs", "signs", "--warning-sign", optional=True),
    FieldSpec(
        "cooldown",
        "yes_no",
        "--no-cooldown",
        help="You skipped the 2-minute cooldown.",
        label="Did you do the 2-minute standing decompression afterwards?",
    ),
    FieldSpec(
        "load_kg",
        "number",
        "--load-kg",
        help=f"Weight carried (a daypack), 0 to {MAX_LOAD_KG:g} kg.",
        label="Daypack weight",
        high=MAX_LOAD_KG,
        unit="kg",
    ),
    FieldSpec(
        "footwear",
        "choice",
        "--footwear",
        _one_of(Footwear),
        "Shoes",
        choices=Footwear,
        optional=True,
    ),
)
WALK: Mapping[str, FieldSpec] = {spec.name: spec for spec in WALK_SPEC}


class ValidationProblem(ValueError):  # noqa: N818 - a problem to show, not a crash
    """A value that cannot be stored: which field, and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def rating(field: str, value: int) -> int:
    """A 0-10 rating (pain, sleep, focus), as a whole number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= RATING_MAX
    ):
        raise ValidationProblem(
            field, f"must be a whole number from 0 to {RATING_MAX} (got {value})"
        )
    return value


def optional_rating(field: str, value: int | None) -> int | None:
    """A 0-10 rating that may be left unanswered (an imported walk's pain)."""
    return None if value is None else rating(field, value)


def optional_yes_no(field: str, value: bool | None) -> bool | None:
    """A yes/no answer that may be left unanswered."""
    if value is not None and not isinstance(value, bool):
        raise ValidationProblem(field, f"must be yes or no (got {value!r})")
    return value


def number(field: str, value: float, *, low: float, high: float, unit: str) -> float:
    """A measured quantity within a plausible range."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isnan(value)
    ):
        raise ValidationProblem(
            field, f"must be a number from {low:g} to {high:g} {unit}"
        )
    if not low <= value <= high:
        raise ValidationProblem(
            field, f"must be from {low:g} to {high:g} {unit} (got {value:g})"
        )
    return float(value)


def stiffness(field: str, value: int) -> int:
    """Minutes of morning stiffness."""
    return whole(field, value, low=0, high=MAX_STIFFNESS_MINUTES, unit="minutes")


def walk_minutes(value: float, *, unit: str = "minutes") -> float:
    spec = WALK["minutes"]
    return number(spec.name, value, low=spec.low, high=spec.high, unit=unit)


def baseline_minutes(value: float) -> float:
    return number(
        "baseline_minutes",
        value,
        low=MIN_BASELINE_MINUTES,
        high=MAX_WALK_MINUTES,
        unit="minutes",
    )


def load_kg(value: float) -> float:
    spec = WALK["load_kg"]
    return number(spec.name, value, low=spec.low, high=spec.high, unit=spec.unit)


def walk_value(spec: FieldSpec, value: Any) -> Any:
    """A walk's number, rating or choice checked against its spec (a choice as its
    text; an optional choice left empty as ``""``); other kinds as given."""
    if spec.kind == "number":
        return number(spec.name, value, low=spec.low, high=spec.high, unit=spec.unit)
    if spec.kind == "rating":
        return (
            optional_rating(spec.name, value)
            if spec.optional
            else rating(spec.name, value)
        )
    if spec.kind == "choice" and spec.choices is not None:
        if spec.optional and not value:
            return ""
        return choice(spec.name, value, spec.choices).value
    return value


def whole(field: str, value: int, *, low: int, high: int, unit: str) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValidationProblem(
            field, f"must be a whole number from {low} to {high} {unit} (got {value})"
        )
    return value


def choice(field: str, value: str, enum: type[E]) -> E:
    """One of an enumeration's values, named in the refusal."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ValidationProblem(
            field, f"must be one of {allowed} (got {value!r})"
        ) from None


def signs(
    protocol: Protocol, field: str, values: Iterable[str], *, red_flags: bool
) -> list[str]:
    """Warning-sign or red-flag identifiers the protocol defines, without repeats."""
    given = list(dict.fromkeys(values))
    kind = {"red_flags": given} if red_flags else {"warning_signs": given}
    bad = unknown_ids(protocol, **kind)
    if bad:
        allowed = protocol.red_flag_ids if red_flags else protocol.warning_sign_ids
        raise ValidationProblem(
            field, f"unknown {', '.join(map(repr, bad))}; allowed: {', '.join(allowed)}"
        )
    return given


def not_before(field: str, value: dt.date, start: dt.date) -> dt.date:
    if value < start:
        raise ValidationProblem(
            field,
            f"must be on or after the program's start, {start} (got {value})",
        )
    return value


def not_in_future(field: str, value: dt.date, today: dt.date) -> dt.date:
    """A day that has come: ``today`` (the person's own day, passed in) or earlier.

    Every dated record (a walk, a check-in, a sign, a clearance, a screening, a
    go-ahead, the answers to the measures, the plan's start) is held to it, from a
    form, the API and the command line alike."""
    if value > today:
        raise ValidationProblem(
            field, f"is in the future ({value.isoformat()}); give today or earlier"
        )
    return value


IDEMPOTENCY_KEY = re.compile(r"[0-9a-f]{32}")


def idempotency_key(key: str, *, what: str) -> str:
    """A key the caller chose so that a write sent twice is stored once: 32
    lowercase hexadecimal characters (a UUID's hex), or none. A form makes one
    itself with every render; the API's callers make their own. ``what`` names the
    write in the message ("walk", "note").
    """
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationProblem(
            "idempotency_key",
            f"the {what}'s idempotency key must be 32 lowercase hexadecimal "
            f"characters (0-9 and a-f), or left out (got {key[:40]!r}); "
            f"from the {what} form, reload the page and send it again",
        )
    return key


def parse_date(field: str, text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    try:
        return (
            dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(field, text)
        )
    except ValueError:
        return _bad_date(field, text)


def _bad_date(field: str, text: str) -> dt.date:
    raise ValidationProblem(field, f"must be a date written YYYY-MM-DD (got {text!r})")
