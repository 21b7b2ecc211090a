"""Reading one zip member: a counted stream, handed to the registry's reader.

Split from ``archives`` (which checks the archive as a whole) so that each stays
small. Which reader reads a member is decided by ``registry``, as for any file.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import TracebackType
from typing import IO, BinaryIO, cast

from walkwell.importers import strava
from walkwell.importers.base import ImportItem, ImportLimits, ImportRefused, Refused
from walkwell.importers.registry import Source, kind_of, read_stream
from walkwell.importers.xmlsafe import HEAD_BYTES

ROUTES_FOLDER = "workout-routes"


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


@dataclass
class Budget:
    """Bytes really decompressed from one archive, against the total limit."""

    limit: int
    used: int = 0

    def spend(self, count: int, where: str) -> None:
        self.used += count
        if self.used > self.limit:
            msg = (
                f"{where}: the archive decompresses to more than "
                f"{self.limit:,} bytes in total (a zip bomb?)"
            )
            raise ImportRefused(msg)


@dataclass
class Archive:
    """An opened, checked archive: what member handlers need to read members."""

    zf: zipfile.ZipFile
    label: str
    limits: ImportLimits
    budget: Budget
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    kinds: dict[str, str | None] = field(default_factory=dict)

    def open(self, info: zipfile.ZipInfo) -> MemberReader:
        """A counted stream over one member (never a path on disk)."""
        return MemberReader(self.zf.open(info), info, self.limits, self.budget.spend)

    def open_again(self, info: zipfile.ZipInfo) -> MemberReader:
        """The same member read a second time: its own limits hold, but the
        archive's budget is not spent twice for the same bytes."""
        return MemberReader(self.zf.open(info), info, self.limits, _spent_already)


def _spent_already(count: int, where: str) -> None:
    """Bytes counted against the archive's budget on the first reading."""


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
    """The items of one member, read by the registry's reader for its content."""
    name = info.filename
    if archive.kinds.get(name) == "gpx" and _is_apple_route(archive, name):
        return  # read with its workout, by the Apple Health export that names it
    source = Source(
        archive.label,
        name,
        archive.limits,
        in_archive=True,
        routes=_route_opener(archive, name),
        spend=archive.budget.spend,
        again=lambda: _as_binary(archive.open_again(info)),
        size=info.file_size,
    )
    try:
        with archive.open(info) as reader:
            yield from read_stream(reader.binary(), source)
    except ImportRefused as refused:
        yield Refused(archive.label, name, refused.reason)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        yield Refused(archive.label, name, f"the member is damaged ({error})")


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
