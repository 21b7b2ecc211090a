"""What a recorded track says about a walk: time, distance, pace, hills, intervals.

Pure: a ``Track`` in, a ``WalkMetrics`` out, no I/O and no clock. Every threshold
lives in ``MetricsParams`` beside the reason it has the value it has. The same
measures serve every importer, so a walk counts the same from a watch or a phone.

Telling a walk from something else: a sustained share of moving time above
running speed means running, cycling or a vehicle. Walking speed alone cannot
catch slow non-walks (stand-up paddling moves at walking pace), so when the
device counted steps, a step rate far below any walking cadence flags it too.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from itertools import pairwise

from walkwell.core.model import Terrain, Track, TrackPoint, WalkMetrics

__all__ = ["WalkMetrics"]  # re-exported: it lives in ``core.model`` beside ``Track``

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), used by the haversine


@dataclass(frozen=True, slots=True)
class MetricsParams:
    """Every threshold the measures use, each with why it has its value."""

    # Below 0.3 m/s (about 1 km/h) a person is standing, not walking; the slowest
    # comfortable walking speeds in older adults are about 0.6-0.8 m/s
    # (Bohannon & Andrews 2011, Physiotherapy 97:182).
    pause_speed_mps: float = 0.3
    # A gap longer than 10 minutes between points is the device off or two
    # recordings joined, not part of the walk: neither its time nor distance counts.
    max_gap_s: float = 600.0
    # Faster than 250 km/h between two points is a GPS jump, not movement.
    max_plausible_speed_mps: float = 70.0
    # Brisk walking tops out near 7 km/h and race walkers excepted, people switch to
    # running by about 2.0-2.2 m/s (the preferred walk-run transition speed, Hreljac
    # 1993, J Biomech 26:1163); 9 km/h (2.5 m/s) leaves room for a fast walker.
    walk_max_speed_mps: float = 2.5
    # Speed is judged over a minute, so a short jog for the bus does not flag a walk.
    sustained_window_s: float = 60.0
    # More than a tenth of moving time above walking speed is not a walk.
    max_fast_share: float = 0.10
    # Walking cadence is about 100-130 steps a minute, and rarely below 70 even
    # slow (Tudor-Locke et al. 2018, Br J Sports Med 52:776); below 60 while
    # covering ground, legs are not what moves the person (paddling, cycling).
    min_walk_cadence_spm: float = 60.0
    # Running starts near 150 steps a minute even when slow; a mean above 145 over
    # the whole moving time is a run, however slow (ibid.: brisk walking ~130).
    max_walk_cadence_spm: float = 145.0
    # GPS altitude wanders by several metres; rises smaller than this are noise.
    elevation_hysteresis_m: float = 5.0
    # A walk, however long, is done within a day; a recording that runs on for
    # more than a day without a break is a device left on, not a walk.
    max_stretch_s: float = 86_400.0
    # Grades are measured over at least 50 m so one noisy point cannot make a hill.
    grade_window_m: float = 50.0
    # The protocol's "incline" and "hills": above 4 % a slope is felt as climbing,
    # above 8 % it is a hill (wheelchair-ramp limit is 8.33 %, ADA 2010 §405.2).
    incline_grade: float = 0.04
    hill_grade: float = 0.08
    # Terrain counts as incline or hills when a sixth of the walk is on such grades.
    terrain_share: float = 0.15
    # Best sustained pace is the fastest 5 minutes, long enough to be a real effort.
    best_pace_window_s: float = 300.0
    # The interval pattern the protocol prescribes: 3 min brisk, 1 min slow.
    interval_bin_s: float = 30.0
    interval_brisk_s: tuple[float, float] = (120.0, 240.0)
    interval_slow_s: tuple[float, float] = (30.0, 120.0)
    # Brisk must be clearly faster than slow: 15 % and 0.2 m/s at least.
    interval_min_contrast: float = 1.15
    interval_min_gap_mps: float = 0.2
    # Three cycles make a pattern; one or two could be chance.
    interval_min_cycles: int = 3
    # ...and the cycles must fill half the walk: on a long hike, a few chance
    # brisk-slow alternations (climbs, photo stops) are not an interval session.
    interval_min_coverage: float = 0.5


#: The thresholds importers measure with, and ``measure``'s default.
DEFAULT_PARAMS = MetricsParams()


def measure(track: Track, params: MetricsParams = DEFAULT_PARAMS) -> WalkMetrics:
    """All the measures of one recorded track (raises ValueError when it has no points).

    An importer measures a track from every point while it reads it, and keeps
    only a thinned copy of the route: that measure is the answer. It was taken
    with the default thresholds, so other thresholds cannot be applied to it.
    """
    if track.metrics is not None:
        if params != DEFAULT_PARAMS:
            raise ValueError(
                "this track was measured as it was read, with the default "
                "thresholds; its points are only a thinned copy of the route"
            )
        return track.metrics
    accumulator = TrackAccumulator(params)
    add = accumulator.add
    for p in track.points:
        add(
            p.time,
            p.lat,
            p.lon,
            p.elevation_m,
            p.distance_m,
            p.speed_mps,
            p.cadence_spm,
            p.heart_rate,
        )
    return accumulator.result(track.extra.steps)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two positions in degrees, in metres.

    The streaming pass computes the same formula inline (``_stream``), with the
    same operations in the same order, so both give the same number.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


# --- the streaming pass -----------------------------------------------------------

#: Points held back to put a device's reordered points in time order; a point
#: that arrives after this many later ones is dropped as out of order.
REORDER_POINTS = 1024
#: Points read before deciding whether the device's own odometer is trusted.
DECIDE_POINTS = 100_000
#: Moving-segment speeds kept exactly for the median; past this, a histogram of
#: 1 mm/s bins takes over so memory stays flat.
EXACT_SPEEDS = 500_000
_SPEED_BIN = 0.001
#: The most points of the route a measured track keeps (for drawing it): the
#: route is thinned evenly, by halves, as it grows; its last point is kept too.
ROUTE_POINTS = 2048
#: Recent (seconds, metres) entries held before the ones no window needs go.
_RECENT_SLACK = 8192
#: Before any time (the pass compares times; this starts the comparisons).
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
#: Interval bins kept: two days of 30-second bins (a walk longer than a day is
#: not a walk anyway, so the pattern past that is never needed).
MAX_BINS = 2 * 24 * 120

_NAN = math.nan
_isnan = math.isnan

#: One point as the pass carries it: (time, lat, lon, elevation, cumulative
#: distance, speed, cadence, heart rate), ``TrackPoint``'s fields in its order.
_Item = tuple[
    dt.datetime,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    int | None,
]


class TooManyPoints(ValueError):  # noqa: N818 - a verdict, like ImportRefused
    """A track with more points than the accumulator was allowed to take."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} points")
        self.limit = limit


