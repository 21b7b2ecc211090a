"""Reading one zip member: a counted stream, its kind by content, its items.

Split from ``archives`` (which checks the archive as a whole) so that each stays
small. Parsers for GPX, TCX and FIT are imported only when a member needs them.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import PurePosixPath
from types import TracebackType
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from walkwell.core.model import Track
from walkwell.importers.base import (
    Activity,
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)

if TYPE_CHECKING:
    from walkwell.importers.archives import Archive

HEAD_BYTES = 64 * 1024  # enough for an Apple Health DTD (about 12 KB) and the root
ROUTES_FOLDER = "workout-routes"
ROOT_KINDS = {
    "HealthData": "apple_health",
    "ClinicalDocument": "cda",
    "gpx": "gpx",
    "TrainingCenterDatabase": "tcx",
}
SKIP_REASONS = {
    "cda": "a clinical document (CDA): it holds no walks",
    "zip": "an archive inside the archive: not opened (a zip bomb's favourite shape)",
    None: "not a file WalkWell reads (GPX, TCX, FIT, Apple Health, Health Connect)",
}


class MemberReader:
    """Counts what a member really decompresses to and refuses past the limits."""

    def __init__(
        self,
        raw: IO[bytes],
        info: zipfile.ZipInfo,
        limits: ImportLimits,
        spend: Callable[[int, str], None],
    ) -> None:
        self._raw = raw
        self._info = info
        self._limits = limits
        self._spend = spend
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size if size is not None and size >= 0 else 1 << 20)
        self.count += len(data)
        where = f"member {self._info.filename!r}"
        self._spend(len(data), where)
        if self.count > self._limits.max_member_bytes:
            raise ImportRefused(f"{where} decompresses past the size limit")
        if self.count > 1024 * 1024 and self.count > (
            max(self._info.compress_size, 1) * self._limits.max_compression_ratio
        ):
            raise ImportRefused(f"{where} decompresses far beyond its size (zip bomb?)")
        return data

    def close(self) -> None:
        self._raw.close()

    def binary(self) -> BinaryIO:
        """This reader typed as the binary stream the parsers accept (duck-typed)."""
        return cast(BinaryIO, self)

    def __enter__(self) -> MemberReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def kind_of(head: bytes) -> str | None:
    """What a member is, judged from its first bytes (names are never trusted)."""
    from walkwell.importers import xmlsafe  # noqa: PLC0415 - keeps import light

    if head[8:12] == b".FIT":
        return "fit"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return ROOT_KINDS.get(xmlsafe.root_name(head) or "")


def sniff(reader: MemberReader) -> str | None:
    """Read the head of a stream and name its kind."""
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = reader.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return kind_of(head)


def member_items(archive: Archive, info: zipfile.ZipInfo) -> Iterator[ImportItem]:
    """The items of one member, by the kind its content showed."""
    kind = archive.kinds.get(info.filename)
    name = info.filename
    if kind == "gpx" and _is_apple_route(archive, name):
        return  # read with its workout, by the Apple Health export that names it
    try:
        with archive.open(info) as reader:
            yield from _items_of_kind(archive, info, kind, reader)
    except ImportRefused as refused:
        yield Refused(archive.label, name, refused.reason)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        yield Refused(archive.label, name, f"the member is damaged ({error})")


def _items_of_kind(
    archive: Archive, info: zipfile.ZipInfo, kind: str | None, reader: MemberReader
) -> Iterator[ImportItem]:
    name = info.filename
    if kind == "apple_health":
        from walkwell.importers import apple_health  # noqa: PLC0415

        opener = _route_opener(archive, name)
        yield from apple_health.iter_export_xml(
            reader.binary(), archive.label, archive.limits, member=name, routes=opener
        )
    elif kind == "sqlite":
        from walkwell.importers import health_connect  # noqa: PLC0415

        yield from health_connect.iter_database(
            reader.binary(), archive.label, name, archive.limits
        )
    elif kind == "gzip":
        yield from _gzip_items(archive, name, reader)
    elif kind in {"gpx", "tcx", "fit"}:
        yield from activity_items(
            kind, reader.binary(), archive.label, name, archive.limits
        )
    else:
        yield Skipped(archive.label, name, SKIP_REASONS.get(kind, SKIP_REASONS[None]))


def _gzip_items(
    archive: Archive, name: str, reader: MemberReader
) -> Iterator[ImportItem]:
    """A ``.gpx.gz`` / ``.fit.gz`` member (Strava): read through, still counted."""
    with gzip.GzipFile(fileobj=reader.binary(), mode="rb") as inner:
        head = inner.peek(HEAD_BYTES)[:HEAD_BYTES]
        kind = kind_of(head)
        if kind not in {"gpx", "tcx", "fit"}:
            yield Skipped(archive.label, name, "a compressed file that holds no track")
            return
        counted = MemberReader(
            cast(IO[bytes], inner),
            _info_for(name),
            archive.limits,
            archive.budget.spend,
        )
        yield from activity_items(
            kind, counted.binary(), archive.label, name, archive.limits
        )


def _info_for(name: str) -> zipfile.ZipInfo:
    """A stand-in ZipInfo for the decompressed inside of a gzip member."""
    info = zipfile.ZipInfo(name)
    info.compress_size = 1 << 62  # the gzip layer's own ratio is not meaningful
    return info


def activity_items(
    kind: str,
    stream: BinaryIO,
    label: str,
    member: str | None,
    limits: ImportLimits,
) -> Iterator[ImportItem]:
    """GPX, TCX or FIT through their importers, hashed as they stream past."""
    from walkwell.importers import fit, gpx, tcx, xmlsafe  # noqa: PLC0415

    reader = xmlsafe.HashingReader(stream, limits.max_member_bytes)
    try:
        if kind == "gpx":
            tracks: list[Track] = [gpx.parse(reader, limits)]
        elif kind == "tcx":
            tracks = tcx.parse(reader, limits)
        else:
            tracks = [fit.parse(reader, limits)]
    except fit.NotAnActivity as skipped:
        yield Skipped(label, member, skipped.reason)
        return
    except ImportRefused as refused:
        yield Refused(label, member, refused.reason)
        return
    reader.drain()
    for track in tracks:
        yield Activity(label, member, track, reader.hexdigest())


def _is_apple_route(archive: Archive, name: str) -> bool:
    return ROUTES_FOLDER in PurePosixPath(name).parts[:-1] and (
        "apple_health" in archive.kinds.values()
    )


def _route_opener(
    archive: Archive, export_member: str
) -> Callable[[str], AbstractContextManager[BinaryIO] | None]:
    """Resolve ``/workout-routes/x.gpx`` beside the export XML, inside the zip."""
    folder = PurePosixPath(export_member).parent

    def open_route(path: str) -> AbstractContextManager[BinaryIO] | None:
        base = PurePosixPath(path.replace("\\", "/")).name
        wanted = str(folder / ROUTES_FOLDER / base).removeprefix("./")
        info = archive.infos.get(wanted)
        if not base or info is None or info.filename not in archive.kinds:
            return None
        return _as_binary(archive.open(info))

    return open_route


@contextmanager
def _as_binary(reader: MemberReader) -> Iterator[BinaryIO]:
    with reader:
        yield reader.binary()


def strava_items(archive: Archive, csv_info: zipfile.ZipInfo) -> Iterator[ImportItem]:
    """A Strava bulk export: its activities.csv says which files are walks."""
    from walkwell.importers import strava  # noqa: PLC0415

    folder = PurePosixPath(csv_info.filename).parent

    def open_member(name: str) -> BinaryIO:
        wanted = str(folder / name.replace("\\", "/")).removeprefix("./")
        info = archive.infos.get(wanted)
        if info is None or wanted not in archive.kinds:
            raise KeyError(name)
        return archive.open(info).binary()

    try:
        with archive.open(csv_info) as reader:
            csv_bytes = b"".join(iter(lambda: reader.read(1 << 20), b""))
    except ImportRefused as refused:
        yield Refused(archive.label, csv_info.filename, refused.reason)
        return
    yield from strava.iter_strava(open_member, csv_bytes, archive.label, archive.limits)
