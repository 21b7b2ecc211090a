"""Apple Health exports (export.xml, alone or inside export.zip): walks and steps.

A real export is 0.1-4 GB, so it is read in one streaming pass with a hardened
``lxml.etree.iterparse`` that only stops at ``Record`` and ``Workout`` elements,
and every element is dropped from the tree as soon as it has been read.

Two traits of real exports shape the stream that lxml sees (`CleanedExport`):

* The file opens with a DOCTYPE holding an internal DTD. WalkWell never expands
  entities nor loads anything external, so the whole DOCTYPE is cut from the byte
  stream before the parser sees it: from ``<!DOCTYPE`` to the ``<HealthData``
  start tag. Cutting up to the root tag (instead of parsing the DTD's brackets)
  is what lets iOS 16 exports import, whose DTD has an ``ATTLIST`` never closed.
  An entity that the body still uses is then undeclared, and the file is refused
  with a reason naming it: nothing is ever expanded.
* Some exports hold stray control characters (``\\x0b``) that XML forbids and that
  make every parser stop. They carry no data, so they are deleted from the stream
  with ``bytes.translate`` (one C pass a chunk; bytes < 0x20 never occur inside a
  multi-byte UTF-8 sequence, so deleting them cannot corrupt text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from walkwell.importers import apple_health_split as split
from walkwell.importers.apple_health_workouts import (
    RouteOpener,
    WorkoutContext,
    workout_item,
)
from walkwell.importers.base import (
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
)
from walkwell.importers.steps import STEP_COUNT, StepTally
from walkwell.importers.xmlsafe import without_illegal_bytes

ROOT_TAG = b"<HealthData"
DOCTYPE = b"<!DOCTYPE"
MAX_PROLOG_BYTES = 4 * 1024 * 1024  # real DTDs are ~12 KB; more is not an export
CHUNK_BYTES = 1024 * 1024
RELEASE_EVERY = 4096  # drop finished elements from the root in batches
Reopen = Callable[[], AbstractContextManager[BinaryIO]]  # the same bytes, afresh


class CleanedExport:
    """A read-only file-like over an export: DOCTYPE cut, illegal bytes deleted.

    ``limit_bytes`` bounds what is read from ``raw`` (hostile or runaway input).
    ``clean_body=False`` leaves the illegal bytes after the prolog in place, for a
    reader that deletes them itself (the workers of ``apple_health_split``).
    """

    def __init__(self, raw: BinaryIO, limit_bytes: int, *, clean_body: bool = True):
        self._raw = raw
        self._limit = limit_bytes
        self._clean = clean_body
        self._read = 0
        self._prolog_done = False
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        """Return the next non-empty cleaned chunk, or b"" at the end of input."""
        if not self._prolog_done:
            self._prolog_done = True
            return _strip_doctype(self._prolog())
        while True:
            chunk = self._raw_read(size if size and size > 0 else CHUNK_BYTES)
            if not chunk:
                return b""
            cleaned = without_illegal_bytes(chunk) if self._clean else chunk
            if cleaned:
                return cleaned

    def _raw_read(self, size: int) -> bytes:
        chunk = self._raw.read(size)
        self._read += len(chunk)
        self.bytes_read = self._read
        if self._read > self._limit:
            msg = f"the export is larger than the limit of {self._limit:,} bytes"
            raise ImportRefused(msg)
        return chunk

    def _prolog(self) -> bytes:
        """Read until the root start tag is in hand (the DOCTYPE sits before it)."""
        head = b""
        while len(head) < MAX_PROLOG_BYTES:
            chunk = self._raw_read(64 * 1024)
            head += chunk
            if not chunk or _root_at(head) >= 0:
                break
        return without_illegal_bytes(head)


def _root_at(head: bytes) -> int:
    """Offset of the ``<HealthData`` start tag (not a DTD declaration), or -1."""
    start = head.find(ROOT_TAG)
    while start >= 0:
        after = head[start + len(ROOT_TAG) : start + len(ROOT_TAG) + 1]
        if after in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return start
        start = head.find(ROOT_TAG, start + 1)
    return -1


def _strip_doctype(head: bytes) -> bytes:
    """Cut ``<!DOCTYPE ...`` up to the root tag; refuse when no root follows it."""
    doctype = head.find(DOCTYPE)
    root = _root_at(head)
    if doctype < 0 or (0 <= root < doctype):
        return head
    if root < 0:
        msg = (
            "no <HealthData> element follows the DOCTYPE within the first "
            f"{MAX_PROLOG_BYTES // (1024 * 1024)} MB: not an Apple Health export"
        )
        raise ImportRefused(msg)
    return head[:doctype] + head[root:]


def hardened_events(stream: object, tags: tuple[str, ...]) -> etree.iterparse:
    """The only way WalkWell's Apple Health code opens XML: no DTD, no network."""
    return etree.iterparse(
        stream,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def iter_export_xml(
    source: Path | BinaryIO,
    file_label: str,
    limits: ImportLimits,
    *,
    member: str | None = None,
    routes: RouteOpener | None = None,
    again: Reopen | None = None,
    size: int | None = None,
) -> Iterator[ImportItem]:
    """Yield walking workouts as they stream past, then one DailySteps a day.

    ``routes`` opens a route file named by a workout's ``FileReference`` (from the
    zip); without it, routes are looked up beside an ``export.xml`` on disk.
    ``again`` opens the same bytes afresh and ``size`` says how many there are:
    given both, a large export is parsed on every core (``apple_health_split``),
    and read again in one process should anything there look unusual.
    """
    if isinstance(source, Path):
        with source.open("rb") as raw:
            yield from iter_export_xml(
                raw,
                file_label,
                limits,
                member=member,
                routes=routes or _folder_routes(source.parent),
                again=again or (lambda: source.open("rb")),
                size=source.stat().st_size if size is None else size,
            )
        return
    context = WorkoutContext(file_label, member, limits, routes)
    share = split.split_for(size) if again is not None else None
    if again is None or share is None:
        yield from _parse(CleanedExport(source, limits.max_file_bytes), context)
        return
    uncleaned = CleanedExport(source, limits.max_file_bytes, clean_body=False)
    found = split.parse(uncleaned, context, share)
    if found is not None:
        yield from found
        return
    with again() as fresh:
        yield from _parse(CleanedExport(fresh, limits.max_file_bytes), context)


def _parse(stream: CleanedExport, ctx: WorkoutContext) -> Iterator[ImportItem]:
    steps = StepTally()
    events = hardened_events(stream, ("Record", "Workout"))
    try:
        yield from _walk_events(events, steps, ctx)
    except ImportRefused as refused:
        yield Refused(ctx.file, ctx.member, refused.reason)
        return
    except etree.XMLSyntaxError as error:
        yield Refused(ctx.file, ctx.member, _syntax_reason(error, events))
        return
    yield from steps.daily(ctx.file, ctx.member)


def _walk_events(
    events: etree.iterparse, steps: StepTally, ctx: WorkoutContext
) -> Iterator[ImportItem]:
    root: etree._Element | None = None
    for seen, (_event, elem) in enumerate(events, 1):
        if root is None:
            root = _root_of(elem)
        if elem.tag == "Record":
            if elem.get("type") == STEP_COUNT:
                steps.add_record(elem)
        else:
            yield workout_item(elem, ctx)
        elem.clear()
        if seen % RELEASE_EVERY == 0:
            del root[:-1]
    if root is None:
        raise ImportRefused("the export holds no <HealthData> records at all")
    if root.tag != "HealthData":
        raise ImportRefused(f"the root element is <{root.tag}>, not <HealthData>")


def _root_of(elem: etree._Element) -> etree._Element:
    parent = elem.getparent()
    while parent is not None:
        elem, parent = parent, parent.getparent()
    return elem


def _syntax_reason(error: etree.XMLSyntaxError, events: etree.iterparse) -> str:
    """Name the first fatal problem; an undeclared entity gets its own words."""
    fatal = [entry for entry in events.error_log if entry.level_name == "FATAL"]
    if not fatal:
        return f"the export is damaged at line {error.lineno}: {error.msg}"
    first = fatal[0]
    if first.type_name == "ERR_UNDECLARED_ENTITY":
        return (
            f"line {first.line}: {first.message}; WalkWell never expands entities "
            "declared in a DTD, so the export was refused"
        )
    return f"the export is damaged or cut short at line {first.line}: {first.message}"


def _folder_routes(folder: Path) -> RouteOpener:
    """Open ``/workout-routes/x.gpx`` beside an unzipped export.xml, safely."""

    def open_route(path: str) -> AbstractContextManager[BinaryIO] | None:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        candidate = folder / "workout-routes" / name
        if not name or name in {".", ".."} or not candidate.is_file():
            return None
        return candidate.open("rb")

    return open_route