class TrackAccumulator:
    """The measures of a track fed one point at a time, in bounded memory.

    It keeps what the measures need, not every point: a few minutes of recent
    (seconds, metres) for the windowed speeds, the 30-second bins for the
    interval pattern, running sums for the rest, and a thinned copy of the
    route. Points may arrive slightly out of order or repeated (devices do
    both): they are put in order and only the first point of each instant is
    kept. Whether the device's odometer is trusted is decided on the first
    ``DECIDE_POINTS`` points; the pass guesses from the first point and, if the
    guess was wrong, measures those points again from a compact copy.

    ``add`` runs once per point of every imported track, so it and ``_stream``
    are written for speed: plain tuples, local variables, no call per field.
    """

    __slots__ = (
        "_check_at",
        "_emitted",
        "_guess",
        "_last_item",
        "_last_time",
        "_max_time",
        "_min_time",
        "_pending",
        "_prefix",
        "_prefix_times",
        "_route",
        "_route_mask",
        "_send",
        "_with_distance",
        "count",
        "first_time",
        "max_points",
        "params",
        "route_points",
    )

    def __init__(
        self,
        params: MetricsParams = DEFAULT_PARAMS,
        *,
        max_points: int | None = None,
        route_points: int = ROUTE_POINTS,
    ) -> None:
        self.params = params
        self.max_points = max_points
        self.route_points = max(2, route_points)
        self.count = 0  # points fed in, before ordering
        self.first_time: dt.datetime | None = None  # the first point fed in
        self._check_at = 0  # the next count that needs ``_checkpoint``
        self._min_time = self._max_time = self._last_time = _NEVER
        self._pending: deque[_Item] = deque()
        self._emitted = 0
        self._last_item: _Item | None = None
        self._route: list[_Item] = []
        self._route_mask = 0
        self._prefix: array[float] | None = array("d")  # six numbers a point
        self._prefix_times: list[dt.datetime] = []
        self._with_distance = 0
        self._guess = False
        self._send: Callable[[_Item | None], _Totals | None] = self._start

    # -- feeding -------------------------------------------------------------------

    def add(  # noqa: PLR0917 - one argument per TrackPoint field, in its order
        self,
        time: dt.datetime,
        lat: float | None = None,
        lon: float | None = None,
        elevation_m: float | None = None,
        distance_m: float | None = None,
        speed_mps: float | None = None,
        cadence_spm: float | None = None,
        heart_rate: int | None = None,
    ) -> None:
        """Feed one point (raises ``TooManyPoints`` past ``max_points``)."""
        count = self.count + 1
        self.count = count
        if count > self._check_at:
            self._checkpoint(count, time)
        item = (
            time,
            lat,
            lon,
            elevation_m,
            distance_m,
            speed_mps,
            cadence_spm,
            heart_rate,
        )
        pending = self._pending
        if time >= self._max_time:
            self._max_time = time
            pending.append(item)
        else:
            self._late(item, time)
        if len(pending) > REORDER_POINTS:
            self._emit(pending.popleft())

    def add_point(self, point: TrackPoint) -> None:
        """Feed one ``TrackPoint``."""
        self.add(
            point.time,
            point.lat,
            point.lon,
            point.elevation_m,
            point.distance_m,
            point.speed_mps,
            point.cadence_spm,
            point.heart_rate,
        )

    def _checkpoint(self, count: int, time: dt.datetime) -> None:
        """The first point, and the point past the limit (the only counts checked)."""
        limit = self.max_points
        if limit is not None and count > limit:
            self.count = count - 1
            raise TooManyPoints(limit)
        if count == 1:
            self.first_time = self._min_time = self._max_time = time
            # earlier than any time, and as aware (or not) as the track's times
            self._last_time = _NEVER if time.tzinfo else _NEVER.replace(tzinfo=None)
        self._check_at = limit if limit is not None else 2**63

    def _late(self, item: _Item, time: dt.datetime) -> None:
        """A point earlier than one already fed: put it in order among the pending."""
        self._min_time = min(self._min_time, time)
        pending = self._pending
        pending.insert(bisect_right(pending, time, key=_time_of), item)

    def _emit(self, item: _Item) -> None:
        """Pass one point on, in time order; a repeat or too-late point is dropped."""
        time = item[0]
        if time <= self._last_time:
            return
        self._last_time = time
        emitted = self._emitted
        self._emitted = emitted + 1
        self._last_item = item
        if not emitted & self._route_mask:
            self._sample(item)
        prefix = self._prefix
        if prefix is not None:
            lat, lon, ele, dist, speed, cadence = item[1:7]
            self._prefix_times.append(time)
            prefix.extend(
                (
                    _NAN if lat is None else lat,
                    _NAN if lon is None else lon,
                    _NAN if ele is None else ele,
                    _NAN if dist is None else dist,
                    _NAN if speed is None else speed,
                    _NAN if cadence is None else cadence,
                )
            )
            if dist is not None:
                self._with_distance += 1
            if emitted + 1 >= DECIDE_POINTS:
                self._send(item)
                self._decide()
                return
        self._send(item)

    def _start(self, item: _Item | None) -> _Totals | None:
        """The first point opens the pass, guessing the odometer from it."""
        if item is None:
            return None
        self._guess = item[4] is not None
        send = _open(self.params, use_device=self._guess)
        self._send = send
        return send(item)

    def _decide(self) -> None:
        """Trust the device's own odometer when most of the first points carry it."""
        prefix, self._prefix = self._prefix, None
        times, self._prefix_times = self._prefix_times, []
        if prefix is None or not times:
            return
        use_device = self._with_distance > len(times) // 2
        if use_device == self._guess:
            return
        send = _open(self.params, use_device=use_device)
        for i, time in enumerate(times):
            send(_from_row(time, prefix[6 * i : 6 * i + 6]))
        self._send = send

    def _sample(self, item: _Item) -> None:
        route = self._route
        route.append(item)
        if len(route) > self.route_points:
            self._route = route[::2]
            self._route_mask = self._route_mask * 2 + 1

    # -- results -------------------------------------------------------------------

    def _flush(self) -> None:
        pending = self._pending
        while pending:
            self._emit(pending.popleft())
        if self._prefix is not None:
            self._decide()

    @property
    def start(self) -> dt.datetime | None:
        """The earliest time fed in."""
        return self._min_time if self.count else None

    @property
    def span_s(self) -> float:
        """Seconds from the earliest time fed in to the latest."""
        if not self.count:
            return 0.0
        return (self._max_time - self._min_time).total_seconds()

    def route(self) -> tuple[TrackPoint, ...]:
        """The thinned route, in time order, its last point included."""
        self._flush()
        items = list(self._route)
        if self._last_item is not None and (
            not items or items[-1] is not self._last_item
        ):
            items.append(self._last_item)
        return tuple(TrackPoint(*item) for item in items)

    def result(self, steps: int | None = None) -> WalkMetrics:
        """The measures of every point fed (raises ValueError when there were none)."""
        self._flush()
        totals = self._send(None)
        first = self._route[0][0] if self._route else None
        if totals is None or first is None:
            raise ValueError("a track without points has nothing to measure")
        return totals.metrics(first, steps, self.params)


