"""Report a symptom at any time: one tap from every page, and the plan changes at
once (the person lands on Today, which shows the stop first)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from walkwell.core.protocol import Protocol
from walkwell.web.program import selectors, services_symptoms
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import AccessibleForm, submit
from walkwell.web.program.models import Person


class SymptomForm(AccessibleForm):
    warning_signs = forms.MultipleChoiceField(
        label="Warning signs: tick any you have noticed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    red_flags = forms.MultipleChoiceField(
        label="Serious signs: tick any that are new",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, signs in (
            ("warning_signs", protocol.warning_signs),
            ("red_flags", protocol.red_flags),
        ):
            field = self.fields[name]
            if isinstance(field, forms.MultipleChoiceField):
                field.choices = [(s.id, s.question) for s in signs]


_FIELDS = {"warning_sign": "warning_signs", "red_flag": "red_flags", "signs": None}


@enrolled
def symptom(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    form = SymptomForm(protocol, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services_symptoms.symptom_report(
                person=person,
                date=timezone.localdate(),
                warning_signs=form.cleaned_data["warning_signs"],
                red_flags=form.cleaned_data["red_flags"],
            ),
            _FIELDS,
        )
        if saved is not None:
            told = "Thank you: what you reported is saved and your plan has changed."
            if not saved.value.stored:
                told = "You had already reported this today; it is on record."
            messages.success(request, told)
            return redirect("pages:today")
    return render(request, "pages/symptom.html", {"form": form})
