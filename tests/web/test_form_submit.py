"""One way to show a service's refusal: beside the field it names, or above the
form; and the service's answer when it accepts."""

from __future__ import annotations

import pytest
from django import forms

from walkwell.core.limits import ValidationProblem
from walkwell.web.program.forms import (
    AccessibleForm,
    FieldNames,
    above_the_form,
    submit,
)


class LoadForm(AccessibleForm):
    load = forms.FloatField(label="Daypack")
    minutes = forms.FloatField(label="Minutes")


def _filled() -> LoadForm:
    form = LoadForm({"load": "60", "minutes": "12"})
    assert form.is_valid()
    return form


def _refuse(field: str) -> float:
    raise ValidationProblem(field, "must be 20 kg or less")


def test_an_accepted_answer_comes_back_with_what_the_service_returned() -> None:
    saved = submit(_filled(), lambda: 12.5)
    assert saved is not None
    assert saved.value == 12.5


def test_a_refusal_is_shown_beside_the_field_the_form_calls_it() -> None:
    form = _filled()
    assert submit(form, lambda: _refuse("load_kg"), {"load_kg": "load"}) is None
    assert form.errors == {"load": ["This must be 20 kg or less"]}
    assert form.fields["load"].widget.attrs["aria-invalid"] == "true"


def test_a_refusal_naming_a_field_of_the_form_needs_no_mapping() -> None:
    form = _filled()
    assert submit(form, lambda: _refuse("minutes")) is None
    assert list(form.errors) == ["minutes"]


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("warning_sign", {"warning_sign": None}),  # mapped to no field
        ("warning_sign", None),  # a name the form does not have
        ("minutes", above_the_form),  # a field it has, sent above on purpose
    ],
)
def test_a_refusal_for_no_field_of_the_form_goes_above_it(
    field: str, fields: FieldNames | None
) -> None:
    form = _filled()
    assert submit(form, lambda: _refuse(field), fields) is None
    assert form.non_field_errors() == ["This must be 20 kg or less"]
