"""The walk's fields are defined once (``limits.WALK_SPEC``): the core ``Walk``, the
stored table, the simulator's JSON, the command line and the page form all follow
it, so a field added in one place and not the others fails here."""

from __future__ import annotations

import dataclasses

from django.db import models
from typer.main import get_command

from walkwell.cli import app
from walkwell.core import limits
from walkwell.core import model as core
from walkwell.core.simulate import _Walk
from walkwell.web.pages.forms import WalkForm
from walkwell.web.program.models import Walk

SPEC = {spec.name: spec for spec in limits.WALK_SPEC}
# What the table keeps besides the walk itself: whose it is, where it came from,
# what a device recorded, and the keys that keep it stored once.
STORAGE_ONLY = {
    "id",
    "person",
    "source",
    "started_at",
    "duration_s",
    "moving_s",
    "distance_m",
    "elevation_gain_m",
    "device",
    "device_activity_id",
    "content_hash",
    "idempotency_key",
    "created_at",
    "shape",
}
DJANGO_FIELD = {
    "date": models.DateField,
    "number": models.FloatField,
    "rating": models.PositiveSmallIntegerField,
    "choice": models.CharField,
    "signs": models.JSONField,
    "yes_no": models.BooleanField,
}


def test_the_spec_names_the_core_walks_fields_in_order() -> None:
    assert tuple(SPEC) == core.WALK_FIELDS
    # ``at`` is the row's own recording time, not something a person enters
    assert [f.name for f in dataclasses.fields(core.Walk)] == [*SPEC, "at"]


def test_the_stored_walk_has_each_field_of_the_spec_and_nothing_unaccounted_for() -> (
    None
):
    stored = {f.name: f for f in Walk._meta.get_fields()}
    for name, spec in SPEC.items():
        field = stored[name]
        assert isinstance(field, DJANGO_FIELD[spec.kind]), name
        if spec.kind == "rating":
            assert field.null == spec.optional, name
        if spec.kind == "choice" and spec.choices is not None:
            assert {v for v, _ in getattr(field, "choices", None) or ()} == {
                m.value for m in spec.choices
            }, name
    assert set(stored) - set(SPEC) <= STORAGE_ONLY
    assert set(stored) - STORAGE_ONLY == set(SPEC)


def test_the_simulators_walk_has_each_field_within_the_same_bounds() -> None:
    assert set(_Walk.model_fields) == {*SPEC, "type", "at"}
    for name in ("minutes", "load_kg"):
        bounds = {
            k: getattr(m, k)
            for m in _Walk.model_fields[name].metadata
            for k in ("ge", "le")
            if hasattr(m, k)
        }
        assert bounds == {"ge": SPEC[name].low, "le": SPEC[name].high}, name


def test_the_command_line_asks_for_each_field_with_the_specs_help() -> None:
    log_walk = get_command(app).commands["log-walk"]  # type: ignore[attr-defined]
    options = {opt: p for p in log_walk.params for opt in p.opts}
    for spec in limits.WALK_SPEC:
        assert spec.flag in options, spec.name
        if spec.help:
            assert options[spec.flag].help == spec.help, spec.name


def test_the_page_form_takes_its_labels_and_bounds_from_the_spec() -> None:
    form = WalkForm.base_fields
    for name, spec in SPEC.items():
        field = form["load" if name == "load_kg" else name] if spec.label else None
        if field is None:
            continue
        assert field.label == spec.label, name
    assert form["minutes"].max_value == SPEC["minutes"].high  # type: ignore[attr-defined]
    assert form["load"].max_value == SPEC["load_kg"].high  # type: ignore[attr-defined]