def _time_of(item: _Item) -> dt.datetime:
    return item[0]


def _from_row(time: dt.datetime, row: array[float]) -> _Item:
    """A point back from the compact copy of the first points (NaN was None)."""
    lat, lon, ele, dist, speed, cadence = row
    return (
        time,
        None if _isnan(lat) else lat,
        None if _isnan(lon) else lon,
        None if _isnan(ele) else ele,
        None if _isnan(dist) else dist,
        None if _isnan(speed) else speed,
        None if _isnan(cadence) else cadence,
        None,
    )


def _open(
    params: MetricsParams, *, use_device: bool
) -> Callable[[_Item | None], _Totals | None]:
    stream = _stream(params, use_device)
    next(stream)
    return stream.send


@dataclass(slots=True)
class _Totals:
    """What the pass hands over at the end: sums, bins and speeds, not points."""

    end: float
    moving_s: float
    distance_m: float
    fast_s: float
    speeds: _Speeds
    cadence_sum: float
    cadence_count: int
    longest_stretch: float
    best_speed: float
    bins: list[float]
    gain: float | None
    grade_total: float
    incline_s: float
    hill_s: float

    def metrics(
        self, start: dt.datetime, steps: int | None, p: MetricsParams
    ) -> WalkMetrics:
        moving_s, distance, end = self.moving_s, self.distance_m, self.end
        fast_share = self.fast_s / moving_s if moving_s else 0.0
        median = self.speeds.median()
        cadence = self._cadence(steps)
        incline, hill = self._grade_shares()
        cycles, cycle_s = _interval_cycles(self.bins, p)
        reason = _not_walk_reason(
            fast_share=fast_share,
            median=median,
            cadence=cadence,
            distance=distance,
            moving_s=moving_s,
            longest_stretch_s=self.longest_stretch,
            params=p,
        )
        best = self.best_speed if end >= p.best_pace_window_s else 0.0
        return WalkMetrics(
            start=start,
            duration_s=end,
            moving_s=moving_s,
            distance_m=distance,
            avg_speed_mps=distance / moving_s if moving_s else None,
            avg_pace_s_per_km=1000 * moving_s / distance if distance else None,
            best_pace_s_per_km=1000 / best if best > 0 else None,
            median_speed_mps=median,
            elevation_gain_m=self.gain,
            incline_share=incline,
            hill_share=hill,
            terrain=_terrain(incline, hill, p),
            cadence_spm=cadence,
            fast_share=fast_share,
            interval_cycles=cycles,
            follows_intervals=cycles >= p.interval_min_cycles
            and cycle_s >= p.interval_min_coverage * end,
            is_walk=reason is None,
            not_walk_reason=reason,
        )

    def _cadence(self, steps: int | None) -> float | None:
        """Steps a minute while moving: from per-point cadence, else from a step count."""
        if self.cadence_count:
            return self.cadence_sum / self.cadence_count
        if steps is not None and self.moving_s > 0:
            return steps / (self.moving_s / 60)
        return None

    def _grade_shares(self) -> tuple[float | None, float | None]:
        """Share of timed chunks (each >= ``grade_window_m``) climbing above each grade."""
        if not self.grade_total:
            return None, None
        return self.incline_s / self.grade_total, self.hill_s / self.grade_total


