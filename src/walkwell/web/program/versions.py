"""The version of a person's history: a new value on every write to it.

Every service that writes something the engine or the clinician's list reads
(walks, check-ins, clearances, symptoms, screenings, measures, imports, the
enrolment and plan changes) calls ``bump`` in its transaction. The stored
timeline (``selectors.plan_for`` and friends) and the stored review are keyed by
this value, so a write makes them stale at once, on every app server and worker.
"""

from __future__ import annotations

import uuid

from walkwell.web.program.models import Person


def bump(person: Person) -> None:
    """Give the person's history a new version (in the caller's transaction)."""
    person.history_version = uuid.uuid4()
    Person.objects.filter(pk=person.pk).update(history_version=person.history_version)
