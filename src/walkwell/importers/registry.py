"""One registry from a file's kind (judged by content) to the reader of that kind.

Every stream, whether a file given directly, a member of a zip, a file named by a
Strava index, or the inside of a gzip, is read here: ``kind_of`` names its kind
from its first bytes (names are never trusted) and ``READERS`` maps that kind to
the one function that reads it. Gzip is one more kind whose reader unwraps it,
bounded, and reads the inside through this same registry.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, cast

from walkwell.core.model import Track
from walkwell.importers import apple_health, fit, gpx, health_connect, tcx, xmlsafe
from walkwell.importers.base import (
    Activity,
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)
from walkwell.importers.xmlsafe import HEAD_BYTES, HashingReader

READABLE = "GPX, TCX, FIT, Apple Health, Health Connect or a zip of them"
ROOT_KINDS = {
    "HealthData": "apple_health",
    "ClinicalDocument": "cda",
    "gpx": "gpx",
    "TrainingCenterDatabase": "tcx",
}
SKIP_REASONS = {
    "cda": "a clinical document (CDA): it holds no walks",
    "zip": "an archive inside the archive: not opened (a zip bomb's favourite shape)",
    "nested": "a compressed file inside a compressed file: not opened",
    None: "not a file WalkWell reads (GPX, TCX, FIT, Apple Health, Health Connect)",
}

RouteOpener = Callable[[str], AbstractContextManager[BinaryIO] | None]
Spend = Callable[[int, str], None]
Reopen = Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a stream came from, and what its reader may need beside the bytes."""

    label: str  # the file's name as the person gave it
    member: str | None  # its name inside an archive, or in a Strava index
    limits: ImportLimits
    in_archive: bool = False  # unknown members of a zip are skipped, not refused
    routes: RouteOpener | None = None  # Apple Health route files beside the export
    spend: Spend | None = None  # the archive's budget for decompressed bytes
    gunzipped: bool = False
    again: Reopen | None = None  # the same bytes afresh (a file, a zip member)
    size: int | None = None  # how many bytes there are, when known beforehand


Reader = Callable[[HashingReader, Source], Iterator[ImportItem]]


def kind_of(head: bytes) -> str | None:
    """What a stream is, judged from its first bytes."""
    if head[8:12] == b".FIT":
        return "fit"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return ROOT_KINDS.get(xmlsafe.root_name(head) or "")


def read_stream(stream: BinaryIO, source: Source) -> Iterator[ImportItem]:
    """The items of one stream, read by the reader its content names."""
    reader = HashingReader(stream, source.limits.max_member_bytes)
    try:
        head = reader.peek(HEAD_BYTES)
        kind = kind_of(head)
        read = READERS.get(kind or "")
        if read is not None and not (kind == "gzip" and source.gunzipped):
            yield from read(reader, source)
        else:
            yield _unread(kind, head, source)
    except ImportRefused as refused:
        yield Refused(source.label, source.member, refused.reason)


def _unread(kind: str | None, head: bytes, source: Source) -> ImportItem:
    """A stream no reader takes: skipped when known or inside a zip, else refused."""
    if kind in {"zip", "gzip"} and (source.gunzipped or not source.in_archive):
        return Skipped(source.label, source.member, SKIP_REASONS["nested"])
    if kind is not None:
        return Skipped(source.label, source.member, SKIP_REASONS[kind])
    if source.in_archive and not source.gunzipped:
        return Skipped(source.label, source.member, SKIP_REASONS[None])
    name = source.member or source.label
    return Refused(source.label, source.member, unreadable_reason(head, name))


def unreadable_reason(head: bytes, name: str) -> str:
    """Why content matched no format, naming what its file name promised."""
    if not head.strip():
        return "an empty file: there is nothing in it to import"
    suffix = Path(name).suffix.lower().lstrip(".")
    promised = f"named .{suffix} but " if suffix in {"gpx", "tcx", "fit", "xml"} else ""
    looks_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if looks_xml:
        root = xmlsafe.root_name(head)
        what = f"an XML file whose root is <{root}>" if root else "not well-formed XML"
        return f"{promised}{what}, not a file WalkWell reads ({READABLE})"
    return f"{promised}its content is not {READABLE}: it matches none of them"


# --- the readers ------------------------------------------------------------------


