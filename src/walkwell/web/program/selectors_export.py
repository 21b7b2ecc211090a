"""A person's whole record as a file: JSON (versioned, restorable), CSV (a zip of
one file per record type) and FHIR R4 (a Bundle).

Each writer streams: rows are read in chunks and written out as they come, so a
history of many years is exported in bounded memory. The columns come from
``records``: one definition per record type.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from walkwell import __version__
from walkwell.web.program import records, selectors
from walkwell.web.program.models import CheckIn, OutcomeResponse, Person, Walk

FORMAT = "walkwell-export"
FORMAT_VERSION = 1
FORMATS = ("json", "csv", "fhir")
SUFFIX = {"json": ".json", "csv": ".zip", "fhir": ".fhir.json"}
MEDIA_TYPE = {
    "json": "application/json",
    "csv": "application/zip",
    "fhir": "application/fhir+json",
}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def header(person: Person, exported_at: dt.datetime) -> dict[str, Any]:
    protocol = selectors.protocol_for(person)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "walkwell_version": __version__,
        "protocol": {"id": protocol.id, "version": protocol.version},
    }


def iter_json(person: Person, exported_at: dt.datetime) -> Iterator[str]:
    """The JSON export in pieces: one line per record, records grouped by type.

    Described by ``docs/export.schema.json``; ``services_export.restore`` reads it
    back."""
    head = header(person, exported_at)
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {_dumps(value)},\n"
    yield '  "records": {'
    for n, record in enumerate(records.record_types()):
        yield f"{',' if n else ''}\n    {json.dumps(record.name)}: ["
        for i, row in enumerate(records.iter_rows(record, person)):
            yield f"{',' if i else ''}\n      {_dumps(record.encode(row))}"
        yield "\n    ]"
    yield "\n  }\n}\n"


# --- CSV ----------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A spreadsheet cell: ISO dates, plain numbers, lists joined with "; "."""
    value = records.encode_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return _dumps(value)
    return str(value)


def _kind(field: Any) -> str:
    kinds = {
        "DateField": "date (YYYY-MM-DD)",
        "DateTimeField": "date and time (ISO 8601, UTC offset)",
        "TimeField": "time of day (HH:MM:SS)",
        "FloatField": "number",
        "PositiveSmallIntegerField": "whole number",
        "PositiveIntegerField": "whole number",
        "IntegerField": "whole number",
        "BooleanField": "true or false",
        "JSONField": "list joined with '; ', or JSON",
    }
    return kinds.get(type(field).__name__, "text")


def csv_readme(exported_at: dt.datetime) -> str:
    lines = [
        "WalkWell export: one CSV file per kind of record.",
        f"Exported {exported_at.isoformat()} by WalkWell {__version__}.",
        "",
        "Every file is UTF-8 (with a byte-order mark, so spreadsheets read the",
        "accents right) and starts with a header row. Dates are YYYY-MM-DD, times",
        "ISO 8601; numbers have no units in the cells: the unit is in the column",
        "name (_min minutes, _s seconds, _m metres, _kg kilograms). Lists of",
        "signs are joined with '; '. An empty cell is a value not given.",
        "",
    ]
    for record in records.record_types():
        lines += [f"{record.name}.csv: {record.description}"]
        for f in record.fields():
            text = f" - {f.help_text}" if f.help_text else ""
            lines.append(f"  {f.name}: {_kind(f)}{text}")
        lines.append("")
    return "\n".join(lines)


