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
import heapq
import math
import statistics
from array import array
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from walkwell.core.model import Terrain, Track, TrackPoint

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


@dataclass(frozen=True, slots=True)
class WalkMetrics:
    start: dt.datetime
    duration_s: float
    moving_s: float
    distance_m: float
    avg_speed_mps: float | None
    avg_pace_s_per_km: float | None
    best_pace_s_per_km: float | None
    median_speed_mps: float | None
    elevation_gain_m: float | None
    incline_share: float | None
    hill_share: float | None
    terrain: Terrain | None
    cadence_spm: float | None
    fast_share: float
    interval_cycles: int
    follows_intervals: bool
    is_walk: bool
    not_walk_reason: str | None


def measure(track: Track, params: MetricsParams = MetricsParams()) -> WalkMetrics:
    """All the measures of one recorded track (raises ValueError when it has no points)."""
    accumulator = TrackAccumulator(params, steps=track.extra.steps)
    for point in track.points:
        accumulator.add(point)
    return accumulator.result()


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two positions in degrees, in metres."""
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


class TrackAccumulator:
    """The measures of a track fed one point at a time, in bounded memory.

    It keeps what the measures need, not every point: a few minutes of recent
    (seconds, metres) for the windowed speeds, the 30-second bins for the
    interval pattern, running sums for the rest. Points may arrive slightly out
    of order or repeated (devices do both): they are put in order and only the
    first point of each instant is kept.
    """

    def __init__(
        self, params: MetricsParams = MetricsParams(), *, steps: int | None = None
    ) -> None:
        self.params = params
        self.steps = steps
        self.count = 0  # points fed in, before ordering
        self._pending: list[tuple[dt.datetime, int, TrackPoint]] = []
        self._prefix: list[TrackPoint] | None = []
        self._use_device = False
        self._series: _Stream | None = None

    def add(self, point: TrackPoint) -> None:
        """Feed one point."""
        self.count += 1
        heapq.heappush(self._pending, (point.time, self.count, point))
        if len(self._pending) > REORDER_POINTS:
            self._ordered(heapq.heappop(self._pending)[2])

    def _ordered(self, point: TrackPoint) -> None:
        if self._prefix is None:
            self._stream().add(point)
            return
        if self._prefix and point.time <= self._prefix[-1].time:
            return  # a repeat, or too late to put in order
        self._prefix.append(point)
        if len(self._prefix) >= DECIDE_POINTS:
            self._decide()

    def _decide(self) -> None:
        prefix, self._prefix = self._prefix or [], None
        self._use_device = _has_device_distance(prefix)
        stream = self._stream()
        for point in prefix:
            stream.add(point)

    def _stream(self) -> _Stream:
        if self._series is None:
            self._series = _Stream(self.params, self._use_device)
        return self._series

    def result(self) -> WalkMetrics:
        """The measures of every point fed (raises ValueError when there were none)."""
        while self._pending:
            self._ordered(heapq.heappop(self._pending)[2])
        if self._prefix is not None:
            self._decide()
        if self._series is None or self._series.first is None:
            raise ValueError("a track without points has nothing to measure")
        return self._series.result(self.steps)


def _has_device_distance(points: list[TrackPoint]) -> bool:
    """Trust the device's own odometer (wheel, footpod, filtered GPS) when it has one."""
    return sum(p.distance_m is not None for p in points) > len(points) // 2


def _step_m(prev: TrackPoint, point: TrackPoint, use_device: bool) -> float:
    if use_device:
        if prev.distance_m is None or point.distance_m is None:
            return 0.0
        return max(0.0, point.distance_m - prev.distance_m)
    if prev.lat is None or prev.lon is None or point.lat is None or point.lon is None:
        return 0.0
    return haversine_m(prev.lat, prev.lon, point.lat, point.lon)


