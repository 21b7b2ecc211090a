"""Forms: they parse and show errors; the program's services hold the rules.

Each service refuses bad input with a ``ValidationProblem`` naming a field; the views
call it through ``program.forms.submit``, which puts that message next to the field
it names, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms

from walkwell.core import instruments, limits
from walkwell.core.limits import WALK
from walkwell.core.protocol import Protocol, Sign
from walkwell.web.program import days
from walkwell.web.program.forms import AccessibleForm
from walkwell.web.program.presenters import FOOTWEAR_TEXT, PACE_TEXT, TERRAIN_TEXT

YES_NO = [("no", "No"), ("yes", "Yes")]
SCALE = [(str(i), str(i)) for i in range(11)]
NOT_RECORDED = "Not recorded"
SCALE_OPTIONAL = [*SCALE, ("", NOT_RECORDED)]  # ids end _0 to _10 as the values do
KG_PER_LB = 0.45359237

# The words at each end of a 0-10 scale, shown under it and read with 0 and 10.
PAIN_ANCHORS = ("no pain", "worst imaginable")
SLEEP_ANCHORS = ("very badly", "very well")
FOCUS_ANCHORS = ("foggy", "sharp")
ABILITY_ANCHORS = ("unable", "as before")


def not_in_future(value: dt.date) -> None:
    """The services' rule (``days.come``: the person's day), in a form's words."""
    try:
        days.come("date", value, None)
    except limits.ValidationProblem:
        raise forms.ValidationError(
            "This date is in the future; pick today or earlier."
        ) from None


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


