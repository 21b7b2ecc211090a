"""What an import run found, as the CLI, the web page and ``--json`` show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from walkwell.core.words import count, date_in_words
from walkwell.web.imports.models import ImportedItem, ImportRun, Outcome


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the report: a walk (imported or already there) or a note."""

    file: str
    member: str | None
    reason: str = ""
    start: dt.datetime | None = None
    duration_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    terrain: str | None = None
    walk_id: int | None = None

    def as_json(self, *, walk: bool) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file}
        if self.member:
            data["member"] = self.member
        if not walk:
            data["reason"] = self.reason
            return data
        data.update(
            start=self.start.isoformat() if self.start else None,
            duration_s=_rounded(self.duration_s),
            moving_s=_rounded(self.moving_s),
            distance_m=_rounded(self.distance_m),
            elevation_gain_m=_rounded(self.elevation_gain_m),
            terrain=self.terrain,
        )
        return data


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Every outcome of one run, in the order the files were read."""

    run_id: int
    imported: list[Entry] = field(default_factory=list)
    duplicates: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    refused: list[Entry] = field(default_factory=list)
    step_days: int = 0

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "imported": [e.as_json(walk=True) for e in self.imported],
            "duplicates": [e.as_json(walk=True) for e in self.duplicates],
            "skipped": [e.as_json(walk=False) for e in self.skipped],
            "refused": [e.as_json(walk=False) for e in self.refused],
        }


def entry_for(item: ImportedItem) -> Entry:
    """A stored outcome as a report line; a walk's start keeps its own offset."""
    start = item.started_at
    if start is not None and item.utc_offset_s is not None:
        start = start.astimezone(dt.timezone(dt.timedelta(seconds=item.utc_offset_s)))
    return Entry(
        file=item.file,
        member=item.member or None,
        reason=item.reason,
        start=start,
        duration_s=item.duration_s,
        moving_s=item.moving_s,
        distance_m=item.distance_m,
        elevation_gain_m=item.elevation_gain_m,
        terrain=item.terrain or None,
        walk_id=item.walk_id,
    )


def report_for(run: ImportRun) -> ImportReport:
    """The report of a run, read back from what it stored."""
    lists: dict[str, list[Entry]] = {o.value: [] for o in Outcome}
    for item in run.items.order_by("id").iterator(chunk_size=2000):
        lists[item.outcome].append(entry_for(item))
    return ImportReport(
        run_id=run.pk,
        imported=lists[Outcome.IMPORTED],
        duplicates=lists[Outcome.DUPLICATE],
        skipped=lists[Outcome.SKIPPED],
        refused=lists[Outcome.REFUSED],
        step_days=run.step_days,
    )


@dataclass(frozen=True, slots=True)
class NewWalks:
    """Where a run's new walks are seen next: ``asked`` of them wait on Today for
    how the back felt (those of its last few days); ``history`` are from before
    the plan's ``start``, listed on Progress and never judged."""

    imported: int
    asked: int
    history: int
    start: dt.date


def new_walks_words(new: NewWalks) -> list[str]:
    """What to do next with a run's new walks, only where it is true: Today asks
    about some of them, or some are history."""
    sentences = []
    if new.asked == new.imported - new.history > 0:
        sentences.append("Add how your back felt on the Today page.")
    elif new.asked:
        sentences.append(
            "Add how your back felt on the Today page: it asks about "
            f"{count(new.asked, 'walk')} of these, the ones of the last few days."
        )
    started = f"before your program started on {date_in_words(new.start)}"
    judged = "shown on Progress, not judged and not counted in your plan."
    if new.history and new.history == new.imported:
        which = "This walk is" if new.history == 1 else "These walks are"
        sentences.append(f"{which} from {started}: your history, {judged}")
    elif new.history:
        which = "walk is" if new.history == 1 else f"{new.history} walks are"
        sentences.append(f"The {which} from {started}: your history, {judged}")
    return sentences
