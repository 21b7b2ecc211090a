"""Sign-up and settings forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User

from walkwell.core.protocol import Protocol
from walkwell.web.accounts.models import Preferences
from walkwell.web.accounts.zones import known_zones
from walkwell.web.program.forms import AccessibleForm, AccessibleMixin

EMAIL_HELP = (
    "Used only to send you a link if you forget your password; "
    "without it a forgotten password cannot be reset."
)

# Django puts a too-short or too-common password's errors on the confirmation
# field; they belong under the new password itself. A mismatch stays on the
# confirmation.
NEW_PASSWORD_FIELD = {"password2": "password1", "new_password2": "new_password1"}


class SignUpForm(AccessibleMixin, UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(
        label="Email (optional)", required=False, help_text=EMAIL_HELP
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = "Letters, digits and @ . + - _ only."

    def validate_password_for_user(self, user: Any, **kwargs: Any) -> None:
        name = kwargs.pop("password_field_name", "password2")
        # django-stubs omit the password mixin that Django 5.2 gives this form.
        super().validate_password_for_user(  # type: ignore[misc]
            user, password_field_name=NEW_PASSWORD_FIELD.get(name, name), **kwargs
        )


class PasswordForm(AccessibleMixin, PasswordChangeForm):
    """Change the password; each error shows under the field it is about."""

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "new_password2",  # noqa: S107 - a field name
    ) -> None:
        super().validate_password_for_user(
            user, NEW_PASSWORD_FIELD.get(password_field_name, password_field_name)
        )


class EmailForm(AccessibleMixin, forms.ModelForm[User]):
    """The address password-reset links go to; empty removes it."""

    class Meta:
        model = User
        fields = ("email",)
        labels: ClassVar[dict[str, str]] = {"email": "Email (optional)"}
        help_texts: ClassVar[dict[str, str]] = {"email": EMAIL_HELP}


class TokenForm(AccessibleMixin, forms.Form):
    """A name for a new API token: what it is for, so it can be revoked later."""

    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, such as “phone” or “clinic system”.",
    )


class ResetRequestForm(AccessibleMixin, PasswordResetForm):
    """Asks for the address; the page says the same whether or not it is known."""


class NewPasswordForm(AccessibleMixin, SetPasswordForm):  # type: ignore[type-arg]
    """A new password from a reset link; its errors show under their own field."""

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "new_password2",  # noqa: S107 - a field name
    ) -> None:
        super().validate_password_for_user(
            user, NEW_PASSWORD_FIELD.get(password_field_name, password_field_name)
        )


class TimeZoneForm(AccessibleMixin, forms.ModelForm[Preferences]):
    """The preference every account has: its time zone. Clinic staff without a
    record of their own are offered this alone."""

    class Meta:
        model = Preferences
        fields: tuple[str, ...] = ("time_zone",)
        labels: ClassVar[dict[str, str]] = {"time_zone": "Your time zone"}
        widgets: ClassVar[dict[str, forms.Widget | type[forms.Widget]]] = {
            "time_zone": forms.TextInput(
                attrs={"data-time-zone-from-browser": "", "autocomplete": "off"}
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = (
            "Your day starts and ends at your midnight, and reminders come at "
            "your times. An IANA name such as Europe/London or America/New_York; "
            "empty: the server's."
        )

    def clean_time_zone(self) -> str:
        name = str(self.cleaned_data.get("time_zone") or "").strip()
        if name and name not in known_zones():
            raise forms.ValidationError(
                f"{name!r} is not a time zone WalkWell knows: write an IANA name "
                "such as Europe/London or America/New_York, or leave it empty."
            )
        return name


class PreferencesForm(TimeZoneForm):
    """A person's settings: units, reminders, habits and the time zone."""

    habit_slots = forms.MultipleChoiceField(
        label="Habit slots you want suggested",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Shown only while the account has no address: reminders need one.
    reminder_email = forms.EmailField(
        label="Email for reminders",
        required=False,
        help_text="Your account has no email address yet; reminders go here, and "
        "a forgotten password can then be reset.",
    )

    class Meta(TimeZoneForm.Meta):
        fields = (
            "distance_unit",
            "weight_unit",
            "first_walk_time",
            "second_walk_time",
            "checkin_time",
            "habit_slots",
            "email_checkin",
            "email_walks",
            "time_zone",
        )
        labels: ClassVar[dict[str, str]] = {
            "distance_unit": "Distances in",
            "weight_unit": "Weights in",
            "first_walk_time": "Reminder time for the first walk",
            "second_walk_time": "Reminder time for the second walk (phase 1 has two a day)",
            "checkin_time": "Reminder time for the morning check-in",
            "email_checkin": "Email me the morning check-in reminder",
            "email_walks": "Email me a reminder for each planned walk",
            **TimeZoneForm.Meta.labels,
        }
        help_texts: ClassVar[dict[str, str]] = {
            "email_checkin": "On the morning after a day with planned walks, at "
            "your check-in time, unless you have already checked in.",
            "email_walks": "At your walk times. On a day your plan is stopped for "
            "safety, it says what to do instead of walking.",
        }
        widgets: ClassVar[dict[str, forms.Widget | type[forms.Widget]]] = {
            "distance_unit": forms.RadioSelect,
            "weight_unit": forms.RadioSelect,
            "first_walk_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "second_walk_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "checkin_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            **TimeZoneForm.Meta.widgets,
        }

    def __init__(
        self, *args: Any, protocol: Protocol, has_email: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_email = has_email
        if has_email:
            del self.fields["reminder_email"]
        habits = protocol.habits  # the person's own program's habits
        field = self.fields["habit_slots"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(h.id, f"{h.name}: {h.text}") for h in habits]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wanted = cleaned.get("email_checkin") or cleaned.get("email_walks")
        if wanted and not self.has_email and not cleaned.get("reminder_email"):
            self.add_error(
                "reminder_email",
                "Reminders by email need an address: write yours here, or leave "
                "both reminder boxes unticked.",
            )
        return cleaned


class ExportForm(AccessibleForm):
    """Which kind of export to download."""

    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("json", "JSON: everything, and it can be restored into WalkWell"),
            ("csv", "CSV: one spreadsheet file per kind of record, in a zip"),
            ("fhir", "FHIR R4: for health record systems"),
        ],
        initial="json",
        widget=forms.RadioSelect,
    )


class RestoreForm(AccessibleForm):
    file = forms.FileField(
        label="A WalkWell JSON export",
        help_text="Brings a record exported from WalkWell into this new account.",
    )


class DeleteAccountForm(AccessibleForm):
    confirm = forms.CharField(
        label="Type your username to confirm",
        help_text="Deleting cannot be undone.",
        max_length=150,
    )

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirm(self) -> str:
        given = str(self.cleaned_data["confirm"]).strip()
        if given != self.username:
            raise forms.ValidationError(
                f"Type your username, {self.username}, exactly, to delete the account."
            )
        return given


class CodeForm(AccessibleForm):
    """A 6-digit code from an authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}
        ),
    )
