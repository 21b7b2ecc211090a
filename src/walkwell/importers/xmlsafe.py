"""Hardened, streaming XML for activity files (GPX, TCX), and a hashing reader.

Activity XML never needs a DOCTYPE, so one that declares entities or points at an
external DTD is treated as an attack (billion laughs, XXE) and refused before the
parser sees it; a bare ``<!DOCTYPE gpx>`` is stripped. lxml is then run with
entities, DTDs and the network all off, and with ``huge_tree`` off so its own
size guards stay on. Callers clear elements as they go, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from walkwell.importers.base import ImportLimits, ImportRefused

#: The limits used when a caller names none (every one is also a setting).
DEFAULT_LIMITS = ImportLimits()
#: How much of a file is read ahead to judge its prolog (declaration, DOCTYPE, root).
HEAD_BYTES = 64 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00?\x00", b"\x00<\x00?")


class HashingReader:
    """A read-only stream that hashes and counts every byte it hands out.

    The hash is of the source bytes as they stream past, so no second read is
    needed; ``peek`` lets callers sniff a format without losing those bytes.
    """

    def __init__(self, raw: BinaryIO, max_bytes: int) -> None:
        self._raw = raw
        self._max = max_bytes
        self._buffer = b""
        self._hash: hashlib._Hash | None = hashlib.sha256()
        self.count = 0

    def _pull(self, size: int) -> bytes:
        data = self._raw.read(size)
        self.count += len(data)
        if self.count > self._max:
            raise ImportRefused(f"larger than the limit of {self._max:,} bytes")
        if self._hash is not None:
            self._hash.update(data)
        return data

    def stop_hashing(self) -> None:
        """No file hash is wanted (an Apple Health export: each workout is
        identified by its own element): a gigabyte less of SHA-256 to compute."""
        self._hash = None

    def peek(self, size: int) -> bytes:
        """Up to ``size`` bytes from the current position, without consuming them."""
        while len(self._buffer) < size:
            chunk = self._pull(size - len(self._buffer))
            if not chunk:
                break
            self._buffer += chunk
        return self._buffer[:size]

    def replace_head(self, old_len: int, new: bytes) -> None:
        """Swap the first ``old_len`` buffered bytes for ``new`` (hash unchanged)."""
        self._buffer = new + self._buffer[old_len:]

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data = self._buffer + self._drain_raw()
            self._buffer = b""
            return data
        if self._buffer:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
            return data
        return self._pull(size)

    def _drain_raw(self) -> bytes:
        parts = []
        while chunk := self._pull(1 << 20):
            parts.append(chunk)
        return b"".join(parts)

    def drain(self) -> None:
        """Read to the end so the hash covers the whole file."""
        self._buffer = b""
        while self._pull(1 << 20):
            pass

    def hexdigest(self) -> str:
        if self._hash is None:
            raise RuntimeError("hashing was stopped for this stream")
        return self._hash.hexdigest()


def as_reader(stream: BinaryIO | HashingReader, limits: ImportLimits) -> HashingReader:
    """The stream itself when it already hashes, else a hashing wrapper around it."""
    if isinstance(stream, HashingReader):
        return stream
    return HashingReader(stream, limits.max_file_bytes)


def localname(tag: object) -> str:
    """``{namespace}trkpt`` -> ``trkpt``: GPX 1.0, 1.1 and namespace-less alike.

    Memoised (a file uses a few dozen tags, each a million times); the memo is
    capped so a file of endless distinct tags cannot grow it.
    """
    if not isinstance(tag, str):
        return ""
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2]
        if len(LOCAL_NAMES) < 4096:
            LOCAL_NAMES[tag] = name
    return name


#: ``localname``'s memo. Per-point loops read it directly
#: (``LOCAL_NAMES.get(tag) or localname(tag)``) to save a call per element.
LOCAL_NAMES: dict[str, str] = {}


def root_name(head: bytes) -> str | None:
    """The root element's local name, judged from the first bytes of a document
    (in UTF-8 or, as XML allows, UTF-16 with or without its byte order mark)."""
    body = _PROLOG_NOISE.sub(b"", _utf8(head).removeprefix(b"\xef\xbb\xbf"))
    doctype = _DOCTYPE.search(body)
    if doctype:
        end = _doctype_end(body, doctype.start())
        body = body[end:] if end else b""
    match = _ROOT.search(body)
    return match.group(2).decode("ascii") if match else None


def is_utf16(head: bytes) -> bool:
    """Whether a document's first bytes are UTF-16 (a byte order mark, or the
    XML declaration's first characters)."""
    return head.startswith(_UTF16_STARTS)


def _utf8(head: bytes) -> bytes:
    """The first bytes of a UTF-16 document as UTF-8 (a character cut off at the
    end is dropped); any other document as it is."""
    if not is_utf16(head):
        return head
    big = head.startswith((b"\xfe\xff", b"\x00<"))
    text = head.decode("utf-16-be" if big else "utf-16-le", errors="ignore")
    return text.lstrip("\ufeff").encode("utf-8")