def _speed(prev: TrackPoint, point: TrackPoint, step_m: float, step_s: float) -> float:
    """The device's speed when both ends carry one, else distance over time."""
    if prev.speed_mps is not None and point.speed_mps is not None:
        return (prev.speed_mps + point.speed_mps) / 2
    return step_m / step_s if step_s > 0 else 0.0


class _Recent:
    """Cumulative metres at recent instants, to interpolate any instant among them."""

    def __init__(self) -> None:
        self.seconds: list[float] = [0.0]
        self.metres: list[float] = [0.0]
        self.lo = 0  # entries before this are forgotten

    def add(self, second: float, metres: float) -> None:
        self.seconds.append(second)
        self.metres.append(metres)

    def at(self, second: float) -> float:
        """Cumulative metres at ``second``, interpolated between points."""
        seconds, metres = self.seconds, self.metres
        i = bisect_left(seconds, second, self.lo)
        if i <= 0:
            return 0.0
        if i >= len(seconds):
            return metres[-1]
        t0, t1 = seconds[i - 1], seconds[i]
        m0, m1 = metres[i - 1], metres[i]
        return m0 + (m1 - m0) * (second - t0) / (t1 - t0) if t1 > t0 else m1

    def forget_before(self, second: float) -> None:
        """Keep what interpolating at ``second`` or later needs; drop the rest."""
        keep = max(self.lo, bisect_left(self.seconds, second, self.lo) - 1)
        self.lo = keep
        if keep > 4096 and keep > len(self.seconds) // 2:
            del self.seconds[:keep], self.metres[:keep]
            self.lo = 0


class _Climb:
    """Metres climbed, a climb counting once it rises ``hysteresis`` clear of noise."""

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


class _Speeds:
    """Moving-segment speeds for the median: exact, then a fine histogram."""

    def __init__(self) -> None:
        self.exact: array[float] | None = array("d")
        self.bins: dict[int, int] = {}
        self.count = 0

    def add(self, speed: float) -> None:
        self.count += 1
        if self.exact is not None:
            self.exact.append(speed)
            if len(self.exact) > EXACT_SPEEDS:
                for value in self.exact:
                    self._bin(value)
                self.exact = None
        else:
            self._bin(speed)

    def _bin(self, speed: float) -> None:
        key = round(speed / _SPEED_BIN)
        self.bins[key] = self.bins.get(key, 0) + 1

    def median(self) -> float | None:
        if not self.count:
            return None
        if self.exact is not None:
            return statistics.median(self.exact)
        middle, seen = (self.count + 1) / 2, 0
        for key in sorted(self.bins):
            seen += self.bins[key]
            if seen >= middle:
                return key * _SPEED_BIN
        return None  # pragma: no cover - the counts always reach the middle