class ScaleWidget(forms.RadioSelect):
    """A 0-10 rating: one radio group drawn as a row of thumb-sized segments.

    Arrow keys move along it as in any radio group. ``low`` and ``high`` are the
    words for 0 and 10 (the anchors). An optional scale has a "Not recorded" choice,
    checked until the person answers; a required one has nothing checked.
    Templates draw it with ``pages/partials/scale.html``.
    """

    def __init__(
        self, *, low: str, high: str, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.low = low
        self.high = high


def rating(
    label: str,
    *,
    about: str,
    anchors: tuple[str, str] = PAIN_ANCHORS,
    required: bool = True,
    help_text: str = "",
) -> forms.TypedChoiceField:
    """A 0-10 rating. Unanswered it is None: a required one is refused with a
    message naming ``about``; an optional one is stored as not recorded."""
    message = f"Choose a number from 0 to 10 for {about}."
    low, high = anchors
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE if required else SCALE_OPTIONAL,
        coerce=int,
        empty_value=None,
        required=required,
        widget=ScaleWidget(low=low, high=high),
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
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
    # Labels and bounds from the walk's one definition, ``limits.WALK_SPEC``.
    date = past_date(WALK["date"].label)
    minutes = forms.FloatField(
        label=WALK["minutes"].label,
        min_value=limits.MIN_TYPED_WALK_MINUTES,
        max_value=WALK["minutes"].high,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    terrain = forms.ChoiceField(
        label=WALK["terrain"].label,
        choices=list(TERRAIN_TEXT.items()),
        widget=forms.RadioSelect,
    )
    pace = forms.ChoiceField(
        label=WALK["pace"].label,
        choices=list(PACE_TEXT.items()),
        widget=forms.RadioSelect,
    )
    pain_before = rating(
        WALK["pain_before"].label, about="pain before the walk", required=False
    )
    pain_during = rating(
        WALK["pain_during"].label,
        about="the highest pain during the walk",
        required=False,
    )
    pain_after = rating(
        WALK["pain_after"].label, about="pain just after the walk", required=False
    )
    cooldown = yes_no(WALK["cooldown"].label)
    load = forms.FloatField(
        label=WALK["load_kg"].label,
        min_value=0,
        max_value=WALK["load_kg"].high,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    footwear = forms.ChoiceField(
        label=WALK["footwear"].label,
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
        if weight_unit == "lb":
            self.fields["load"] = forms.FloatField(
                min_value=0,
                max_value=round(WALK["load_kg"].high / KG_PER_LB, 1),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
        self.fields[
            "load"
        ].label = f"Daypack weight ({weight_unit}), if you carried one"
        self.add_questions(protocol.warning_signs)

    def warning_signs(self) -> list[str]:
        return self.answered_yes(self.protocol.warning_signs)

    def load_kg(self) -> float:
        load = self.cleaned_data.get("load") or 0.0
        return round(load * KG_PER_LB, 2) if self.weight_unit == "lb" else float(load)


class WalkAnswersForm(SignQuestions):
    """How an imported walk felt: the answers a device cannot record."""

    pain_before = rating("Pain before the walk", about="pain before the walk")
    pain_during = rating(
        "Highest pain during the walk", about="the highest pain during the walk"
    )
    pain_after = rating("Pain just after the walk", about="pain just after the walk")
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
    pain = rating("Back pain this morning", about="your back pain this morning")
    stiffness = forms.IntegerField(
        label="Stiffness: minutes until you moved freely",
        min_value=0,
        max_value=limits.MAX_STIFFNESS_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the minutes of morning stiffness (0 if none).",
            "invalid": "Enter the minutes of morning stiffness as a whole number.",
        },
    )
    sleep = rating(
        "Sleep last night", about="how well you slept", anchors=SLEEP_ANCHORS
    )
    focus = rating(
        "Focus today", about="how clear your focus is", anchors=FOCUS_ANCHORS
    )
    red_flags = forms.MultipleChoiceField(
        label="Since yesterday, have you noticed any of these? Tick any that are new.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # WalkBack's recurrence: the question's words are the protocol's
    recurrence = forms.ChoiceField(
        required=False,
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
    )

    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.add_questions(protocol.warning_signs)
        field = self.fields["red_flags"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(s.id, s.question) for s in protocol.red_flags]
        self.fields["recurrence"].label = protocol.recurrence.question

    def warning_signs(self) -> list[str]:
        return self.answered_yes(self.protocol.warning_signs)

    def recurrence_answer(self) -> bool | None:
        """Yes, no, or None when the question was left unanswered."""
        answer = self.cleaned_data.get("recurrence")
        return {"yes": True, "no": False}.get(answer or "")


class ClearanceForm(AccessibleForm):
    by = forms.CharField(
        label="Who checked you and said you can walk again?",
        max_length=limits.MAX_CLEARED_BY,
        help_text="For example: Dr Patel, GP; or the physiotherapist at the clinic.",
    )
    confirm = forms.BooleanField(
        label="I confirm that this clinician has seen me about what I reported and said I can walk again.",
        error_messages={
            "required": "Tick this box only when a clinician has cleared you."
        },
    )


PSFS_SLOTS = 3
USUAL_FIELDS = ("usual_pain", "usual_stiffness", "usual_sleep", "usual_focus")


class BaselineForm(AccessibleForm):
    """Where the person starts: minutes, pain, shoes, PSFS and STarT Back."""

    baseline_minutes = forms.FloatField(
        label="How many minutes can you walk now before your pain starts to rise?",
        help_text="Stop at the whisper: the first small rise, not the point where it hurts.",
        min_value=limits.MIN_BASELINE_MINUTES,
        max_value=limits.MAX_WALK_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    pain = rating("Your back pain right now", about="your back pain right now")
    footwear = forms.ChoiceField(
        label="The shoes you will walk in",
        choices=[("", "Choose one"), *FOOTWEAR_TEXT.items()],
    )

    # A usual morning (optional, all four or none): the person's own baseline,
    # compared with at every review; without it the first week of check-ins.
    usual_pain = rating(
        "Back pain on a usual morning",
        about="your back pain on a usual morning",
        required=False,
    )
    usual_stiffness = forms.IntegerField(
        label="Stiffness on a usual morning: minutes until you move freely",
        min_value=0,
        max_value=limits.MAX_STIFFNESS_MINUTES,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the minutes of morning stiffness as a whole number."
        },
    )
    usual_sleep = rating(
        "Sleep on a usual night",
        about="how well you usually sleep",
        anchors=SLEEP_ANCHORS,
        required=False,
    )
    usual_focus = rating(
        "Focus on a usual day",
        about="how clear your focus usually is",
        anchors=FOCUS_ANCHORS,
        required=False,
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
            self.fields[f"psfs_rating_{i}"] = rating(
                f"How well can you do activity {i} now?",
                about=f"how well you can do activity {i}",
                anchors=ABILITY_ANCHORS,
                required=i == 1,
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
        usual = [data.get(name) for name in USUAL_FIELDS if name in self.fields]
        if any(v is not None for v in usual) and any(v is None for v in usual):
            for name in USUAL_FIELDS:
                if data.get(name) is None and name in self.fields:
                    self.add_error(
                        name,
                        "Answer all four questions about a usual morning, or none.",
                    )
        return data

    def usual_morning(self) -> dict[str, int] | None:
        """The usual morning's four answers, or None when none was given."""
        data = self.cleaned_data
        if data.get("usual_pain") is None:
            return None
        return {
            "pain": data["usual_pain"],
            "morning_stiffness_min": data["usual_stiffness"],
            "sleep": data["usual_sleep"],
            "focus": data["usual_focus"],
        }

    def usual_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in USUAL_FIELDS]

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


def readiness_field(protocol: Protocol) -> forms.MultipleChoiceField:
    """The readiness questions as one optional group of tick boxes: none ticked is
    "none of these apply", so the field never blocks anything."""
    return forms.MultipleChoiceField(
        label="Before you start exercising: tick any that apply to you",
        help_text="Leave them all unticked if none apply. You can change these later.",
        choices=[(q.id, q.question) for q in protocol.readiness.questions],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OnboardingBaselineForm(BaselineForm):
    """The baseline step, with the readiness questions (optional: safe default none)."""

    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["readiness"] = readiness_field(protocol)


class ReadinessForm(AccessibleForm):
    def __init__(self, protocol: Protocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["readiness"] = readiness_field(protocol)


class GoAheadForm(AccessibleForm):
    by = forms.CharField(
        label="Which doctor said you can start walking for exercise?",
        max_length=limits.MAX_CLEARED_BY,
        help_text="For example: Dr Patel, GP.",
    )
    confirm = forms.BooleanField(
        label="I confirm that this doctor knows what I answered above and said I can start.",
        error_messages={"required": "Tick this box only when a doctor has said so."},
    )


class MeasuresForm(BaselineForm):
    """The outcome measures again, as asked at each phase change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["baseline_minutes"]
        del self.fields["footwear"]
        for name in USUAL_FIELDS:
            del self.fields[name]


class LinkCodeForm(AccessibleForm):
    code = forms.CharField(
        label="Invitation code from your clinician",
        max_length=20,
        help_text="Eight letters and digits, for example K7QM 2XPA.",
    )


class JoinForm(AccessibleForm):
    confirm = forms.BooleanField(
        label="Yes: this clinician may see my WalkWell record and act on my plan.",
        error_messages={"required": "Tick this box to link your clinician."},
    )


class UnlinkForm(AccessibleForm):
    link = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
