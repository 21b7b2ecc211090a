"""One large Apple Health export parsed on every core, with the same results.

The one-process reader (``apple_health._parse``) is bound by lxml's speed on one
core. Here this process reads the export (``CleanedExport``: DOCTYPE cut) and
cuts it into pieces of a megabyte, each ending just before a top-level element's
start tag (Apple writes those one space in, nested ones deeper). Worker processes
delete the illegal control bytes (as ``CleanedExport`` does for one process) and
parse pieces with the same hardened lxml settings, wrapped in ``<HealthData>`` so
each is a document of its own. libxml2 checks each whole piece without building
its tree, and only the top-level elements that can hold a step record or a
workout (a tenth to a quarter of the bytes in the exports tried) are built as a
tree (``parse_piece`` says when the whole tree is built instead). Workers send
back the piece's step totals and the XML of its ``Workout`` elements. This
process parses a piece itself whenever the workers have enough queued, so every
core is busy, and builds the workouts (opening their routes) and sums the steps
in piece order: the items come out exactly as the one-process reader yields them.

Nothing unusual is handled here. A piece that does not parse (a damaged file, or
a cut that fell inside an element), a refusal of any kind, a worker that died,
or no place to cut: ``parse`` answers None and the caller reads the whole export
again in one process, whose answer (or refusal) is the one a person sees.
Memory stays bounded: a few pieces in flight, each freed once parsed.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Protocol, cast

from lxml import etree

from walkwell.importers.apple_health_workouts import WorkoutContext, workout_item
from walkwell.importers.base import ImportItem
from walkwell.importers.steps import STEP_COUNT, StepTally
from walkwell.importers.xmlsafe import hardened_parser, without_illegal_bytes

MB = 1024 * 1024
PIECE_BYTES = 1 * MB  # its tree takes about five times that while parsed
MIN_SPLIT_BYTES = 24 * MB  # below this, starting workers costs more than it saves
CUT = b"\n <"  # a top-level start tag follows (Apple indents nested ones deeper)
OPEN, CLOSE = b"<HealthData>", b"</HealthData>"
STEP_RECORDS = etree.XPath(f"descendant::Record[@type='{STEP_COUNT}']")  # in C
CUTS = re.compile(rb"\n <[A-Za-z]")  # CUT and a tag's first letter
STEP_MARK, WORKOUT_MARK = STEP_COUNT.encode(), b"<Workout"
ELEMENT = re.compile(rb"<(?:Record|Workout)[\s/>]")
UNUSUAL = ((b"!", b"<!"), (b"?", b"<?"), (b"#", b"&#"), (b"x", b"xmlns"))


class Readable(Protocol):
    """The cleaned export (``apple_health.CleanedExport``), as read here."""

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Split:
    """How to share one export between processes."""

    workers: int  # processes besides this one, which parses too
    piece_bytes: int

    @property
    def max_piece_bytes(self) -> int:
        """No place to cut within this many bytes: the export is read in one process."""
        return 4 * self.piece_bytes

    @property
    def in_flight(self) -> int:
        """Pieces queued for the workers at most (memory: about this many pieces)."""
        return 2 * self.workers


def split_for(size: int | None) -> Split | None:
    """The split for an export of ``size`` bytes; None reads it in one process
    (a small or unknown size, or a machine with one core for this process)."""
    cores = usable_cores()
    if cores < 2 or size is None or size < MIN_SPLIT_BYTES:
        return None
    return Split(workers=cores - 1, piece_bytes=PIECE_BYTES)


def usable_cores() -> int:
    """The cores this process may run on (all of the machine's where the system
    cannot say, as on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(slots=True)
class Piece:
    """What one piece holds: step totals and its workouts' XML, in order."""

    steps: dict[tuple[str, str], int] = field(default_factory=dict)
    workouts: list[bytes] = field(default_factory=list)
    elements: bool = False  # any Record or Workout at all


def parse_piece(data: bytes, first: bool, last: bool) -> Piece | None:
    """Parse one piece (None when it is not well-formed on its own).

    A piece between the first and the last (almost all of them) is checked whole
    for well-formedness without building a tree, and then only its top-level
    elements that can hold a step record or a workout are built
    (``_picked_piece``); anything that could make those differ from the whole
    tree builds the whole tree.

    One known difference: libxml2 checking without a tree does not refuse a
    namespace prefix that is never declared, nor nesting deeper than 256 levels,
    which the tree parser (and so the one-process reader) refuses. In elements
    that are not built, neither is refused here: such a file, which no Apple
    export is, gives its steps and walks instead of a refusal."""
    data = without_illegal_bytes(data)
    if first or last or _unusual(data):
        return _whole_piece(data, first, last)
    if not _well_formed(data):
        return None
    return _picked_piece(data) or _whole_piece(data, first, last)


def _picked_piece(data: bytes) -> Piece | None:
    """What a well-formed middle piece holds, from the tree of its picked
    fragments alone; None when one of them is not one whole element (it leaves
    an element open, or closes one it did not open: the whole piece's tree is
    needed).

    Every step record's start tag holds the type's name as written (``_unusual``
    rules out character references), so its fragment is picked; and a fragment
    that is one whole element, cut from a well-formed piece with no comment,
    CDATA or namespace, is that element of the export, with the same attributes
    and children. Each fragment is parsed inside an element of its own
    (``<f>``), so one that is not whole does not parse. So the records and
    workouts found are exactly the whole tree's."""
    picked = _picked(data)
    joined = b"<f>" + b"</f><f>".join(picked) + b"</f>" if picked else b""
    root = _tree(joined, first=False, last=False)
    if root is None or any(len(fragment) != 1 for fragment in root):
        return None
    piece = _found(root)
    piece.elements = ELEMENT.search(data) is not None
    return piece


def _unusual(data: bytes) -> bool:
    """Markup a byte search cannot see through: a comment, CDATA or a processing
    instruction (a tag inside them is text), a character reference (a type
    written in code points) or a namespace (a default one changes what a
    ``Record`` is)."""
    return any(
        byte in data and mark in data  # the byte alone is found ten times faster
        for byte, mark in UNUSUAL
    )


def _well_formed(data: bytes) -> bool:
    """The piece, wrapped, parses with the hardened settings (no tree is built)."""
    # lxml calls only the methods a target has; the stubs ask for all of them
    target = cast("etree.ParserTarget", _NoTree())
    parser = hardened_parser(collect_ids=False, target=target)
    try:
        parser.feed(OPEN)
        parser.feed(data)
        parser.feed(CLOSE)
        parser.close()
    except etree.XMLSyntaxError:
        return False
    return True


class _NoTree:
    """A parser target with no callbacks: libxml2 checks the XML and builds
    nothing, about twice as fast as building the tree."""

    def close(self) -> None:
        return None


def _picked(data: bytes) -> list[bytes]:
    """The piece's top-level elements (each running from one cut to the next)
    whose text holds a step record's type or a workout's tag, in order."""
    spans = [*_spans(data, STEP_MARK), *_spans(data, WORKOUT_MARK)]
    spans.sort()
    picked: list[bytes] = []
    until = 0
    for start, end in spans:
        if start >= until:  # one fragment may hold both marks
            picked.append(data[start:end])
            until = end
    return picked


def _spans(data: bytes, mark: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each fragment holding ``mark``."""
    at = data.find(mark)
    while at >= 0:
        start, end = _cut_before(data, at), _cut_after(data, at)
        yield start, end
        at = data.find(mark, end)


def _cut_before(data: bytes, at: int) -> int:
    """Where the fragment holding offset ``at`` starts (0: the piece's start);
    a cut whose "<" is at ``at`` itself counts."""
    return max(_last_cut(data, at + 1), 0)


def _cut_after(data: bytes, at: int) -> int:
    """Where the next fragment after offset ``at`` starts (the piece's end if none)."""
    cut = CUTS.search(data, at)
    return len(data) if cut is None else cut.start() + 1


def _whole_piece(data: bytes, first: bool, last: bool) -> Piece | None:
    root = _tree(data, first=first, last=last)
    if root is None or root.tag != "HealthData":
        return None
    piece = _found(root)
    piece.elements = bool(piece.workouts) or root.find(".//Record") is not None
    return piece


def _tree(data: bytes, *, first: bool, last: bool) -> etree._Element | None:
    """The tree of ``data``, wrapped in ``<HealthData>`` where it is not the
    export's own beginning or end; None when it does not parse."""
    parser = hardened_parser(collect_ids=False)  # no xml:id is read: no id table
    try:
        if not first:
            parser.feed(OPEN)
        parser.feed(data)
        if not last:
            parser.feed(CLOSE)
        root: etree._Element = parser.close()
    except etree.XMLSyntaxError:
        return None
    return root


def _found(root: etree._Element) -> Piece:
    """The step totals and the workouts' XML under ``root``."""
    tally = StepTally()
    for record in _elements(STEP_RECORDS, root):
        tally.add_record(record)
    workouts = [etree.tostring(w, with_tail=False) for w in root.iter("Workout")]
    return Piece(tally.totals, workouts)


def _elements(path: etree.XPath, root: etree._Element) -> list[etree._Element]:
    """The elements an element-only XPath selects (typed as lxml cannot)."""
    return cast(list[etree._Element], path(root))


def pieces(stream: Readable, split: Split) -> Iterator[tuple[bytes, bool, bool]]:
    """(bytes, first, last) pieces of the stream, each cut before a top-level tag.

    The cut is looked for in the newest chunk read (top-level tags come every few
    hundred bytes), so each byte is copied once, when its piece is joined."""
    parts: list[bytes] = []
    held = 0
    first = True
    while chunk := stream.read(min(MB, split.piece_bytes)):
        parts.append(chunk)
        held += len(chunk)
        if held < split.piece_bytes:
            continue
        cut = _last_cut(chunk)
        if cut <= 0:
            if held > split.max_piece_bytes:
                raise UnsplittableError
            continue
        parts[-1] = chunk[:cut]
        yield b"".join(parts), first, False
        rest = chunk[cut:]
        parts, held, first = [rest], len(rest), False
    yield b"".join(parts), first, True


class UnsplittableError(Exception):
    """No place to cut the export: read it in one process instead."""


def _last_cut(data: bytes, end: int | None = None) -> int:
    """Offset just after the last newline (before ``end``) that a top-level
    start tag follows; -1 if there is none."""
    at = data.rfind(CUT, 0, len(data) if end is None else end)
    while at >= 0:
        if data[at + len(CUT) : at + len(CUT) + 1].isalpha():
            return at + 1
        at = data.rfind(CUT, 0, at)
    return -1


def parse(
    stream: Readable, ctx: WorkoutContext, split: Split
) -> list[ImportItem] | None:
    """Every item of the export in the one-process order, or None to read it
    again in one process (anything went wrong or looked unusual, or no worker
    process could be started here)."""
    pool: ProcessPoolExecutor | None = None
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        pool = ProcessPoolExecutor(split.workers, mp_context=context)
        return _parse_with(pool, stream, ctx, split)
    except Exception:  # the one-process reader decides, and says why
        return None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _parse_with(
    pool: ProcessPoolExecutor,
    stream: Readable,
    ctx: WorkoutContext,
    split: Split,
) -> list[ImportItem] | None:
    results = _Results(ctx)
    slots: deque[Future[Piece | None] | Piece | None] = deque()
    queued = 0
    starting = _start(pool)
    for data, first, last in pieces(stream, split):
        if queued < split.in_flight and not starting.is_alive():
            slots.append(pool.submit(parse_piece, data, first, last))
            queued += 1
        else:
            slots.append(parse_piece(data, first, last))  # this process's share
        while slots and _ready(slots[0]):
            queued -= isinstance(slots[0], Future)
            if not results.take(_result(slots.popleft())):
                return None
    while slots:
        if not results.take(_result(slots.popleft())):
            return None
    return results.items()


def _start(pool: ProcessPoolExecutor) -> threading.Thread:
    """Start the fork server and the first worker from another thread, which
    waits (a few tenths of a second) while the fork server imports this module;
    this process parses the first pieces meanwhile. Any other worker starts at
    its first ``submit``, in a few milliseconds."""
    thread = threading.Thread(target=_first_task, args=(pool,), daemon=True)
    thread.start()
    return thread


def _first_task(pool: ProcessPoolExecutor) -> None:
    """Submit a task that does nothing, which starts a worker. Should it
    not start, the pool is broken and this process's next ``submit`` raises:
    the export is read in one process, with nothing printed from here."""
    with suppress(Exception):
        pool.submit(os.getpid)


def _ready(slot: Future[Piece | None] | Piece | None) -> bool:
    return not isinstance(slot, Future) or slot.done()


def _result(slot: Future[Piece | None] | Piece | None) -> Piece | None:
    return slot.result() if isinstance(slot, Future) else slot


class _Results:
    """Pieces' results taken in order: workouts built here, steps summed."""

    def __init__(self, ctx: WorkoutContext) -> None:
        self.ctx = ctx
        self.workouts: list[ImportItem] = []
        self.steps = StepTally()
        self.elements = False

    def take(self, piece: Piece | None) -> bool:
        if piece is None:
            return False
        for xml in piece.workouts:
            workout = etree.fromstring(xml, hardened_parser())
            self.workouts.append(workout_item(workout, self.ctx))
        self.steps.merge(piece.steps)
        self.elements = self.elements or piece.elements
        return True

    def items(self) -> list[ImportItem] | None:
        if not self.elements:
            return None  # the one-process reader names what is missing
        steps = self.steps.daily(self.ctx.file, self.ctx.member)
        return [*self.workouts, *steps]