class _Stream:
    """The ordered, de-duplicated points, measured as they pass."""

    def __init__(self, params: MetricsParams, use_device: bool) -> None:
        self.p = params
        self.use_device = use_device
        self.first: TrackPoint | None = None
        self.last: TrackPoint | None = None
        self.second = 0.0
        self.metres = 0.0
        self.moving_s = 0.0
        self.recent = _Recent()
        self.climb = _Climb(params.elevation_hysteresis_m)
        self.cadence_sum = 0.0
        self.cadence_count = 0
        self.stretch_start = 0.0
        self.longest_stretch = 0.0
        # (start, end) of moving segments whose sustained speed awaits the future
        self.segments: deque[tuple[float, float]] = deque()
        self.speeds = _Speeds()
        self.fast_s = 0.0
        self.pace_starts: deque[float] = deque([0.0])
        self.best_speed = 0.0
        self.bins: list[float] = []
        self.anchor: tuple[float, float, float] | None = None  # seconds, m, height
        self.grade_total = self.incline_s = self.hill_s = 0.0

    def add(self, point: TrackPoint) -> None:
        prev = self.last
        self.last = point
        if prev is None or self.first is None:
            self.first = point
            self._heights(point)
            return
        step_s = (point.time - prev.time).total_seconds()
        step_m = _step_m(prev, point, self.use_device)
        p = self.p
        if step_s > p.max_gap_s or step_m > step_s * p.max_plausible_speed_mps:
            step_m, is_moving = 0.0, False
        else:
            is_moving = _speed(prev, point, step_m, step_s) >= p.pause_speed_mps
        before = self.second
        self.second = (point.time - self.first.time).total_seconds()
        self.metres += step_m
        self.recent.add(self.second, self.metres)
        if step_s > p.max_gap_s:
            self.stretch_start = self.second
        self.longest_stretch = max(
            self.longest_stretch, self.second - self.stretch_start
        )
        if is_moving:
            self.moving_s += self.second - before
            self.segments.append((before, self.second))
            if point.cadence_spm:
                self.cadence_sum += point.cadence_spm
                self.cadence_count += 1
        self.pace_starts.append(self.second)
        self._heights(point)
        self._settle(self.second)

    def _heights(self, point: TrackPoint) -> None:
        height = point.elevation_m
        if height is None:
            return
        self.climb.add(height)
        if self.anchor is None:
            self.anchor = (self.second, self.metres, height)
            return
        run = self.metres - self.anchor[1]
        if run >= self.p.grade_window_m:
            seconds = self.second - self.anchor[0]
            grade = (height - self.anchor[2]) / run
            self.grade_total += seconds
            if grade > self.p.incline_grade:
                self.incline_s += seconds
            if grade > self.p.hill_grade:
                self.hill_s += seconds
            self.anchor = (self.second, self.metres, height)

    def _settle(self, now: float) -> None:
        """Measure every window whose far end has now been reached."""
        p, recent = self.p, self.recent
        half = p.sustained_window_s / 2
        while (
            self.segments
            and (self.segments[0][0] + self.segments[0][1]) / 2 + half <= now
        ):
            self._segment(*self.segments.popleft(), end=None)
        window = p.best_pace_window_s
        while self.pace_starts and self.pace_starts[0] + window <= now:
            start = self.pace_starts.popleft()
            gained = recent.at(start + window) - recent.at(start)
            self.best_speed = max(self.best_speed, gained / window)
        width = p.interval_bin_s
        while (len(self.bins) + 1) * width <= now and len(self.bins) < MAX_BINS:
            k = len(self.bins)
            self.bins.append(
                (recent.at((k + 1) * width) - recent.at(k * width)) / width
            )
        needed = [len(self.bins) * width]
        if self.segments:
            needed.append((self.segments[0][0] + self.segments[0][1]) / 2 - half)
        if self.pace_starts:
            needed.append(self.pace_starts[0])
        recent.forget_before(min(needed))

    def _segment(self, before: float, after: float, end: float | None) -> None:
        middle = (before + after) / 2
        half = self.p.sustained_window_s / 2
        start = max(0.0, middle - half)
        stop = min(end if end is not None else middle + half, middle + half)
        speed = 0.0
        if stop > start:
            speed = (self.recent.at(stop) - self.recent.at(start)) / (stop - start)
        self.speeds.add(speed)
        if speed > self.p.walk_max_speed_mps:
            self.fast_s += after - before

    def result(self, steps: int | None) -> WalkMetrics:
        if self.first is None:
            raise ValueError("a track without points has nothing to measure")
        p, end = self.p, self.second
        while self.segments:
            self._segment(*self.segments.popleft(), end=end)
        moving_s, distance = self.moving_s, self.metres
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
            start=self.first.time,
            duration_s=end,
            moving_s=moving_s,
            distance_m=distance,
            avg_speed_mps=distance / moving_s if moving_s else None,
            avg_pace_s_per_km=1000 * moving_s / distance if distance else None,
            best_pace_s_per_km=1000 / best if best > 0 else None,
            median_speed_mps=median,
            elevation_gain_m=self.climb.gain,
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


#: Interval bins kept: two days of 30-second bins (a walk longer than a day is
#: not a walk anyway, so the pattern past that is never needed).
MAX_BINS = 2 * 24 * 120


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