class _Speeds:
    """Moving-segment speeds for the median: exact, then a fine histogram.

    The pass appends to ``batch``; ``spill`` moves the batch into 1 mm/s bins
    once there are more than ``EXACT_SPEEDS`` speeds, and from then on every
    time it runs. The histogram holds the same speeds whenever it runs, so the
    median does not depend on when.
    """

    __slots__ = ("batch", "bins", "count")

    def __init__(self) -> None:
        self.batch: array[float] = array("d")
        self.bins: dict[int, int] | None = None
        self.count = 0  # speeds in ``bins``

    def spill(self) -> None:
        batch = self.batch
        if self.bins is None and len(batch) <= EXACT_SPEEDS:
            return
        bins = self.bins if self.bins is not None else {}
        for speed in batch:
            key = round(speed / _SPEED_BIN)
            bins[key] = bins.get(key, 0) + 1
        self.bins, self.count = bins, self.count + len(batch)
        self.batch = array("d")

    def median(self) -> float | None:
        self.spill()
        if self.bins is None:
            return statistics.median(self.batch) if self.batch else None
        middle, seen = (self.count + 1) / 2, 0
        for key in sorted(self.bins):
            seen += self.bins[key]
            if seen >= middle:
                return key * _SPEED_BIN
        return None  # pragma: no cover - the counts always reach the middle


