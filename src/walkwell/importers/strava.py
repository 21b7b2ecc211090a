"""A Strava bulk export: ``activities.csv`` names every activity and its file.

Walks and hikes are read from their files (GPX, TCX or FIT, often gzipped) and
labelled with Strava's own name and type; every other sport is listed as skipped
("a Ride, not a walk") so the person sees that nothing was lost. The archive is
opened by ``archives``, which hands over ``open_member``: a reader that is already
counted against the zip-bomb limits; gzip inside it is bounded again here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from walkwell.importers.base import Activity, ImportItem, ImportLimits, Refused, Skipped
from walkwell.importers.registry import Source, read_stream

#: Strava's activity types that are walking.
WALK_TYPES = frozenset({"walk", "hike"})
#: Columns the export has had since 2018; later ones are optional.
_ID, _TYPE, _NAME, _FILE = "Activity ID", "Activity Type", "Activity Name", "Filename"


def iter_strava(
    open_member: Callable[[str], BinaryIO],
    csv_bytes: bytes,
    file_label: str,
    limits: ImportLimits,
) -> Iterator[ImportItem]:
    """Every activity the export lists: walks imported, the rest skipped with why."""
    try:
        rows = _rows(csv_bytes)
    except (UnicodeDecodeError, csv.Error, ValueError) as error:
        yield Refused(
            file_label, "activities.csv", f"an unreadable activities.csv ({error})"
        )
        return
    for row in rows:
        yield from _row_items(row, open_member, file_label, limits)


def _rows(csv_bytes: bytes) -> list[dict[str, str]]:
    """Rows keyed by header; Strava repeats some headers, so the first one wins."""
    reader = csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))
    header = next(reader, None)
    if header is None or _TYPE not in header:
        raise ValueError(f"it has no {_TYPE!r} column")
    index = {
        name: header.index(name)
        for name in (_ID, _TYPE, _NAME, _FILE)
        if name in header
    }
    return [
        {name: row[i] for name, i in index.items() if i < len(row)}
        for row in reader
        if row
    ]


def _row_items(
    row: dict[str, str],
    open_member: Callable[[str], BinaryIO],
    label: str,
    limits: ImportLimits,
) -> Iterator[ImportItem]:
    kind = row.get(_TYPE, "").strip()
    filename = row.get(_FILE, "").strip()
    where = filename or f"activity {row.get(_ID, '?')}"
    if kind.lower() not in WALK_TYPES:
        article = "an" if kind[:1].lower() in set("aeiou") else "a"
        yield Skipped(
            label, where, f"{article} {kind or 'activity of no type'}, not a walk"
        )
    elif not filename:
        yield Skipped(label, where, f"a {kind} entered by hand, with no recorded track")
    else:
        yield from _walk_items(row, filename, open_member, label, limits)


def _walk_items(
    row: dict[str, str],
    filename: str,
    open_member: Callable[[str], BinaryIO],
    label: str,
    limits: ImportLimits,
) -> Iterator[ImportItem]:
    try:
        stream = open_member(filename)
    except (KeyError, FileNotFoundError):
        yield Refused(
            label, filename, "activities.csv names this file, but the export lacks it"
        )
        return
    with stream:
        for item in read_stream(stream, Source(label, filename, limits)):
            yield _labelled(item, row) if isinstance(item, Activity) else item


def _labelled(item: Activity, row: dict[str, str]) -> Activity:
    """Strava's type and name are the person's own words: they win over the file's."""
    track = dataclasses.replace(
        item.track,
        sport=row.get(_TYPE, "").strip().lower() or item.track.sport,
        name=row.get(_NAME, "").strip()[:200] or item.track.name,
        device_activity_id=item.track.device_activity_id
        or f"strava:{row.get(_ID, '')}",
        extra=dataclasses.replace(
            item.track.extra, strava_activity_id=row.get(_ID, "")
        ),
    )
    return dataclasses.replace(item, track=track)