def _doctype_end(head: bytes, start: int) -> int | None:
    """Index just past the DOCTYPE that starts at ``start``, if it ends in ``head``."""
    subset = head.find(b"[", start)
    close = head.find(b">", start)
    if subset != -1 and (close == -1 or subset < close):
        end = head.find(b"]", subset)
        close = head.find(b">", end) if end != -1 else -1
    return close + 1 if close != -1 else None


def guard_doctype(reader: HashingReader, kind: str) -> None:
    """Refuse a DOCTYPE that declares entities or an external DTD; strip a bare one."""
    head = reader.peek(HEAD_BYTES)
    if head.startswith(_UTF16_STARTS) and b"D\x00O\x00C\x00T\x00Y\x00P\x00E" in head:
        raise ImportRefused(
            f"a DOCTYPE in a UTF-16 {kind} file, which {kind} never needs"
        )
    found = _DOCTYPE.search(head)
    if not found:
        return
    end = _doctype_end(head, found.start())
    declaration = head[found.start() : end] if end else head[found.start() :]
    if b"<!ENTITY" in declaration.upper() or end is None:
        raise ImportRefused(
            f"this {kind} file declares XML entities in a DOCTYPE; {kind} files never "
            "need them and they are a known attack (entity expansion or reading "
            "files from the server), so it was refused unread"
        )
    if re.search(rb"\b(SYSTEM|PUBLIC)\b", declaration):
        raise ImportRefused(
            f"this {kind} file points at an external DTD; {kind} files never need one "
            "and loading it could reach other files or the network, so it was refused"
        )
    reader.replace_head(end, head[: found.start()])


# Bytes XML 1.0 never allows (tab, line feed and carriage return stay).
ILLEGAL_CONTROL = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))


def without_illegal_bytes(data: bytes) -> bytes:
    """``data`` with the control bytes XML forbids deleted. Bytes below 0x20
    never occur inside a multi-byte UTF-8 sequence, so no text is corrupted."""
    return data.translate(None, ILLEGAL_CONTROL)


def hardened_parser(
    *, collect_ids: bool = True, target: etree.ParserTarget | None = None
) -> etree.XMLParser:
    """lxml's tree parser with nothing expanded or fetched: no entities, no DTD,
    no network, and libxml2's limits on depth and size kept (``huge_tree`` off).
    ``collect_ids=False`` skips the table of ``xml:id`` values (faster); a
    ``target`` receives lxml's parser events instead of a tree being built."""
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=collect_ids,
    )


def iterparse(
    reader: HashingReader, kind: str, root: str, tags: tuple[str, ...]
) -> Iterator[etree._Element]:
    """Closed elements whose local name is in ``tags``, from hardened lxml.

    Filtering by tag happens inside lxml, so Python sees one event per point, not
    one per element: that is most of the import's speed. The root is checked
    from the head before parsing. Nesting is bounded by libxml2 itself (256
    levels while ``huge_tree`` is off). Syntax errors become ``ImportRefused``
    naming the problem, so a damaged file is one clear message.
    """
    guard_doctype(reader, kind)
    found = root_name(reader.peek(HEAD_BYTES))
    if found != root:
        what = (
            f"an XML file whose root is <{found}>" if found else "not an XML document"
        )
        raise ImportRefused(f"{what}, not a {kind} file")
    events = etree.iterparse(
        reader,
        events=("end",),
        tag=tuple("{*}" + tag for tag in tags),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            yield element
    except etree.XMLSyntaxError as error:
        raise ImportRefused(f"not well-formed XML ({error.msg})") from None


def release(element: etree._Element) -> None:
    """Free a handled element and the siblings before it: memory stays bounded."""
    element.clear()
    drop_previous(element)


class Sweeper:
    """Frees handled points in batches rather than one sibling at a time.

    Deleting each finished sibling from Python costs more than reading the point
    (a proxy object per sibling, per call); one C-level slice delete every
    ``batch`` points does the same work for a fraction of that. Each point is
    still cleared at once, so memory stays bounded by ``batch`` empty elements.
    """

    def __init__(self, batch: int = 1024) -> None:
        self._batch = batch
        self._pending = 0

    def sweep(self, element: etree._Element) -> None:
        """Clear ``element``; every ``batch`` calls, drop its finished siblings."""
        element.clear()
        self._pending += 1
        if self._pending >= self._batch:
            self._pending = 0
            drop_previous(element)


def drop_previous(element: etree._Element) -> None:
    """Delete every sibling before ``element`` in one C-level slice operation."""
    parent = element.getparent()
    if parent is not None:
        index = parent.index(element)
        if index:
            del parent[:index]


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first direct child with local name ``name`` (any namespace)."""
    for child in element:
        if localname(child.tag) == name:
            return child.text.strip() if child.text else None
    return None