def _at(seconds: list[float], metres: list[float], second: float, lo: int) -> float:
    """Cumulative metres at ``second``, interpolated between points."""
    i = bisect_left(seconds, second, lo)
    if i <= 0:
        return 0.0
    if i >= len(seconds):
        return metres[-1]
    t0, t1 = seconds[i - 1], seconds[i]
    m0, m1 = metres[i - 1], metres[i]
    return m0 + (m1 - m0) * (second - t0) / (t1 - t0) if t1 > t0 else m1


def _stream(  # noqa: PLR0912, PLR0915 - the per-point loop, kept in one frame
    p: MetricsParams, use_device: bool
) -> Generator[_Totals | None, _Item | None, None]:
    """The measures of ordered, de-duplicated points, sent one at a time.

    Send each point, then None: the answer is the ``_Totals``. Everything lives
    in local variables, so a point costs no attribute look-ups; the sums are
    the same operations in the same order as the plain definitions
    (``haversine_m``, ``_at``, ``_Climb``), so they give the same numbers.

    ``seconds``/``metres`` hold (time since the first point, distance so far)
    of recent points; the windowed speeds read them by interpolation (``_at``
    inlined), each window kind with its own cursor, since each asks for later
    and later times. Entries no window needs any more are dropped in batches.
    """
    pause, max_gap, max_speed = (
        p.pause_speed_mps,
        p.max_gap_s,
        p.max_plausible_speed_mps,
    )
    half, walk_max = p.sustained_window_s / 2, p.walk_max_speed_mps
    window, width = p.best_pace_window_s, p.interval_bin_s
    hysteresis, grade_run = p.elevation_hysteresis_m, p.grade_window_m
    incline_grade, hill_grade = p.incline_grade, p.hill_grade
    two_r = 2 * EARTH_RADIUS_M
    radians, sin, cos, sqrt, asin = (
        math.radians,
        math.sin,
        math.cos,
        math.sqrt,
        math.asin,
    )

    item = yield None
    if item is None:
        return
    first_time, prev_lat, prev_lon, height, prev_dist, prev_speed, _, _ = item
    prev_time = first_time
    seconds, metres = [0.0], [0.0]
    append_second, append_metres = seconds.append, metres.append
    second = distance = moving_s = fast_s = 0.0
    stretch_start = longest = best = 0.0
    cadence_sum, cadence_count = 0.0, 0
    speeds = _Speeds()
    add_speed = speeds.batch.append
    forget_at = _RECENT_SLACK  # when ``seconds`` is this long, forget what is done
    segments: list[float] = []  # (before, after) of moving steps, flat
    seg_head = 0
    bins: list[float] = []
    bins_full = False
    pace = 0  # index of the next best-pace window's start in ``seconds``
    c_start = c_stop = c_pace = c_bin = 0  # where each window kind last looked
    # the climb: gain once it rises ``hysteresis`` clear of noise
    has_height = climbing = anchored = False
    gain = ref = 0.0
    anchor_s = anchor_m = anchor_h = 0.0
    grade_total = incline_s = hill_s = 0.0
    if height is not None:
        has_height = anchored = True
        ref = anchor_h = height
    p1 = c1 = 0.0
    if prev_lat is not None and prev_lon is not None and not use_device:
        p1 = radians(prev_lat)
        c1 = cos(p1)

    while True:
        item = yield None
        if item is None:
            break
        time, lat, lon, height, dist, speed, cadence, _ = item
        step_s = (time - prev_time).total_seconds()
        if use_device:
            if prev_dist is None or dist is None:
                step_m = 0.0
            else:
                step_m = dist - prev_dist
                if not step_m > 0.0:
                    step_m = 0.0
        elif lat is not None and lon is not None:
            p2 = radians(lat)
            c2 = cos(p2)
            if prev_lat is not None and prev_lon is not None:
                dp, dl = p2 - p1, radians(lon - prev_lon)
                h = sin(dp / 2) ** 2 + c1 * c2 * sin(dl / 2) ** 2
                root = sqrt(h)
                step_m = two_r * asin(root if root < 1.0 else 1.0)
            else:
                step_m = 0.0
            p1, c1 = p2, c2
        else:
            step_m = 0.0
        if step_s > max_gap or step_m > step_s * max_speed:
            step_m, moving = 0.0, False
        elif prev_speed is not None and speed is not None:
            moving = (prev_speed + speed) / 2 >= pause
        else:
            moving = (step_m / step_s if step_s > 0 else 0.0) >= pause
        prev_time, prev_lat, prev_lon, prev_dist, prev_speed = (
            time,
            lat,
            lon,
            dist,
            speed,
        )
        before = second
        second = (time - first_time).total_seconds()
        distance += step_m
        append_second(second)
        append_metres(distance)
        if step_s > max_gap:
            stretch_start = second
        if second - stretch_start > longest:  # noqa: PLR1730 - no call per point
            longest = second - stretch_start
        if moving:
            moving_s += second - before
            segments.append(before)
            segments.append(second)
            if cadence:
                cadence_sum += cadence
                cadence_count += 1
        if height is not None:
            if not has_height:
                has_height = True
                ref = height
            elif climbing:
                if height > ref:
                    gain, ref = gain + height - ref, height
                elif ref - height >= hysteresis:
                    climbing, ref = False, height
            elif height < ref:
                ref = height
            elif height - ref >= hysteresis:
                gain, ref, climbing = gain + height - ref, height, True
            if not anchored:
                anchored = True
                anchor_s, anchor_m, anchor_h = second, distance, height
            else:
                run = distance - anchor_m
                if run >= grade_run:
                    chunk = second - anchor_s
                    grade = (height - anchor_h) / run
                    grade_total += chunk
                    if grade > incline_grade:
                        incline_s += chunk
                    if grade > hill_grade:
                        hill_s += chunk
                    anchor_s, anchor_m, anchor_h = second, distance, height

        # Every window whose far end has now been reached is measured.
        while seg_head < len(segments):
            lo, hi = segments[seg_head], segments[seg_head + 1]
            middle = (lo + hi) / 2
            if middle + half > second:
                break
            seg_head += 2
            start = middle - half
            if not start > 0.0:
                start = 0.0
            stop = middle + half
            v = 0.0
            if stop > start:
                i = c_stop = bisect_left(seconds, stop, c_stop)
                t0, t1, m0 = seconds[i - 1], seconds[i], metres[i - 1]
                end_m = m0 + (metres[i] - m0) * (stop - t0) / (t1 - t0)
                i = c_start = bisect_left(seconds, start, c_start)
                if i <= 0:
                    start_m = 0.0
                else:
                    t0, t1, m0 = seconds[i - 1], seconds[i], metres[i - 1]
                    start_m = m0 + (metres[i] - m0) * (start - t0) / (t1 - t0)
                v = (end_m - start_m) / (stop - start)
            add_speed(v)
            if v > walk_max:
                fast_s += hi - lo
        while seconds[pace] + window <= second:
            start = seconds[pace]
            stop = start + window
            i = c_pace = bisect_left(seconds, stop, c_pace)
            t0, t1, m0 = seconds[i - 1], seconds[i], metres[i - 1]
            end_m = m0 + (metres[i] - m0) * (stop - t0) / (t1 - t0)
            if pace <= 0:
                start_m = 0.0
            else:
                t0, m0 = seconds[pace - 1], metres[pace - 1]
                start_m = m0 + (metres[pace] - m0) * (start - t0) / (start - t0)
            pace += 1
            if (end_m - start_m) / window > best:  # noqa: PLR1730 - as above
                best = (end_m - start_m) / window
        if not bins_full:
            while (len(bins) + 1) * width <= second:
                if len(bins) >= MAX_BINS:
                    bins_full = True
                    break
                k = len(bins)
                low = _at(seconds, metres, k * width, c_bin)
                c_bin = bisect_left(seconds, (k + 1) * width, c_bin)
                high = _at(seconds, metres, (k + 1) * width, c_bin)
                bins.append((high - low) / width)

        if len(seconds) > forget_at:
            # Forget what no window will ask for again.
            needed = seconds[pace]
            if seg_head < len(segments):
                middle = (segments[seg_head] + segments[seg_head + 1]) / 2
                needed = min(needed, middle - half)
            if not bins_full:
                needed = min(needed, len(bins) * width)
            keep = bisect_left(seconds, needed) - 1
            if keep > 0:
                del seconds[:keep], metres[:keep]
                pace -= keep
                c_start = max(0, c_start - keep)
                c_stop = max(0, c_stop - keep)
                c_pace = max(0, c_pace - keep)
                c_bin = max(0, c_bin - keep)
            forget_at = len(seconds) + _RECENT_SLACK
            del segments[:seg_head]
            seg_head = 0
            speeds.spill()
            add_speed = speeds.batch.append

    end = second
    while seg_head < len(segments):
        lo, hi = segments[seg_head], segments[seg_head + 1]
        seg_head += 2
        middle = (lo + hi) / 2
        start = max(0.0, middle - half)
        stop = min(end, middle + half)
        v = 0.0
        if stop > start:
            v = (_at(seconds, metres, stop, 0) - _at(seconds, metres, start, 0)) / (
                stop - start
            )
        add_speed(v)
        if v > walk_max:
            fast_s += hi - lo
    yield _Totals(
        end=end,
        moving_s=moving_s,
        distance_m=distance,
        fast_s=fast_s,
        speeds=speeds,
        cadence_sum=cadence_sum,
        cadence_count=cadence_count,
        longest_stretch=longest,
        best_speed=best,
        bins=bins,
        gain=gain if has_height else None,
        grade_total=grade_total,
        incline_s=incline_s,
        hill_s=hill_s,
    )


