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
from bisect import bisect_left
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


@dataclass(frozen=True, slots=True)
class _Series:
    """The track as parallel arrays: seconds from start, metres, moving flags."""

    points: tuple[TrackPoint, ...]
    seconds: list[float]
    metres: list[float]  # cumulative, gaps and GPS jumps excluded
    moving: list[bool]  # per segment ending at point i (index 0 unused)


def measure(track: Track, params: MetricsParams = MetricsParams()) -> WalkMetrics:
    """All the measures of one recorded track (raises ValueError when it has no points)."""
    series = _series(track, params)
    moving_s = sum(_segment_s(series, i) for i in _moving(series))
    distance = series.metres[-1]
    fast_share, median = _speed_profile(series, params, moving_s)
    cadence = _cadence(track, series, moving_s)
    incline, hill = _grade_shares(series, params)
    cycles, cycle_s = _interval_cycles(series, params)
    reason = _not_walk_reason(
        fast_share=fast_share,
        median=median,
        cadence=cadence,
        distance=distance,
        moving_s=moving_s,
        params=params,
    )
    return WalkMetrics(
        start=series.points[0].time,
        duration_s=series.seconds[-1],
        moving_s=moving_s,
        distance_m=distance,
        avg_speed_mps=distance / moving_s if moving_s else None,
        avg_pace_s_per_km=1000 * moving_s / distance if distance else None,
        best_pace_s_per_km=_best_pace(series, params),
        median_speed_mps=median,
        elevation_gain_m=elevation_gain(series.points, params.elevation_hysteresis_m),
        incline_share=incline,
        hill_share=hill,
        terrain=_terrain(incline, hill, params),
        cadence_spm=cadence,
        fast_share=fast_share,
        interval_cycles=cycles,
        follows_intervals=cycles >= params.interval_min_cycles
        and cycle_s >= params.interval_min_coverage * series.seconds[-1],
        is_walk=reason is None,
        not_walk_reason=reason,
    )


# --- the series -------------------------------------------------------------


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two positions in degrees, in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _series(track: Track, params: MetricsParams) -> _Series:
    points = _ordered(track.points)
    if not points:
        raise ValueError("a track without points has nothing to measure")
    use_device = _has_device_distance(points)
    t0 = points[0].time
    seconds, metres, moving = [0.0], [0.0], [False]
    for prev, point in pairwise(points):
        step_s = (point.time - prev.time).total_seconds()
        step_m = _step_m(prev, point, use_device)
        if (
            step_s > params.max_gap_s
            or step_m > step_s * params.max_plausible_speed_mps
        ):
            step_m, is_moving = 0.0, False
        else:
            is_moving = _speed(prev, point, step_m, step_s) >= params.pause_speed_mps
        seconds.append((point.time - t0).total_seconds())
        metres.append(metres[-1] + step_m)
        moving.append(is_moving)
    return _Series(points, seconds, metres, moving)


def _ordered(points: tuple[TrackPoint, ...]) -> tuple[TrackPoint, ...]:
    """Points in time order, one per instant (devices repeat and reorder points)."""
    kept: dict[dt.datetime, TrackPoint] = {}
    for point in points:
        kept.setdefault(point.time, point)
    return tuple(sorted(kept.values(), key=lambda p: p.time))


def _has_device_distance(points: tuple[TrackPoint, ...]) -> bool:
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


def _segment_s(series: _Series, i: int) -> float:
    return series.seconds[i] - series.seconds[i - 1]


def _moving(series: _Series) -> list[int]:
    return [i for i in range(1, len(series.points)) if series.moving[i]]


def _distance_at(series: _Series, second: float) -> float:
    """Cumulative metres at any instant, interpolated between points."""
    i = bisect_left(series.seconds, second)
    if i <= 0:
        return 0.0
    if i >= len(series.seconds):
        return series.metres[-1]
    t0, t1 = series.seconds[i - 1], series.seconds[i]
    m0, m1 = series.metres[i - 1], series.metres[i]
    return m0 + (m1 - m0) * (second - t0) / (t1 - t0) if t1 > t0 else m1


# --- speed: sustained, best, walk or not ----------------------------------------


def _window_speed(series: _Series, middle: float, width: float) -> float:
    start = max(0.0, middle - width / 2)
    end = min(series.seconds[-1], middle + width / 2)
    if end <= start:
        return 0.0
    return (_distance_at(series, end) - _distance_at(series, start)) / (end - start)