def _activities(
    parse: Callable[[HashingReader, ImportLimits], list[Track]],
) -> Reader:
    """A reader of GPX, TCX or FIT: its tracks, hashed as the bytes stream past."""

    def read(reader: HashingReader, source: Source) -> Iterator[ImportItem]:
        try:
            tracks = parse(reader, source.limits)
        except fit.NotAnActivity as skipped:
            yield Skipped(source.label, source.member, skipped.reason)
            return
        reader.drain()
        for track in tracks:
            yield Activity(source.label, source.member, track, reader.hexdigest())

    return read


def _gpx(reader: HashingReader, limits: ImportLimits) -> list[Track]:
    return [gpx.parse(reader, limits)]


def _fit(reader: HashingReader, limits: ImportLimits) -> list[Track]:
    return [fit.parse(reader, limits)]


def _apple_health(reader: HashingReader, source: Source) -> Iterator[ImportItem]:
    if xmlsafe.is_utf16(reader.peek(HEAD_BYTES)):  # its reader cleans UTF-8 bytes
        raise ImportRefused(
            "this Apple Health export is in UTF-16; the Health app writes exports in "
            "UTF-8, and WalkWell reads them only in UTF-8: export again from the "
            "Health app, or save the file as UTF-8"
        )
    reader.stop_hashing()  # workouts are told apart by their own element's hash
    return apple_health.iter_export_xml(
        cast(BinaryIO, reader),
        source.label,
        source.limits,
        member=source.member,
        routes=source.routes,
        again=source.again,
        size=source.size,
    )


def _health_connect(reader: HashingReader, source: Source) -> Iterator[ImportItem]:
    return health_connect.iter_database(
        cast(BinaryIO, reader), source.label, source.member, source.limits
    )


def _gzip(reader: HashingReader, source: Source) -> Iterator[ImportItem]:
    """A ``.gpx.gz`` or ``.fit.gz`` (Strava does this): unwrapped, bounded, re-read."""
    where = f"member {source.member!r}" if source.member else "the gzip file"
    inner = BoundedGunzip(
        cast(BinaryIO, reader),
        source.limits.max_member_bytes,
        spend=source.spend,
        where=where,
        ratio=source.limits.max_compression_ratio,
    )
    return read_stream(cast(BinaryIO, inner), replace(source, gunzipped=True))


RATIO_FLOOR = 1 << 20  # decompressed bytes before the ratio is judged
READERS: dict[str, Reader] = {
    "gpx": _activities(_gpx),
    "tcx": _activities(tcx.parse),
    "fit": _activities(_fit),
    "apple_health": _apple_health,
    "sqlite": _health_connect,
    "gzip": _gzip,
}


class BoundedGunzip:
    """Gunzip that stops at ``limit`` decompressed bytes, or (given ``ratio``) as
    soon as what came out passes ``ratio`` times what went in: a gzip bomb is
    refused early, after a megabyte or so, not after the gigabytes it holds."""

    def __init__(
        self,
        stream: BinaryIO,
        limit: int,
        *,
        spend: Spend | None = None,
        where: str = "the gzip file",
        ratio: float | None = None,
    ) -> None:
        self._stream = stream
        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")
        self._limit = limit
        self._spend = spend
        self._where = where
        self._ratio = ratio
        self.count = 0

    def _check_ratio(self) -> None:
        taken = getattr(self._stream, "count", None)  # a HashingReader counts
        if self._ratio is None or taken is None or self.count < RATIO_FLOOR:
            return
        if self.count > self._ratio * max(int(taken), 1):
            raise ImportRefused(
                f"it decompresses to more than {self._ratio:,.0f} times its size, "
                "beyond any real file (setting WALKWELL_IMPORT_MAX_COMPRESSION_RATIO; "
                "a gzip bomb?)"
            )

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._gzip.read(size if size >= 0 else 1 << 20)
        except (OSError, EOFError, zlib.error) as error:
            raise ImportRefused(f"a damaged gzip file ({error})") from None
        self.count += len(data)
        if self._spend is not None:
            self._spend(len(data), self._where)
        if self.count > self._limit:
            raise ImportRefused(
                f"a gzip file that decompresses to more than {self._limit:,} bytes "
                "(a gzip bomb?)"
            )
        self._check_ratio()
        return data