def write_csv_zip(person: Person, out: IO[bytes], exported_at: dt.datetime) -> None:
    """The CSV export as a zip, written to ``out`` file by file, row by row."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", csv_readme(exported_at))
        for record in records.record_types():
            fields = record.fields()
            with (
                archive.open(f"{record.name}.csv", "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow([f.name for f in fields])
                for row in records.iter_rows(record, person):
                    writer.writerow([_cell(f.value_from_object(row)) for f in fields])


# --- FHIR R4 --------------------------------------------------------------------

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OWN = "urn:walkwell:observation"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN = (
    LOINC,
    "72514-3",
    "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
)
DURATION = (LOINC, "55411-3", "Exercise duration")
STEPS = (LOINC, "41950-7", "Number of steps in 24 hour Measured")
DISTANCE = (OWN, "walk-distance", "Distance walked")
STIFFNESS = (OWN, "morning-stiffness", "Morning stiffness duration")
SLEEP = (OWN, "sleep-quality", "Sleep quality, 0-10 rating")
FOCUS = (OWN, "focus", "Focus, 0-10 rating")


def _urn(person: Person, *parts: object) -> str:
    """A stable id: the same record always gets the same one."""
    name = "/".join(str(p) for p in (person.pk, *parts))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'walkwell:{name}')}"


def _observation(
    person: Person,
    key: str,
    day: dt.date | dt.datetime,
    code: tuple[str, str, str],
    value: dict[str, Any],
    *,
    text: str,
    category: str,
) -> dict[str, Any]:
    system, number, display = code
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": {
            "coding": [{"system": system, "code": number, "display": display}],
            "text": text,
        },
        "subject": {"reference": _urn(person, "patient")},
        "effectiveDateTime": day.isoformat(),
        **value,
    }
    return {"fullUrl": _urn(person, key), "resource": resource}


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": code}
    }


def _score(value: int) -> dict[str, Any]:
    return _quantity(value, "score", "{score}")


def _walk_entries(person: Person, walk: Walk) -> Iterator[dict[str, Any]]:
    when = walk.started_at or walk.date
    key = f"walk/{walk.pk}"
    yield _observation(
        person,
        f"{key}/duration",
        when,
        DURATION,
        _quantity(walk.minutes, "min", "min"),
        text="Walk duration",
        category="activity",
    )
    if walk.distance_m is not None:
        yield _observation(
            person,
            f"{key}/distance",
            when,
            DISTANCE,
            _quantity(walk.distance_m, "m", "m"),
            text="Walk distance",
            category="activity",
        )
    for moment in ("before", "during", "after"):
        rating = getattr(walk, f"pain_{moment}")
        if rating is not None:
            yield _observation(
                person,
                f"{key}/pain-{moment}",
                when,
                PAIN,
                _score(rating),
                text=f"Pain {moment} the walk",
                category="survey",
            )


def _checkin_entries(person: Person, checkin: CheckIn) -> Iterator[dict[str, Any]]:
    key = f"checkin/{checkin.date}"
    parts = (
        ("pain", PAIN, _score(checkin.pain), "Pain the next morning"),
        (
            "stiffness",
            STIFFNESS,
            _quantity(checkin.morning_stiffness_min, "min", "min"),
            "Morning stiffness",
        ),
        ("sleep", SLEEP, _score(checkin.sleep), "Sleep quality"),
        ("focus", FOCUS, _score(checkin.focus), "Focus"),
    )
    for part, code, value, text in parts:
        yield _observation(
            person,
            f"{key}/{part}",
            checkin.date,
            code,
            value,
            text=text,
            category="survey",
        )


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    if isinstance(value, str):
        return {"valueString": value}
    return {"valueString": _dumps(value)}


def _questionnaire(person: Person, outcome: OutcomeResponse) -> dict[str, Any]:
    items = [
        {"linkId": str(k), "text": str(k), "answer": [_answer(v)]}
        for k, v in sorted(outcome.answers.items())
    ]
    if outcome.score is not None:
        items.append(
            {"linkId": "score", "text": "Score", "answer": [_answer(outcome.score)]}
        )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": f"urn:walkwell:questionnaire:{outcome.measure_id}",
        "subject": {"reference": _urn(person, "patient")},
        "authored": outcome.date.isoformat(),
        "item": items,
    }
    return {"fullUrl": _urn(person, "outcome", outcome.pk), "resource": resource}


def _fhir_entries(person: Person) -> Iterator[dict[str, Any]]:
    yield {
        "fullUrl": _urn(person, "patient"),
        "resource": {
            "resourceType": "Patient",
            "identifier": [
                {"system": "urn:walkwell:username", "value": person.user.get_username()}
            ],
            "active": True,
        },
    }
    for walk in person.walks.order_by("date", "pk").iterator(chunk_size=500):
        yield from _walk_entries(person, walk)
    for checkin in person.checkins.order_by("date").iterator(chunk_size=500):
        yield from _checkin_entries(person, checkin)
    steps = records.record_type("daily_steps")
    if steps is not None:
        for row in records.iter_rows(steps, person):
            yield _observation(
                person,
                f"steps/{row.pk}",
                row.date,  # type: ignore[attr-defined]
                STEPS,
                _quantity(row.steps, "steps", "{steps}"),  # type: ignore[attr-defined]
                text=f"Steps ({row.source})",  # type: ignore[attr-defined]
                category="activity",
            )
    for outcome in person.outcomes.order_by("date", "pk").iterator(chunk_size=500):
        yield _questionnaire(person, outcome)


def iter_fhir(person: Person, exported_at: dt.datetime) -> Iterator[str]:
    """A FHIR R4 Bundle (type collection), one entry per line."""
    yield "{\n"
    yield '  "resourceType": "Bundle",\n  "type": "collection",\n'
    yield f'  "timestamp": {json.dumps(exported_at.isoformat())},\n'
    yield '  "entry": ['
    for i, entry in enumerate(_fhir_entries(person)):
        yield f"{',' if i else ''}\n    {_dumps(entry)}"
    yield "\n  ]\n}\n"


def iter_text(fmt: str, person: Person, exported_at: dt.datetime) -> Iterator[str]:
    return (iter_json if fmt == "json" else iter_fhir)(person, exported_at)


def row_count(person: Person) -> int:
    """How many rows an export holds: large ones run as a task on the web."""
    return sum(r.rows_of(person).count() for r in records.record_types())


# --- the JSON Schema of the export ----------------------------------------------------

_TIME = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"


_SCHEMAS: dict[str, dict[str, Any]] = {
    "DateTimeField": {"type": "string", "format": "date-time"},
    "DateField": {"type": "string", "format": "date"},
    "TimeField": {"type": "string", "pattern": _TIME},
    "FloatField": {"type": "number"},
    "BooleanField": {"type": "boolean"},
    "JSONField": {},
}


def _field_schema(field: Any) -> dict[str, Any]:
    kind = type(field).__name__
    if kind.endswith("IntegerField"):
        kind = "IntegerField"
    schema = dict(
        _SCHEMAS.get(
            kind, {"type": "integer"} if kind == "IntegerField" else {"type": "string"}
        )
    )
    if schema.get("type") == "string" and "format" not in schema and field.max_length:
        schema["maxLength"] = field.max_length
    if field.choices and kind != "JSONField":
        schema["enum"] = [value for value, _ in field.flatchoices]
        if field.blank:
            schema["enum"].append("")
    if field.null and "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    schema["description"] = str(field.help_text or field.verbose_name)
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the export, built from the record types (so it follows
    every field added); ``docs/export.schema.json`` is this, written out."""
    kinds = {}
    for record in records.record_types():
        kinds[record.name] = {
            "type": "array",
            "description": record.description,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {f.name: _field_schema(f) for f in record.fields()},
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "WalkWell export",
        "description": (
            "A person's whole WalkWell record. `walkwell restore FILE` brings it "
            "into a new, empty account; a field missing from a record takes its "
            "default."
        ),
        "type": "object",
        "required": ["format", "format_version", "exported_at", "records"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            "walkwell_version": {"type": "string"},
            "protocol": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "version": {"type": "string"},
                },
            },
            "records": {
                "type": "object",
                "required": ["person"],
                "additionalProperties": False,
                "properties": kinds,
            },
        },
    }
