"""The clinician's forms: parse and check the shape of answers; the services judge
them (and refuse with a message naming the field)."""

from __future__ import annotations

import uuid

from django import forms

from walkwell.core.attention import LABELS, REASONS
from walkwell.web.program.forms import AccessibleForm
from walkwell.web.program.models import ActionKind

NOT_REVIEWED = "not_reviewed"


class SearchForm(AccessibleForm):
    q = forms.CharField(label="Search by name or email", required=False, max_length=100)
    reason = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            *((code, LABELS[code]) for code in REASONS),
            (NOT_REVIEWED, "Not reviewed yet"),
        ],
    )
    # bounded, so a huge page number is a refusal, not an offset the database
    # cannot hold
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )


class InviteForm(AccessibleForm):
    label = forms.CharField(
        label="A label only you see (optional)",
        required=False,
        max_length=100,
        help_text="For example the patient's initials or the clinic session.",
    )


class OnceForm(AccessibleForm):
    """A form whose write is stored once: a fresh key with every render, so the
    same rendered form posted twice (a double click, a retry) stores one row,
    while the page opened again gets a new key."""

    idempotency_key = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )


class ClearForm(OnceForm):
    reason = forms.CharField(
        label="What you reviewed (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I have reviewed what the patient reported and they may walk again",
        required=True,
    )


DECISIONS = [
    (ActionKind.CONFIRM.value, "Confirm the plan's decision"),
    (ActionKind.HOLD.value, "Hold at the current dose"),
    (ActionKind.STEP_BACK.value, "Step back"),
    (ActionKind.ADVANCE.value, "Advance to the next phase early"),
]


class DecisionForm(OnceForm):
    kind = forms.ChoiceField(
        label="Your decision", choices=DECISIONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason (the patient sees it)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateField(
        label="A hold's last day (optional)",
        required=False,
        help_text="Without it a hold lasts one review period.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ThresholdForm(OnceForm):
    """One of the thresholds the patient's protocol declares adjustable; the
    service checks the value against the protocol's bounds."""

    threshold = forms.ChoiceField(label="Threshold")
    value = forms.FloatField(
        label="Value for this patient",
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label="Reason (the patient sees it)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: object,
        choices: list[tuple[str, str, float, float, float]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["threshold"].choices = [  # type: ignore[attr-defined]
            (field, f"{label}: {low:g} to {high:g} (the program's own is {own:g})")
            for field, label, low, high, own in choices
        ]


class ProtocolForm(OnceForm):
    protocol = forms.ChoiceField(label="Program")
    reason = forms.CharField(
        label="Reason (the patient sees it)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, choices: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["protocol"].choices = [(c, c) for c in choices]  # type: ignore[attr-defined]


class NoteForm(OnceForm):
    text = forms.CharField(
        label="Note to the patient (shown on their Today page)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreakGlassForm(AccessibleForm):
    username = forms.CharField(label="Patient's username", max_length=150)
    reason = forms.CharField(
        label="Why you need to open this record now",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(AccessibleForm):
    username = forms.CharField(label="Account's username", max_length=150)
    role = forms.ChoiceField(
        label="Role",
        choices=[("clinician", "Clinician"), ("clinic_admin", "Clinic admin")],
    )


class AdminLinkForm(AccessibleForm):
    patient = forms.CharField(label="Patient's username", max_length=150)
    clinician = forms.CharField(label="Clinician's username", max_length=150)
    action = forms.ChoiceField(
        label="Link or unlink",
        choices=[("link", "Link them"), ("unlink", "End the link")],
        widget=forms.RadioSelect,
    )
