"""Forms: they parse and show errors; the program's services hold the rules.

Each service refuses bad input with a ``ValidationProblem`` naming a field; the views
put that message next to the field it names, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from walkwell.core import instruments
from walkwell.core.model import Footwear, Pace, Terrain
from walkwell.core.protocol import Protocol, Sign

YES_NO = [("no", "No"), ("yes", "Yes")]
SCALE = [(str(i), str(i)) for i in range(11)]
SCALE_OPTIONAL = [("", "Not recorded"), *SCALE]
KG_PER_LB = 0.45359237

TERRAIN_TEXT = {
    Terrain.FLAT: "Flat paths",
    Terrain.GRASS: "Grass",
    Terrain.INCLINE: "Gentle slopes",
    Terrain.HILLS: "Hills",
    Terrain.UNEVEN: "Uneven ground",
}
PACE_TEXT = {
    Pace.EASY: "Easy (can chat)",
    Pace.MODERATE: "Moderate",
    Pace.BRISK: "Brisk",
    Pace.INTERVALS: "3 brisk / 1 slow",
}
FOOTWEAR_TEXT = {
    Footwear.SUPPORTIVE: "Supportive shoes (firm arch, moderate heel drop)",
    Footwear.UNSUPPORTIVE: "Soft or unsupportive shoes",
    Footwear.WORN_OUT: "Worn-out soles",
    Footwear.BAREFOOT_STYLE: "Barefoot-style shoes",
}


def sentence(message: str) -> str:
    """A service's "must be ..." as a sentence that stands beside its field."""
    if message.startswith(("must ", "is ")):
        return f"This {message}"
    return message[:1].upper() + message[1:]


class AccessibleMixin:
    """Marks invalid fields with aria-invalid and links them to their error list."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self._auto_id(name)}_errors"

    def _auto_id(self, name: str) -> str:
        """The id the field's widget gets, its form's prefix included."""
        return f"id_{self.add_prefix(name)}"  # type: ignore[attr-defined]

    def problem(self, field: str | None, message: str) -> None:
        """Show a service's refusal next to the field it names."""
        target = field if field in self.fields else None
        self.add_error(target, sentence(message))  # type: ignore[attr-defined]
        self.mark_invalid()


class AccessibleForm(AccessibleMixin, forms.Form):
    pass


def _today() -> dt.date:
    return timezone.localdate()


def not_in_future(value: dt.date) -> None:
    if value > _today():
        raise forms.ValidationError(
            "This date is in the future; pick today or earlier."
        )


def past_date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[not_in_future],
        error_messages={"invalid": "Enter a date like 2026-03-14."},
    )


def yes_no(question: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Please answer yes or no."},
    )


def rating(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE if required else SCALE_OPTIONAL,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect if required else forms.Select,
        help_text=help_text,
        error_messages={"required": "Please choose a number from 0 to 10."},
    )


def _sign_field_name(sign: Sign) -> str:
    return f"sign_{sign.id}"


class SignQuestions(AccessibleForm):
    """Yes/no questions built from the protocol's signs."""

    def add_questions(self, signs: tuple[Sign, ...]) -> None:
        for sign in signs:
            self.fields[_sign_field_name(sign)] = yes_no(sign.question)

    def answered_yes(self, signs: tuple[Sign, ...]) -> list[str]:
        return [
            s.id for s in signs if self.cleaned_data.get(_sign_field_name(s)) == "yes"
        ]

    def sign_fields(self, signs: tuple[Sign, ...]) -> list[forms.BoundField]:
        return [self[_sign_field_name(s)] for s in signs]


class ScreeningForm(SignQuestions):
    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.add_questions(protocol.red_flags)

    def red_flags(self) -> list[str]:
        return self.answered_yes(self.protocol.red_flags)


