"""One way in for any file or folder: the format is judged by content, not by name.

A ``walk.gpx`` that is really a FIT file imports as FIT; a ``.gpx`` full of
binary noise is refused saying so. Zips go to ``archives`` (which checks them
as a whole before reading a member); every other stream goes to ``registry``,
which names its kind and hands it to that kind's one reader.
Every activity carries the sha256 of the bytes it came from, hashed while
streaming, so re-importing the same file can be recognised.

Importers report what they found, runs included: deciding what counts as a walk
is ``core.metrics`` (``classify_sport`` and ``measure``), done once for all
sources by the caller.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from walkwell.importers import archives, registry
from walkwell.importers.base import ImportItem, ImportLimits, Refused
from walkwell.importers.xmlsafe import DEFAULT_LIMITS


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
                source = registry.Source(
                    label, None, limits, again=lambda: path.open("rb"), size=size
                )
                yield from registry.read_stream(stream, source)
    except OSError as error:
        yield Refused(label, None, f"the file could not be read ({error.strerror})")
        return
    if is_zip:
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
) -> Iterator[ImportItem]:
    """The items of one stream (a file, or a file named by an index), by content."""
    return registry.read_stream(stream, registry.Source(label, member, limits))
