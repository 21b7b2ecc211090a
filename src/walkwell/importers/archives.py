"""Zip archives (Apple Health, Health Connect, Strava, a folder of GPX files).

A zip is untrusted input with its own attacks, all checked before any member is
read, each refused with a reason that names the archive and the member:

* zip bombs: a member whose declared size is above ``max_member_bytes`` or whose
  size/compressed ratio is above ``max_compression_ratio``, or declared sizes
  summing above ``max_total_uncompressed_bytes``. Declared sizes can lie, so every
  read also goes through a byte counter that enforces the same limits on what is
  really decompressed.
* overlapping entries (one compressed stream shared by many members, the
  "better zip bomb"; CVE-2024-0450 is fixed only in Python 3.12.2/3.11.8+): each
  member's local header is read and its data must end before the next member's
  header begins.
* member names with ``..``, a leading ``/``, a drive letter or backslashes, and
  encrypted members. Members are never extracted to disk by name anyway: they
  are streamed into the parsers.
* too many members, and nested archives (not opened: a bomb's favourite shape).

Members are recognised by their content (XML root, FIT header, gzip or SQLite
magic), never by their name, so a localised "Exportieren.xml" still imports.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from walkwell.importers.archive_members import (
    Archive,
    Budget,
    member_items,
    sniff,
    strava_items,
)
from walkwell.importers.base import ImportItem, ImportLimits, ImportRefused, Refused

LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # PK\x03\x04 ... name length, extra length
LOCAL_SIGNATURE = b"PK\x03\x04"
RATIO_FLOOR_BYTES = 1024 * 1024  # tiny members compress well and harm no one


def iter_zip(path: Path, limits: ImportLimits) -> Iterator[ImportItem]:
    """Yield the items of every member of the zip at ``path``, checked first."""
    label = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        yield Refused(label, None, f"not a readable zip archive ({error})")
        return
    with zf:
        try:
            archive = _checked(zf, path, label, limits)
            yield from _iter_members(archive)
        except ImportRefused as refused:
            yield Refused(label, None, refused.reason)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            yield Refused(label, None, f"the archive is damaged ({error})")


def _checked(
    zf: zipfile.ZipFile, path: Path, label: str, limits: ImportLimits
) -> Archive:
    infos = zf.infolist()
    if len(infos) > limits.max_archive_members:
        msg = f"it holds {len(infos):,} members, more than the limit of "
        raise ImportRefused(msg + f"{limits.max_archive_members:,}")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_total_uncompressed_bytes:
        msg = f"it would decompress to {declared:,} bytes, more than the limit of "
        raise ImportRefused(
            msg + f"{limits.max_total_uncompressed_bytes:,} (zip bomb?)"
        )
    check_no_overlap(path, infos, getattr(zf, "start_dir", path.stat().st_size))
    archive = Archive(zf, label, limits, Budget(limits.max_total_uncompressed_bytes))
    for info in infos:
        if info.filename in archive.infos:
            raise ImportRefused(f"member {info.filename!r} appears twice")
        archive.infos[info.filename] = info
    return archive


def check_no_overlap(path: Path, infos: list[zipfile.ZipInfo], end: int) -> None:
    """Each member's data must end before the next local header (or the directory)."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    with path.open("rb") as raw:
        for index, info in enumerate(ordered):
            limit = (
                ordered[index + 1].header_offset if index + 1 < len(ordered) else end
            )
            data_end = _data_start(raw, info) + info.compress_size
            if data_end > limit:
                msg = f"member {info.filename!r} overlaps the next entry (zip bomb?)"
                raise ImportRefused(msg)


def _data_start(raw: BinaryIO, info: zipfile.ZipInfo) -> int:
    raw.seek(info.header_offset)
    header = raw.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != LOCAL_SIGNATURE:
        msg = f"member {info.filename!r} has no local header where the directory says"
        raise ImportRefused(msg)
    name_len, extra_len = LOCAL_HEADER.unpack(header)[-2:]
    return int(info.header_offset + LOCAL_HEADER.size + name_len + extra_len)


def member_problem(info: zipfile.ZipInfo, limits: ImportLimits) -> str | None:
    """Why this member must not be read, or None when it may be."""
    name = info.filename
    parts = PurePosixPath(name).parts
    if "\\" in name or name.startswith("/") or ".." in parts or ":" in name[:3]:
        return "its name points outside the archive (path traversal)"
    if "\x00" in name:
        return "its name holds a NUL character"
    if info.flag_bits & 0x1:
        return "it is encrypted; WalkWell reads only unencrypted archives"
    if info.file_size > limits.max_member_bytes:
        return f"it is {info.file_size:,} bytes, over the limit"
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > (
        max(info.compress_size, 1) * limits.max_compression_ratio
    ):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"it compresses {ratio:,.0f} to 1, beyond any real export (zip bomb?)"
    return None


def _iter_members(archive: Archive) -> Iterator[ImportItem]:
    readable: list[zipfile.ZipInfo] = []
    for info in archive.infos.values():
        if info.is_dir():
            continue
        problem = member_problem(info, archive.limits) or _sniffed(archive, info)
        if problem:
            yield Refused(archive.label, info.filename, problem)
        else:
            readable.append(info)
    strava_csv = _strava_csv(readable)
    if strava_csv is not None:
        yield from strava_items(archive, strava_csv)
    for info in readable:
        if strava_csv is None or not _strava_owned(strava_csv, info):
            yield from member_items(archive, info)


def _strava_csv(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """A Strava bulk export's index: ``activities.csv`` (the shallowest one)."""
    found = [i for i in infos if PurePosixPath(i.filename).name == "activities.csv"]
    return min(found, key=lambda i: i.filename.count("/")) if found else None


def _strava_owned(csv_info: zipfile.ZipInfo, info: zipfile.ZipInfo) -> bool:
    """Strava's index and its activities/ files are read through the index."""
    folder = PurePosixPath(csv_info.filename).parent
    return info is csv_info or PurePosixPath(info.filename).is_relative_to(
        folder / "activities"
    )


def _sniffed(archive: Archive, info: zipfile.ZipInfo) -> str | None:
    """Record the member's kind from its head; return why it could not be read."""
    try:
        with archive.open(info) as reader:
            archive.kinds[info.filename] = sniff(reader)
    except ImportRefused as refused:
        return refused.reason
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
    ) as error:
        return f"the member is damaged ({error})"
    return None