def _not_walk_reason(
    *,
    fast_share: float,
    median: float | None,
    cadence: float | None,
    distance: float,
    moving_s: float,
    longest_stretch_s: float,
    params: MetricsParams,
) -> str | None:
    if longest_stretch_s > params.max_stretch_s:
        return (
            f"it runs {longest_stretch_s / 3600:.0f} hours without a break in the "
            f"recording; a walk is shorter than {params.max_stretch_s / 3600:.0f} "
            "hours, so this is a device left recording, not a walk"
        )
    if moving_s <= 0:
        return (
            "no moving time: no stretch of it went faster than "
            f"{params.pause_speed_mps * 3.6:.0f} km/h, so there is no walk to log"
        )
    if fast_share > params.max_fast_share:
        kmh = f" (median {median * 3.6:.0f} km/h)" if median else ""
        return (
            f"{fast_share:.0%} of the moving time was faster than "
            f"{params.walk_max_speed_mps * 3.6:.0f} km/h{kmh}: running, cycling or a "
            "vehicle, not walking"
        )
    moving_ground = distance / moving_s >= params.pause_speed_mps
    if cadence is not None and moving_ground and cadence < params.min_walk_cadence_spm:
        return (
            f"only {cadence:.0f} steps a minute while covering ground; walking takes "
            "about 100-130, so something other than walking moved the person "
            "(paddling, cycling, riding)"
        )
    if cadence is not None and cadence > params.max_walk_cadence_spm:
        return (
            f"{cadence:.0f} steps a minute on average: a running cadence; even brisk "
            "walking stays near 130"
        )
    return None