class WalkForm(SignQuestions):
    date = past_date("Date of the walk")
    minutes = forms.FloatField(
        label="Minutes walked",
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    terrain = forms.ChoiceField(
        label="Ground", choices=list(TERRAIN_TEXT.items()), widget=forms.RadioSelect
    )
    pace = forms.ChoiceField(
        label="Pace", choices=list(PACE_TEXT.items()), widget=forms.RadioSelect
    )
    pain_before = rating("Pain before the walk (0 none, 10 worst)", required=False)
    pain_during = rating("Highest pain during the walk", required=False)
    pain_after = rating("Pain just after the walk", required=False)
    cooldown = forms.ChoiceField(
        label="Did you do the 2-minute standing decompression afterwards?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    load = forms.FloatField(
        label="Daypack weight",
        min_value=0,
        max_value=50,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    footwear = forms.ChoiceField(
        label="Shoes",
        required=False,
        choices=[("", "Not recorded"), *FOOTWEAR_TEXT.items()],
    )
    # New with every render: posting the same form twice stores one walk.
    idempotency_key = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )

    def __init__(
        self, protocol: Protocol, weight_unit: str, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.weight_unit = weight_unit
        self.fields[
            "load"
        ].label = f"Daypack weight ({weight_unit}), if you carried one"
        self.add_questions(protocol.warning_signs)

    def warning_signs(self) -> list[str]:
        return self.answered_yes(self.protocol.warning_signs)

    def load_kg(self) -> float:
        load = self.cleaned_data.get("load") or 0.0
        return round(load * KG_PER_LB, 2) if self.weight_unit == "lb" else float(load)


def required_rating(label: str) -> forms.Field:
    """A 0-10 rating that must be answered, as a compact drop-down."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose 0 to 10"), *SCALE],
        coerce=int,
        empty_value=None,
        widget=forms.Select,
        error_messages={
            "required": "Please choose a number from 0 to 10.",
            "invalid_choice": "Please choose a number from 0 to 10.",
        },
    )


class WalkAnswersForm(SignQuestions):
    """How an imported walk felt: the answers a device cannot record."""

    pain_before = required_rating("Pain before the walk (0 none, 10 worst)")
    pain_during = required_rating("Highest pain during the walk")
    pain_after = required_rating("Pain just after the walk")
    cooldown = yes_no("Did you do the 2-minute standing decompression afterwards?")

    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.add_questions(protocol.warning_signs)

    @classmethod
    def for_walk(
        cls, protocol: Protocol, walk_id: int, data: Any = None
    ) -> WalkAnswersForm:
        """One walk's form: its prefix keeps ids unique when Today shows several."""
        return cls(protocol, data, prefix=f"walk{walk_id}")

    def warning_signs(self) -> list[str]:
        return self.answered_yes(self.protocol.warning_signs)

    def signs(self) -> list[forms.BoundField]:
        return self.sign_fields(self.protocol.warning_signs)


class CheckInForm(SignQuestions):
    date = past_date("Date of this check-in")
    pain = rating("Back pain this morning (0 none, 10 worst)")
    stiffness = forms.IntegerField(
        label="Morning stiffness: minutes until you moved freely",
        min_value=0,
        max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sleep = rating("How well did you sleep? (0 very badly, 10 very well)")
    focus = rating("How clear is your focus today? (0 foggy, 10 sharp)")
    red_flags = forms.MultipleChoiceField(
        label="Since yesterday, have you noticed any of these? Tick any that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.add_questions(protocol.warning_signs)
        field = self.fields["red_flags"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(s.id, s.question) for s in protocol.red_flags]

    def warning_signs(self) -> list[str]:
        return self.answered_yes(self.protocol.warning_signs)


class ClearanceForm(AccessibleForm):
    by = forms.CharField(
        label="Who checked you and said you can walk again?",
        max_length=200,
        help_text="For example: Dr Patel, GP; or the physiotherapist at the clinic.",
    )
    confirm = forms.BooleanField(
        label="I confirm that this clinician has seen me about what I reported and said I can walk again.",
        error_messages={
            "required": "Tick this box only when a clinician has cleared you."
        },
    )


PSFS_SLOTS = 3


class BaselineForm(AccessibleForm):
    """Where the person starts: minutes, pain, shoes, PSFS and STarT Back."""

    baseline_minutes = forms.FloatField(
        label="How many minutes can you walk now before your pain starts to rise?",
        help_text="Stop at the whisper: the first small rise, not the point where it hurts.",
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    pain = rating("Your back pain right now (0 none, 10 worst imaginable)")
    footwear = forms.ChoiceField(
        label="The shoes you will walk in",
        choices=[("", "Choose one"), *FOOTWEAR_TEXT.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, PSFS_SLOTS + 1):
            self.fields[f"psfs_activity_{i}"] = forms.CharField(
                label=f"Activity {i} that your back makes hard",
                max_length=80,
                required=i == 1,
                help_text="For example: putting on socks, gardening, playing with children."
                if i == 1
                else "Optional.",
            )
            self.fields[f"psfs_rating_{i}"] = forms.TypedChoiceField(
                label=f"How well can you do activity {i} now? (0 unable, 10 as before)",
                choices=SCALE_OPTIONAL if i > 1 else SCALE,
                coerce=int,
                empty_value=None,
                required=i == 1,
                widget=forms.Select,
            )
        for item in instruments.START_BACK_ITEMS:
            self.fields[f"sb_{item.id}"] = forms.ChoiceField(
                label=item.text,
                choices=[(o, o) for o in item.options],
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose an answer."},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(2, PSFS_SLOTS + 1):
            named = bool(data.get(f"psfs_activity_{i}"))
            rated = data.get(f"psfs_rating_{i}") is not None
            if named and not rated:
                self.add_error(
                    f"psfs_rating_{i}", "Rate this activity, or clear its name."
                )
            if rated and not named:
                self.add_error(f"psfs_activity_{i}", "Name the activity you rated.")
        return data

    def psfs_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"psfs_activity_{i}"], self[f"psfs_rating_{i}"])
            for i in range(1, PSFS_SLOTS + 1)
        ]

    def start_back_fields(self) -> list[forms.BoundField]:
        return [self[f"sb_{item.id}"] for item in instruments.START_BACK_ITEMS]

    def outcome_answers(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        psfs = {
            data[f"psfs_activity_{i}"].strip(): data[f"psfs_rating_{i}"]
            for i in range(1, PSFS_SLOTS + 1)
            if data.get(f"psfs_activity_{i}")
        }
        start_back = {
            item.id: data[f"sb_{item.id}"] for item in instruments.START_BACK_ITEMS
        }
        return {
            "pain_nrs": {"rating": data["pain"]},
            "psfs": psfs,
            "start_back": start_back,
        }


class MeasuresForm(BaselineForm):
    """The outcome measures again, as asked at each phase change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["baseline_minutes"]
        del self.fields["footwear"]
