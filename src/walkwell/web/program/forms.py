"""What every form of the web apps shares: errors that assistive technology can
find, and one way to show a service's refusal beside the field it names.

The services refuse bad input with a ``ValidationProblem`` naming a field; a view
calls the service through ``submit``, which puts the message beside that field
(or above the form) so the page can be shown again with nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms

from walkwell.core.limits import ValidationProblem

T = TypeVar("T")


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
        """A single control points at its help and its errors; a radio or checkbox
        group is described on its fieldset instead (see partials/choices.html)."""
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                field = self.fields[name]
                attrs = field.widget.attrs
                attrs["aria-invalid"] = "true"
                if field.widget.use_fieldset:
                    continue
                auto_id = self._auto_id(name)
                ids = [f"{auto_id}_helptext"] if field.help_text else []
                attrs["aria-describedby"] = " ".join([*ids, f"{auto_id}_errors"])

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


@dataclass(frozen=True, slots=True)
class Saved(Generic[T]):
    """What the service returned, once it accepted the form's answers."""

    value: T


FieldNames = Mapping[str, str | None] | Callable[[str], str | None]


def submit(
    form: AccessibleMixin, save: Callable[[], T], fields: FieldNames | None = None
) -> Saved[T] | None:
    """Call the service; if it refuses, show why on the form and return None.

    ``fields`` turns the service's field name into the form's where they differ:
    a mapping (names it lacks are kept as they are) or a function; a form field
    of None, or a name the form does not have, puts the message above the form.
    """
    try:
        value = save()
    except ValidationProblem as problem:
        form.problem(_form_field(fields, problem.field), problem.message)
        return None
    return Saved(value)


def above_the_form(_field: str) -> None:
    """For ``submit``: every refusal goes above the form, whatever field it names."""
    return None


def _form_field(fields: FieldNames | None, field: str) -> str | None:
    if fields is None:
        return field
    if callable(fields):
        return fields(field)
    return fields.get(field, field)