# --- elevation and terrain ------------------------------------------------------


class _Climb:
    """Metres climbed, a climb counting once it rises ``hysteresis`` clear of noise.

    The streaming pass has the same steps inline (``_stream``).
    """

    def __init__(self, hysteresis: float) -> None:
        self.hysteresis = hysteresis
        self.gain: float | None = None
        self.ref = 0.0
        self.climbing = False

    def add(self, height: float) -> None:
        if self.gain is None:
            self.gain, self.ref = 0.0, height
        elif self.climbing and height > self.ref:
            self.gain, self.ref = self.gain + height - self.ref, height
        elif self.climbing and self.ref - height >= self.hysteresis:
            self.climbing, self.ref = False, height
        elif not self.climbing and height < self.ref:
            self.ref = height
        elif not self.climbing and height - self.ref >= self.hysteresis:
            self.gain, self.ref = self.gain + height - self.ref, height
            self.climbing = True


def elevation_gain(points: tuple[TrackPoint, ...], hysteresis_m: float) -> float | None:
    """Metres climbed, counting a climb only once it rises ``hysteresis_m`` clear of noise.

    Once climbing, every further metre counts until the track drops by the
    hysteresis; so a steady climb is counted in full, and jitter never is.
    """
    climb = _Climb(hysteresis_m)
    for point in points:
        if point.elevation_m is not None:
            climb.add(point.elevation_m)
    return climb.gain


