"""Storing what one file (or archive member) holds, with its own transactions.

Items are gathered per file or member (a "group") and stored when the group
ends: if the group ends in a refusal after walks were found, the file failed
half-way and nothing of it is kept. Walks are then committed a hundred at a
time, each with its outcome row and the run's counters in the same transaction,
so a crash loses at most the batch being written and a re-run finds the rest
already there (one commit a walk cost a durable disk write each: a third of a
second for a phone's export). Daily steps go in bulk, in batches, upserted per
day and source.

Each walk is stored through ``walk_log``, with its one rule for a recording
stored before. The engine's answer is checked (and phase changes or escalations
audited, ``audit.plan_checked``) once per file that added walks, not once per
walk as ``walk_log`` does for a typed walk (here ``check_plan=False``): each
check replays the whole history, and an export with years of walks would replay
it hundreds of times. Should a crash fall between a walk and that check, the
next write's check compares with the last answer seen and audits the change then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from walkwell.core.limits import ValidationProblem
from walkwell.core.model import Terrain
from walkwell.core.shape import unpack
from walkwell.importers.base import Activity, DailySteps, ImportItem, Refused, Skipped
from walkwell.web.imports import judging
from walkwell.web.imports.judging import FoundWalk, Note
from walkwell.web.imports.models import DailySteps as StepsRow
from walkwell.web.imports.models import ImportedItem, ImportRun, Outcome
from walkwell.web.program import audit, versions
from walkwell.web.program import services as program
from walkwell.web.program.models import Person, Walk, WalkSource

STEPS_BATCH = 500
WALKS_PER_COMMIT = 100
MAX_DAILY_STEPS = 1_000_000
Key = tuple[str, str | None]


@dataclass
class Group:
    """Everything found so far in one file or archive member."""

    key: Key
    walks: list[FoundWalk] = field(default_factory=list)
    steps: list[DailySteps] = field(default_factory=list)
    notes: list[tuple[Outcome, Note | Refused]] = field(default_factory=list)
    ended_refused: bool = False

    def take(self, item: ImportItem) -> None:
        self.ended_refused = isinstance(item, Refused)
        if isinstance(item, Activity):
            self._activity(item)
        elif isinstance(item, DailySteps):
            self.steps.append(item)
        else:
            outcome = Outcome.SKIPPED if isinstance(item, Skipped) else Outcome.REFUSED
            self.notes.append((outcome, item))

    def _activity(self, item: Activity) -> None:
        try:
            found = judging.judge(item)
        except ValueError as error:
            self.notes.append(
                (Outcome.REFUSED, Refused(item.file, item.member, str(error)))
            )
            return
        if isinstance(found, Note):
            self.notes.append((Outcome.SKIPPED, found))
        else:
            self.walks.append(found)

    def failed_half_way(self) -> bool:
        return self.ended_refused and bool(self.walks or self.steps)

    def give_up(self) -> None:
        """The file failed after walks were found: keep none of them."""
        found = len(self.walks)
        outcome, last = self.notes[-1]
        reason = f"{last.reason}; nothing from it was stored"
        if found:
            reason += f" (it had {found} walk{'s' if found != 1 else ''} before that)"
        self.notes[-1] = (outcome, Refused(last.file, last.member, reason))
        self.walks.clear()
        self.steps.clear()


class RunWriter:
    """Writes a run's outcomes and keeps its counters in step with the data."""

    def __init__(self, person: Person, run: ImportRun) -> None:
        self.person = person
        self.run = run
        # Walks this run stored before it was stopped and retried: in its report
        # once already, as imported, never again as "already there".
        self.stored_before = set(
            run.items.filter(outcome=Outcome.IMPORTED).values_list("walk", flat=True)
        )

    def store(self, group: Group) -> None:
        if group.failed_half_way():
            group.give_up()
        self._notes(group.notes)
        before = self.run.imported
        for begin in range(0, len(group.walks), WALKS_PER_COMMIT):
            with transaction.atomic():
                for found in group.walks[begin : begin + WALKS_PER_COMMIT]:
                    self._walk(found)
        if self.run.imported > before:
            with transaction.atomic():
                audit.plan_checked(self.person)
        self._steps(group.steps)

    def _item(
        self, outcome: Outcome, note: Note | Refused | FoundWalk, **extra: Any
    ) -> ImportedItem:
        return ImportedItem(
            run=self.run,
            outcome=outcome,
            file=note.file[:500],
            member=(note.member or "")[:500],
            **extra,
        )

    def _count(self, **increments: int) -> None:
        ImportRun.objects.filter(pk=self.run.pk).update(
            **{name: F(name) + n for name, n in increments.items() if n}
        )
        for name, n in increments.items():
            setattr(self.run, name, getattr(self.run, name) + n)

    def _notes(self, notes: list[tuple[Outcome, Note | Refused]]) -> None:
        if not notes:
            return
        rows = [self._item(o, n, reason=n.reason) for o, n in notes]
        with transaction.atomic():
            ImportedItem.objects.bulk_create(rows, batch_size=STEPS_BATCH)
            self._count(
                skipped=sum(o == Outcome.SKIPPED for o, _ in notes),
                refused=sum(o == Outcome.REFUSED for o, _ in notes),
            )

    def _walk(self, found: FoundWalk) -> None:
        """One walk, all or nothing: the Walk, its outcome row and the counter."""
        # a walk before the program's start is stored too: it is history, shown on
        # Progress and never judged (the engine reads only walks from the start)
        day = local_day(found.start)
        try:
            with transaction.atomic():
                walk = self._log(found, day)
                self._record(found, Outcome.IMPORTED, walk)
        except program.DuplicateWalk as duplicate:
            if duplicate.walk.pk not in self.stored_before:
                self._record(found, Outcome.DUPLICATE, duplicate.walk)
        except ValidationProblem as problem:
            note = Note(found.file, found.member, f"{problem.field} {problem.message}")
            self._notes([(Outcome.SKIPPED, note)])

    def _log(self, found: FoundWalk, day: dt.date) -> Walk:
        """Through ``walk_log``, without its per-walk plan check (see above)."""
        return program.walk_log(
            person=self.person,
            date=day,
            minutes=found.minutes,
            terrain=(found.terrain or Terrain.FLAT).value,
            source=WalkSource.IMPORT,
            imported=program.ImportedMetrics(
                content_hash=found.content_hash,
                started_at=found.start,
                duration_s=found.duration_s,
                moving_s=found.moving_s,
                distance_m=found.distance_m,
                elevation_gain_m=found.elevation_gain_m,
                device=found.device,
                device_activity_id=found.device_activity_id,
                shape=unpack(found.shape) if found.shape else None,
            ),
            check_plan=False,
            today=local_today(found.start),
        )

    def _record(self, found: FoundWalk, outcome: Outcome, walk: Walk | None) -> None:
        offset = found.start.utcoffset()
        with transaction.atomic():
            self._item(
                outcome,
                found,
                walk=walk,
                started_at=found.start,
                utc_offset_s=int(offset.total_seconds()) if offset else 0,
                duration_s=found.duration_s,
                moving_s=found.moving_s,
                distance_m=found.distance_m,
                elevation_gain_m=found.elevation_gain_m,
                terrain=found.terrain.value if found.terrain else "",
            ).save()
            if outcome == Outcome.IMPORTED:
                self._count(imported=1)
            else:
                self._count(duplicates=1)

    def _steps(self, steps: list[DailySteps]) -> None:
        rows = [
            StepsRow(
                person=self.person,
                date=s.date,
                source=s.source[:200],
                steps=s.steps,
                run=self.run,
            )
            for s in steps
            if 0 <= s.steps <= MAX_DAILY_STEPS
        ]
        for begin in range(0, len(rows), STEPS_BATCH):
            batch = rows[begin : begin + STEPS_BATCH]
            with transaction.atomic():
                StepsRow.objects.bulk_create(
                    batch,
                    update_conflicts=True,
                    unique_fields=["person", "date", "source"],
                    update_fields=["steps", "run", "updated_at"],
                )
                versions.bump(self.person)
                self._count(step_days=len(batch))


def local_day(start: dt.datetime) -> dt.date:
    """The day the walk happened where it happened; UTC-only times use ours."""
    offset = start.utcoffset()
    if offset is None or not offset:
        return timezone.localtime(start).date()
    return start.date()


def local_today(start: dt.datetime) -> dt.date:
    """Today where the walk happened, read as ``local_day`` reads its day: a walk
    dated after it (a device whose clock ran ahead) is skipped by ``walk_log``."""
    offset = start.utcoffset()
    now = timezone.now()
    return local_day(now.astimezone(dt.timezone(offset)) if offset else now)
