"""One way in for any file or folder: the format is judged by content, not by name.

A ``walk.gpx`` that is really a FIT file imports as FIT; a ``.gpx`` full of
binary noise is refused saying so. Zips go to ``archives`` (which checks them
as a whole before reading a member), Apple Health XML to ``apple_health``.
Every activity carries the sha256 of the bytes it came from, hashed while
streaming, so re-importing the same file can be recognised.

Importers report what they found, runs included: deciding what counts as a walk
is ``core.metrics`` (``classify_sport`` and ``measure``), done once for all
sources by the caller.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from walkwell.importers.base import (
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)
from walkwell.importers.xmlsafe import DEFAULT_LIMITS, HEAD_BYTES, HashingReader

READABLE = "GPX, TCX, FIT, Apple Health, Health Connect or a zip of them"


def iter_path(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS
) -> Iterator[ImportItem]:
    """Every item in a file, or in every file under a folder (recursively, in order)."""
    if path.is_dir():
        for file in _files(path):
            yield from iter_file(file, str(file.relative_to(path)), limits)
    else:
        yield from iter_file(path, path.name, limits)


def _files(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder``; symlinks are not followed out of it."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            file = Path(root) / name
            if file.is_file() and not file.is_symlink():
                yield file


def iter_file(
    path: Path, label: str, limits: ImportLimits = DEFAULT_LIMITS
) -> Iterator[ImportItem]:
    """The items of one file on disk, one ``Refused`` if it cannot be read at all."""
    try:
        size = path.stat().st_size
        problem = _size_problem(size, limits)
        if problem:
            yield Refused(label, None, problem)
            return
        with path.open("rb") as stream:
            is_zip = stream.read(4) == b"PK\x03\x04"
            if not is_zip:
                stream.seek(0)
                yield from parse_stream(stream, label, None, limits)
    except OSError as error:
        yield Refused(label, None, f"the file could not be read ({error.strerror})")
        return
    if is_zip:
        from walkwell.importers import archives  # noqa: PLC0415 - loaded when needed

        yield from archives.iter_zip(path, limits)


def _size_problem(size: int, limits: ImportLimits) -> str | None:
    if size == 0:
        return "an empty file: there is nothing in it to import"
    if size > limits.max_file_bytes:
        return f"larger than the limit of {limits.max_file_bytes:,} bytes"
    return None


def parse_stream(
    stream: BinaryIO,
    label: str,
    member: str | None,
    limits: ImportLimits = DEFAULT_LIMITS,
    *,
    gunzipped: bool = False,
) -> Iterator[ImportItem]:
    """The items of one stream (a file, or a member of an archive), by its content."""
    from walkwell.importers.archive_members import kind_of  # noqa: PLC0415

    reader = HashingReader(stream, limits.max_member_bytes)
    try:
        head = reader.peek(HEAD_BYTES)
        kind = kind_of(head)
        yield from _by_kind(
            kind,
            head=head,
            reader=reader,
            label=label,
            member=member,
            limits=limits,
            gunzipped=gunzipped,
        )
    except ImportRefused as refused:
        yield Refused(label, member, refused.reason)


def _by_kind(
    kind: str | None,
    *,
    head: bytes,
    reader: HashingReader,
    label: str,
    member: str | None,
    limits: ImportLimits,
    gunzipped: bool,
) -> Iterator[ImportItem]:
    from walkwell.importers import archive_members  # noqa: PLC0415

    stream = cast(BinaryIO, reader)
    if kind in {"gpx", "tcx", "fit"}:
        yield from archive_members.activity_items(
            kind or "", stream, label, member, limits
        )
    elif kind == "gzip" and not gunzipped:
        inner = cast(BinaryIO, BoundedGunzip(stream, limits.max_member_bytes))
        yield from parse_stream(inner, label, member, limits, gunzipped=True)
    elif kind == "apple_health":
        from walkwell.importers import apple_health  # noqa: PLC0415

        yield from apple_health.iter_export_xml(stream, label, limits, member=member)
    elif kind == "sqlite":
        from walkwell.importers import health_connect  # noqa: PLC0415

        yield from health_connect.iter_database(stream, label, member, limits)
    elif kind is not None:
        yield Skipped(label, member, archive_members.SKIP_REASONS.get(kind, _NESTED))
    else:
        yield Refused(label, member, unreadable_reason(head, member or label))


_NESTED = "a compressed file inside a compressed file: not opened"


def unreadable_reason(head: bytes, name: str) -> str:
    """Why content matched no format, naming what its file name promised."""
    if not head.strip():
        return "an empty file: there is nothing in it to import"
    suffix = Path(name).suffix.lower().lstrip(".")
    promised = f"named .{suffix} but " if suffix in {"gpx", "tcx", "fit", "xml"} else ""
    looks_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if looks_xml:
        from walkwell.importers.xmlsafe import root_name  # noqa: PLC0415

        root = root_name(head)
        what = f"an XML file whose root is <{root}>" if root else "not well-formed XML"
        return f"{promised}{what}, not a file WalkWell reads ({READABLE})"
    return f"{promised}its content is not {READABLE}: it matches none of them"


class BoundedGunzip:
    """Gunzip that stops at ``limit`` decompressed bytes: a gzip bomb is refused early."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")
        self._limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._gzip.read(size if size >= 0 else 1 << 20)
        except (OSError, EOFError, zlib.error) as error:
            raise ImportRefused(f"a damaged gzip file ({error})") from None
        self.count += len(data)
        if self.count > self._limit:
            raise ImportRefused(
                f"a gzip file that decompresses to more than {self._limit:,} bytes "
                "(a gzip bomb?)"
            )
        return data
