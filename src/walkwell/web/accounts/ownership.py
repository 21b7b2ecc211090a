"""The account's preferences travel in every export (all but the calendar
address's secret: a restored account gets a new one)."""

from __future__ import annotations

from walkwell.web.accounts.models import Preferences
from walkwell.web.program import records


def register() -> None:
    records.register(
        records.RecordType(
            "preferences",
            Preferences,
            "user",
            "Units, reminder times, habit slots and the reminder emails asked "
            "for (the calendar address's secret is not exported: a restored "
            "account gets a new one).",
            exclude=frozenset({"calendar_token"}),
        )
    )
