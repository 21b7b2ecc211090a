"""Daily step totals, as Apple Health and Health Connect exports give them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree

from walkwell.importers.base import DailySteps

STEP_COUNT = "HKQuantityTypeIdentifierStepCount"
MAX_RECORD_STEPS = 1e9  # more in one record is damage (and inf or nan is no count)


def parse_day(text: str) -> dt.date | None:
    """The ``YYYY-MM-DD`` a record starts on, or None when it is damaged."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class StepTally:
    """Step counts summed per (day, source); a day's count is its busiest source.

    An iPhone and an Apple Watch worn together both count the same steps, and
    each writes its own records, so summing sources double-counts a walk. Apple's
    own app merges overlapping samples by source priority; without the user's
    priority list, the usual approach (also taken by QS Access and most export
    tools) is to sum each source over the day and keep the source with the
    highest total. The day is the local calendar day of the record's start, as
    written in the export (its own UTC offset), so a walk is never moved to
    another day by the server's time zone.

    Totals are kept in whole thousandths of a step: integer sums do not depend on
    the order they are added in, so an export read in pieces (``apple_health_split``)
    sums to exactly what one pass gives. Values that are not finite numbers are
    ignored, as damaged ones are.
    """

    def __init__(self) -> None:
        self.totals: dict[tuple[str, str], int] = {}

    def add_record(self, elem: etree._Element) -> None:
        """Add one ``Record`` element (unparseable values are ignored, not fatal)."""
        start = elem.get("startDate") or ""
        value = elem.get("value") or ""
        source = elem.get("sourceName") or "unknown source"
        if len(start) < 10:
            return
        try:
            steps = float(value)
        except ValueError:
            return
        self.add(start[:10], source, steps)

    def add(self, day: str, source: str, steps: float) -> None:
        """Count ``steps`` for ``source`` on ``day`` (ISO date text)."""
        if 0 <= steps <= MAX_RECORD_STEPS:
            key = (day, source)
            self.totals[key] = self.totals.get(key, 0) + round(steps * 1000)

    def merge(self, totals: dict[tuple[str, str], int]) -> None:
        """Add another tally's totals (a piece of the same export) to this one."""
        for key, milli in totals.items():
            self.totals[key] = self.totals.get(key, 0) + milli

    def daily(self, file_label: str, member: str | None) -> Iterator[DailySteps]:
        """One item a day, in date order: the source with the most steps."""
        best: dict[str, tuple[int, str]] = {}
        for (day, source), total in self.totals.items():
            if total > best.get(day, (-1, ""))[0]:
                best[day] = (total, source)
        for day in sorted(best):
            total, source = best[day]
            date = parse_day(day)
            if date is not None:
                yield DailySteps(file_label, member, date, round(total / 1000), source)