def _speed_profile(
    series: _Series, params: MetricsParams, moving_s: float
) -> tuple[float, float | None]:
    """Share of moving time above walking speed (judged over a minute), and the median."""
    fast_s, speeds = 0.0, []
    for i in _moving(series):
        middle = (series.seconds[i] + series.seconds[i - 1]) / 2
        speed = _window_speed(series, middle, params.sustained_window_s)
        speeds.append(speed)
        if speed > params.walk_max_speed_mps:
            fast_s += _segment_s(series, i)
    median = statistics.median(speeds) if speeds else None
    return (fast_s / moving_s if moving_s else 0.0), median


def _best_pace(series: _Series, params: MetricsParams) -> float | None:
    """Fastest pace held over ``best_pace_window_s``, in seconds per kilometre."""
    window = params.best_pace_window_s
    if series.seconds[-1] < window:
        return None
    best = 0.0
    for start in series.seconds:
        if start + window > series.seconds[-1]:
            break
        gained = _distance_at(series, start + window) - _distance_at(series, start)
        best = max(best, gained / window)
    return 1000 / best if best > 0 else None


def _cadence(track: Track, series: _Series, moving_s: float) -> float | None:
    """Steps a minute while moving: from per-point cadence, else from a step count."""
    values = [
        p.cadence_spm
        for p, moving in zip(series.points, series.moving, strict=True)
        if moving and p.cadence_spm
    ]
    if values:
        return statistics.fmean(values)
    steps = track.extra.steps
    if steps is not None and moving_s > 0:
        return steps / (moving_s / 60)
    return None


def _not_walk_reason(
    *,
    fast_share: float,
    median: float | None,
    cadence: float | None,
    distance: float,
    moving_s: float,
    params: MetricsParams,
) -> str | None:
    if fast_share > params.max_fast_share:
        kmh = f" (median {median * 3.6:.0f} km/h)" if median else ""
        return (
            f"{fast_share:.0%} of the moving time was faster than "
            f"{params.walk_max_speed_mps * 3.6:.0f} km/h{kmh}: running, cycling or a "
            "vehicle, not walking"
        )
    moving_ground = moving_s > 0 and distance / moving_s >= params.pause_speed_mps
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
    heights = [p.elevation_m for p in points if p.elevation_m is not None]
    if not heights:
        return None
    gain, ref, climbing = 0.0, heights[0], False
    for height in heights[1:]:
        if climbing and height > ref:
            gain, ref = gain + height - ref, height
        elif climbing and ref - height >= hysteresis_m:
            climbing, ref = False, height
        elif not climbing and height < ref:
            ref = height
        elif not climbing and height - ref >= hysteresis_m:
            gain, ref, climbing = gain + height - ref, height, True
    return gain


def _grade_shares(
    series: _Series, params: MetricsParams
) -> tuple[float | None, float | None]:
    """Share of timed chunks (each >= ``grade_window_m``) climbing above each grade."""
    chunks = list(_grade_chunks(series, params.grade_window_m))
    total = sum(seconds for seconds, _ in chunks)
    if not total:
        return None, None
    incline = sum(s for s, grade in chunks if grade > params.incline_grade)
    hill = sum(s for s, grade in chunks if grade > params.hill_grade)
    return incline / total, hill / total


def _grade_chunks(series: _Series, window_m: float) -> list[tuple[float, float]]:
    """(seconds, grade) for consecutive stretches of at least ``window_m`` metres."""
    chunks, anchor = [], None
    for i, point in enumerate(series.points):
        if point.elevation_m is None:
            continue
        if anchor is None:
            anchor = i
            continue
        run = series.metres[i] - series.metres[anchor]
        if run >= window_m:
            rise = point.elevation_m - (series.points[anchor].elevation_m or 0.0)
            chunks.append((series.seconds[i] - series.seconds[anchor], rise / run))
            anchor = i
    return chunks


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


def _interval_cycles(series: _Series, params: MetricsParams) -> tuple[int, float]:
    """Brisk-then-slow cycles of the prescribed lengths: how many, how many seconds."""
    width = params.interval_bin_s
    bins = int(series.seconds[-1] // width)
    speeds = [_window_speed(series, (k + 0.5) * width, width) for k in range(bins)]
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
