"""Write a realistic synthetic Apple Health export.xml of any size, streaming.

The shape follows real exports: an XML declaration, a DOCTYPE with the internal
DTD Apple writes, ``ExportDate`` and ``Me``, then day after day of ``Record``s
from an iPhone and an Apple Watch (steps, distance, energy, heart rate with
``MetadataEntry`` children) and a walking ``Workout`` most days with statistics
and a ``WorkoutRoute``/``FileReference``. Output is written in chunks, so a
4 GB file needs no more memory than a 1 MB one.

    python -m benchmarks.gen_apple_health OUT.xml SIZE_MB
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
"""
SOURCES = (
    ("Alex’s iPhone", "17.2", "iPhone", "iPhone15,2"),
    ("Alex’s Apple Watch", "10.2", "Watch", "Watch6,1"),
)
KINDS = (
    ("HKQuantityTypeIdentifierStepCount", "count", 20, 400),
    ("HKQuantityTypeIdentifierDistanceWalkingRunning", "km", 0.01, 0.3),
    ("HKQuantityTypeIdentifierActiveEnergyBurned", "Cal", 0.1, 9.0),
    ("HKQuantityTypeIdentifierHeartRate", "count/min", 55, 140),
)
RECORDS_PER_WORKOUT = 6000  # about 330 workouts a GB, as in a few years of use
FLUSH_BYTES = 1 << 20


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def _record(rng: random.Random, moment: dt.datetime) -> str:
    kind, unit, low, high = rng.choice(KINDS)
    name, version, model, hardware = rng.choice(SOURCES)
    value = (
        rng.randint(int(low), int(high)) if unit == "count" else rng.uniform(low, high)
    )
    device = (
        f"&lt;&lt;HKDevice: 0x28000{rng.randint(1000, 9999)}&gt;, name:{model}, "
        f"manufacturer:Apple Inc., model:{model}, hardware:{hardware}, "
        f"software:{version}&gt;"
    )
    start, end = _stamp(moment), _stamp(moment + dt.timedelta(minutes=5))
    head = (
        f' <Record type="{kind}" sourceName="{name}" sourceVersion="{version}" '
        f'device="{device}" unit="{unit}" creationDate="{end}" startDate="{start}" '
        f'endDate="{end}" value="{value:.6g}"'
    )
    if kind.endswith("HeartRate"):
        return head + (
            '>\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>'
            "\n </Record>\n"
        )
    return head + "/>\n"


def _workout(rng: random.Random, moment: dt.datetime) -> str:
    minutes = rng.uniform(15, 60)
    start, end = _stamp(moment), _stamp(moment + dt.timedelta(minutes=minutes))
    km = minutes * rng.uniform(0.07, 0.09)
    route = moment.strftime("route_%Y-%m-%d_%I.%M%p.gpx").lower()
    return (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" '
        f'duration="{minutes:.6f}" durationUnit="min" sourceName="Alex’s Apple Watch" '
        f'sourceVersion="10.2" creationDate="{end}" startDate="{start}" endDate="{end}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
        '  <MetadataEntry key="HKTimeZone" value="Europe/Amsterdam"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        f'startDate="{start}" endDate="{end}" sum="{km:.5f}" unit="km"/>\n'
        f'  <WorkoutRoute sourceName="Alex’s Apple Watch" startDate="{start}" '
        f'endDate="{end}">\n   <FileReference path="/workout-routes/{route}"/>\n'
        "  </WorkoutRoute>\n </Workout>\n"
    )


def generate(path: Path, size_bytes: int, seed: int = 7) -> tuple[int, int]:
    """Write about ``size_bytes`` of export to ``path``; return (records, workouts)."""
    rng = random.Random(seed)
    moment = dt.datetime(2019, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    records = workouts = written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + DTD)
        out.write(
            '<HealthData locale="en_US">\n <ExportDate value="2024-01-01 09:00:00 +0100"/>\n'
        )
        buffer: list[str] = []
        pending = 0
        while written + pending < size_bytes:
            moment += dt.timedelta(seconds=rng.randint(20, 90))
            text = _record(rng, moment)
            records += 1
            if records % RECORDS_PER_WORKOUT == 0:
                text += _workout(rng, moment)
                workouts += 1
            buffer.append(text)
            pending += len(text)
            if pending >= FLUSH_BYTES:
                written += out.write("".join(buffer))
                buffer, pending = [], 0
        out.write("".join(buffer) + "</HealthData>\n")
    return records, workouts


def main() -> int:
    out, size_mb = Path(sys.argv[1]), float(sys.argv[2])
    records, workouts = generate(out, int(size_mb * 1024 * 1024))
    print(f"{out}: {records:,} records, {workouts:,} walking workouts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
