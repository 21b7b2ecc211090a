"""Numbers and dates written for people: "2 walks", "Friday 4 December".

Pure: the reference day is passed in. Tables, inputs and exports keep ISO dates.
"""

from __future__ import annotations

import datetime as dt


def count(n: float, noun: str, plural: str | None = None) -> str:
    """``count(1, "walk")`` is "1 walk", ``count(2, "walk")`` is "2 walks"."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{number} {word}"


def day_in_words(day: dt.date, today: dt.date | None = None) -> str:
    """ "Friday 4 December", with the year when it is not ``today``'s year (or when
    there is no ``today`` to compare with)."""
    text = f"{day:%A} {day.day} {day:%B}"
    if today is None or day.year != today.year:
        text += f" {day.year}"
    return text


def date_in_words(day: dt.date) -> str:
    """ "28 November 2026": a date in a sentence, without its weekday."""
    return f"{day.day} {day:%B %Y}"


def share_of_plan(done: float, planned: float) -> str:
    """How much of the plan was walked, never more than all of it in percent."""
    if planned <= 0:
        return "nothing was planned"
    if done > planned:
        return "done, and more than planned"
    if done == planned:
        return "done in full"
    return f"{done / planned:.0%} of the plan"


def _offset(when: dt.datetime) -> str:
    """ "UTC+01:00": how far ``when``'s clock is from UTC."""
    minutes = round((when.utcoffset() or dt.timedelta()).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_name(when: dt.datetime) -> str:
    """The short name of the zone ``when``'s clock is in: "CET", "UTC", or its
    offset ("UTC+04:00") where the zone has no name of letters."""
    if not when.utcoffset():
        return "UTC"
    name = when.tzname() or ""
    return name if name.isalpha() else _offset(when)


def zone_in_words(when: dt.datetime) -> str:
    """The zone of a clock time for a reader anywhere: "CET (UTC+01:00)", "UTC",
    or the offset alone when the zone has no name of its own."""
    name = zone_name(when)
    offset = _offset(when)
    return name if name in {"UTC", offset} else f"{name} ({offset})"