def _terrain(
    incline: float | None, hill: float | None, params: MetricsParams
) -> Terrain | None:
    if incline is None or hill is None:
        return None
    if hill >= params.terrain_share:
        return Terrain.HILLS
    if incline >= params.terrain_share:
        return Terrain.INCLINE
    return Terrain.FLAT


# --- intervals ------------------------------------------------------------------


def _interval_cycles(speeds: list[float], params: MetricsParams) -> tuple[int, float]:
    """Brisk-then-slow cycles of the prescribed lengths: how many, how many seconds."""
    width = params.interval_bin_s
    walking = [s for s in speeds if s >= params.pause_speed_mps]
    if len(walking) < 4:
        return 0, 0.0
    # Tenth and ninetieth percentiles: a quarter of the time is slow in the pattern,
    # so quartiles would both fall among the brisk minutes.
    deciles = statistics.quantiles(walking, n=10)
    low, high = deciles[0], deciles[-1]
    if (
        high < low * params.interval_min_contrast
        or high - low < params.interval_min_gap_mps
    ):
        return 0, 0.0
    cut = (low + high) / 2
    runs = _runs([s >= cut for s in speeds], width)
    return _count_cycles(runs, params)


def _runs(labels: list[bool], width: float) -> list[tuple[bool, float]]:
    """Run-length encoding: (brisk?, seconds) for each stretch of equal labels."""
    runs: list[tuple[bool, float]] = []
    for label in labels:
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1] + width)
        else:
            runs.append((label, width))
    return runs


def _count_cycles(
    runs: list[tuple[bool, float]], params: MetricsParams
) -> tuple[int, float]:
    brisk_lo, brisk_hi = params.interval_brisk_s
    slow_lo, slow_hi = params.interval_slow_s
    cycles, seconds = 0, 0.0
    for (brisk, length), (after, rest) in pairwise(runs):
        if (
            brisk
            and not after
            and brisk_lo <= length <= brisk_hi
            and slow_lo <= rest <= slow_hi
        ):
            cycles, seconds = cycles + 1, seconds + length + rest
    return cycles, seconds


# --- sport labels ---------------------------------------------------------------

#: Labels that are walking, or that devices use for walks (TCX "Other", FIT "generic").
WALKING_SPORTS = frozenset(
    {
        "walk",
        "walking",
        "hike",
        "hiking",
        "other",
        "generic",
        "all",
        "mountaineering",
        "trekking",
        "nordic walking",
        "nordic_walking",
        "speed_walking",
        "casual_walking",
    }
)
#: Non-walking sports, with the noun a person would use.
_SPORT_NOUNS = {
    "running": "run",
    "run": "run",
    "trail_running": "trail run",
    "virtualrun": "run",
    "cycling": "ride",
    "biking": "ride",
    "ride": "ride",
    "e_biking": "e-bike ride",
    "virtualride": "ride",
    "ebikeride": "e-bike ride",
    "mountain biking": "ride",
    "swimming": "swim",
    "swim": "swim",
    "rowing": "row",
    "paddling": "paddle",
    "stand_up_paddleboarding": "paddle",
    "kayaking": "paddle",
    "canoeing": "paddle",
    "standuppaddling": "paddle",
    "alpine_skiing": "ski run",
    "cross_country_skiing": "ski",
    "fitness_equipment": "gym workout",
    "training": "workout",
    "workout": "workout",
    "driving": "drive",
    "motorcycling": "ride",
    "inline_skating": "skate",
}


def classify_sport(label: str | None) -> str | None:
    """None when a track with this sport label should be measured; else why not.

    Unknown labels are measured: the speed and cadence checks in ``measure`` then
    decide, which is safer than guessing from a word.
    """
    if label is None:
        return None
    key = label.strip().lower()
    if key in WALKING_SPORTS:
        return None
    noun = _SPORT_NOUNS.get(key) or _SPORT_NOUNS.get(key.replace(" ", "_"))
    if noun is None:
        return None
    article = "an" if noun[0] in "aeiou" else "a"
    return f"{article} {noun}, not a walk"
